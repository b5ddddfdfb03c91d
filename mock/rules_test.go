package mock_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
)

func (tg *target) putRules(t *testing.T, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, tg.url+mock.AdminPrefix+"scenarios", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, body := send(t, req)
	return res.StatusCode, body
}

// send does req and reads the whole body.
func send(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	_, _ = io.Copy(&b, res.Body)
	return res, b.String()
}

const otherFnPath = "/2016-08-15/services/svc/functions/empty-fn/stateful-async-invocations"

func TestStandingRules(t *testing.T) {
	tests := []struct {
		name      string
		scenarios bool // the server's --scenarios
		rules     string
		path      string
		header    string // X-Fcmock-Scenario
		status    int
		body      string
		applied   string
	}{
		{"a rule for the function forces its error", false,
			`{"rules":[{"service":"svc","function":"fn","error":"ServiceUnavailable"}]}`, listPath, "", 503, `"ErrorCode":"ServiceUnavailable"`, "error=ServiceUnavailable"},
		{"a rule for an operation matches it", false,
			`{"rules":[{"operation":"ListStatefulAsyncInvocations","error":"FunctionNotFound"}]}`, listPath, "", 404, `function 'fn' does not exist in service 'svc'`, "error=FunctionNotFound"},
		{"a rule for another function leaves this one alone", false,
			`{"rules":[{"service":"svc","function":"empty-fn","error":"ServiceUnavailable"}]}`, listPath, "", 200, `"invocations"`, ""},
		{"the qualifier does not hide the service", false,
			`{"rules":[{"service":"svc","error":"InternalServerError"}]}`, strings.Replace(listPath, "/svc/", "/svc.LATEST/", 1), "", 500, `InternalServerError`, "error=InternalServerError"},
		{"the first matching rule wins", false,
			`{"rules":[{"function":"fn","empty":true},{"error":"ServiceUnavailable"}]}`, listPath, "", 200, "{}\n", "empty"},
		{"delay and empty", false,
			`{"rules":[{"function":"fn","delay":"5ms","empty":true}]}`, listPath, "", 200, "{}\n", "delay=5ms;empty"},
		{"the request's own header wins", true,
			`{"rules":[{"error":"ServiceUnavailable"}]}`, listPath, "error=AccessDenied", 403, `AccessDenied`, "error=AccessDenied"},
		{"without --scenarios the header is ignored, the rule is not", false,
			`{"rules":[{"error":"ServiceUnavailable"}]}`, listPath, "error=AccessDenied", 503, `ServiceUnavailable`, "error=ServiceUnavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := mock.New(mock.Options{Fixtures: smallSet(), Scenarios: tt.scenarios})
			if err != nil {
				t.Fatal(err)
			}
			hs := httptest.NewServer(srv)
			t.Cleanup(hs.Close)
			tg := &target{srv: srv, url: hs.URL}
			if status, body := tg.putRules(t, tt.rules); status != 200 {
				t.Fatalf("PUT rules: %d %s", status, body)
			}
			res, body := tg.withHeader(t, tt.path, mock.HeaderScenario, tt.header)
			if res.StatusCode != tt.status || !strings.Contains(body, tt.body) {
				t.Fatalf("got %d %s, want %d containing %q", res.StatusCode, body, tt.status, tt.body)
			}
			if got := res.Header.Get(mock.HeaderScenarioApplied); got != tt.applied {
				t.Errorf("%s = %q, want %q", mock.HeaderScenarioApplied, got, tt.applied)
			}
			if res.Header.Get("X-Fc-Request-Id") == "" {
				t.Error("no X-Fc-Request-Id")
			}
			// DELETE removes every rule: the same request is served normally again.
			tg.do(t, http.MethodDelete, mock.AdminPrefix+"scenarios")
			if res, _ := tg.get(t, listPath); res.StatusCode != 200 || res.Header.Get(mock.HeaderScenarioApplied) != "" {
				t.Errorf("after DELETE: %d, applied %q", res.StatusCode, res.Header.Get(mock.HeaderScenarioApplied))
			}
		})
	}
}

