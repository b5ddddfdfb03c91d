package contract_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/fcmock/fcmock/contract"
)

// A fault is a deliberately broken target: the mock behind a handler that breaks one rule of
// the contract. Each check must fail on its fault (and pass on the clean mock, TestMockPasses):
// a check never seen to fail is not known to work.
type fault struct {
	name    string // the broken rule, in words
	expect  string // the check that must fail, and no other
	mention string // a part of the failing request's curl line
	cases   int    // generated cases; 0 runs none
	wrap    func(http.Handler) http.Handler
}

// says holds, for some faults, what a finding must say: the walk checks tell a loop from a cap.
// The page numbers and counts are the report's: a wrong one sends its reader to the wrong request.
var says = map[string]string{
	// The cap: the full listing (40 at limit 7: 6 pages) plus a tenth, plus 3 pages of slack.
	"a nextToken that never runs out":                      "the walk had not ended after 9 pages of 7,",
	"a nextToken that hands back the one it was given":     "page 2 returned the nextToken already sent for page 2, so the walk would never end",
	"the last invocation of a page repeated on the next":   "on page 1 and again on page 2",
	"an invocation twice on a page that is the whole walk": "on page 1 and again on page 1",
	"Content-Type left out of a GET's string to sign":      "and Content-Type application/json: 2xx",
	// A filter's findings name the filter they expected the listing to apply, and a limit's the limit sent.
	"status=Succeeded ignored":           "only invocations with status=Succeeded",
	"limit below 50 ignored":             "at most 1 invocations for limit=1",
	"a 300 for limit=0":                  "400 InvalidArgument (at least a 4xx)",
	"a 400 InvalidParameter for limit=0": "expected: 400 InvalidArgument\n",
	// What came back: the status, FC's code and its message.
	"a 400 for the valid status=Stopped": "400 InvalidArgument: no",
	// A generated case's finding names the case and the seed that replay it.
	"values beyond the ranges clamped into them": " (seed 20201109): 400 InvalidArgument",
}

