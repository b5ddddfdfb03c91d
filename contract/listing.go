package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/fcmock/fcmock/gen/fcapi"
)

// maxListing caps the full listing the suite walks: beyond it a run would take too long to be
// useful in CI.
const maxListing = 20000

// query is one listing query: the service segment and the parameters, without nextToken.
type query struct {
	segment string
	params  fcapi.ListStatefulAsyncInvocationsParams
}

// params returns parameters with limit and sort order set; 0 and "" leave them out.
func params(limit int32, order fcapi.SortOrder) fcapi.ListStatefulAsyncInvocationsParams {
	var p fcapi.ListStatefulAsyncInvocationsParams
	if limit != 0 {
		p.Limit = &limit
	}
	if order != "" {
		p.SortOrderByTime = &order
	}
	return p
}

func ptr[T any](v T) *T { return &v }

// order returns "asc", "desc", or "" when the query leaves the order to the service.
func (q query) order() fcapi.SortOrder {
	if q.params.SortOrderByTime == nil {
		return ""
	}
	return *q.params.SortOrderByTime
}

// limit returns the page size the query asks for: the documented default 50 when absent.
func (q query) limit() int {
	if q.params.Limit == nil {
		return 50
	}
	return int(*q.params.Limit)
}

// matches reports whether inv passes the query's filters, bounds inclusive (the mock's choice;
// checks that must hold on any service pick bounds no invocation sits on). The qualifier is
// not compared: semantics/filter-qualifier checks it on its own, as an open rule.
func (q query) matches(inv invocation) bool {
	p := q.params
	switch {
	case p.StartedTimeBegin != nil && inv.Started < *p.StartedTimeBegin,
		p.StartedTimeEnd != nil && inv.Started > *p.StartedTimeEnd,
		p.InvocationIdPrefix != nil && !strings.HasPrefix(inv.ID, *p.InvocationIdPrefix),
		p.Status != nil && inv.Status != string(*p.Status):
		return false
	}
	return true
}

// invocation is what the semantic checks read of a listed invocation. Decoding is lenient: a
// field of the wrong type is conformance/schema's finding, not a reason to stop.
type invocation struct {
	ID        string
	Started   int64
	TimeOK    bool // startedTime is an integer
	Status    string
	Qualifier string
	Payload   bool   // the invocationPayload key is present
	OddKey    string // a key other than invocationPayload that differs from it only in case, or "payload"
}

func (inv invocation) String() string {
	return fmt.Sprintf("%s (startedTime %d, status %s, qualifier %s)", inv.ID, inv.Started, inv.Status, inv.Qualifier)
}

// page is one decoded listing response.
type page struct {
	ex       *exchange
	ok       bool // a 2xx answer with a JSON object body
	items    []invocation
	hasKey   bool // the body has an "invocations" key
	token    string
	hasToken bool
	keys     []string // the body's top-level keys
}

func decodePage(ex *exchange) *page {
	p := &page{ex: ex}
	if ex.err != nil || ex.status < 200 || ex.status > 299 {
		return p
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(ex.body, &body); err != nil || body == nil {
		return p
	}
	p.ok = true
	for k := range body {
		p.keys = append(p.keys, k)
	}
	if raw, ok := body["nextToken"]; ok {
		p.hasToken = json.Unmarshal(raw, &p.token) == nil && p.token != ""
	}
	raw, ok := body["invocations"]
	p.hasKey = ok
	var items []map[string]json.RawMessage
	if ok && json.Unmarshal(raw, &items) == nil {
		for _, m := range items {
			p.items = append(p.items, decodeInvocation(m))
		}
	}
	return p
}

func decodeInvocation(m map[string]json.RawMessage) invocation {
	var inv invocation
	_ = json.Unmarshal(m["invocationId"], &inv.ID)
	_ = json.Unmarshal(m["status"], &inv.Status)
	_ = json.Unmarshal(m["qualifier"], &inv.Qualifier)
	if n, err := strconv.ParseInt(string(bytes.TrimSpace(m["startedTime"])), 10, 64); err == nil {
		inv.Started, inv.TimeOK = n, true
	}
	_, inv.Payload = m["invocationPayload"]
	for k := range m {
		if k != "invocationPayload" && (strings.EqualFold(k, "invocationPayload") || strings.EqualFold(k, "payload")) {
			inv.OddKey = k
		}
	}
	return inv
}

// fcError decodes an FC error body.
func (ex *exchange) fcError() (fcapi.Error, bool) {
	var e fcapi.Error
	if ex.status < 400 || json.Unmarshal(ex.body, &e) != nil || e.ErrorCode == "" {
		return e, false
	}
	return e, true
}

// listing is a walk's invocations, each once, in the order first returned. Invocations
// without an id are left out.
type listing struct {
	items    []invocation
	byID     map[string]invocation
	complete bool // the walk ended on a page without nextToken
}

func newListing(w *walk) *listing {
	l := &listing{byID: map[string]invocation{}, complete: w.ended}
	for _, inv := range w.items() {
		if inv.ID == "" {
			continue // no id: conformance/schema's finding, and nothing to compare by
		}
		if _, dup := l.byID[inv.ID]; !dup {
			l.byID[inv.ID] = inv
			l.items = append(l.items, inv)
		}
	}
	return l
}

// filter returns the listing's invocations that q's filters select.
func (l *listing) filter(q query) []invocation {
	var out []invocation
	for _, inv := range l.items {
		if q.matches(inv) {
			out = append(out, inv)
		}
	}
	return out
}

// ids lists up to max ids of invs, with a count of the rest.
func ids(invs []invocation, max int) string {
	var b strings.Builder
	for i, inv := range invs {
		if i == max {
			fmt.Fprintf(&b, " and %d more", len(invs)-max)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(inv.ID)
	}
	return b.String()
}
