package mock

import (
	"context"
	"net/http"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/memo"
	"github.com/fcmock/fcmock/internal/resources"
)

// defaultLimit is the page size when the request gives none (the doc's default).
const defaultLimit = 50

// api implements the generated strict server interface over a Store.
type api struct {
	store  func() *Store // the store being served; /_fcmock/reset swaps it
	tokens *fc.PageTokens
	// clock, runtime and configs serve the lifecycle (lifecycle.go, asyncconfig.go).
	clock   Clock
	runtime Invocations
	configs AsyncConfigs
	res     resources.Store // services, functions, versions, aliases (resources.go)
	rtJSON  *atomic.Int64   // what is left of runtimeJSONBudget (the Server's, reset with it)
	// minted and checked remember recent tokens (see mintKey), prints recent fingerprints.
	minted  memo.Table[mintKey, string]
	checked memo.Table[checkKey, fc.Cursor]
	prints  memo.Table[pageFilters, fc.Fingerprint]
}

var _ fcapi.StrictServerInterface = (*api)(nil)

// ListStatefulAsyncInvocations serves one page. Request validation has already run, so the
// parameters are within the spec's ranges and enums here.
func (a *api) ListStatefulAsyncInvocations(ctx context.Context, req fcapi.ListStatefulAsyncInvocationsRequestObject) (fcapi.ListStatefulAsyncInvocationsResponseObject, error) {
	store := a.store()
	r := responsePool.Get().(*pageResponse)
	q, err := a.query(store, req, &r.after)
	if err != nil {
		responsePool.Put(r)
		return nil, err
	}
	include := req.Params.IncludePayload != nil && *req.Params.IncludePayload
	buf := getBuffer()
	body, next, more, err := a.appendListPage(ctx, store, (*buf)[:0], q, include)
	if err != nil {
		putBuffer(buf)
		responsePool.Put(r)
		return nil, err
	}
	if scenarioFrom(ctx).Empty {
		body, more = append(body[:0], '{'), false
	}
	if more {
		body = appendJSONString(append(body, `,"nextToken":`...), a.encodeToken(next, a.fingerprint(q)))
	}
	*buf = append(body, "}\n"...)
	r.body, r.requestID = buf, RequestID(ctx)
	return r, nil
}

// pageResponse is a 200 page, its body already JSON: the bytes, Content-Type and X-Fc-Request-Id
// the generated ListStatefulAsyncInvocations200JSONResponse would write for the same page, plus
// a Content-Length.
type pageResponse struct {
	body      *[]byte // from bufferPool; returned to it once written
	requestID string
	after     fc.Cursor // the request's Query.After points here: one allocation fewer a request
}

var _ fcapi.ListStatefulAsyncInvocationsResponseObject = (*pageResponse)(nil)

var (
	jsonContentType = []string{"application/json"}
	responsePool    = sync.Pool{New: func() any { return new(pageResponse) }}
)

func (r *pageResponse) VisitListStatefulAsyncInvocationsResponse(w http.ResponseWriter) error {
	h := w.Header()
	h["Content-Type"] = jsonContentType
	if v := h[fc.HeaderRequestID]; len(v) != 1 || v[0] != r.requestID {
		h[fc.HeaderRequestID] = []string{r.requestID}
	}
	h["Content-Length"] = contentLength(len(*r.body))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(*r.body)
	putBuffer(r.body)
	*r = pageResponse{}
	responsePool.Put(r)
	return err
}

// contentLengths remembers Content-Length values (pages of one query have one length), so that
// a response does not allocate its header value; the slices are only ever read.
var contentLengths memo.Table[int, []string]

func contentLength(n int) []string {
	if v, ok := contentLengths.Get(n); ok {
		return v
	}
	v := []string{strconv.Itoa(n)}
	contentLengths.Put(n, v)
	return v
}

// bufferPool holds page buffers; a page of 100 invocations with payloads is about 90 KB.
var bufferPool = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

func getBuffer() *[]byte { return bufferPool.Get().(*[]byte) }

func putBuffer(b *[]byte) {
	if cap(*b) <= 1<<20 {
		bufferPool.Put(b)
	}
}