var faults = []fault{
	{"an undeclared 203 for includePayload=true", contract.CheckStatus, "includePayload=true", 0,
		after(func(r *http.Request, a *answer) {
			if q(r, "includePayload") == "true" && a.status == 200 {
				a.status = 203
			}
		})},
	// 2xx is 200 to 299: an undeclared 299 is the status check's finding, and its page is read.
	{"an undeclared 299 for every 200", contract.CheckStatus, "limit=100", 0,
		after(func(r *http.Request, a *answer) {
			if a.status == 200 {
				a.status = 299
			}
		})},
	{"text/plain for a status filter", contract.CheckContentType, "status=", 0,
		after(func(r *http.Request, a *answer) {
			if has(r, "status") && a.status == 200 {
				a.header.Set("Content-Type", "text/plain; charset=utf-8")
			}
		})},
	{"an ISO endTime and no requestId in prefix listings", contract.CheckSchema, "invocationIdPrefix=", 0,
		after(func(r *http.Request, a *answer) {
			if inv := a.first(); inv != nil && has(r, "invocationIdPrefix") {
				inv["endTime"] = "2020-08-20T02:28:21Z"
				delete(inv, "requestId")
			}
		})},
	{"no X-Fc-Request-Id on descending pages", contract.CheckRequestID, "sortOrderByTime=desc", 0,
		after(func(r *http.Request, a *answer) {
			if q(r, "sortOrderByTime") == "desc" {
				a.header.Del("X-Fc-Request-Id")
			}
		})},
	{"a 500 for status=Expired", contract.CheckNo5xx, "status=Expired", 0,
		after(func(r *http.Request, a *answer) {
			if q(r, "status") == "Expired" {
				a.status, a.body = 500, map[string]any{"ErrorCode": "InternalServerError", "ErrorMessage": "boom"}
			}
		})},
	{"the connection dropped for status=Invalid", contract.CheckNo5xx, "status=Invalid", 0, hangUp("Invalid")},
	{"a 400 for the valid status=Stopped", contract.CheckAccepted, "status=Stopped", 0,
		after(func(r *http.Request, a *answer) {
			if q(r, "status") == "Stopped" {
				a.status, a.body = 400, map[string]any{"ErrorCode": "InvalidArgument", "ErrorMessage": "no"}
			}
		})},
	{"limit below 50 ignored", contract.CheckLimit, "limit=", 0,
		before(func(v url.Values) {
			if n, err := strconv.Atoi(v.Get("limit")); err == nil && n >= 1 && n < 50 {
				v.Del("limit")
			}
		})},
	{"the last invocation of a page repeated on the next", contract.CheckPaging, "nextToken=", 0, duplicateAcrossPages()},
	// A walk of one page is checked for repeats too.
	{"an invocation twice on a page that is the whole walk", contract.CheckPaging, "limit=100", 0,
		after(func(r *http.Request, a *answer) {
			limit, err := strconv.Atoi(q(r, "limit"))
			if err != nil {
				limit = 50
			}
			if items := a.items(); len(items) > 0 && len(items) < limit && !has(r, "nextToken") && a.body["nextToken"] == nil {
				a.body["invocations"] = append([]any{items[0]}, items...)
			}
		})},
	{"a nextToken that hands back the one it was given", contract.CheckPaging, "nextToken=", 0,
		after(func(r *http.Request, a *answer) {
			if tok := q(r, "nextToken"); tok != "" && a.body["nextToken"] != nil {
				a.body["nextToken"] = tok
			}
		})},
	{"a nextToken that never runs out", contract.CheckPaging, "nextToken=more-", 0, endlessTokens()},
	{"the first invocation of every later page skipped", contract.CheckPaging, "nextToken=", 0,
		after(func(r *http.Request, a *answer) {
			if items := a.items(); has(r, "nextToken") && len(items) > 0 {
				a.body["invocations"] = items[1:]
			}
		})},
	{"descending pages in ascending order", contract.CheckSort, "sortOrderByTime=desc", 0,
		after(func(r *http.Request, a *answer) {
			if items := a.items(); q(r, "sortOrderByTime") == "desc" && items != nil {
				slices.Reverse(items)
			}
		})},
	{"ties ordered by descending id in ascending pages", contract.CheckSortTies, "sortOrderByTime=asc", 0,
		after(func(r *http.Request, a *answer) {
			if items := a.items(); q(r, "sortOrderByTime") == "asc" && items != nil {
				sort.SliceStable(items, func(i, j int) bool {
					ti, tj := started(items[i]), started(items[j])
					return ti < tj || ti == tj && id(items[i]) > id(items[j])
				})
			}
		})},
	{"descending by default", contract.CheckDefaultOrder, "limit=100", 0,
		before(func(v url.Values) {
			if !v.Has("sortOrderByTime") {
				v.Set("sortOrderByTime", "desc")
			}
		})},
	{"exclusive time bounds", contract.CheckTimeBounds, "startedTime", 0,
		before(func(v url.Values) {
			shift(v, "startedTimeBegin", +1)
			shift(v, "startedTimeEnd", -1)
		})},
	{"startedTimeBegin ignored when an end is given too", contract.CheckFilterTime, "startedTimeBegin=", 0,
		before(func(v url.Values) {
			b, errB := strconv.ParseInt(v.Get("startedTimeBegin"), 10, 64)
			e, errE := strconv.ParseInt(v.Get("startedTimeEnd"), 10, 64)
			if errB == nil && errE == nil && b < e {
				v.Del("startedTimeBegin")
			}
		})},
	{"invocationIdPrefix ignored on first pages", contract.CheckFilterPrefix, "invocationIdPrefix=", 0,
		before(func(v url.Values) {
			if !v.Has("nextToken") {
				v.Del("invocationIdPrefix")
			}
		})},
	// As many wrong invocations as right ones missing: the counts match, the sets do not.
	{"a prefix listing's last invocation swapped for one without the prefix", contract.CheckFilterPrefix, "invocationIdPrefix=", 0,
		after(func(r *http.Request, a *answer) {
			items, prefix := a.items(), q(r, "invocationIdPrefix")
			if len(items) == 0 || has(r, "nextToken") || prefix == "" {
				return
			}
			other := "job-000"
			if strings.HasPrefix(other, prefix) {
				other = "task-001"
			}
			items[len(items)-1].(map[string]any)["invocationId"] = other
		})},
	{"status=Succeeded ignored", contract.CheckFilterStatus, "status=Succeeded", 0,
		before(func(v url.Values) {
			if v.Get("status") == "Succeeded" {
				v.Del("status")
			}
		})},
	{"a qualified path listing every qualifier", contract.CheckQualifiedListing, "/services/svc.", 0, ignoreQualifier()},
	{"a qualified listing without its first invocation", contract.CheckFilterQualifier, "/services/svc.", 0,
		after(func(r *http.Request, a *answer) {
			if items := a.items(); strings.Contains(r.URL.Path, "/services/svc.") && !has(r, "nextToken") && len(items) > 0 {
				a.body["invocations"] = items[1:]
			}
		})},
	// Also an undeclared property: conformance/schema fails it in the mock profile (and warns
	// in the service profile).
	{"payloads under InvocationPayload", contract.CheckPayloadKey + "+" + contract.CheckSchema, "includePayload=true", 0,
		after(func(r *http.Request, a *answer) {
			for _, inv := range a.items() {
				m := inv.(map[string]any)
				if p, ok := m["invocationPayload"]; ok {
					delete(m, "invocationPayload")
					m["InvocationPayload"] = p
				}
			}
		})},
	{"a prefix listing with an invocation the function does not have", contract.CheckFilterConsistency, "invocationIdPrefix=", 0,
		after(func(r *http.Request, a *answer) {
			items := a.items()
			if len(items) == 0 || !has(r, "invocationIdPrefix") || has(r, "nextToken") {
				return
			}
			// The ghost starts 1 ms after the newest invocation of the page and comes in
			// order: only its existence is wrong.
			ghost := maps.Clone(items[0].(map[string]any))
			ghost["invocationId"] = q(r, "invocationIdPrefix") + "-ghost"
			if q(r, "sortOrderByTime") == "desc" {
				ghost["startedTime"] = json.Number(strconv.FormatInt(started(items[0])+1, 10))
				a.body["invocations"] = append([]any{ghost}, items...)
			} else {
				ghost["startedTime"] = json.Number(strconv.FormatInt(started(items[len(items)-1])+1, 10))
				a.body["invocations"] = append(items, ghost)
			}
		})},
	{"a nextToken for other filters continues the old walk", contract.CheckTokenReuse, "nextToken=", 0, continueOldWalk()},
	{"status=succeeded answered with Failed invocations", contract.CheckStatusCase, "status=succeeded", 0,
		before(func(v url.Values) {
			if st := v.Get("status"); st != "" && st == strings.ToLower(st) {
				v.Set("status", "Failed")
			}
		})},
	{"payloads with includePayload=false", contract.CheckIncludePayload, "includePayload=false", 0,
		after(func(r *http.Request, a *answer) {
			for _, inv := range a.items() {
				if q(r, "includePayload") == "false" {
					inv.(map[string]any)["invocationPayload"] = "leaked"
				}
			}
		})},
	// Only the includePayload=true walk has it: the two walks must list the same invocations.
	{"includePayload=false without the first invocation", contract.CheckIncludePayload, "includePayload=true", 0,
		after(func(r *http.Request, a *answer) {
			if items := a.items(); q(r, "includePayload") == "false" && !has(r, "nextToken") && len(items) > 0 {
				a.body["invocations"] = items[1:]
			}
		})},
	{"payloads by default", contract.CheckPayloadDefault, "limit=100", 0,
		before(func(v url.Values) {
			if !v.Has("includePayload") {
				v.Set("includePayload", "true")
			}
		})},
	{"an empty result as {\"invocations\":[]}", contract.CheckEmptyShape, "startedTimeEnd=", 0,
		after(func(r *http.Request, a *answer) {
			if a.status == 200 && a.body != nil && a.body["invocations"] == nil {
				a.body["invocations"] = []any{}
			}
		})},
	{"limit=0 read as 1", contract.CheckNegLimit, "limit=0", 0,
		before(func(v url.Values) {
			if v.Get("limit") == "0" {
				v.Set("limit", "1")
			}
		})},
	// A 3xx is no refusal: the rule broken is that the request is refused at all (a 4xx), graded
	// by its own evidence, not only FC's code. An undeclared status too.
	{"a 300 for limit=0", contract.CheckNegLimit + "+" + contract.CheckStatus, "limit=0", 0,
		after(func(r *http.Request, a *answer) {
			if q(r, "limit") == "0" {
				a.status, a.body = 300, nil
			}
		})},
	// A 400 with another code is a refusal: only FC's code is wrong.
	{"a 400 InvalidParameter for limit=0", contract.CheckNegLimit, "limit=0", 0,
		after(func(r *http.Request, a *answer) {
			if q(r, "limit") == "0" {
				a.body["ErrorCode"] = "InvalidParameter"
			}
		})},
	{"an unknown sort order read as asc", contract.CheckNegEnum, "sortOrderByTime=sideways", 0,
		before(func(v url.Values) {
			if s := v.Get("sortOrderByTime"); s != "" && s != "asc" && s != "desc" {
				v.Set("sortOrderByTime", "asc")
			}
		})},
	{"a non-numeric startedTimeBegin ignored", contract.CheckNegTime, "startedTimeBegin=2020", 0,
		before(func(v url.Values) {
			if _, err := strconv.ParseInt(v.Get("startedTimeBegin"), 10, 64); v.Has("startedTimeBegin") && err != nil {
				v.Del("startedTimeBegin")
			}
		})},
	{"a rejected nextToken ignored", contract.CheckNegToken, "nextToken=", 0, ignoreBadToken()},
	{"ResourceNotFound instead of FC's 404 codes", contract.CheckNegNotFound, "fcmock-no-such", 0,
		after(func(r *http.Request, a *answer) {
			if a.status == 404 {
				a.body["ErrorCode"] = "ResourceNotFound"
			}
		})},
	{"invocationIdPrefix dropped when status is given too", contract.CheckGenValid, "status=", 40,
		before(func(v url.Values) {
			if v.Has("status") {
				v.Del("invocationIdPrefix")
			}
		})},
	{"values beyond the ranges clamped into them", contract.CheckGenInvalid, "", 40,
		before(func(v url.Values) {
			if n, err := strconv.ParseInt(v.Get("limit"), 10, 64); err == nil && n > 101 {
				v.Set("limit", "100")
			}
			for _, k := range []string{"startedTimeBegin", "startedTimeEnd"} {
				if n, err := strconv.ParseInt(v.Get(k), 10, 64); err == nil && n < 0 {
					v.Set(k, "0")
				}
			}
			if p := v.Get("invocationIdPrefix"); len(p) > 128 {
				v.Set("invocationIdPrefix", p[:128])
			}
		})},
}

