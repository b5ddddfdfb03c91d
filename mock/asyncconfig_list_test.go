package mock_test

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/mock"
)

// listConfigs fetches one page of fn's async invoke configs with the query.
func (tg *lcTarget) listConfigs(t *testing.T, fn, query string) (fcapi.ListFunctionAsyncInvokeConfigsOutput, answer) {
	t.Helper()
	a := tg.send(t, http.MethodGet, lcBase+fn+"/async-invoke-configs?"+query, "")
	var out fcapi.ListFunctionAsyncInvokeConfigsOutput
	if a.status == http.StatusOK {
		if err := json.Unmarshal(a.body, &out); err != nil {
			t.Fatalf("list configs of %s: %v in %s", fn, err, a.body)
		}
	}
	return out, a
}

func putConfig(t *testing.T, tg *lcTarget, segment, fn, body string) {
	t.Helper()
	a := tg.send(t, http.MethodPut, "/2016-08-15/services/"+segment+"/functions/"+fn+"/async-invoke-config", body, "Content-Type", "application/json")
	if a.status != http.StatusOK {
		t.Fatalf("put config %s/%s: %d %s", segment, fn, a.status, a.body)
	}
}

func qualifiers(cfgs []fcapi.AsyncConfig) string {
	var q []string
	for _, c := range cfgs {
		q = append(q, c.Qualifier+"/"+c.Function)
	}
	return strings.Join(q, " ")
}

// The list holds one config per qualifier that has one, every field as Get returns it, in
// byte order of qualifier, a page at a time: "1" < "LATEST" < "prod".
func TestListFunctionAsyncInvokeConfigsPagesByQualifier(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	putConfig(t, tg, "svc.prod", "fn", `{"maxAsyncRetryAttempts":1,"destinationConfig":{"onSuccess":{"destination":"acs:mns:cn-shanghai:1:/queues/q/messages"}}}`)
	putConfig(t, tg, "svc.1", "fn", `{"maxAsyncEventAgeInSeconds":100}`)
	putConfig(t, tg, "svc", "picky", `{"maxAsyncRetryAttempts":2}`) // another function's: not listed

	whole, a := tg.listConfigs(t, "fn", "")
	if a.status != http.StatusOK || whole.NextToken != nil {
		t.Fatalf("first page with the default limit: %d, nextToken %v; want 200 and no token", a.status, whole.NextToken)
	}
	if got, want := qualifiers(whole.Configs), "1/fn LATEST/fn prod/fn"; got != want {
		t.Fatalf("configs %q, want %q", got, want)
	}
	for _, c := range whole.Configs {
		one := tg.send(t, http.MethodGet, "/2016-08-15/services/svc."+c.Qualifier+"/functions/fn/async-invoke-config", "")
		var got fcapi.AsyncConfig
		if err := json.Unmarshal(one.body, &got); err != nil || !sameJSON(t, got, c) {
			t.Errorf("listed %+v, Get answers %s", c, one.body)
		}
	}

	var walked []fcapi.AsyncConfig
	query := "limit=1"
	for range 10 {
		page, a := tg.listConfigs(t, "fn", query)
		if a.status != http.StatusOK || len(page.Configs) > 1 {
			t.Fatalf("page %q: %d with %d configs", query, a.status, len(page.Configs))
		}
		walked = append(walked, page.Configs...)
		if page.NextToken == nil {
			break
		}
		query = "limit=1&nextToken=" + url.QueryEscape(*page.NextToken)
	}
	if got, want := qualifiers(walked), qualifiers(whole.Configs); got != want {
		t.Errorf("pages of one: %q, want %q", got, want)
	}
}

// A token names the last qualifier returned: a config deleted, or put, between pages neither
// repeats nor hides the others.
func TestListFunctionAsyncInvokeConfigsTokenSurvivesChanges(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	putConfig(t, tg, "svc.prod", "fn", `{}`)
	putConfig(t, tg, "svc.1", "fn", `{}`)
	first, _ := tg.listConfigs(t, "fn", "limit=1")
	if qualifiers(first.Configs) != "1/fn" || first.NextToken == nil {
		t.Fatalf("first page %q, token %v", qualifiers(first.Configs), first.NextToken)
	}
	tg.send(t, http.MethodDelete, "/2016-08-15/services/svc.1/functions/fn/async-invoke-config", "")
	tg.send(t, http.MethodDelete, lcBase+"fn/async-invoke-config", "")
	rest, a := tg.listConfigs(t, "fn", "nextToken="+url.QueryEscape(*first.NextToken))
	if a.status != http.StatusOK || qualifiers(rest.Configs) != "prod/fn" || rest.NextToken != nil {
		t.Errorf("after deleting 1 and LATEST: %d %q token %v, want prod alone", a.status, qualifiers(rest.Configs), rest.NextToken)
	}
}

