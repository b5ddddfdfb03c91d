package mock

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/console"
)

// mountConsole adds the console and the served spec to the admin API (so they share its
// access rules), and GET /_fcmock/services, which the console's pickers read.
func (s *Server) mountConsole(e *echo.Echo) {
	h := echo.WrapHandler(console.Handler(AdminPrefix))
	e.GET(AdminPrefix+"ui", func(c echo.Context) error {
		return c.Redirect(http.StatusMovedPermanently, AdminPrefix+"ui/")
	})
	for _, p := range console.Paths {
		e.GET(AdminPrefix+p, h)
	}
	e.GET(AdminPrefix+"services", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]any{"services": s.Store().Services()})
	})
}

// wantsConsole reports whether r is a browser opening the mock's root, which is sent to the
// console; API clients asking for / still get FC's PathNotFound.
func wantsConsole(r *http.Request) bool {
	return r.URL.Path == "/" && r.Method == http.MethodGet && strings.Contains(r.Header.Get("Accept"), "text/html")
}
