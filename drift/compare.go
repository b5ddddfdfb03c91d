package drift

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Kinds of Finding. The first group is drift (the traffic shows what the spec lacks, or
// contradicts it); the second is coverage (the spec declares what the traffic never showed).
const (
	KindPath      = "path"       // a path the spec lacks answered below 400
	KindOperation = "operation"  // an operationId the spec lacks (a report of another spec version)
	KindStatus    = "status"     // an HTTP status the operation does not declare
	KindHeader    = "header"     // an X- response header the response does not declare
	KindErrorCode = "error-code" // an ErrorCode the response's examples and enums do not name
	KindField     = "field"      // a body field the schema does not declare
	KindType      = "type"       // a field of another JSON type than declared
	KindEnumValue = "enum-value" // a value outside the field's enum (a new status, say)
	KindMissing   = "missing"    // a required field absent from some answers

	KindUnseenOperation = "unseen-operation"
	KindUnseenStatus    = "unseen-status"
	KindUnseenParameter = "unseen-parameter"
	KindUnseenHeader    = "unseen-header"
	KindUnseenField     = "unseen-field"
	KindUnseenEnumValue = "unseen-enum-value"
)

// Finding is one difference between traffic and spec.
type Finding struct {
	Kind      string `json:"kind"`
	Operation string `json:"operation,omitempty"`
	Status    string `json:"status,omitempty"`
	Where     string `json:"where,omitempty"` // JSON pointer, header, parameter or value
	Detail    string `json:"detail"`
	Count     int    `json:"count,omitempty"` // how often the traffic showed it
}

// Result is the outcome of Compare: Drift makes `fcmock drift` fail; Unseen is coverage.
type Result struct {
	Requests int       `json:"requests"`
	Drift    []Finding `json:"drift"`
	Unseen   []Finding `json:"unseen"`
}

// maxUnseenDepth bounds how deep Compare walks a schema looking for fields never seen.
const maxUnseenDepth = 6

// Compare states what t shows that doc lacks or contradicts, and what doc declares that t never
// showed. Findings are sorted, so the result of the same input is the same.
func Compare(doc *openapi3.T, t *Traffic) *Result {
	res := &Result{Drift: []Finding{}, Unseen: []Finding{}}
	for _, k := range slices.Sorted(maps.Keys(t.Unrouted)) {
		res.Drift = append(res.Drift, Finding{Kind: KindPath, Where: k, Count: t.Unrouted[k],
			Detail: "answered below 400, but no operation of the spec has this path and method"})
	}
	ops := operations(doc)
	for _, id := range slices.Sorted(maps.Keys(ops)) {
		o := t.Operations[id]
		if o == nil {
			res.Unseen = append(res.Unseen, Finding{Kind: KindUnseenOperation, Operation: id,
				Where: ops[id].method + " " + ops[id].path, Detail: "never requested"})
			continue
		}
		res.Requests += o.Requests
		c := comparer{res: res, id: id}
		c.operation(ops[id], o)
	}
	for _, id := range slices.Sorted(maps.Keys(t.Operations)) {
		if _, ok := ops[id]; !ok {
			o := t.Operations[id]
			res.Requests += o.Requests
			res.Drift = append(res.Drift, Finding{Kind: KindOperation, Operation: id, Where: o.Method + " " + o.Path,
				Count: o.Requests, Detail: "the traffic has this operation; the spec does not"})
		}
	}
	return res
}

type specOperation struct {
	method, path string
	op           *openapi3.Operation
	item         *openapi3.PathItem
}

func operations(doc *openapi3.T) map[string]specOperation {
	out := map[string]specOperation{}
	if doc.Paths == nil {
		return out
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			id := op.OperationID
			if id == "" {
				id = method + " " + path
			}
			out[id] = specOperation{method: method, path: path, op: op, item: item}
		}
	}
	return out
}

// comparer holds what one operation's comparison needs.
type comparer struct {
	res    *Result
	id     string
	status string
}

func (c *comparer) drift(kind, where, detail string, n int) {
	c.res.Drift = append(c.res.Drift, Finding{Kind: kind, Operation: c.id, Status: c.status, Where: where, Detail: detail, Count: n})
}

func (c *comparer) unseen(kind, where, detail string) {
	c.res.Unseen = append(c.res.Unseen, Finding{Kind: kind, Operation: c.id, Status: c.status, Where: where, Detail: detail})
}

