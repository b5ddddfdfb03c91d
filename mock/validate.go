package mock

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/memo"
	"github.com/fcmock/fcmock/internal/spec"
)

// validateRequests checks every request against openapi.yaml with kin-openapi and turns the
// first violation into a 400 InvalidArgument naming the parameter and the rule; checkWire runs
// first. Requests no operation matches pass through, so echo's router answers them with 404 or
// 405.
//
// A plain, valid request (see paramRules) is vouched for by rules compiled once from the same
// parameter schemas, without kin-openapi's router and decoder, which cost more than the rest of
// the request; every other request, and every request it cannot vouch for, goes to kin-openapi,
// so kin-openapi's verdict and wording stay the reference.
func validateRequests(router routers.Router) echo.MiddlewareFunc {
	fast := compileParamRules()
	opts := &openapi3filter.Options{
		// Signatures are checked by their own middleware, before this one, when credentials
		// are configured; the spec's security requirement is not enforced here.
		AuthenticationFunc: func(context.Context, *openapi3filter.AuthenticationInput) error { return nil },
		// Defaults are the handler's business; filling them in would rewrite the query the
		// access log and the journal show.
		SkipSettingDefaults: true,
	}
	// A raw body (InvokeFunction's event: any content type, never parsed) is not validated:
	// kin-openapi would try to decode it by its content type. Its headers and parameters are.
	rawOpts := *opts
	rawOpts.ExcludeRequestBody = true
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if q, ok := dropEmptyValues(req.URL.RawQuery); ok {
				// The handler and both validation paths see the query without the empty
				// values; the access log and the journal keep what the client sent.
				orig, u := req, *req.URL
				u.RawQuery = q
				req = req.WithContext(req.Context())
				req.URL = &u
				c.SetRequest(req)
				defer c.SetRequest(orig)
			}
			if fast.vouchRoute(req, c.Path()) {
				return next(c)
			}
			route, pathParams, err := router.FindRoute(req)
			if err != nil {
				return next(c)
			}
			if err := checkWire(req, route.Operation); err != nil {
				return err
			}
			input := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route, Options: opts}
			if rawBody(route.Operation) {
				input.Options = &rawOpts
			}
			if err := openapi3filter.ValidateRequest(req.Context(), input); err != nil {
				return fc.Wrap(err, fc.CodeInvalidArgument, validationMessage(err, req, pathParams))
			}
			return next(c)
		}
	}
}

// dropEmptyValues removes the query's parameters given without a value (`nextToken=`, `limit`):
// an empty value means "not given", as FC's SDKs use it (the Node SDK sends `nextToken=` for an
// unset token). Pairs that do not decode are kept, for checkWire to refuse. It reports whether
// it removed any.
func dropEmptyValues(raw string) (string, bool) {
	if raw == "" || !strings.Contains(raw, "=&") && !strings.HasSuffix(raw, "=") && !bareKey(raw) {
		return raw, false
	}
	var kept []string
	dropped := false
	for _, pair := range strings.Split(raw, "&") {
		key, val, _ := strings.Cut(pair, "=")
		if _, err := url.QueryUnescape(key); val == "" && err == nil && !strings.Contains(key, ";") {
			dropped = true
			continue
		}
		kept = append(kept, pair)
	}
	return strings.Join(kept, "&"), dropped
}

// bareKey reports whether some pair of raw has no '=' at all.
func bareKey(raw string) bool {
	for pair := range strings.SplitSeq(raw, "&") { // no slice: this runs on every request
		if !strings.Contains(pair, "=") {
			return true
		}
	}
	return false
}

