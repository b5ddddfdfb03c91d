package mock

import (
	"context"
	"encoding/binary"
	"hash/maphash"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
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
	// minted and checked remember recent tokens (see tokenMemo), prints recent fingerprints.
	minted, checked tokenMemo
	prints          fingerprintMemo
}

var _ fcapi.StrictServerInterface = (*api)(nil)

// ListStatefulAsyncInvocations serves one page. Request validation has already run, so the
// parameters are within the spec's ranges and enums here.
func (a *api) ListStatefulAsyncInvocations(ctx context.Context, req fcapi.ListStatefulAsyncInvocationsRequestObject) (fcapi.ListStatefulAsyncInvocationsResponseObject, error) {
	store := a.store()
	q, fp, err := a.query(store, req)
	if err != nil {
		return nil, err
	}
	include := req.Params.IncludePayload != nil && *req.Params.IncludePayload
	buf := getBuffer()
	body, next, more, err := a.appendListPage(ctx, store, (*buf)[:0], q, include)
	if err != nil {
		putBuffer(buf)
		return nil, err
	}
	if scenarioFrom(ctx).Empty {
		body, more = append(body[:0], '{'), false
	}
	if more {
		if fp == nil {
			fp = a.fingerprint(q)
		}
		body = appendJSONString(append(body, `,"nextToken":`...), a.encodeToken(next, *fp))
	}
	*buf = append(body, "}\n"...)
	r := responsePool.Get().(*pageResponse)
	r.body, r.requestID = buf, RequestID(ctx)
	return r, nil
}

// pageResponse is a 200 page, its body already JSON: the bytes, Content-Type and X-Fc-Request-Id
// the generated ListStatefulAsyncInvocations200JSONResponse would write for the same page, plus
// a Content-Length.
type pageResponse struct {
	body      *[]byte // from bufferPool; returned to it once written
	requestID string
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
var contentLengths [64]atomic.Pointer[contentLengthValue]

type contentLengthValue struct {
	n int
	v []string
}

func contentLength(n int) []string {
	slot := &contentLengths[n%len(contentLengths)]
	if e := slot.Load(); e != nil && e.n == n {
		return e.v
	}
	e := &contentLengthValue{n: n, v: []string{strconv.Itoa(n)}}
	slot.Store(e)
	return e.v
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
// function. It returns the query's fingerprint when it had to compute it (to check a token).
func (a *api) query(store *Store, req fcapi.ListStatefulAsyncInvocationsRequestObject) (Query, *fc.Fingerprint, error) {
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
		return q, nil, nil
	}
	fp := a.fingerprint(q)
	c, err := a.decodeToken(*p.NextToken, *fp)
	if err != nil {
		if rerr := store.Resolve(q.Service, q.Qualifier, q.Function); rerr != nil {
			return q, fp, rerr
		}
		return q, fp, fc.Wrap(err, fc.CodeInvalidArgument, `query parameter "nextToken": the token is not valid for this query `+
			`(it was forged, truncated, or issued for other filters or another sort order); `+
			`pass back the nextToken of the previous page unchanged, with the same filters, or leave it out to start over`)
	}
	q.After = &c
	return q, fp, nil
}

// fingerprint names everything a page token must be reused with: the function and every filter
// and the sort order, but not the limit, which may change from page to page.
func fingerprint(q Query) fc.Fingerprint {
	return fc.NewFingerprint(q.Service, q.Qualifier, q.Function, string(q.Status), q.Prefix,
		optInt(q.Begin), optInt(q.End), strconv.FormatBool(q.Desc))
}

// fingerprintMemo remembers the fingerprints of recent queries (a SHA-256 and a few
// conversions each), direct-mapped by a hash of the query's filters.
type fingerprintMemo struct {
	slots [256]atomic.Pointer[fingerprintEntry]
}

type fingerprintEntry struct {
	q  Query // its Limit and After are zero: they are not in a fingerprint
	fp fc.Fingerprint
}

// fingerprint returns fingerprint(q), remembered.
func (a *api) fingerprint(q Query) *fc.Fingerprint {
	key := Query{Service: q.Service, Function: q.Function, Qualifier: q.Qualifier, Status: q.Status, Prefix: q.Prefix,
		Begin: q.Begin, End: q.End, Desc: q.Desc}
	var h maphash.Hash
	h.SetSeed(memoSeed)
	for _, s := range [...]string{key.Service, key.Function, key.Qualifier, string(key.Status), key.Prefix} {
		h.WriteString(s)
		h.WriteByte(0)
	}
	slot := &a.prints.slots[(h.Sum64()^uint64(optInt64(key.Begin))^uint64(optInt64(key.End))<<1)%uint64(len(a.prints.slots))]
	if e := slot.Load(); e != nil && sameFilters(e.q, key) {
		return &e.fp
	}
	e := &fingerprintEntry{fp: fingerprint(q)}
	if key.Begin != nil {
		b := *key.Begin
		key.Begin = &b
	}
	if key.End != nil {
		v := *key.End
		key.End = &v
	}
	e.q = key
	slot.Store(e)
	return &e.fp
}

func sameFilters(a, b Query) bool {
	return a.Service == b.Service && a.Function == b.Function && a.Qualifier == b.Qualifier && a.Status == b.Status &&
		a.Prefix == b.Prefix && a.Desc == b.Desc && sameBound(a.Begin, b.Begin) && sameBound(a.End, b.End)
}

func sameBound(a, b *int64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func optInt64(v *int64) int64 {
	if v == nil {
		return -1
	}
	return *v
}

func optInt(v *int64) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatInt(*v, 10)
}

// tokenMemo remembers recent page tokens, minted or checked: each is an HMAC-SHA256 (about two
// microseconds, a tenth of a page), and clients ask for the same pages again and again (a
// frontend refreshing its list, CI polling). A token is a pure function of the key, the cursor
// and the fingerprint, so a remembered one is always the right one. Direct-mapped: a slot holds
// the last token that hashed to it.
type tokenMemo struct {
	slots [256]atomic.Pointer[memoEntry]
}

type memoEntry struct {
	fp  fc.Fingerprint
	cur fc.Cursor
	tok string
}

var memoSeed = maphash.MakeSeed()

func (m *tokenMemo) slot(fp fc.Fingerprint, h uint64) *atomic.Pointer[memoEntry] {
	return &m.slots[(binary.LittleEndian.Uint64(fp[:8])^h)%uint64(len(m.slots))]
}

func (a *api) encodeToken(c fc.Cursor, fp fc.Fingerprint) string {
	slot := a.minted.slot(fp, maphash.String(memoSeed, c.InvocationID)^uint64(c.StartedTime))
	if e := slot.Load(); e != nil && e.fp == fp && e.cur == c {
		return e.tok
	}
	tok := a.tokens.Encode(c, fp)
	slot.Store(&memoEntry{fp: fp, cur: c, tok: tok})
	return tok
}

func (a *api) decodeToken(tok string, fp fc.Fingerprint) (fc.Cursor, error) {
	slot := a.checked.slot(fp, maphash.String(memoSeed, tok))
	if e := slot.Load(); e != nil && e.fp == fp && e.tok == tok {
		return e.cur, nil
	}
	c, err := a.tokens.Decode(tok, fp)
	if err == nil {
		slot.Store(&memoEntry{fp: fp, cur: c, tok: tok})
	}
	return c, err
}
