package mock

import (
	"net"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/internal/fc"
)

// guardOrigin keeps browsers from being turned against the admin API, which has no CORS and
// changes state on a simple POST:
//
//   - a request a browser sends for another site's page is refused: its Origin is not the
//     mock's own (scheme://Host), or Sec-Fetch-Site says cross-site or same-site. A page on
//     any site can POST /_fcmock/reset with Content-Type text/plain without a preflight; it
//     cannot keep the browser from sending Origin.
//   - a request for a host name the mock does not know is refused: DNS rebinding points a
//     name the attacker owns at 127.0.0.1, so the browser treats the mock as that name's
//     own origin (Origin and Host then agree). Known are loopback names and addresses
//     (localhost, *.localhost, 127.0.0.0/8, ::1), the address the request came in on, and
//     the names in hosts (fcmock serve --admin-host).
//
// Clients that are not browsers (curl, SDKs, CI scripts) send no Origin and a Host from the
// URL they were given, and pass. Both refusals are 403 AccessDenied in FC's error JSON.
func guardOrigin(hosts []string) echo.MiddlewareFunc {
	known := make(map[string]bool, len(hosts))
	for _, h := range hosts {
		if name, _, err := net.SplitHostPort(h); err == nil {
			h = name // a port given with the name is ignored, as in the Host check
		}
		known[strings.ToLower(strings.Trim(h, "[]"))] = true
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if !knownHost(req, known) {
				return fc.Errorf(fc.CodeAccessDenied, "the admin API does not answer to the host name in the Host header; use a loopback name or the listen address, or start fcmock with --admin-host NAME")
			}
			if o := req.Header.Get("Origin"); o != "" && !sameOrigin(o, req.Host) {
				return fc.Errorf(fc.CodeAccessDenied, "the admin API refuses requests from other origins than its own (the Origin header)")
			}
			if site := req.Header.Get("Sec-Fetch-Site"); site == "cross-site" || site == "same-site" {
				return fc.Errorf(fc.CodeAccessDenied, "the admin API refuses requests a browser sends for another site (Sec-Fetch-Site: %s)", site)
			}
			return next(c)
		}
	}
}

// knownHost reports whether the Host header names the mock as guardOrigin allows.
func knownHost(req *http.Request, known map[string]bool) bool {
	host := strings.ToLower(req.Host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || known[host] {
		return true
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	if ip.IsLoopback() {
		return true
	}
	local, ok := req.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return false
	}
	lh, _, err := net.SplitHostPort(local.String())
	return err == nil && net.ParseIP(lh).Equal(ip)
}

// sameOrigin reports whether origin is http:// or https:// followed by host.
func sameOrigin(origin, host string) bool {
	o := strings.ToLower(origin)
	h := strings.ToLower(host)
	return o == "http://"+h || o == "https://"+h
}