// checkWire rejects what kin-openapi lets through because Go's parsers are lenient: a query
// string that does not decode (url.ParseQuery drops the pairs it cannot read, so the request
// would be answered as if they were absent), query text that is not UTF-8 or holds control
// characters (no FC name, filter or token does), and a body sent to an operation that takes none.
func checkWire(req *http.Request, op *openapi3.Operation) error {
	query, err := url.ParseQuery(req.URL.RawQuery)
	if err != nil {
		return fc.Wrap(err, fc.CodeInvalidArgument, "the query string does not decode ("+err.Error()+
			"); percent-encode '%' as %25 and separate parameters with '&', not ';'")
	}
	for _, name := range slices.Sorted(maps.Keys(query)) {
		for _, v := range append([]string{name}, query[name]...) {
			if !utf8.ValidString(v) || strings.ContainsFunc(v, unicode.IsControl) {
				return fc.Errorf(fc.CodeInvalidArgument, "query parameter %q: must be UTF-8 text without control characters, got %q",
					truncate(name, 80), truncate(v, 80))
			}
		}
	}
	if op.RequestBody == nil && (req.ContentLength > 0 || len(req.TransferEncoding) > 0) {
		return fc.Errorf(fc.CodeInvalidArgument, "%s takes no request body; send the request without one", op.OperationID)
	}
	return nil
}

// rawBody reports whether op's body is raw bytes: every media type `*/*` or octet-stream.
func rawBody(op *openapi3.Operation) bool {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return false
	}
	for mt := range op.RequestBody.Value.Content {
		if mt != "*/*" && mt != "application/octet-stream" {
			return false
		}
	}
	return true
}

// validationMessage words a kin-openapi error as `<in> parameter "<name>": <rule>, got "<value>"`.
func validationMessage(err error, req *http.Request, pathParams map[string]string) string {
	var re *openapi3filter.RequestError
	var se *openapi3.SchemaError
	if errors.As(err, &re) && re.Parameter == nil && errors.As(re.Err, &se) {
		// A JSON body's key breaks its rule: name the key by its JSON pointer, without
		// kin-openapi's dump of the schema and value.
		return fmt.Sprintf("request body %q: %s", "/"+strings.Join(se.JSONPointer(), "/"), se.Reason)
	}
	if re == nil || re.Parameter == nil {
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
	case openapi3.ParameterInHeader:
		var vs []string
		vs, present = req.Header[http.CanonicalHeaderKey(p.Name)]
		got = strings.Join(vs, ",")
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

// paramRules are the spec's operations whose parameters compiled to plain rules (every
// parameter a path or query parameter with a string, integer or boolean schema using only
// length, pattern, enum and range keywords, no request body). Operations with anything else
// are left out: their requests always go to kin-openapi.
type paramRules struct {
	ops []opRules
	// byRoute finds a request's operation by the route echo matched (":name" for "{name}"), so
	// the fast path tries one template instead of every operation of the method.
	byRoute map[routeKey]int
}

type opRules struct {
	method   string
	segments []string // the path template split at '/'; "{name}" marks a parameter
	path     map[string]*valueRule
	query    map[string]*valueRule
	required []string // required query parameters
}

// valueRule is one parameter's rule, compiled by internal/spec.
type valueRule struct {
	// seen remembers values found valid lately (a verdict never changes), for a rule whose
	// pattern runs the regexp package: path segments repeat, a client lists the same functions.
	seen memo.Table[string, struct{}]
	rule *spec.Rule
}

// compileParamRules compiles the rules of every operation of the embedded spec it can.
func compileParamRules() *paramRules {
	doc, err := spec.Load()
	if err != nil {
		return &paramRules{}
	}
	rules := &paramRules{byRoute: map[routeKey]int{}}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if r, ok := compileOp(path, method, item.Parameters, op); ok {
				rules.byRoute[routeKey{method, echoPath(path)}] = len(rules.ops)
				rules.ops = append(rules.ops, r)
			}
		}
	}
	return rules
}

// echoPath writes an OpenAPI path template as the generated code registers it with echo.
func echoPath(template string) string {
	segs := strings.Split(template, "/")
	for i, seg := range segs {
		if name, ok := strings.CutPrefix(seg, "{"); ok {
			segs[i] = ":" + strings.TrimSuffix(name, "}")
		}
	}
	return strings.Join(segs, "/")
}

