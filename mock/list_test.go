package mock_test

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// Each parameter's meaning, on a data set small enough to know every answer.
func TestListParameters(t *testing.T) {
	tg := newTarget(t, smallSet())
	tests := []struct {
		name     string
		service  string
		params   fcapi.ListStatefulAsyncInvocationsParams
		expectID []string
	}{
		{"no parameters lists every qualifier, ascending by startedTime then id", "svc", fcapi.ListStatefulAsyncInvocationsParams{},
			[]string{"job-c", "job-a", "job-b", "task-1", "task-2", "job-d"}},
		{"desc reverses the whole order, ties included", "svc", fcapi.ListStatefulAsyncInvocationsParams{SortOrderByTime: ptr(fcapi.Desc)},
			[]string{"job-d", "task-2", "task-1", "job-b", "job-a", "job-c"}},
		{"asc is the default", "svc", fcapi.ListStatefulAsyncInvocationsParams{SortOrderByTime: ptr(fcapi.Asc)},
			[]string{"job-c", "job-a", "job-b", "task-1", "task-2", "job-d"}},
		{"startedTimeBegin is inclusive", "svc", fcapi.ListStatefulAsyncInvocationsParams{StartedTimeBegin: ptr(int64(3000))},
			[]string{"task-1", "task-2", "job-d"}},
		{"startedTimeEnd is inclusive", "svc", fcapi.ListStatefulAsyncInvocationsParams{StartedTimeEnd: ptr(int64(2000))},
			[]string{"job-c", "job-a", "job-b"}},
		{"both bounds", "svc", fcapi.ListStatefulAsyncInvocationsParams{StartedTimeBegin: ptr(int64(2000)), StartedTimeEnd: ptr(int64(3000))},
			[]string{"job-a", "job-b", "task-1"}},
		{"an end before the beginning matches nothing", "svc", fcapi.ListStatefulAsyncInvocationsParams{StartedTimeBegin: ptr(int64(3000)), StartedTimeEnd: ptr(int64(2000))},
			nil},
		{"invocationIdPrefix", "svc", fcapi.ListStatefulAsyncInvocationsParams{InvocationIdPrefix: ptr("task-")},
			[]string{"task-1", "task-2"}},
		{"invocationIdPrefix is case-sensitive", "svc", fcapi.ListStatefulAsyncInvocationsParams{InvocationIdPrefix: ptr("TASK-")},
			nil},
		{"status", "svc", fcapi.ListStatefulAsyncInvocationsParams{Status: ptr(fcapi.Succeeded)},
			[]string{"job-c", "task-1"}},
		{"qualifier alias in the path", "svc.prod", fcapi.ListStatefulAsyncInvocationsParams{},
			[]string{"job-b", "task-1"}},
		{"qualifier version in the path", "svc.1", fcapi.ListStatefulAsyncInvocationsParams{},
			[]string{"job-a"}},
		{"qualifier LATEST in the path", "svc.LATEST", fcapi.ListStatefulAsyncInvocationsParams{},
			[]string{"job-c", "task-2"}},
		{"a version with no invocations lists empty", "svc.2", fcapi.ListStatefulAsyncInvocationsParams{Status: ptr(fcapi.Running)},
			nil},
		{"filters combine", "svc.prod", fcapi.ListStatefulAsyncInvocationsParams{Status: ptr(fcapi.Succeeded), InvocationIdPrefix: ptr("task"), SortOrderByTime: ptr(fcapi.Desc)},
			[]string{"task-1"}},
		{"limit cuts the page", "svc", fcapi.ListStatefulAsyncInvocationsParams{Limit: ptr(int32(2))},
			[]string{"job-c", "job-a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tg.list(t, tt.service, "fn", tt.params)
			if res.StatusCode() != http.StatusOK {
				t.Fatalf("status %d: %s", res.StatusCode(), res.Body)
			}
			if got := ids(res.JSON200.Invocations); !slices.Equal(got, tt.expectID) {
				t.Errorf("ids (-want +got):\n- %v\n+ %v", tt.expectID, got)
			}
		})
	}
}