// Each fault fails exactly its check, with a finding whose curl line names the request.
func TestEachCheckFailsOnItsFault(t *testing.T) {
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			cases := f.cases
			if cases == 0 {
				cases = -1
			}
			rep, err := contract.Run(t.Context(), newMock(t, dataSet(), f.wrap), contract.Options{Seed: seed, Cases: cases})
			if err != nil {
				t.Fatal(err)
			}
			checkFault(t, f, rep)
		})
	}
}

// checkFault asserts that rep, a run against f's broken target, fails f's check and no other,
// with a finding whose curl line names the request.
func checkFault(t *testing.T, f fault, rep *contract.Report) {
	t.Helper()
	want := strings.Split(f.expect, "+")
	if got := failing(rep); !slices.Equal(sorted(got), sorted(want)) {
		t.Fatalf("failing checks = %v, want exactly %v\n%s", got, want, text(rep))
	}
	res, _ := rep.Result(want[0])
	named := false
	for _, fi := range res.Findings {
		named = named || !fi.Informational && strings.HasPrefix(fi.Request, "curl -sS ") && strings.Contains(fi.Request, f.mention)
	}
	if !named {
		t.Errorf("no finding of %s names a request with %q:\n%s", want[0], f.mention, text(rep))
	}
	if want := says[f.name]; !strings.Contains(text(rep), want) {
		t.Errorf("no finding says %q:\n%s", want, text(rep))
	}
}

