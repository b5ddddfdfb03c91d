package mock

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/console"
	"github.com/fcmock/fcmock/internal/fc"
)

// mountConsole adds the console and the served spec to the admin API (so they share its
// access rules), and GET /_fcmock/services, which the console's pickers read.
func (s *Server) mountConsole(e *echo.Echo) {
	e.GET(AdminPrefix+"ui", func(c echo.Context) error {
		return c.Redirect(http.StatusMovedPermanently, AdminPrefix+"ui/")
	})
	e.GET(AdminPrefix+"ui/*", func(c echo.Context) error {
		if !console.ServeAsset(c.Response(), c.Request(), c.Param("*")) {
			return fc.Errorf(fc.CodePathNotFound, "'%s' is not a page of the console", c.Request().URL.Path)
		}
		return nil
	})
	e.GET(AdminPrefix+"openapi.yaml", echo.WrapHandler(http.HandlerFunc(console.ServeYAML)))
	e.GET(AdminPrefix+"openapi.json", echo.WrapHandler(http.HandlerFunc(console.ServeJSON)))
	e.GET(AdminPrefix+"reference", func(c echo.Context) error {
		console.ServeReference(c.Response(), c.Request(), strings.TrimSuffix(AdminPrefix, "/"))
		return nil
	})
	e.GET(AdminPrefix+"services", func(c echo.Context) error {
		services, err := s.services(c.Request().Context())
		if err != nil {
			return unavailable(err)
		}
		return c.JSON(http.StatusOK, map[string]any{"services": services})
	})
}

// wantsConsole reports whether r is a browser opening the mock's root, which is sent to the
// console; API clients asking for / still get FC's PathNotFound.
func wantsConsole(r *http.Request) bool {
	return r.URL.Path == "/" && r.Method == http.MethodGet && strings.Contains(r.Header.Get("Accept"), "text/html")
}
