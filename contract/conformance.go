package contract

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/spec"
)

// validateOptions collect every schema error of a body, and fail statuses the operation does
// not declare.
var validateOptions = &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true}

// conform runs the conformance checks on one answered exchange: status declared, request id
// present, media type declared, body valid. Each is its own check, and the body is validated
// even when the header or media type is wrong, so one response shows all its problems.
func (s *Suite) conform(ex *exchange) {
	rel := &http.Request{Method: ex.req.Method, URL: s.relative(ex.req.URL), Header: ex.req.Header}
	route, pathParams, err := s.router.FindRoute(rel)
	if err != nil {
		return // every request the suite sends has a route; nothing to validate against otherwise
	}
	resp := route.Operation.Responses.Status(ex.status)
	if resp == nil {
		resp = route.Operation.Responses.Default()
	}
	tr := s.start(CheckStatus)
	if resp == nil || resp.Value == nil {
		tr.fail(ex, "one of the statuses openapi.yaml declares: "+declaredStatuses(route), strconv.Itoa(ex.status))
	}
	tr.end()
	tr = s.start(CheckRequestID)
	if ex.requestID == "" {
		tr.fail(ex, "a non-empty "+fc.HeaderRequestID+" header", "none, on a "+strconv.Itoa(ex.status))
	}
	tr.end()
	if resp == nil || resp.Value == nil || len(resp.Value.Content) == 0 {
		return
	}
	mt := s.checkContentType(ex, resp.Value.Content)
	s.checkSchema(ex, rel, route, pathParams, mt)
}

// checkContentType returns the declared media type the body is validated as: the response's
// own when declared, else the first declared one.
func (s *Suite) checkContentType(ex *exchange, content openapi3.Content) string {
	declared := make([]string, 0, len(content))
	for mt := range content {
		declared = append(declared, mt)
	}
	sort.Strings(declared)
	ct := ex.header.Get("Content-Type")
	tr := s.start(CheckContentType)
	defer tr.end()
	if content.Get(ct) != nil {
		return ct
	}
	if ct == "" {
		ct = "no Content-Type"
	}
	tr.fail(ex, "Content-Type "+strings.Join(declared, " or "), ct)
	return declared[0]
}

// checkSchema validates the body with kin-openapi and reports each schema error on its own,
// located by JSON pointer. Header problems are reported by their own checks, so the copy of
// the headers handed to kin-openapi has them patched: it would otherwise stop before the body.
func (s *Suite) checkSchema(ex *exchange, rel *http.Request, route *routers.Route, pathParams map[string]string, mediaType string) {
	h := ex.header.Clone()
	h.Set("Content-Type", mediaType)
	if h.Get(fc.HeaderRequestID) == "" {
		h.Set(fc.HeaderRequestID, "-")
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: rel, PathParams: pathParams, Route: route},
		Status:                 ex.status,
		Header:                 h,
		Options:                validateOptions,
	}
	in.SetBodyBytes(ex.body)
	tr := s.start(CheckSchema)
	defer tr.end()
	for _, issue := range flatten(openapi3filter.ValidateResponse(context.Background(), in)) {
		tr.fail(ex, fmt.Sprintf("a %d body valid against openapi.yaml", ex.status), issue)
	}
}

// flatten turns kin-openapi's nested errors into one line per problem: "<json pointer>: <reason>".
func flatten(err error) []string {
	var out []string
	for _, issue := range spec.Issues(err) {
		if issue.Path == nil {
			out = append(out, issue.Reason)
			continue
		}
		out = append(out, issue.Pointer()+": "+issue.Reason)
	}
	return out
}

func declaredStatuses(route *routers.Route) string {
	var codes []string
	for code := range route.Operation.Responses.Map() {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	return strings.Join(codes, ", ")
}