// An ignored includePayload=true cannot be told from a function whose invocations have no
// payload, so it is reported, but only as information.
func TestIgnoredIncludePayloadInforms(t *testing.T) {
	stripped := after(func(r *http.Request, a *answer) {
		for _, inv := range a.items() {
			if q(r, "includePayload") == "true" {
				delete(inv.(map[string]any), "invocationPayload")
			}
		}
	})
	rep, err := contract.Run(t.Context(), newMock(t, dataSet(), stripped), contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := rep.Result(contract.CheckIncludePayload)
	if !rep.OK() || r.Informed != 1 || !strings.Contains(r.Findings[0].Got, "includePayload=true is ignored") {
		t.Errorf("OK=%v, %+v; want a pass with one informational finding", rep.OK(), r)
	}
}

// An includePayload=true listing that lost every invocation is a violation, and is not also
// reported as a function whose invocations have no payload.
func TestEmptiedPayloadListingIsNotTakenForNoPayloads(t *testing.T) {
	emptied := after(func(r *http.Request, a *answer) {
		if q(r, "includePayload") == "true" && a.status == 200 {
			a.body = map[string]any{}
		}
	})
	rep, err := contract.Run(t.Context(), newMock(t, dataSet(), emptied), contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := rep.Result(contract.CheckIncludePayload)
	for _, f := range r.Findings {
		if f.Informational {
			t.Errorf("an informational finding beside the violation: %s: %s", f.Expected, f.Got)
		}
	}
	if r.Failed != 1 {
		t.Errorf("%s: %d failed cases, want 1\n%s", r.Name, r.Failed, text(rep))
	}
}

// Every check has a fault: the table above and signature_test.go's cover the registry.
func TestEveryCheckHasAFault(t *testing.T) {
	covered := map[string]bool{}
	for _, f := range faults {
		for _, c := range strings.Split(f.expect, "+") {
			covered[c] = true
		}
	}
	for _, f := range sigFaults {
		covered[f.expect] = true
	}
	covered[contract.CheckMinInvocations] = true // TestMinInvocations
	for _, f := range lifecycleFaults {
		covered[f.expect] = true
	}
	for _, f := range resourceFaults {
		covered[f.expect] = true
	}
	for _, c := range contract.Checks() {
		if !covered[c.Name] {
			t.Errorf("check %s has no fault: it has never been seen to fail", c.Name)
		}
	}
}

// kin-openapi's errors are collected, not just the first: both schema errors of one body are
// reported.
func TestSchemaFindingsListEveryError(t *testing.T) {
	f := faults[slices.IndexFunc(faults, func(f fault) bool { return f.expect == contract.CheckSchema })]
	rep, err := contract.Run(t.Context(), newMock(t, dataSet(), f.wrap), contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	res, _ := rep.Result(contract.CheckSchema)
	var got []string
	for _, fi := range res.Findings {
		got = append(got, fi.Got)
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{"/invocations/0/endTime: ", `/invocations/0/requestId: property "requestId" is missing`} {
		if !strings.Contains(all, want) {
			t.Errorf("schema findings do not report %q:\n%s", want, all)
		}
	}
}

func text(rep *contract.Report) string {
	var b bytes.Buffer
	rep.WriteText(&b)
	return b.String()
}

// answer is the mock's response as a fault sees it: the status, the headers and the JSON
// body, decoded (numbers kept exact) so the fault can edit it.
type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

func (a *answer) items() []any {
	items, _ := a.body["invocations"].([]any)
	return items
}

// drop takes the invocations gone reports out of the page, and leaves the body as it was
// (an absent list stays absent) when there are none.
func (a *answer) drop(gone func(inv any) bool) {
	items := a.items()
	var kept []any // nil when every one goes: "invocations": null
	for _, inv := range items {
		if !gone(inv) {
			kept = append(kept, inv)
		}
	}
	if len(kept) != len(items) {
		a.body["invocations"] = kept
	}
}

func (a *answer) first() map[string]any {
	if items := a.items(); len(items) > 0 {
		return items[0].(map[string]any)
	}
	return nil
}

// failWhen answers the requests pick chooses with a 500 and FC's error JSON, without passing
// them on; the others go to the mock.
func failWhen(pick func(*http.Request) bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !pick(r) {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte(`{"ErrorCode":"InternalServerError","ErrorMessage":"boom"}`))
		})
	}
}

// before edits the query before the mock sees it.
func before(edit func(url.Values)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			v := r.URL.Query()
			edit(v)
			// A copy: a handler in front of this one still sees the query it was sent.
			next.ServeHTTP(w, withQuery(r, v))
		})
	}
}