// An empty query value means "not given" (the Node SDK sends nextToken= for an unset token): the
// answer is the one without the parameter, on the fast path and on kin-openapi's alike (an
// escaped value sends a request to kin-openapi).
func TestEmptyQueryValuesMeanNotGiven(t *testing.T) {
	tg := newTarget(t, smallSet())
	body := func(pathAndQuery string) (int, string) {
		res, err := http.Get(tg.url + pathAndQuery)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	_, want := body(listPath + "?limit=2")
	for _, query := range []string{
		"limit=2&nextToken=",
		"nextToken=&limit=2",
		"limit=2&status=&invocationIdPrefix=&startedTimeBegin=&startedTimeEnd=&sortOrderByTime=&includePayload=",
		"limit=2&nextToken",
		"limit=%32&nextToken=",
	} {
		status, got := body(listPath + "?" + query)
		if status != http.StatusOK || got != want {
			t.Errorf("?%s: %d %s, want 200 %s", query, status, got, want)
		}
	}
}

func TestListEmptyResultOmitsInvocations(t *testing.T) {
	tg := newTarget(t, smallSet())
	res := tg.list(t, "svc", "empty-fn", fcapi.ListStatefulAsyncInvocationsParams{})
	if res.StatusCode() != http.StatusOK {
		t.Fatalf("an existing function with no invocations: status %d, want 200", res.StatusCode())
	}
	if got := string(res.Body); got != "{}\n" {
		t.Errorf("body = %q, want {} (no invocations key, no nextToken)", got)
	}
}

func TestIncludePayload(t *testing.T) {
	tg := newTarget(t, smallSet())
	for _, tt := range []struct {
		given  *bool
		expect bool
	}{{nil, false}, {ptr(false), false}, {ptr(true), true}} {
		res := tg.list(t, "svc", "fn", fcapi.ListStatefulAsyncInvocationsParams{IncludePayload: tt.given, InvocationIdPrefix: ptr("job-a")})
		inv := (*res.JSON200.Invocations)[0]
		if got := inv.InvocationPayload != nil; got != tt.expect {
			t.Errorf("includePayload=%v: payload present = %v, want %v", deref(tt.given), got, tt.expect)
		}
		if tt.expect && *inv.InvocationPayload != "p-a" {
			t.Errorf("payload = %q, want p-a", *inv.InvocationPayload)
		}
	}
}

func deref(b *bool) any {
	if b == nil {
		return "absent"
	}
	return *b
}

func TestDefaultLimitIs50(t *testing.T) {
	tg := newTarget(t, nil) // the bundled set: demo-svc/demo-fn has more than 50
	res := tg.list(t, "demo-svc", "demo-fn", fcapi.ListStatefulAsyncInvocationsParams{})
	if n := len(*res.JSON200.Invocations); n != 50 {
		t.Errorf("page size without limit = %d, want 50", n)
	}
	if res.JSON200.NextToken == nil {
		t.Error("a full first page must carry nextToken")
	}
}

// Every response carries a fresh request id and a JSON content type, errors included.
func TestRequestIDAndContentType(t *testing.T) {
	tg := newTarget(t, smallSet())
	seen := map[string]bool{}
	for _, path := range []string{
		"/2016-08-15/services/svc/functions/fn/stateful-async-invocations",
		"/2016-08-15/services/svc/functions/fn/stateful-async-invocations?limit=0",
		"/2016-08-15/services/nope/functions/fn/stateful-async-invocations",
		"/nothing-here",
	} {
		res, _ := tg.get(t, path)
		id := res.Header.Get(fc.HeaderRequestID)
		if len(id) != 36 || seen[id] {
			t.Errorf("%s: X-Fc-Request-Id = %q, want a fresh UUID", path, id)
		}
		seen[id] = true
		if ct := res.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s: Content-Type = %q, want application/json", path, ct)
		}
	}
}

func TestCORS(t *testing.T) {
	tg := newTarget(t, smallSet())
	req, _ := http.NewRequest(http.MethodGet, tg.url+"/2016-08-15/services/svc/functions/fn/stateful-async-invocations", nil)
	req.Header.Set("Origin", "http://localhost:5173")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("Access-Control-Allow-Origin = %q, want *", got)
	}
	if got := res.Header.Get("Access-Control-Expose-Headers"); !strings.Contains(got, fc.HeaderRequestID) {
		t.Errorf("Access-Control-Expose-Headers = %q, want it to expose %s", got, fc.HeaderRequestID)
	}

	pre, _ := http.NewRequest(http.MethodOptions, req.URL.String(), nil)
	pre.Header.Set("Origin", "http://localhost:5173")
	pre.Header.Set("Access-Control-Request-Method", "GET")
	pre.Header.Set("Access-Control-Request-Headers", "authorization,x-fc-account-id")
	res, err = http.DefaultClient.Do(pre)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Headers") == "" {
		t.Errorf("preflight: status %d, allow-headers %q", res.StatusCode, res.Header.Get("Access-Control-Allow-Headers"))
	}
}
