package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/getkin/kin-openapi/routers"

	"github.com/fcmock/fcmock/drift"
	"github.com/fcmock/fcmock/internal/fc"
)

// Paths the proxy answers itself; every other request, /_fcmock/ ones included, goes upstream.
const (
	MetricsPath = "/_fcmock/metrics"
	JournalPath = "/_fcmock/requests"
)

// Error codes of the proxy's own answers (FC's error JSON, status 502).
const (
	CodeContractViolation   fc.Code = "ContractViolation"
	CodeUpstreamUnreachable fc.Code = "UpstreamUnreachable"
)

// DefaultMaxBody is how much of a body the proxy reads to validate it; larger bodies are
// passed on unvalidated.
const DefaultMaxBody = 16 << 20

// Options configures a Proxy. Upstream is required; the zero value of the rest validates and
// forwards, signatures untouched, every violation counting, nothing recorded.
type Options struct {
	// Upstream is the base URL requests go to: FC's endpoint or any server. A path in it is
	// prepended to the request's path (which breaks clients' signatures; see Resign).
	Upstream *url.URL
	// Resign, when set, replaces each request's Date, security token and Authorization with a
	// fresh FC signature made with these credentials.
	Resign *fc.Credentials
	// AccountID, with Resign, is sent as X-Fc-Account-Id when a request has none.
	AccountID string
	// FailOnViolation answers 502 with FC's error JSON instead of passing on an answer that
	// has a violation counting under Profile.
	FailOnViolation bool
	// Profile decides which violations count; the zero value is ProfileService.
	Profile Profile
	// Record keeps the services, functions and invocations the answers show, for
	// WriteRecording; RedactPayloads replaces each invocationPayload with its length.
	Record, RedactPayloads bool
	// JournalSize is how many requests GET /_fcmock/requests keeps; 0 means 200.
	JournalSize int
	// MaxBody caps the bytes of a body read for validation; 0 means DefaultMaxBody.
	MaxBody int64
	// Transport sends requests upstream; nil means a copy of http.DefaultTransport.
	Transport http.RoundTripper
	Now       func() time.Time
	// Logger receives a line per request and per violation; nil discards.
	Logger *slog.Logger
}

// Proxy forwards requests to the upstream and checks each request and answer against
// openapi.yaml. It is an http.Handler.
type Proxy struct {
	opts     Options
	rp       *httputil.ReverseProxy
	checker  *checker
	metrics  *metrics
	tallies  tallies
	journal  *journal
	recorder *recorder
	started  time.Time
	requests atomic.Int64

	trafficMu sync.Mutex
	traffic   drift.Traffic
}

// New builds a proxy. It fails when Upstream is not an absolute http(s) URL or the spec does
// not load.
func New(opts Options) (*Proxy, error) {
	u := opts.Upstream
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("proxy: the upstream must be an absolute http or https URL")
	}
	if opts.Profile == "" {
		opts.Profile = ProfileService
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 64
		opts.Transport = t
	}
	c, err := newChecker()
	if err != nil {
		return nil, err
	}
	p := &Proxy{opts: opts, checker: c, metrics: newMetrics(), journal: newJournal(opts.JournalSize), started: opts.Now()}
	if opts.Record {
		p.recorder = newRecorder(opts.RedactPayloads)
	}
	p.rp = &httputil.ReverseProxy{
		Rewrite:        p.rewrite,
		Transport:      opts.Transport,
		ModifyResponse: p.modifyResponse,
		ErrorHandler:   p.upstreamError,
		ErrorLog:       slog.NewLogLogger(opts.Logger.Handler(), slog.LevelWarn),
	}
	return p, nil
}

// Close releases the upstream connections kept idle.
func (p *Proxy) Close() {
	if t, ok := p.opts.Transport.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
}

// exchange is one request on its way through the proxy.
type exchange struct {
	req      *http.Request
	route    *routers.Route
	params   map[string]string
	status   int // 0 until the upstream answers
	vs       []Violation
	start    time.Time
	replaced bool // answered 502 instead of the upstream's answer
}

type exchangeKey struct{}

// ServeHTTP answers the metrics and the journal itself and forwards everything else.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == MetricsPath && r.Method == http.MethodGet:
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		p.metrics.write(w)
		return
	case r.URL.Path == JournalPath && r.Method == http.MethodGet:
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"requests": p.journal.list()})
		return
	}
	x := &exchange{req: r, start: p.opts.Now()}
	body, complete := p.bufferBody(r)
	if route, params, ok := p.checker.route(r); ok {
		x.route, x.params = route, params
		if complete {
			x.vs = p.checker.request(r, body, route, params)
		}
	} else {
		x.vs = []Violation{{Side: SideRequest, Rule: RuleRoute, Reason: "no operation of the spec has this method and path",
			Evidence: Evidence{Level: LevelUnknown}}}
	}
	p.rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), exchangeKey{}, x)))
	p.finish(x)
}