func (c *comparer) operation(so specOperation, o *Operation) {
	for _, p := range append(append(openapi3.Parameters{}, so.item.Parameters...), so.op.Parameters...) {
		if p.Value != nil && p.Value.In == openapi3.ParameterInQuery && o.Query[p.Value.Name] == 0 {
			c.unseen(KindUnseenParameter, p.Value.Name, "query parameter never sent")
		}
	}
	declared := so.op.Responses.Map()
	for _, code := range slices.Sorted(maps.Keys(declared)) {
		if _, seen := o.Statuses[code]; !seen && code != "default" {
			c.status = code
			c.unseen(KindUnseenStatus, code, "never answered")
		}
	}
	for _, code := range slices.Sorted(maps.Keys(o.Statuses)) {
		c.status = code
		r := o.Statuses[code]
		n, _ := strconv.Atoi(code)
		ref := so.op.Responses.Status(n)
		if ref == nil {
			ref = so.op.Responses.Default()
		}
		if ref == nil || ref.Value == nil {
			c.drift(KindStatus, code, "the operation does not declare this status", r.Count)
			continue
		}
		c.response(ref.Value, r)
	}
	c.status = ""
}

func (c *comparer) response(resp *openapi3.Response, r *Response) {
	declared := map[string]string{}
	for name := range resp.Headers {
		declared[strings.ToLower(name)] = name
	}
	for _, h := range slices.Sorted(maps.Keys(r.Headers)) {
		l := strings.ToLower(h)
		if strings.HasPrefix(l, "x-") && !strings.HasPrefix(l, "x-fcmock-") && declared[l] == "" {
			c.drift(KindHeader, h, "response header not declared", r.Headers[h])
		}
	}
	for _, name := range slices.Sorted(maps.Keys(resp.Headers)) {
		if r.Headers[http.CanonicalHeaderKey(name)] == 0 {
			c.unseen(KindUnseenHeader, name, "declared response header never sent")
		}
	}
	var body *openapi3.Schema
	if mt := firstMedia(resp.Content); mt != nil && mt.Schema != nil {
		body = mt.Schema.Value
	}
	if codes := declaredCodes(resp, body); len(codes) > 0 {
		for _, code := range slices.Sorted(maps.Keys(r.ErrorCodes)) {
			if !codes[code] {
				c.drift(KindErrorCode, code, "ErrorCode not named by this response's examples or enum", r.ErrorCodes[code])
			}
		}
	}
	if body == nil {
		return
	}
	c.fields(body, r)
	c.unseenFields("", body, r, 0)
}

// fields compares every field seen with the schema found at its pointer.
func (c *comparer) fields(body *openapi3.Schema, r *Response) {
	for _, p := range slices.Sorted(maps.Keys(r.Fields)) {
		f := r.Fields[p]
		s, parent, ok := resolve(body, p)
		if !ok {
			if parent != nil {
				c.drift(KindField, p, "field not declared by the schema"+renameHint(p, parent, r), f.Count)
			}
			continue
		}
		for _, typ := range slices.Sorted(maps.Keys(f.Types)) {
			if !typeAllowed(s, typ) {
				c.drift(KindType, p, fmt.Sprintf("seen as %s; the schema says %s", typ, strings.Join(s.Type.Slice(), " or ")), f.Types[typ])
			}
		}
		if len(s.Enum) > 0 {
			for _, v := range slices.Sorted(maps.Keys(f.Values)) {
				if !inEnum(s, v) {
					c.drift(KindEnumValue, p+" = "+v, fmt.Sprintf("value %q is not in the enum", v), f.Values[v])
				}
			}
		}
		objects := f.Types["object"]
		for _, req := range s.Required {
			child := r.Fields[p+"/"+pointerToken(req)]
			if n := count(child); objects > 0 && n < objects {
				c.drift(KindMissing, p+"/"+pointerToken(req), fmt.Sprintf("required field absent from %d of %d objects", objects-n, objects), objects-n)
			}
		}
	}
}