// after edits the mock's answer before the suite sees it.
func after(edit func(*http.Request, *answer)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a := record(next, r)
			edit(r, a)
			a.write(w)
		})
	}
}

func record(next http.Handler, r *http.Request) *answer {
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	a := &answer{status: rec.Code, header: rec.Header().Clone(), raw: rec.Body.Bytes()}
	dec := json.NewDecoder(bytes.NewReader(a.raw))
	dec.UseNumber()
	if dec.Decode(&a.body) != nil {
		a.body = nil
	}
	return a
}

func (a *answer) write(w http.ResponseWriter) {
	body := a.raw
	if a.body != nil {
		body, _ = json.Marshal(a.body)
	}
	for k, vs := range a.header {
		if k != "Content-Length" {
			w.Header()[k] = vs
		}
	}
	w.WriteHeader(a.status)
	w.Write(body)
}

func q(r *http.Request, name string) string { return r.URL.Query().Get(name) }
func has(r *http.Request, name string) bool { return r.URL.Query().Has(name) }
func id(inv any) string                     { return inv.(map[string]any)["invocationId"].(string) }

func started(inv any) int64 {
	n, _ := inv.(map[string]any)["startedTime"].(json.Number).Int64()
	return n
}

func shift(v url.Values, key string, by int64) {
	if n, err := strconv.ParseInt(v.Get(key), 10, 64); err == nil {
		v.Set(key, strconv.FormatInt(n+by, 10))
	}
}

