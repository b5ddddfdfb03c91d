package mock

import (
	"crypto/subtle"
	"net"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/internal/fc"
)

// AdminPrefix starts every path of the mock's own control API, outside the FC API surface.
const AdminPrefix = "/_fcmock/"

// HeaderAdminToken carries the admin token when one is configured.
const HeaderAdminToken = "X-Fcmock-Admin-Token"

// newAdmin builds the control API:
//
//	GET    /_fcmock/requests  the journal, oldest first, a page at a time (?after=&limit=)
//	DELETE /_fcmock/requests  clear the journal
//	POST   /_fcmock/reset     reload the fixtures, dropping what was added at run time
//	                          (invocations made with InvokeFunction, async configs put)
//	GET    /_fcmock/clock     the lifecycle clock: {"now": <ms>, "virtual": bool}
//	POST   /_fcmock/clock     move a virtual clock: {"advance":"90s"} or {"set":<ms>}
//	/_fcmock/scenarios        standing scenario rules (rules.go)
//	/_fcmock/ui/, services, openapi.{yaml,json}, reference: the console (console.go)
func (s *Server) newAdmin() *echo.Echo {
	e := newEchoBase(s.opts.Logger)
	e.Use(baseMiddleware(s.opts.Logger)...)
	e.Use(guardOrigin(s.opts.AdminHosts), guardAdmin(s.opts.AdminToken))
	e.GET(AdminPrefix+"requests", s.listJournal)
	e.DELETE(AdminPrefix+"requests", func(c echo.Context) error {
		s.journal.clear()
		return c.NoContent(http.StatusNoContent)
	})
	s.addClockRoutes(e)
	s.mountRules(e)
	s.mountConsole(e)
	e.POST(AdminPrefix+"reset", func(c echo.Context) error {
		done, err := s.beginReset(c)
		if err != nil {
			return err
		}
		defer done()
		set, err := fixtures.Load(s.opts.Fixtures)
		if err != nil {
			// The running data stays as it was: a broken edit never empties the mock.
			return fc.Wrap(err, fc.CodeInvalidArgument, "fixtures not reloaded: "+err.Error())
		}
		services, invocations := len(set.Services), len(set.Invocations)
		// set is not used after this: NewStore can hand a large set's memory back at once.
		store := s.withResources(NewStore(set))
		if err := s.resetRuntime(c.Request().Context(), store); err != nil {
			return err // a shared state refused the set or did not answer: nothing changed
		}
		s.store.Store(store)
		done()
		return c.JSON(http.StatusOK, map[string]int{"services": services, "invocations": invocations})
	})
	return e
}

// guardAdmin admits admin requests from loopback only, unless a token is configured, in which
// case every admin request, loopback included, must carry it: in the X-Fcmock-Admin-Token
// header, or, for a browser (whose address bar cannot send headers), in the cookie that
// opening the console as /_fcmock/ui/?token=T sets (see adminCookie).
func guardAdmin(token string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if token == "" {
				if !fromLoopback(req) {
					return fc.Errorf(fc.CodeAccessDenied, "the admin API answers loopback clients only; start fcmock with --admin-token to open it to others")
				}
				return next(c)
			}
			if sameToken(req.Header.Get(HeaderAdminToken), token) {
				return next(c)
			}
			if ck, err := req.Cookie(adminCookie); err == nil && sameToken(ck.Value, token) {
				return next(c)
			}
			if req.Method == http.MethodGet && req.URL.Path == consoleLoginPath && req.URL.Query().Has("token") {
				if !sameToken(req.URL.Query().Get("token"), token) {
					return fc.Errorf(fc.CodeAccessDenied, "the token in the console's address is not the configured admin token")
				}
				return logInConsole(c, token)
			}
			return fc.Errorf(fc.CodeAccessDenied, "the admin API needs the %s header with the configured token "+
				"(in a browser, open %s?token=<token> once)", HeaderAdminToken, consoleLoginPath)
		}
	}
}

// adminCookie holds the admin token for the console. HttpOnly keeps it from scripts,
// SameSite=Strict from requests other sites' pages make, and guardOrigin refuses other
// origins besides; its path keeps it off the FC API's requests.
const adminCookie = "fcmock_admin_token"

// consoleLoginPath is the console's address; with ?token= it is where a browser logs in.
const consoleLoginPath = AdminPrefix + "ui/"

// logInConsole sets the admin cookie and sends the browser on to the console without the token
// in its address (and so in its history).
func logInConsole(c echo.Context, token string) error {
	c.SetCookie(&http.Cookie{Name: adminCookie, Value: token, Path: AdminPrefix, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: c.Request().TLS != nil})
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Redirect(http.StatusSeeOther, consoleLoginPath)
}

func sameToken(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// fromLoopback reports whether the connection (not a forwarding header, which anyone can
// forge) comes from this machine.
func fromLoopback(req *http.Request) bool {
	host, _, err := net.SplitHostPort(req.RemoteAddr)
	if err != nil {
		host = req.RemoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