// bufferBody reads the request body (up to MaxBody) so it can be validated, and puts it back
// for forwarding. complete is false when the body was larger and is streamed unvalidated.
func (p *Proxy) bufferBody(r *http.Request) (body []byte, complete bool) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, true
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, p.opts.MaxBody+1))
	if err != nil || int64(len(data)) > p.opts.MaxBody {
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(data), r.Body), r.Body}
		return nil, false
	}
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(data))
	r.ContentLength = int64(len(data))
	return data, true
}

// rewrite points the outbound request at the upstream. The path goes on byte for byte and the
// query unchanged; Date, Content-MD5, Content-Type and every x-fc-* header are left as they
// are, so the client's FC signature (which covers exactly those and the path) stays valid.
// Host is not signed, and becomes the upstream's.
func (p *Proxy) rewrite(pr *httputil.ProxyRequest) {
	u := p.opts.Upstream
	out := pr.Out
	raw := rawPath(pr.In)
	base := strings.TrimSuffix(u.EscapedPath(), "/")
	out.URL.Scheme, out.URL.Host, out.Host = u.Scheme, u.Host, ""
	out.URL.RawPath = base + raw
	out.URL.Path, _ = url.PathUnescape(out.URL.RawPath)
	out.URL.RawQuery = pr.In.URL.RawQuery
	// Accept-Encoding is not signed: leaving it to the transport means answers arrive
	// decoded, ready to validate.
	out.Header.Del("Accept-Encoding")
	if c := p.opts.Resign; c != nil {
		out.Header.Del("Authorization")
		out.Header.Del(fc.HeaderSecurityToken)
		out.Header.Set("Date", p.opts.Now().UTC().Format(http.TimeFormat))
		if p.opts.AccountID != "" && out.Header.Get(fc.HeaderAccountID) == "" {
			out.Header.Set(fc.HeaderAccountID, p.opts.AccountID)
		}
		fc.Sign(out, *c, p.opts.Now())
		return
	}
	if out.URL.EscapedPath() != out.URL.RawPath {
		// Go would re-escape this path; Opaque makes the request line carry it verbatim.
		out.URL.Opaque = out.URL.RawPath
	}
}

// rawPath is the path exactly as the client sent it.
func rawPath(r *http.Request) string {
	if strings.HasPrefix(r.RequestURI, "/") {
		p, _, _ := strings.Cut(r.RequestURI, "?")
		return p
	}
	return r.URL.EscapedPath()
}

// modifyResponse validates the upstream's answer and, under FailOnViolation, replaces a
// non-conforming one with a 502.
func (p *Proxy) modifyResponse(resp *http.Response) error {
	x, _ := resp.Request.Context().Value(exchangeKey{}).(*exchange)
	if x == nil {
		return nil
	}
	x.status = resp.StatusCode
	data, err := io.ReadAll(io.LimitReader(resp.Body, p.opts.MaxBody+1))
	if err != nil {
		return err
	}
	if int64(len(data)) > p.opts.MaxBody {
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(data), resp.Body), resp.Body}
		return nil
	}
	resp.Body.Close()
	var body decoded
	if ct := resp.Header.Get("Content-Type"); ct == "" || isJSON(ct) {
		body = decode(data)
	}
	var rvs []Violation
	if x.route != nil && x.req.Method != http.MethodHead {
		rvs = p.checker.response(x.req, x.route, x.params, resp.StatusCode, resp.Header, data, body)
		for i := range rvs {
			rvs[i].Counted = p.opts.Profile.Fails(rvs[i].Evidence)
		}
		x.vs = append(x.vs, rvs...)
	}
	p.observe(x, resp, body)
	if p.opts.FailOnViolation {
		if counted := countedOf(rvs); len(counted) > 0 {
			p.replace(x, resp, counted)
			return nil
		}
	}
	setBody(resp, data)
	return nil
}