func TestListFunctionAsyncInvokeConfigsAnswers(t *testing.T) {
	tg, tok, forged := configTokens(t)
	for _, tt := range []struct {
		name, fn, query string
		wantStatus      int
		wantCode, want  string
	}{
		{"limit 0", "fn", "limit=0", 400, "InvalidArgument", "limit"},
		{"limit 101", "fn", "limit=101", 400, "InvalidArgument", "limit"},
		{"limit not a number", "fn", "limit=ten", 400, "InvalidArgument", "limit"},
		{"a forged token", "fn", "nextToken=" + url.QueryEscape(forged), 400, "InvalidArgument", "nextToken"},
		{"a token that is not base64", "fn", "nextToken=%21%21", 400, "InvalidArgument", "nextToken"},
		{"another function's token", "picky", "nextToken=" + url.QueryEscape(tok), 400, "InvalidArgument", "nextToken"},
		{"an unknown function", "nope", "", 404, "FunctionNotFound", "'nope'"},
		{"an unknown function with a bad limit", "nope", "limit=0", 400, "InvalidArgument", "limit"},
		{"an empty token is a first page", "fn", "nextToken=&limit=1", 200, "", `"qualifier":"LATEST"`},
		{"a function without configs lists empty", "bare", "", 200, "", `{"configs":[]}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, a := tg.listConfigs(t, tt.fn, tt.query)
			if a.status != tt.wantStatus || a.code() != tt.wantCode {
				t.Fatalf("%d %s %s, want %d %s", a.status, a.code(), a.body, tt.wantStatus, tt.wantCode)
			}
			if !strings.Contains(string(a.body), tt.want) {
				t.Errorf("body %s does not contain %q", a.body, tt.want)
			}
		})
	}
	for _, path := range []string{"/2016-08-15/services/nope/functions/fn/async-invoke-configs", "/2016-08-15/services/svc.prod/functions/fn/async-invoke-configs"} {
		a := tg.send(t, http.MethodGet, path, "")
		if want := map[bool]int{true: 404, false: 400}[strings.Contains(path, "nope")]; a.status != want {
			t.Errorf("GET %s: %d %s, want %d (the list takes the bare service name)", path, a.status, a.body, want)
		}
	}
}

// A deleted function's configs go with it: a function made again by that name lists none.
func TestListFunctionAsyncInvokeConfigsAfterDeleteFunction(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	putConfig(t, tg, "svc.prod", "fn", `{}`)
	if a := tg.send(t, http.MethodDelete, lcBase+"fn", ""); a.status != http.StatusNoContent {
		t.Fatalf("delete fn: %d %s", a.status, a.body)
	}
	create := tg.send(t, http.MethodPost, "/2016-08-15/services/svc/functions", `{"functionName":"fn","runtime":"nodejs14","handler":"index.handler","code":{"zipFile":"UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="}}`, "Content-Type", "application/json")
	if create.status != http.StatusOK {
		t.Fatalf("create fn: %d %s", create.status, create.body)
	}
	if out, a := tg.listConfigs(t, "fn", ""); a.status != http.StatusOK || len(out.Configs) != 0 {
		t.Errorf("configs of the new fn: %d %s, want none", a.status, a.body)
	}
}

func sameJSON(t *testing.T, a, b any) bool {
	t.Helper()
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	return string(x) == string(y)
}

func (tg *lcTarget) statefulFunctions(t *testing.T, query string) (fcapi.ListStatefulAsyncInvocationFunctionsOutput, answer) {
	t.Helper()
	a := tg.send(t, http.MethodGet, "/2016-08-15/stateful-async-invocation-functions?"+query, "")
	var out fcapi.ListStatefulAsyncInvocationFunctionsOutput
	if a.status == http.StatusOK {
		if err := json.Unmarshal(a.body, &out); err != nil {
			t.Fatalf("stateful functions: %v in %s", err, a.body)
		}
	}
	return out, a
}

func refs(rs []fcapi.FunctionRef) string {
	var w []string
	for _, r := range rs {
		w = append(w, r.ServiceName+"."+r.Qualifier+"/"+r.FunctionName)
	}
	return strings.Join(w, " ")
}

// The stateful functions are the configs with statefulInvocation true, one per qualifier, by
// service, function, qualifier; turning it off, or deleting the config, takes one off.
func TestListStatefulAsyncInvocationFunctions(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	putConfig(t, tg, "svc.prod", "fn", `{"statefulInvocation":true}`)
	putConfig(t, tg, "svc.1", "plain", `{"statefulInvocation":true}`)
	putConfig(t, tg, "svc", "picky", `{"statefulInvocation":false}`)
	tg.send(t, http.MethodDelete, lcBase+"backlog/async-invoke-config", "")
	whole, a := tg.statefulFunctions(t, "limit=100")
	if a.status != http.StatusOK || whole.NextToken != nil {
		t.Fatalf("%d %s", a.status, a.body)
	}
	if !slices.IsSortedFunc(whole.Data, func(x, y fcapi.FunctionRef) int {
		return cmp.Or(cmp.Compare(x.ServiceName, y.ServiceName), cmp.Compare(x.FunctionName, y.FunctionName), cmp.Compare(x.Qualifier, y.Qualifier))
	}) {
		t.Errorf("not by service, function, qualifier: %q", refs(whole.Data))
	}
	want := []string{"svc.LATEST/flaky", "svc.LATEST/fn", "svc.prod/fn", "svc.1/plain"}
	for _, w := range want {
		if !strings.Contains(" "+refs(whole.Data)+" ", " "+w+" ") {
			t.Errorf("%s missing from %q", w, refs(whole.Data))
		}
	}
	for _, gone := range []string{"/picky", "/backlog", "LATEST/plain", "/bare"} {
		if strings.Contains(refs(whole.Data), gone+" ") || strings.HasSuffix(refs(whole.Data), gone) {
			t.Errorf("%s listed in %q", gone, refs(whole.Data))
		}
	}
	var walked []fcapi.FunctionRef
	query := "limit=2"
	for range 50 {
		page, a := tg.statefulFunctions(t, query)
		if a.status != http.StatusOK || len(page.Data) > 2 {
			t.Fatalf("page %q: %d %s", query, a.status, a.body)
		}
		walked = append(walked, page.Data...)
		if page.NextToken == nil {
			break
		}
		query = "limit=2&nextToken=" + url.QueryEscape(*page.NextToken)
	}
	if refs(walked) != refs(whole.Data) {
		t.Errorf("pages of two: %q, want %q", refs(walked), refs(whole.Data))
	}
	tok := ""
	if first, _ := tg.statefulFunctions(t, "limit=1"); first.NextToken != nil {
		tok = *first.NextToken
	}
	cfgTok := ""
	if first, _ := tg.listConfigs(t, "fn", "limit=1"); first.NextToken != nil {
		cfgTok = *first.NextToken
	}
	for _, tt := range []struct{ query, wantCode string }{
		{"limit=0", "InvalidArgument"},
		{"limit=101", "InvalidArgument"},
		{"nextToken=" + url.QueryEscape(tok[:len(tok)-3]), "InvalidArgument"},
		{"nextToken=" + url.QueryEscape(cfgTok), "InvalidArgument"}, // a token of another list
	} {
		if _, a := tg.statefulFunctions(t, tt.query); a.status != http.StatusBadRequest || a.code() != tt.wantCode {
			t.Errorf("%s: %d %s, want 400 %s", tt.query, a.status, a.body, tt.wantCode)
		}
	}
}

// A page that holds the last configs carries no nextToken, whether fewer than limit or exactly
// limit are left: a client that follows tokens never asks for an empty page.
func TestListFunctionAsyncInvokeConfigsLastPageHasNoToken(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	putConfig(t, tg, "svc.prod", "fn", `{}`)
	putConfig(t, tg, "svc.1", "fn", `{}`)
	tests := []struct {
		limit       string
		expectPages string // the qualifiers of each page, pages split by |
	}{
		{"1", "1|LATEST|prod"},
		{"2", "1 LATEST|prod"},
		{"3", "1 LATEST prod"},
		{"4", "1 LATEST prod"},
	}
	for _, tt := range tests {
		t.Run("limit "+tt.limit, func(t *testing.T) {
			var pages []string
			query := "limit=" + tt.limit
			for range 5 {
				page, a := tg.listConfigs(t, "fn", query)
				if a.status != http.StatusOK {
					t.Fatalf("%s: %d %s", query, a.status, a.body)
				}
				var qs []string
				for _, c := range page.Configs {
					qs = append(qs, c.Qualifier)
				}
				pages = append(pages, strings.Join(qs, " "))
				if page.NextToken == nil {
					break
				}
				query = "limit=" + tt.limit + "&nextToken=" + url.QueryEscape(*page.NextToken)
			}
			if got := strings.Join(pages, "|"); got != tt.expectPages {
				t.Errorf("pages %q, want %q", got, tt.expectPages)
			}
		})
	}
}

// When the last config of a page and every one after it are deleted before the next page is
// asked for, that page is empty, without a token (not a 500).
func TestListFunctionAsyncInvokeConfigsAfterTheRestIsDeleted(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	putConfig(t, tg, "svc.prod", "fn", `{}`)
	putConfig(t, tg, "svc.1", "fn", `{}`)
	first, _ := tg.listConfigs(t, "fn", "limit=2")
	if qualifiers(first.Configs) != "1/fn LATEST/fn" || first.NextToken == nil {
		t.Fatalf("first page %q, token %v", qualifiers(first.Configs), first.NextToken)
	}
	for _, segment := range []string{"svc", "svc.prod"} {
		if a := tg.send(t, http.MethodDelete, "/2016-08-15/services/"+segment+"/functions/fn/async-invoke-config", ""); a.status != http.StatusNoContent {
			t.Fatalf("delete %s's config: %d %s", segment, a.status, a.body)
		}
	}
	_, a := tg.listConfigs(t, "fn", "limit=2&nextToken="+url.QueryEscape(*first.NextToken))
	if a.status != http.StatusOK || strings.TrimSpace(string(a.body)) != `{"configs":[]}` {
		t.Errorf("after deleting LATEST and prod: %d %s, want 200 {\"configs\":[]}", a.status, a.body)
	}
}

// A stateful config whose alias is deleted leaves the stateful functions list (the config of
// LATEST, whose function stays, does not).
func TestListStatefulAsyncInvocationFunctionsDropsADeletedAlias(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	putConfig(t, tg, "svc.prod", "fn", `{"statefulInvocation":true}`)
	putConfig(t, tg, "svc", "fn", `{"statefulInvocation":true}`)
	if before, _ := tg.statefulFunctions(t, "limit=100"); !strings.Contains(refs(before.Data), "svc.prod/fn") {
		t.Fatalf("svc.prod/fn not listed before the alias is deleted: %q", refs(before.Data))
	}
	if a := tg.send(t, http.MethodDelete, "/2016-08-15/services/svc/aliases/prod", ""); a.status != http.StatusNoContent {
		t.Fatalf("delete alias prod: %d %s", a.status, a.body)
	}
	after, a := tg.statefulFunctions(t, "limit=100")
	got := " " + refs(after.Data) + " "
	if a.status != http.StatusOK || strings.Contains(got, " svc.prod/fn ") || !strings.Contains(got, " svc.LATEST/fn ") {
		t.Errorf("after deleting alias prod: %d %q, want svc.LATEST/fn and no svc.prod/fn", a.status, refs(after.Data))
	}
}

// A forged token is refused every time it is sent, not only the first: the check's memo keeps
// only tokens that passed.
func TestAForgedTokenIsRefusedEveryTime(t *testing.T) {
	tg, _, forged := configTokens(t)
	for i := range 2 {
		if _, a := tg.listConfigs(t, "fn", "nextToken="+url.QueryEscape(forged)); a.status != 400 || a.code() != "InvalidArgument" {
			t.Errorf("forged token, try %d: %d %s, want 400 InvalidArgument", i+1, a.status, a.body)
		}
	}
}

// configTokens serves two configs of fn (LATEST, and one put on svc.prod) and returns the
// nextToken of their first page of one, and that token with its last two characters changed
// (its MAC no longer matches).
func configTokens(t *testing.T) (tg *lcTarget, tok, forged string) {
	t.Helper()
	tg = newLifecycleTarget(t, mock.Options{})
	putConfig(t, tg, "svc.prod", "fn", `{}`)
	first, _ := tg.listConfigs(t, "fn", "limit=1")
	if first.NextToken == nil {
		t.Fatal("no token on a first page of one of two configs")
	}
	tok = *first.NextToken
	forged = tok[:len(tok)-2] + map[bool]string{true: "AA", false: "AB"}[strings.HasSuffix(tok, "AB")]
	return tg, tok, forged
}
