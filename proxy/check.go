package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/spec"
)

// checker validates requests and answers against the spec internal/spec loaded, for every
// operation the spec has: nothing here knows one operation from another.
type checker struct {
	router routers.Router
}

func newChecker() (*checker, error) {
	r, err := spec.NewRouter()
	if err != nil {
		return nil, err
	}
	return &checker{router: r}, nil
}

// route finds the operation of r. The proxy's own clients are not authenticated by it (the
// upstream does that), so security requirements are not checked.
func (c *checker) route(r *http.Request) (*routers.Route, map[string]string, bool) {
	route, params, err := c.router.FindRoute(r)
	if err != nil {
		return nil, nil, false
	}
	return route, params, true
}

var requestOptions = &openapi3filter.Options{MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}

// request validates r (whose body, if any, is body) against its operation.
func (c *checker) request(r *http.Request, body []byte, route *routers.Route, params map[string]string) []Violation {
	rc := r.Clone(r.Context())
	rc.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{Request: rc, PathParams: params, Route: route, Options: requestOptions}
	err := openapi3filter.ValidateRequest(context.Background(), in)
	var out []Violation
	for _, e := range topLevel(err) {
		v := Violation{Side: SideRequest, Rule: RuleRequest, Reason: e.Error(), Evidence: Evidence{Level: LevelUnknown}}
		var re *openapi3filter.RequestError
		if errors.As(e, &re) {
			v.Reason = re.Reason
			if re.Err != nil {
				if v.Reason != "" {
					v.Reason += ": "
				}
				v.Reason += issueText(re.Err)
			}
			if p := re.Parameter; p != nil {
				v.Where = p.In + " parameter " + p.Name
				v.Evidence = parameterEvidence(route, p)
			} else if re.RequestBody != nil {
				v.Where = "body"
				v.Evidence = evidenceOf(re.RequestBody.Extensions)
			}
		}
		out = append(out, v)
	}
	return out
}

// response validates one answer: status declared, required headers present and valid, media
// type declared, body valid against its schema. Each is its own rule, and the body is checked
// even when a header is wrong, so one answer shows all its problems.
func (c *checker) response(req *http.Request, route *routers.Route, params map[string]string, status int, header http.Header, data []byte, body decoded) []Violation {
	op := route.Operation
	ref := op.Responses.Status(status)
	if ref == nil {
		ref = op.Responses.Default()
	}
	if ref == nil || ref.Value == nil {
		return []Violation{{Side: SideResponse, Rule: RuleStatus, Status: status,
			Reason:   "status " + strconv.Itoa(status) + " is not declared; the operation declares " + declared(op),
			Evidence: evidenceOf(op.Extensions)}}
	}
	resp := ref.Value
	var out []Violation
	h := header.Clone()
	for _, name := range slices.Sorted(maps.Keys(resp.Headers)) {
		hr := resp.Headers[name]
		if hr == nil || hr.Value == nil {
			continue
		}
		if hr.Value.Required && h.Get(name) == "" {
			out = append(out, Violation{Side: SideResponse, Rule: RuleHeader, Status: status, Where: name,
				Reason: "required response header is missing", Evidence: evidenceOf(hr.Extensions, hr.Value.Extensions)})
			h.Set(name, placeholder(hr.Value))
		}
	}
	if len(resp.Content) == 0 {
		return out
	}
	mt := h.Get("Content-Type")
	if resp.Content.Get(mt) == nil {
		where := mt
		if where == "" {
			where = "no Content-Type"
		}
		out = append(out, Violation{Side: SideResponse, Rule: RuleContentType, Status: status, Where: where,
			Reason:   "media type not declared; the response declares " + strings.Join(slices.Sorted(maps.Keys(resp.Content)), ", "),
			Evidence: evidenceOf(ref.Extensions, resp.Extensions)})
		mt = slices.Sorted(maps.Keys(resp.Content))[0]
		h.Set("Content-Type", mt)
	}
	// Headers through kin-openapi (its body check is skipped: the body was decoded once, by
	// the caller, and is checked below against the same schema with the same options).
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 h,
		Options:                &openapi3filter.Options{MultiError: true, ExcludeResponseBody: true},
	}
	for _, e := range leaves(openapi3filter.ValidateResponse(context.Background(), in)) {
		out = append(out, Violation{Side: SideResponse, Rule: RuleHeader, Status: status, Reason: issueText(e),
			Evidence: evidenceOf(ref.Extensions, resp.Extensions)})
	}
	mtv := resp.Content.Get(mt)
	if mtv == nil || mtv.Schema == nil || mtv.Schema.Value == nil {
		return out
	}
	if !isJSON(mt) {
		// Not JSON (a sync invoke's octet-stream): kin-openapi decodes it by its media type.
		in.Options = &openapi3filter.Options{MultiError: true}
		in.SetBodyBytes(data)
		for _, e := range leaves(openapi3filter.ValidateResponse(context.Background(), in)) {
			out = append(out, Violation{Side: SideResponse, Rule: RuleSchema, Status: status, Reason: issueText(e),
				Evidence: evidenceOf(ref.Extensions, resp.Extensions)})
		}
		return out
	}
	if !body.Tried {
		body = decode(data)
	}
	switch {
	case body.Value == nil && body.Err == nil:
		return append(out, Violation{Side: SideResponse, Rule: RuleSchema, Status: status,
			Reason: "the body is empty; a JSON body is declared", Evidence: evidenceOf(ref.Extensions, resp.Extensions)})
	case body.Err != nil:
		return append(out, Violation{Side: SideResponse, Rule: RuleSchema, Status: status,
			Reason: "the body is not JSON: " + body.Err.Error(), Evidence: evidenceOf(ref.Extensions, resp.Extensions)})
	}
	err := mtv.Schema.Value.VisitJSON(body.Value, openapi3.MultiErrors(), openapi3.VisitAsResponse())
	for _, e := range leaves(err) {
		v := Violation{Side: SideResponse, Rule: RuleSchema, Status: status, Reason: issueText(e),
			Evidence: evidenceOf(ref.Extensions, resp.Extensions)}
		var se *openapi3.SchemaError
		if errors.As(e, &se) {
			tokens := se.JSONPointer()
			v.Where = (spec.Issue{Path: tokens}).Pointer()
			v.Reason = se.Reason
			v.Evidence = schemaEvidence(mtv.Schema, tokens, se.Schema)
		}
		out = append(out, v)
	}
	return out
}