// observe feeds the answer to the drift traffic and the recorder.
func (p *Proxy) observe(x *exchange, resp *http.Response, body decoded) {
	ex := drift.Exchange{Method: x.req.Method, Path: x.req.URL.Path, Status: resp.StatusCode, Header: resp.Header}
	for k := range x.req.URL.Query() {
		ex.Query = append(ex.Query, k)
	}
	if x.route != nil {
		ex.Operation, ex.Path = x.route.Operation.OperationID, x.route.Path
		if ex.Operation == "" {
			ex.Operation = x.route.Method + " " + x.route.Path
		}
		if ref := x.route.Operation.Responses.Status(resp.StatusCode); ref != nil && ref.Value != nil {
			if mt := ref.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
				ex.Schema = mt.Schema.Value
			}
		}
	}
	if body.Tried && body.Err == nil {
		ex.Body = body.Value
	}
	p.trafficMu.Lock()
	p.traffic.Add(ex)
	p.trafficMu.Unlock()
	if p.recorder != nil && x.route != nil {
		p.recorder.observe(x.route.Path, x.params, resp.StatusCode, body.Value)
	}
}

// replace turns resp into FC's error JSON describing the counted violations.
func (p *Proxy) replace(x *exchange, resp *http.Response, counted []Violation) {
	x.replaced = true
	parts := make([]string, 0, len(counted))
	for _, v := range counted {
		parts = append(parts, describe(v))
	}
	msg := fmt.Sprintf("the upstream's %d answer to %s %s violates openapi.yaml (%d violation(s)): %s",
		resp.StatusCode, x.req.Method, x.req.URL.Path, len(counted), strings.Join(parts, "; "))
	body, _ := json.Marshal(map[string]string{"ErrorCode": string(CodeContractViolation), "ErrorMessage": msg})
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	if id := fcRequestID(resp.Header); id != "" {
		h.Set(fc.HeaderRequestID, id)
	} else {
		h.Set(fc.HeaderRequestID, "fcmock-proxy-"+strconv.FormatInt(p.opts.Now().UnixNano(), 36))
	}
	h.Set("X-Fcmock-Violations", strconv.Itoa(len(counted)))
	resp.StatusCode, resp.Status, resp.Header = http.StatusBadGateway, "502 Bad Gateway", h
	setBody(resp, body)
}

func describe(v Violation) string {
	s := v.Rule
	if v.Where != "" {
		s += " " + v.Where
	}
	return s + ": " + v.Reason + " [evidence: " + v.Evidence.Level + "]"
}

func setBody(resp *http.Response, data []byte) {
	resp.Body = io.NopCloser(bytes.NewReader(data))
	resp.ContentLength = int64(len(data))
	resp.TransferEncoding = nil
	resp.Header.Set("Content-Length", strconv.Itoa(len(data)))
}

func countedOf(vs []Violation) []Violation {
	var out []Violation
	for _, v := range vs {
		if v.Counted {
			out = append(out, v)
		}
	}
	return out
}

// upstreamError answers a request the upstream did not: 502 with FC's error JSON. A client
// that went away gets nothing.
func (p *Proxy) upstreamError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return
	}
	p.opts.Logger.Warn("upstream error", "method", r.Method, "path", r.URL.Path, "error", err.Error())
	body, _ := json.Marshal(map[string]string{"ErrorCode": string(CodeUpstreamUnreachable),
		"ErrorMessage": "the proxy could not get an answer from the upstream: " + err.Error()})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set(fc.HeaderRequestID, "fcmock-proxy-"+strconv.FormatInt(p.opts.Now().UnixNano(), 36))
	w.WriteHeader(http.StatusBadGateway)
	w.Write(body)
}

// finish counts, logs and journals one exchange once its answer is on its way.
func (p *Proxy) finish(x *exchange) {
	d := p.opts.Now().Sub(x.start)
	op := ""
	if x.route != nil {
		op = x.route.Operation.OperationID
	}
	now := p.opts.Now()
	for i := range x.vs {
		v := &x.vs[i]
		v.Operation, v.Method, v.Path = op, x.req.Method, x.req.URL.Path
		if v.Side == SideResponse {
			v.Status = x.status
		}
		p.tallies.add(*v, now)
		p.opts.Logger.Warn("violation", "side", v.Side, "rule", v.Rule, "level", v.Evidence.Level, "counted", v.Counted,
			"operation", op, "method", v.Method, "path", v.Path, "status", v.Status, "where", v.Where, "reason", v.Reason)
	}
	p.requests.Add(1)
	p.metrics.observe(op, x.status, x.vs, d)
	p.journal.add(journalEntry{Time: x.start, Method: x.req.Method, Path: x.req.URL.Path, Query: redactQuery(x.req.URL.RawQuery),
		Operation: op, Status: x.status, Replaced: x.replaced, LatencyMs: float64(d.Microseconds()) / 1000, Violations: x.vs})
	p.opts.Logger.Info("request", "method", x.req.Method, "path", x.req.URL.Path, "operation", op, "status", x.status,
		"violations", len(x.vs), "replaced", x.replaced, "latency", d)
}