func compileOp(path, method string, shared openapi3.Parameters, op *openapi3.Operation) (opRules, bool) {
	r := opRules{method: method, segments: strings.Split(path, "/"), path: map[string]*valueRule{}, query: map[string]*valueRule{}}
	if op.RequestBody != nil {
		return r, false
	}
	params := map[[2]string]*openapi3.Parameter{}
	for _, list := range []openapi3.Parameters{shared, op.Parameters} { // the operation's win
		for _, ref := range list {
			if ref == nil || ref.Value == nil {
				return r, false
			}
			params[[2]string{ref.Value.In, ref.Value.Name}] = ref.Value
		}
	}
	for _, p := range params {
		rule, ok := compileValueRule(p)
		if !ok {
			return r, false
		}
		switch p.In {
		case openapi3.ParameterInPath:
			r.path[p.Name] = rule
		case openapi3.ParameterInQuery:
			r.query[p.Name] = rule
			if p.Required {
				r.required = append(r.required, p.Name)
			}
		default:
			return r, false
		}
	}
	for _, seg := range r.segments {
		if name, ok := strings.CutPrefix(seg, "{"); ok && r.path[strings.TrimSuffix(name, "}")] == nil {
			return r, false
		}
	}
	return r, true
}

// compileValueRule compiles a parameter with internal/spec; it reports false for what the
// compiled rules do not take (content, styles, other types and keywords, nullable).
func compileValueRule(p *openapi3.Parameter) (*valueRule, bool) {
	r, err := spec.CompileParameter(p)
	if err != nil {
		return nil, false
	}
	return &valueRule{rule: r}, true
}

// vouch reports whether req is a request kin-openapi would pass: a body-less request for an
// operation with compiled rules, no escapes in its path or query, every query parameter known to
// the operation and given once, and every value valid. false means "ask kin-openapi", not
// "invalid".
func (pr *paramRules) vouch(req *http.Request) bool { return pr.vouchRoute(req, "") }

// vouchRoute is vouch for a request echo routed to route (its registered path; "" when not
// known): only that route's operation is tried.
func (pr *paramRules) vouchRoute(req *http.Request, route string) bool {
	if req.ContentLength != 0 || len(req.TransferEncoding) > 0 || req.URL.RawPath != "" {
		return false
	}
	if i, ok := pr.byRoute[routeKey{req.Method, route}]; ok {
		ok, matched := pr.ops[i].vouch(req)
		return ok && matched
	}
	for i := range pr.ops {
		if op := &pr.ops[i]; op.method == req.Method {
			if ok, matched := op.vouch(req); matched {
				return ok
			}
		}
	}
	return false
}

// vouch reports (valid, matched): matched when req's path fits the operation's template.
func (op *opRules) vouch(req *http.Request) (ok, matched bool) {
	path := req.URL.Path
	// A bad parameter value matters only once the whole template matches: operations differ
	// in their parameters' rules (a qualified service segment is valid for one, not another).
	bad := false
	for i, seg := range op.segments {
		if i > 0 {
			if path == "" || path[0] != '/' {
				return false, false
			}
			path = path[1:]
		}
		end := strings.IndexByte(path, '/')
		if end < 0 {
			end = len(path)
		}
		val := path[:end]
		path = path[end:]
		if name, isParam := strings.CutPrefix(seg, "{"); isParam {
			bad = bad || val == "" || !op.path[name[:len(name)-1]].valid(val)
		} else if val != seg {
			return false, false
		}
	}
	if path != "" {
		return false, false
	}
	return !bad && op.vouchQuery(req.URL.RawQuery), true
}

func (op *opRules) vouchQuery(raw string) bool {
	if strings.ContainsAny(raw, "%+;") {
		return false // escaped or oddly separated: kin-openapi decodes it
	}
	var seen [8]string
	n := 0
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		key, val, ok := strings.Cut(pair, "=")
		rule := op.query[key]
		if !ok || val == "" || rule == nil || !rule.valid(val) || n == len(seen) {
			return false
		}
		for _, k := range seen[:n] {
			if k == key {
				return false // repeated
			}
		}
		seen[n] = key
		n++
	}
	for _, name := range op.required {
		if !slices.Contains(seen[:n], name) {
			return false
		}
	}
	return true
}

// valid reports whether v, printable ASCII, is valid by r.
func (r *valueRule) valid(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] < 0x21 || v[i] > 0x7e {
			return false
		}
	}
	if !r.rule.MatchesByRegexp() {
		return r.rule.ValidText(v)
	}
	if _, ok := r.seen.Get(v); ok {
		return true
	}
	if !r.rule.ValidText(v) {
		return false
	}
	r.seen.Put(v, struct{}{})
	return true
}
