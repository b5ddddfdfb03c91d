package drift

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// maxValues caps the distinct values kept per enum field, so a field gone wild cannot grow a
// report without bound.
const maxValues = 64

// Traffic is what a proxy saw, by operation: the statuses, headers, error codes and body fields
// of the answers, the query parameters of the requests. It holds names, types and enum values,
// never header values or payloads, so a report is safe to share. Traffic is not safe for
// concurrent use; the proxy guards it.
type Traffic struct {
	// Operations is keyed by operationId.
	Operations map[string]*Operation `json:"operations,omitempty"`
	// Unrouted counts requests to no operation of the spec that the upstream answered below
	// 400, keyed "METHOD /path": paths the service has and the spec lacks.
	Unrouted map[string]int `json:"unrouted,omitempty"`
}

// Operation is the traffic of one operation.
type Operation struct {
	Method   string               `json:"method"`
	Path     string               `json:"path"`
	Requests int                  `json:"requests"`
	Query    map[string]int       `json:"query,omitempty"`
	Statuses map[string]*Response `json:"statuses,omitempty"`
}

// Response is what the answers with one status carried.
type Response struct {
	Count      int               `json:"count"`
	Headers    map[string]int    `json:"headers,omitempty"`
	ErrorCodes map[string]int    `json:"errorCodes,omitempty"`
	Fields     map[string]*Field `json:"fields,omitempty"`
}

// Field is one place in the bodies, named by a JSON pointer whose array indexes are "*"
// ("/invocations/*/status"; "" is the body itself).
type Field struct {
	Count  int            `json:"count"`
	Types  map[string]int `json:"types"`
	Values map[string]int `json:"values,omitempty"`
}

// Exchange is one answered request, as Add takes it.
type Exchange struct {
	Operation string // operationId; "" when no operation of the spec matched
	Method    string
	Path      string // the path template when Operation is set, else the request's path
	Query     []string
	Status    int
	Header    http.Header
	Body      any              // the decoded JSON body; nil when there is none
	Schema    *openapi3.Schema // the declared body schema of this status, nil when none
}

// Add records one exchange.
func (t *Traffic) Add(ex Exchange) {
	if ex.Operation == "" {
		if ex.Status > 0 && ex.Status < 400 {
			if t.Unrouted == nil {
				t.Unrouted = map[string]int{}
			}
			t.Unrouted[ex.Method+" "+ex.Path]++
		}
		return
	}
	if t.Operations == nil {
		t.Operations = map[string]*Operation{}
	}
	op := t.Operations[ex.Operation]
	if op == nil {
		op = &Operation{Method: ex.Method, Path: ex.Path}
		t.Operations[ex.Operation] = op
	}
	op.Requests++
	for _, q := range ex.Query {
		inc(&op.Query, q)
	}
	if ex.Status == 0 {
		return // no answer from upstream
	}
	code := strconv.Itoa(ex.Status)
	if op.Statuses == nil {
		op.Statuses = map[string]*Response{}
	}
	r := op.Statuses[code]
	if r == nil {
		r = &Response{}
		op.Statuses[code] = r
	}
	r.Count++
	for name := range ex.Header {
		inc(&r.Headers, http.CanonicalHeaderKey(name))
	}
	if ex.Body == nil {
		return
	}
	if m, ok := ex.Body.(map[string]any); ok && ex.Status >= 400 {
		if c, ok := m["ErrorCode"].(string); ok {
			inc(&r.ErrorCodes, c)
		}
	}
	r.walk("", ex.Body, ex.Schema)
}

// walk records v at pointer p and everything below it; s is the schema declared there, if any.
func (r *Response) walk(p string, v any, s *openapi3.Schema) {
	if r.Fields == nil {
		r.Fields = map[string]*Field{}
	}
	f := r.Fields[p]
	if f == nil {
		f = &Field{Types: map[string]int{}}
		r.Fields[p] = f
	}
	f.Count++
	f.Types[TypeOf(v)]++
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			r.walk(p+"/"+pointerToken(k), child, Property(s, k))
		}
	case []any:
		for _, child := range v {
			r.walk(p+"/*", child, Items(s))
		}
	case string:
		if s != nil && len(s.Enum) > 0 && (f.Values != nil && f.Values[v] > 0 || len(f.Values) < maxValues) {
			inc(&f.Values, v)
		}
	}
}

// TypeOf names the JSON type of a decoded value: object, array, string, integer, number,
// boolean or null.
func TypeOf(v any) string {
	switch v := v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64:
		if v == float64(int64(v)) {
			return "integer"
		}
		return "number"
	case nil:
		return "null"
	}
	return "unknown"
}

// Property returns the schema of property k of s (through allOf, oneOf, anyOf and
// additionalProperties), nil when s does not declare one.
func Property(s *openapi3.Schema, k string) *openapi3.Schema {
	if s == nil {
		return nil
	}
	if p := s.Properties[k]; p != nil && p.Value != nil {
		return p.Value
	}
	for _, refs := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, ref := range refs {
			if p := Property(ref.Value, k); p != nil {
				return p
			}
		}
	}
	if ap := s.AdditionalProperties.Schema; ap != nil && ap.Value != nil {
		return ap.Value
	}
	return nil
}

// Items returns the schema of the items of array schema s, nil when none.
func Items(s *openapi3.Schema) *openapi3.Schema {
	if s == nil || s.Items == nil {
		return nil
	}
	return s.Items.Value
}

func inc(m *map[string]int, k string) {
	if *m == nil {
		*m = map[string]int{}
	}
	(*m)[k]++
}

func pointerToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func splitPointer(p string) []string {
	if p == "" {
		return nil
	}
	toks := strings.Split(p[1:], "/")
	for i, t := range toks {
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return toks
}

// Merge adds the counts of other to t: several reports compare as one.
func (t *Traffic) Merge(other *Traffic) {
	for k, n := range other.Unrouted {
		if t.Unrouted == nil {
			t.Unrouted = map[string]int{}
		}
		t.Unrouted[k] += n
	}
	for id, o := range other.Operations {
		if t.Operations == nil {
			t.Operations = map[string]*Operation{}
		}
		op := t.Operations[id]
		if op == nil {
			op = &Operation{Method: o.Method, Path: o.Path}
			t.Operations[id] = op
		}
		op.Requests += o.Requests
		addCounts(&op.Query, o.Query)
		for code, r := range o.Statuses {
			if op.Statuses == nil {
				op.Statuses = map[string]*Response{}
			}
			mine := op.Statuses[code]
			if mine == nil {
				mine = &Response{}
				op.Statuses[code] = mine
			}
			mine.merge(r)
		}
	}
}

func (r *Response) merge(o *Response) {
	r.Count += o.Count
	addCounts(&r.Headers, o.Headers)
	addCounts(&r.ErrorCodes, o.ErrorCodes)
	for p, f := range o.Fields {
		if r.Fields == nil {
			r.Fields = map[string]*Field{}
		}
		mine := r.Fields[p]
		if mine == nil {
			mine = &Field{Types: map[string]int{}}
			r.Fields[p] = mine
		}
		mine.Count += f.Count
		addCounts(&mine.Types, f.Types)
		addCounts(&mine.Values, f.Values)
	}
}

func addCounts(dst *map[string]int, src map[string]int) {
	for k, n := range src {
		if *dst == nil {
			*dst = map[string]int{}
		}
		(*dst)[k] += n
	}
}
