package mock

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/internal/fc"
)

// validateRequests checks every request against openapi.yaml with kin-openapi and turns the
// first violation into a 400 InvalidArgument naming the parameter and the rule. Requests no
// operation matches pass through, so echo's router answers them with 404 or 405.
func validateRequests(router routers.Router) echo.MiddlewareFunc {
	opts := &openapi3filter.Options{
		// Signatures are checked by their own middleware, before this one, when credentials
		// are configured; the spec's security requirement is not enforced here.
		AuthenticationFunc: func(context.Context, *openapi3filter.AuthenticationInput) error { return nil },
		// Defaults are the handler's business; filling them in would rewrite the query the
		// access log and the journal show.
		SkipSettingDefaults: true,
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			route, pathParams, err := router.FindRoute(req)
			if err != nil {
				return next(c)
			}
			input := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route, Options: opts}
			if err := openapi3filter.ValidateRequest(req.Context(), input); err != nil {
				return fc.Wrap(err, fc.CodeInvalidArgument, validationMessage(err, req, pathParams))
			}
			return next(c)
		}
	}
}

// validationMessage words a kin-openapi error as `<in> parameter "<name>": <rule>, got "<value>"`.
func validationMessage(err error, req *http.Request, pathParams map[string]string) string {
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) || re.Parameter == nil {
		return err.Error()
	}
	p := re.Parameter
	msg := fmt.Sprintf("%s parameter %q: %s", p.In, p.Name, ruleOf(re))
	var got string
	var present bool
	switch p.In {
	case openapi3.ParameterInQuery:
		var vs []string
		vs, present = req.URL.Query()[p.Name]
		if present {
			got = strings.Join(vs, ",")
		}
	case openapi3.ParameterInPath:
		got, present = pathParams[p.Name]
	}
	if present {
		msg += fmt.Sprintf(", got %q", truncate(got, 80))
	}
	return msg
}

// ruleOf extracts the broken rule from a RequestError without kin-openapi's nesting prefixes.
func ruleOf(re *openapi3filter.RequestError) string {
	var se *openapi3.SchemaError
	if errors.As(re.Err, &se) {
		return se.Reason
	}
	var pe *openapi3filter.ParseError
	if errors.As(re.Err, &pe) {
		return "must be " + withArticle(schemaType(re.Parameter))
	}
	if re.Err != nil {
		return re.Err.Error()
	}
	return re.Reason
}

func withArticle(typ string) string {
	if typ == "integer" {
		return "an integer"
	}
	return "a " + typ
}

func schemaType(p *openapi3.Parameter) string {
	if p.Schema != nil && p.Schema.Value != nil && p.Schema.Value.Type != nil && len(*p.Schema.Value.Type) > 0 {
		return (*p.Schema.Value.Type)[0]
	}
	return "value"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
