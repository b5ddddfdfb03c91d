package mock

import (
	"time"

	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/internal/fc"
)

// verifySignatures rejects requests whose FC signature does not verify against the configured
// credentials, with the code the real service gives (AccessDenied, InvalidAccessKeyID,
// SignatureNotMatch, MissingRequiredHeader, RequestTimeTooSkewed).
func verifySignatures(v *fc.Verifier, now func() time.Time) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := v.Verify(c.Request(), now()); err != nil {
				return err
			}
			return next(c)
		}
	}
}
