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

	"github.com/fcmock/fcmock/internal/evidence"
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
	route, _, err := s.router.FindRoute(rel)
	if err != nil {
		return // every request the suite sends has a route; nothing to validate against otherwise
	}
	s.coverage.record(route, rel, ex)
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
	s.checkSchema(ex, rel, mt)
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
// located by JSON pointer and graded by the evidence of the constraint it breaks. In the service
// profile the body is validated twice (see schemaPair): an error only the strict reading finds
// is a warning. Header problems are reported by their own checks, so the copy of the headers
// handed to kin-openapi has them patched: it would otherwise stop before the body.
func (s *Suite) checkSchema(ex *exchange, rel *http.Request, mediaType string) {
	tr := s.start(CheckSchema)
	defer tr.end()
	strict := s.validateBody(s.schemas.strict, ex, rel, mediaType)
	if s.schemas.relaxed == nil {
		for _, is := range strict {
			tr.failAt(is.ev, ex, fmt.Sprintf("a %d body valid against openapi.yaml", ex.status), is.text)
		}
		return
	}
	if len(strict) == 0 {
		return // the relaxed reading is looser: nothing to find there
	}
	firm := map[string]bool{}
	for _, is := range s.validateBody(s.schemas.relaxed, ex, rel, mediaType) {
		firm[is.text] = true
		tr.failAt(is.ev, ex, fmt.Sprintf("a %d body valid against openapi.yaml", ex.status), is.text)
	}
	for _, is := range strict {
		if !firm[is.text] {
			tr.add(is.ev, ex, fmt.Sprintf("a %d body valid against openapi.yaml", ex.status), is.text, true, nil)
		}
	}
}

// schemaIssue is one schema error: "<json pointer>: <reason>", and the evidence of the
// constraint broken.
type schemaIssue struct {
	text string
	ev   Evidence
}

// undeclared is the evidence of the rule that a body holds only the properties the spec declares.
var undeclared = Evidence{Level: LevelChoice, Source: "OWN: later API versions add fields (durationMs, returnPayload)", Confidence: "L"}

func (s *Suite) validateBody(router routers.Router, ex *exchange, rel *http.Request, mediaType string) []schemaIssue {
	route, pathParams, err := router.FindRoute(rel)
	if err != nil {
		return nil
	}
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
	return issues(openapi3filter.ValidateResponse(context.Background(), in), s.evidence[CheckSchema])
}

// issues turns kin-openapi's nested errors into one issue per problem, each with the evidence
// of the schema constraint it breaks (fallback when the schema carries none).
func issues(err error, fallback Evidence) []schemaIssue {
	var out []schemaIssue
	for _, is := range spec.Issues(err) {
		text := is.Reason
		if len(is.Path) > 0 {
			text = is.Pointer() + ": " + is.Reason
		}
		ev := fallback
		if is.Schema != nil {
			if e, ok := evidence.FromExtensions(is.Schema.Extensions, "x-fc-evidence"); ok {
				ev = e
			}
			switch {
			case is.SchemaField == "additionalProperties" || strings.HasSuffix(is.Reason, "is unsupported"):
				ev = undeclared
			case is.SchemaField == "required" && len(is.Path) > 0:
				if e, ok := evidence.FromExtensionsEntry(is.Schema.Extensions, "x-fc-evidence-required", is.Path[len(is.Path)-1]); ok {
					ev = e
				}
			}
		}
		out = append(out, schemaIssue{text: text, ev: ev})
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