// unseenFields lists the fields s declares below p that the traffic never showed, when p
// itself was seen as an object or array.
func (c *comparer) unseenFields(p string, s *openapi3.Schema, r *Response, depth int) {
	f := r.Fields[p]
	if f == nil || depth > maxUnseenDepth || s == nil {
		return
	}
	if len(s.Enum) > 0 && f.Types["string"] > 0 {
		for _, v := range s.Enum {
			if str, ok := v.(string); ok && f.Values[str] == 0 {
				c.unseen(KindUnseenEnumValue, p+" = "+str, "enum value never seen")
			}
		}
	}
	if it := Items(s); it != nil {
		c.unseenFields(p+"/*", it, r, depth+1)
	}
	for _, k := range slices.Sorted(maps.Keys(s.Properties)) {
		child := p + "/" + pointerToken(k)
		if r.Fields[child] == nil && f.Types["object"] > 0 {
			c.unseen(KindUnseenField, child, "declared field never seen")
			continue
		}
		c.unseenFields(child, Property(s, k), r, depth+1)
	}
}

// resolve finds the schema at pointer p (array items as "*") below body. When it fails, parent
// is the schema of the last token's parent if that one resolved (so only the topmost unknown
// field of a subtree is reported), else nil.
func resolve(body *openapi3.Schema, p string) (s, parent *openapi3.Schema, ok bool) {
	s = body
	for _, tok := range splitPointer(p) {
		parent = s
		if tok == "*" {
			s = Items(s)
		} else {
			s = Property(s, tok)
		}
		if s == nil {
			return nil, parent, false
		}
	}
	return s, parent, true
}

// renameHint names the declared sibling the unknown field at p most likely replaced: one with
// the same name in another case, else a required sibling never seen beside it.
func renameHint(p string, parent *openapi3.Schema, r *Response) string {
	i := strings.LastIndex(p, "/")
	dir, name := p[:i], p[i+1:]
	var absent []string
	for _, k := range slices.Sorted(maps.Keys(parent.Properties)) {
		if strings.EqualFold(k, name) {
			return fmt.Sprintf(" (renamed from %q?)", k)
		}
		if r.Fields[dir+"/"+pointerToken(k)] == nil {
			absent = append(absent, k)
		}
	}
	if len(absent) == 1 {
		return fmt.Sprintf(" (renamed from %q?)", absent[0])
	}
	return ""
}

func count(f *Field) int {
	if f == nil {
		return 0
	}
	return f.Count
}

func typeAllowed(s *openapi3.Schema, typ string) bool {
	types := s.Type.Slice()
	if len(types) == 0 {
		return true
	}
	for _, t := range types {
		if t == typ || t == "number" && typ == "integer" {
			return true
		}
	}
	return typ == "null" && s.Nullable
}

func inEnum(s *openapi3.Schema, v string) bool {
	for _, e := range s.Enum {
		if e == v {
			return true
		}
	}
	return false
}

func firstMedia(content openapi3.Content) *openapi3.MediaType {
	if mt := content.Get("application/json"); mt != nil {
		return mt
	}
	for _, k := range slices.Sorted(maps.Keys(content)) {
		return content[k]
	}
	return nil
}

// declaredCodes gathers the ErrorCode values a response names: its examples' and the enum of
// its ErrorCode property. Empty when the body has no ErrorCode.
func declaredCodes(resp *openapi3.Response, body *openapi3.Schema) map[string]bool {
	prop := Property(body, "ErrorCode")
	if prop == nil {
		return nil
	}
	codes := map[string]bool{}
	for _, e := range prop.Enum {
		if s, ok := e.(string); ok {
			codes[s] = true
		}
	}
	add := func(v any) {
		if m, ok := v.(map[string]any); ok {
			if s, ok := m["ErrorCode"].(string); ok {
				codes[s] = true
			}
		}
	}
	for _, mt := range resp.Content {
		add(mt.Example)
		for _, ex := range mt.Examples {
			if ex != nil && ex.Value != nil {
				add(ex.Value.Value)
			}
		}
	}
	return codes
}

// Sort orders findings by kind, operation, status and place.
func (r *Result) Sort() {
	for _, fs := range [][]Finding{r.Drift, r.Unseen} {
		sort.SliceStable(fs, func(i, j int) bool {
			a, b := fs[i], fs[j]
			if a.Operation != b.Operation {
				return a.Operation < b.Operation
			}
			if a.Status != b.Status {
				return a.Status < b.Status
			}
			if a.Kind != b.Kind {
				return a.Kind < b.Kind
			}
			return a.Where < b.Where
		})
	}
}