// decoded is a body decoded once, for validation, drift and recording alike.
type decoded struct {
	Tried bool  // the body was decoded (it is JSON, or has no Content-Type)
	Value any   // nil for an empty body
	Err   error // the body is not JSON
}

func decode(data []byte) decoded {
	d := decoded{Tried: true}
	if len(bytes.TrimSpace(data)) > 0 {
		d.Err = json.Unmarshal(data, &d.Value)
	}
	return d
}

// isJSON reports whether a media type is JSON: application/json or a +json type.
func isJSON(mediaType string) bool {
	mt, _, _ := strings.Cut(strings.ToLower(mediaType), ";")
	mt = strings.TrimSpace(mt)
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// topLevel flattens the MultiErrors ValidateRequest returns, and only those: each
// RequestError inside stays whole, with its parameter (errors.As would see through it).
func topLevel(err error) []error {
	if err == nil {
		return nil
	}
	if me, ok := err.(openapi3.MultiError); ok {
		var out []error
		for _, e := range me {
			out = append(out, topLevel(e)...)
		}
		return out
	}
	return []error{err}
}

// leaves flattens kin-openapi's nested MultiErrors into the single errors inside.
func leaves(err error) []error {
	if err == nil {
		return nil
	}
	var me openapi3.MultiError
	if errors.As(err, &me) {
		var out []error
		for _, e := range me {
			out = append(out, leaves(e)...)
		}
		return out
	}
	return []error{err}
}

// issueText renders a validation error as "<pointer>: <reason>" lines, without the value.
func issueText(err error) string {
	var lines []string
	for _, is := range spec.Issues(err) {
		if p := is.Pointer(); p != "" {
			lines = append(lines, p+": "+is.Reason)
		} else {
			lines = append(lines, is.Reason)
		}
	}
	return strings.Join(lines, "; ")
}

// parameterEvidence finds p among the operation's and the path's parameters, to read the
// annotation beside its $ref as well as on its value.
func parameterEvidence(route *routers.Route, p *openapi3.Parameter) Evidence {
	params := append(openapi3.Parameters{}, route.Operation.Parameters...)
	if route.PathItem != nil {
		params = append(params, route.PathItem.Parameters...)
	}
	for _, ref := range params {
		if ref != nil && ref.Value == p {
			return evidenceOf(ref.Extensions, p.Extensions)
		}
	}
	return evidenceOf(p.Extensions)
}

// placeholder is a value that passes a header's schema, so a missing header is reported once,
// by its own rule, and the body is still validated.
func placeholder(h *openapi3.Header) string {
	if h.Schema != nil && h.Schema.Value != nil && h.Schema.Value.Type.Is("integer") {
		return "0"
	}
	return "-"
}

func declared(op *openapi3.Operation) string {
	return strings.Join(slices.Sorted(maps.Keys(op.Responses.Map())), ", ")
}

// fcRequestID returns the upstream's request id, for violations and error answers.
func fcRequestID(h http.Header) string { return h.Get(fc.HeaderRequestID) }