// query turns the request into a store query and checks its token. The store resolves the
// service, qualifier and function when it serves the page; a token that does not check is only
// reported once they are known to exist, so a token for a missing function reports the missing
// function. The token's cursor is kept in *after.
func (a *api) query(store *Store, req fcapi.ListStatefulAsyncInvocationsRequestObject, after *fc.Cursor) (Query, error) {
	p := req.Params
	q := Query{Function: req.FunctionName, Limit: defaultLimit, Begin: p.StartedTimeBegin, End: p.StartedTimeEnd}
	q.Service, q.Qualifier = fc.SplitServiceSegment(req.ServiceName)
	if p.Limit != nil {
		q.Limit = int(*p.Limit)
	}
	if p.Status != nil {
		q.Status = *p.Status
	}
	if p.InvocationIdPrefix != nil {
		q.Prefix = *p.InvocationIdPrefix
	}
	q.Desc = p.SortOrderByTime != nil && *p.SortOrderByTime == fcapi.Desc
	if p.NextToken == nil {
		return q, nil
	}
	var err error
	*after, err = a.decodeToken(*p.NextToken, a.fingerprint(q))
	if err != nil {
		if rerr := store.Resolve(q.Service, q.Qualifier, q.Function); rerr != nil {
			return q, rerr
		}
		return q, fc.Wrap(err, fc.CodeInvalidArgument, `query parameter "nextToken": the token is not valid for this query `+
			`(it was forged, truncated, or issued for other filters or another sort order); `+
			`pass back the nextToken of the previous page unchanged, with the same filters, or leave it out to start over`)
	}
	q.After = after
	return q, nil
}

// pageFilters is what a page token is bound to: the function, every filter and the sort order;
// not the limit, which may change from page to page, nor the cursor. It is the one list of them:
// the fingerprint memo's key (hashed and compared as a struct) and, field by field in this
// order, the fingerprint's parts (see parts). A new filter is a field here and its value in
// filtersOf. The fields' order and text are those of the tokens already handed out: reordering
// them would invalidate those tokens.
type pageFilters struct {
	Service, Qualifier, Function string
	Status                       fcapi.StatefulInvocationStatus
	Prefix                       string
	Begin, End                   bound
	Desc                         bool
}

func filtersOf(q Query) pageFilters {
	return pageFilters{Service: q.Service, Qualifier: q.Qualifier, Function: q.Function, Status: q.Status,
		Prefix: q.Prefix, Begin: boundOf(q.Begin), End: boundOf(q.End), Desc: q.Desc}
}

// bound is an optional bound on startedTime, comparable by value (a *int64 would compare by
// address).
type bound struct {
	set bool
	ms  int64
}

func boundOf(v *int64) bound {
	if v == nil {
		return bound{}
	}
	return bound{true, *v}
}

// String is the bound's part of a fingerprint: its decimal milliseconds, "-" when absent.
func (b bound) String() string {
	if !b.set {
		return "-"
	}
	return strconv.FormatInt(b.ms, 10)
}

// parts returns f's fields as text, in field order: strings as they are, bounds as their
// String, booleans as "true" or "false".
func (f pageFilters) parts() []string {
	v := reflect.ValueOf(f)
	out := make([]string, v.NumField())
	for i := range out {
		switch fv := v.Field(i); {
		case fv.Type() == reflect.TypeFor[bound]():
			out[i] = fv.Interface().(bound).String()
		case fv.Kind() == reflect.String:
			out[i] = fv.String()
		case fv.Kind() == reflect.Bool:
			out[i] = strconv.FormatBool(fv.Bool())
		default:
			panic("pageFilters." + v.Type().Field(i).Name + ": no text for its type in a fingerprint")
		}
	}
	return out
}

// fingerprint names everything a page token must be reused with (pageFilters).
func fingerprint(q Query) fc.Fingerprint { return fc.NewFingerprint(filtersOf(q).parts()...) }

// fingerprint returns fingerprint(q), remembered (a SHA-256 and a few conversions each).
func (a *api) fingerprint(q Query) fc.Fingerprint {
	f := filtersOf(q)
	if fp, ok := a.prints.Get(f); ok {
		return fp
	}
	fp := fc.NewFingerprint(f.parts()...)
	a.prints.Put(f, fp)
	return fp
}

// Page tokens are remembered, minted or checked: each is an HMAC-SHA256 (about two
// microseconds, a tenth of a page), and clients ask for the same pages again and again (a
// frontend refreshing its list, CI polling). A token is a pure function of the key, the cursor
// and the fingerprint, so a remembered one is always the right one.
type (
	mintKey struct {
		fp  fc.Fingerprint
		cur fc.Cursor
	}
	checkKey struct {
		fp  fc.Fingerprint
		tok string
	}
)

func (a *api) encodeToken(c fc.Cursor, fp fc.Fingerprint) string {
	k := mintKey{fp, c}
	if tok, ok := a.minted.Get(k); ok {
		return tok
	}
	tok := a.tokens.Encode(c, fp)
	a.minted.Put(k, tok)
	return tok
}

func (a *api) decodeToken(tok string, fp fc.Fingerprint) (fc.Cursor, error) {
	k := checkKey{fp, tok}
	if c, ok := a.checked.Get(k); ok {
		return c, nil
	}
	c, err := a.tokens.Decode(tok, fp)
	if err == nil {
		a.checked.Put(k, c)
	}
	return c, err
}