func TestStandingRulesAdminAPI(t *testing.T) {
	tg := newTarget(t, smallSet())
	var got struct {
		Rules      []mock.Rule
		Header     bool
		Operations []string
		Codes      []string
	}
	tg.getJSON(t, mock.AdminPrefix+"scenarios", &got)
	if len(got.Rules) != 0 || got.Header || len(got.Operations) == 0 || len(got.Codes) != len(fc.Codes()) {
		t.Fatalf("GET with no rules: %+v", got)
	}
	rule := `{"service":"svc","function":"fn","operation":"ListStatefulAsyncInvocations","error":"ServiceUnavailable","delay":"1s","empty":true}`
	if status, body := tg.putRules(t, `{"rules":[`+rule+`]}`); status != 200 || !strings.Contains(body, rule) {
		t.Fatalf("PUT: %d %s", status, body)
	}
	tg.getJSON(t, mock.AdminPrefix+"scenarios", &got)
	want := mock.Rule{Service: "svc", Function: "fn", Operation: "ListStatefulAsyncInvocations", Error: "ServiceUnavailable", Delay: "1s", Empty: true}
	if len(got.Rules) != 1 || got.Rules[0] != want {
		t.Fatalf("GET after PUT: %+v", got.Rules)
	}

	bad := []struct{ name, body, mention string }{
		{"not JSON", `rules`, "body"},
		{"an unknown field", `{"rules":[{"eror":"ServiceUnavailable"}]}`, `"eror"`},
		{"an unknown code", `{"rules":[{"error":"Nope"}]}`, `rules[0].error "Nope"`},
		{"an unknown operation", `{"rules":[{"operation":"DeleteEverything","empty":true}]}`, `rules[0].operation "DeleteEverything"`},
		{"a delay too long", `{"rules":[{"delay":"10h"}]}`, `rules[0].delay "10h"`},
		{"a negative delay", `{"rules":[{"delay":"-1s"}]}`, `rules[0].delay`},
		{"no effect", `{"rules":[{"function":"fn"}]}`, `rules[0] has no effect`},
		{"too many rules", `{"rules":[` + strings.Repeat(`{"empty":true},`, mock.MaxRules) + `{"empty":true}]}`, "at most 100 rules"},
		{"a body too large", `{"rules":[{"service":"` + strings.Repeat("s", 70<<10) + `","empty":true}]}`, "body"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			status, body := tg.putRules(t, tt.body)
			var e struct{ ErrorCode, ErrorMessage string }
			_ = json.Unmarshal([]byte(body), &e)
			if status != 400 || e.ErrorCode != "InvalidArgument" || !strings.Contains(e.ErrorMessage, tt.mention) {
				t.Fatalf("got %d %s, want 400 InvalidArgument mentioning %q", status, body, tt.mention)
			}
		})
	}
	// A refused PUT keeps the rules there were.
	tg.getJSON(t, mock.AdminPrefix+"scenarios", &got)
	if len(got.Rules) != 1 || got.Rules[0] != want {
		t.Fatalf("rules after refused PUTs: %+v", got.Rules)
	}
}

// The rule store is an interface: a server given its own store reads the rules from it.
func TestStandingRulesCustomStore(t *testing.T) {
	store := &mock.MemoryRules{}
	_ = store.SetRules(context.Background(), []mock.Rule{{Function: "fn", Error: "ServiceUnavailable"}})
	srv, err := mock.New(mock.Options{Fixtures: smallSet(), Rules: store})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	tg := &target{srv: srv, url: hs.URL}
	if res, e := tg.get(t, listPath); res.StatusCode != 503 || e.ErrorCode != "ServiceUnavailable" {
		t.Fatalf("got %d %s", res.StatusCode, e.ErrorCode)
	}
	if res, _ := tg.get(t, otherFnPath); res.StatusCode == 503 {
		t.Fatal("a rule for fn applied to another function")
	}
}

// The rules endpoint is admin API: with a token configured, a request without it is refused.
func TestStandingRulesNeedAdminAccess(t *testing.T) {
	srv, err := mock.New(mock.Options{Fixtures: smallSet(), AdminToken: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	tg := &target{srv: srv, url: hs.URL}
	if status, _ := tg.putRules(t, `{"rules":[{"error":"ServiceUnavailable"}]}`); status != 403 {
		t.Fatalf("PUT without the token: %d, want 403", status)
	}
	if res, _ := tg.get(t, listPath); res.StatusCode != 200 {
		t.Fatalf("the refused rule applied: %d", res.StatusCode)
	}
}

// The bounds of a rule set are inclusive: MaxRules rules, a delay of 0 (with another effect)
// and a delay of the longest a scenario may ask for are taken.
func TestStandingRulesAtTheirBounds(t *testing.T) {
	tg := newTarget(t, smallSet())
	tests := []struct{ name, body string }{
		{"MaxRules rules", `{"rules":[` + strings.Repeat(`{"empty":true},`, mock.MaxRules-1) + `{"empty":true}]}`},
		{"a delay of 0 with an error", `{"rules":[{"error":"ServiceUnavailable","delay":"0s"}]}`},
		{"the longest delay", `{"rules":[{"delay":"5m"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if status, body := tg.putRules(t, tt.body); status != 200 {
				t.Errorf("got %d %s, want 200", status, body)
			}
		})
	}
}

// failingRules is a RuleStore that does not answer, as a shared store that is down.
type failingRules struct{ mock.MemoryRules }

func (*failingRules) SetRules(context.Context, []mock.Rule) error {
	return errors.New("dial tcp: i/o timeout")
}

// DELETE /_fcmock/scenarios answers 204 once the rules are gone, and 503 ServiceUnavailable
// when the rule store does not answer.
func TestDeletingStandingRules(t *testing.T) {
	tests := []struct {
		name         string
		givenStore   mock.RuleStore
		expectStatus int
		expectCode   string
	}{
		{"the rules are gone", &mock.MemoryRules{}, http.StatusNoContent, ""},
		{"the store does not answer", &failingRules{}, http.StatusServiceUnavailable, "ServiceUnavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := mock.New(mock.Options{Fixtures: smallSet(), Rules: tt.givenStore})
			if err != nil {
				t.Fatal(err)
			}
			hs := httptest.NewServer(srv)
			t.Cleanup(hs.Close)
			tg := &target{srv: srv, url: hs.URL}
			res, e := tg.do(t, http.MethodDelete, mock.AdminPrefix+"scenarios")
			if res.StatusCode != tt.expectStatus || e.ErrorCode != tt.expectCode {
				t.Errorf("DELETE: %d %q, want %d %q", res.StatusCode, e.ErrorCode, tt.expectStatus, tt.expectCode)
			}
		})
	}
}
