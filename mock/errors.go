package mock

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// errorHandler is echo's one HTTPErrorHandler: every error any handler or middleware returns is
// rendered here as FC's error JSON with the status of its code.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		fe := toFCError(err, c.Request())
		c.Set(errorCodeKey, string(fe.Code))
		if fe.Code == fc.CodeInternalServerError {
			log.Error("internal error", "request_id", RequestID(c.Request().Context()), "err", err)
		}
		if fe.Code == fc.CodeServiceUnavailable && fe.Err != nil { // a shared store's failure (see unavailable)
			log.Warn("shared store unavailable", "request_id", RequestID(c.Request().Context()), "err", fe.Err)
			c.Response().Header().Set("Retry-After", "1")
		}
		body := fcapi.Error{ErrorCode: string(fe.Code), ErrorMessage: fe.Message}
		if c.Request().Method == http.MethodHead {
			c.Response().Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
			err = c.NoContent(fe.Status())
		} else {
			err = c.JSON(fe.Status(), body)
		}
		if err != nil {
			log.Debug("write error response", "err", err)
		}
	}
}

// toFCError maps any error to the FC error the caller sees. Causes of internal errors are
// logged, never shown.
func toFCError(err error, req *http.Request) *fc.Error {
	var fe *fc.Error
	if errors.As(err, &fe) {
		return fe
	}
	if errors.Is(err, context.Canceled) {
		return fc.Wrap(err, fc.CodeClientClosedRequest, "the client closed the request before the response was sent")
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound:
			return fc.Errorf(fc.CodePathNotFound, "'%s' is not a path of the FC API", req.URL.Path)
		case http.StatusMethodNotAllowed:
			return fc.Errorf(fc.CodePathNotSupported, "'%s' against '%s' is not supported", req.Method, req.URL.Path)
		case http.StatusBadRequest:
			return fc.Wrap(err, fc.CodeInvalidArgument, httpErrorText(he))
		}
	}
	return fc.Wrap(err, fc.CodeInternalServerError, "an internal error has occurred. Please retry.")
}

func httpErrorText(he *echo.HTTPError) string {
	if s, ok := he.Message.(string); ok {
		return s
	}
	return http.StatusText(he.Code)
}