// hangUp closes the connection without an answer for one status filter.
func hangUp(status string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if q(r, "status") != status {
				next.ServeHTTP(w, r)
				return
			}
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		})
	}
}

// duplicateAcrossPages moves the last invocation of each page to the front of the next one:
// every page keeps its size, and one invocation of each page boundary comes back twice.
func duplicateAcrossPages() func(http.Handler) http.Handler {
	var mu sync.Mutex
	carried := map[string]any{} // nextToken -> the invocation to repeat on its page
	return after(func(r *http.Request, a *answer) {
		items := a.items()
		if len(items) == 0 {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if tok, ok := a.body["nextToken"].(string); ok {
			carried[tok] = items[len(items)-1]
		}
		if prev, ok := carried[q(r, "nextToken")]; ok {
			a.body["invocations"] = append([]any{prev}, items[:len(items)-1]...)
		}
	})
}

// endlessTokens lets the walk at limit 7 reach its last page, then answers it, and every token
// after it, with an empty page and a fresh token: nothing repeats, nothing is out of order, but
// the walk never ends.
func endlessTokens() func(http.Handler) http.Handler {
	var mu sync.Mutex
	n := 0
	fresh := func() string {
		mu.Lock()
		defer mu.Unlock()
		n++
		return "more-" + strconv.Itoa(n)
	}
	return func(next http.Handler) http.Handler {
		last := after(func(r *http.Request, a *answer) {
			if q(r, "limit") == "7" && a.status == 200 && a.body["nextToken"] == nil {
				a.body["nextToken"] = fresh()
			}
		})(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasPrefix(q(r, "nextToken"), "more-") {
				last.ServeHTTP(w, r)
				return
			}
			a := &answer{status: 200, header: http.Header{"Content-Type": {"application/json"}, "X-Fc-Request-Id": {"endless"}},
				body: map[string]any{"nextToken": fresh()}}
			a.write(w)
		})
	}
}

// ignoreQualifier answers service.qualifier with the unqualified listing, once the mock has
// accepted the qualifier (unknown aliases still get their 404).
func ignoreQualifier() func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a := record(next, r)
			if svc, _, ok := strings.Cut(r.URL.Path, "/services/svc."); ok && a.status == 200 {
				_, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, svc+"/services/svc."), "/")
				r.URL.Path = svc + "/services/svc/" + rest
				a = record(next, r)
			}
			a.write(w)
		})
	}
}

// ignoreBadToken retries a request whose nextToken the mock rejected without the token.
func ignoreBadToken() func(http.Handler) http.Handler { return retryWithout("nextToken") }

// continueOldWalk answers a nextToken the mock refuses for the query's filters as if the
// filters were not there: the walk the token came from goes on.
func continueOldWalk() func(http.Handler) http.Handler {
	return retryWithout("invocationIdPrefix", "status", "startedTimeBegin", "startedTimeEnd")
}

// retryWithout answers a request with a nextToken that the mock refused (400) as if the query
// parameters named were not there.
func retryWithout(keys ...string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a := record(next, r)
			if a.status == 400 && has(r, "nextToken") {
				v := r.URL.Query()
				for _, k := range keys {
					v.Del(k)
				}
				r.URL.RawQuery = v.Encode()
				a = record(next, r)
			}
			a.write(w)
		})
	}
}

// --min-invocations turns thin data into a violation; without it the check is not exercised.
func TestMinInvocations(t *testing.T) {
	for _, tt := range []struct {
		min        int
		expectFail bool
	}{{0, false}, {40, false}, {41, true}} {
		rep, err := contract.Run(t.Context(), newMock(t, dataSet(), nil), contract.Options{Seed: seed, Cases: -1, MinInvocations: tt.min})
		if err != nil {
			t.Fatal(err)
		}
		r, _ := rep.Result(contract.CheckMinInvocations)
		if (r.Failed > 0) != tt.expectFail || (tt.min == 0) != (r.Cases == 0) {
			t.Errorf("--min-invocations %d: %+v; want failed=%v", tt.min, r, tt.expectFail)
		}
	}
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }
