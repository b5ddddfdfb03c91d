package mock_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
)

const svcPath = "/2016-08-15/services"

var (
	etagRE    = regexp.MustCompile(`^[0-9a-f]{32}$`)
	isoTimeRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
)

func init() {
	provokers[fc.CodeServiceAlreadyExists] = lifecycleCase(func(t *testing.T, tg *lcTarget) answer {
		return tg.sendJSON(t, http.MethodPost, svcPath, `{"serviceName":"svc"}`)
	})
	provokers[fc.CodeServiceNotEmpty] = lifecycleCase(func(t *testing.T, tg *lcTarget) answer {
		return tg.sendJSON(t, http.MethodDelete, svcPath+"/svc", "")
	})
	provokers[fc.CodePreconditionFailed] = lifecycleCase(func(t *testing.T, tg *lcTarget) answer {
		return tg.sendJSON(t, http.MethodPut, svcPath+"/svc", `{"description":"x"}`, "If-Match", "0123")
	})
}

// sendJSON is send with a JSON Content-Type, as every SDK sends its bodies.
func (tg *lcTarget) sendJSON(t testing.TB, method, path, body string, headers ...string) answer {
	t.Helper()
	return tg.send(t, method, path, body, append([]string{"Content-Type", "application/json"}, headers...)...)
}

// decode unmarshals a's body into v, failing the test when it does not decode.
func decode[T any](t testing.TB, a answer) T {
	t.Helper()
	var v T
	if a.status != http.StatusOK {
		t.Fatalf("status %d (%s: %s), want 200", a.status, a.err.ErrorCode, a.err.ErrorMessage)
	}
	if err := json.Unmarshal(a.body, &v); err != nil {
		t.Fatalf("body %q: %v", a.body, err)
	}
	return v
}

// wantError fails unless a is status with code, and its message contains each of msgs.
func wantError(t testing.TB, a answer, status int, code fc.Code, msgs ...string) {
	t.Helper()
	if a.status != status || a.err.ErrorCode != string(code) {
		t.Fatalf("got %d %s (%s), want %d %s", a.status, a.err.ErrorCode, a.err.ErrorMessage, status, code)
	}
	for _, m := range msgs {
		if !strings.Contains(a.err.ErrorMessage, m) {
			t.Errorf("message %q does not contain %q", a.err.ErrorMessage, m)
		}
	}
}

// wantDeleted fails unless a is FC's delete answer: 204, no body, no Content-Type.
func wantDeleted(t testing.TB, a answer) {
	t.Helper()
	if a.status != http.StatusNoContent || len(a.body) != 0 || a.header.Get("Content-Type") != "" || a.header.Get(fc.HeaderRequestID) == "" {
		t.Fatalf("delete: %d, body %q, Content-Type %q, request id %q; want 204, no body, no Content-Type, a request id",
			a.status, a.body, a.header.Get("Content-Type"), a.header.Get(fc.HeaderRequestID))
	}
}

func TestServiceLifecycle(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	created := tg.sendJSON(t, http.MethodPost, svcPath, `{"serviceName":"orders","role":"acs:ram::1:role/fc"}`)
	svc := decode[fcapi.Service](t, created)
	etag := created.header["Etag"]
	if len(etag) != 1 || !etagRE.MatchString(etag[0]) {
		t.Fatalf("Etag header %q, want one of 32 hex characters spelled Etag", etag)
	}
	if svc.ServiceName != "orders" || svc.ServiceId == "" || svc.Description != "" || svc.Role != "acs:ram::1:role/fc" || !svc.InternetAccess ||
		!isoTimeRE.MatchString(svc.CreatedTime) || svc.CreatedTime != svc.LastModifiedTime {
		t.Errorf("created service %+v: want FC's defaults", svc)
	}
	if svc.LogConfig["enableInstanceMetrics"] != false || svc.LogConfig["enableRequestMetrics"] != false || svc.LogConfig["logstore"] != "" {
		t.Errorf("logConfig %v: want both metric flags false and an empty logstore", svc.LogConfig)
	}
	// The raw JSON has every key (Go SDK dereferences them), description "" included.
	for _, k := range []string{`"description":""`, `"vpcConfig":`, `"nasConfig":`, `"tracingConfig":`} {
		if !strings.Contains(string(created.body), k) {
			t.Errorf("body %s lacks %s", created.body, k)
		}
	}

	got := tg.sendJSON(t, http.MethodGet, svcPath+"/orders", "")
	if g := decode[fcapi.Service](t, got); g.ServiceId != svc.ServiceId || got.header.Get("Etag") != etag[0] {
		t.Errorf("get: %+v etag %q, want the created service with the same Etag", g, got.header.Get("Etag"))
	}
	wantError(t, tg.sendJSON(t, http.MethodPost, svcPath, `{"serviceName":"orders"}`), http.StatusConflict, fc.CodeServiceAlreadyExists, "service 'orders' already exists")

	tg.advance(t, time.Second)
	wantError(t, tg.sendJSON(t, http.MethodPut, svcPath+"/orders", `{"description":"x"}`, "If-Match", "e19d5cd5af0378da05f63f891c7467af"),
		http.StatusPreconditionFailed, fc.CodePreconditionFailed, "the resource being modified has been changed")
	upd := tg.sendJSON(t, http.MethodPut, svcPath+"/orders", `{"description":"orders v2","role":null}`, "If-Match", etag[0])
	u := decode[fcapi.Service](t, upd)
	if u.Description != "orders v2" || u.Role != svc.Role || u.ServiceId != svc.ServiceId || u.CreatedTime != svc.CreatedTime || u.LastModifiedTime <= svc.LastModifiedTime {
		t.Errorf("updated %+v: want the description changed, role, id and createdTime kept, lastModifiedTime later than %s", u, svc.LastModifiedTime)
	}
	if e := upd.header.Get("Etag"); e == etag[0] || !etagRE.MatchString(e) {
		t.Errorf("Etag after update %q: want a new one", e)
	}
	// The old Etag no longer matches; no If-Match, no check.
	wantError(t, tg.sendJSON(t, http.MethodDelete, svcPath+"/orders", "", "If-Match", etag[0]), http.StatusPreconditionFailed, fc.CodePreconditionFailed)
	wantDeleted(t, tg.sendJSON(t, http.MethodDelete, svcPath+"/orders", "", "If-Match", upd.header.Get("Etag")))
	wantError(t, tg.sendJSON(t, http.MethodGet, svcPath+"/orders", ""), http.StatusNotFound, fc.CodeServiceNotFound, "service 'orders' does not exist")
	wantError(t, tg.sendJSON(t, http.MethodDelete, svcPath+"/orders", ""), http.StatusNotFound, fc.CodeServiceNotFound)
	wantError(t, tg.sendJSON(t, http.MethodPut, svcPath+"/orders", `{}`), http.StatusNotFound, fc.CodeServiceNotFound)
}

func TestServiceInput(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	// Keys in any case, null as "not supplied", sub-objects over their defaults.
	svc := decode[fcapi.Service](t, tg.sendJSON(t, http.MethodPost, svcPath,
		`{"ServiceName":"caps","Description":null,"InternetAccess":false,"logConfig":{"Project":"p","enableRequestMetrics":true},"tracingConfig":{}}`))
	if svc.ServiceName != "caps" || svc.Description != "" || svc.InternetAccess || svc.LogConfig["project"] != "p" ||
		svc.LogConfig["enableRequestMetrics"] != true || svc.LogConfig["enableInstanceMetrics"] != false {
		t.Errorf("service %+v", svc)
	}
	if v, ok := svc.TracingConfig["type"]; !ok || v != nil {
		t.Errorf("tracingConfig %v: want type present and null", svc.TracingConfig)
	}
	for _, c := range []struct{ name, body, msg string }{
		{"no name", `{"description":"d"}`, "serviceName"},
		{"bad name", `{"serviceName":"9lives"}`, "serviceName"},
		{"bad name, other case", `{"SERVICENAME":"a.b"}`, "serviceName"},
		{"not an object", `[1]`, ""},
		{"no body", ``, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantError(t, tg.sendJSON(t, http.MethodPost, svcPath, c.body, "Content-Type", "application/json"), http.StatusBadRequest, fc.CodeInvalidArgument, c.msg)
		})
	}
}

func TestServiceQualifiers(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	tg.sendJSON(t, http.MethodPut, svcPath+"/svc", `{"description":"now"}`)
	for _, c := range []struct{ seg, desc string }{{"svc", "now"}, {"svc.LATEST", "now"}, {"svc.1", ""}, {"svc.prod", ""}} {
		if s := decode[fcapi.Service](t, tg.sendJSON(t, http.MethodGet, svcPath+"/"+c.seg, "")); s.Description != c.desc || s.ServiceName != "svc" {
			t.Errorf("%s: %+v, want description %q", c.seg, s, c.desc)
		}
	}
	wantError(t, tg.sendJSON(t, http.MethodGet, svcPath+"/svc.9", ""), http.StatusNotFound, fc.CodeVersionNotFound, "version '9' of service 'svc' does not exist")
	wantError(t, tg.sendJSON(t, http.MethodGet, svcPath+"/svc.nope", ""), http.StatusNotFound, fc.CodeAliasNotFound, "alias 'nope'")
	// Update and Delete take no qualifier.
	wantError(t, tg.sendJSON(t, http.MethodPut, svcPath+"/svc.1", `{}`), http.StatusBadRequest, fc.CodeInvalidArgument, "serviceName")
}

func TestListServicesPaging(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	for _, n := range []string{"p-3", "p-0", "p-9", "p-1", "p-5", "p-2", "p-8", "p-4", "p-7", "p-6", "q-0"} {
		decode[fcapi.Service](t, tg.sendJSON(t, http.MethodPost, svcPath, `{"serviceName":"`+n+`"}`))
	}
	// Java's loop: nextToken= first, then until no token; 10 items at limit 3 are 4 calls.
	var names []string
	token, calls := "", 0
	for {
		page := decode[fcapi.ListServicesOutput](t, tg.sendJSON(t, http.MethodGet, svcPath+"?prefix=p-&limit=3&nextToken="+token, ""))
		calls++
		for _, s := range page.Services {
			names = append(names, s.ServiceName)
		}
		if page.NextToken == nil {
			break
		}
		if *page.NextToken == "" || calls > 10 {
			t.Fatalf("nextToken %q after %d calls", *page.NextToken, calls)
		}
		token = *page.NextToken
	}
	if want := "p-0 p-1 p-2 p-3 p-4 p-5 p-6 p-7 p-8 p-9"; strings.Join(names, " ") != want || calls != 4 {
		t.Errorf("walk: %d calls, %v; want 4 calls, %s", calls, names, want)
	}
	for _, c := range []struct{ query, want string }{
		{"?prefix=p-&startKey=p-7", "p-7 p-8 p-9"},
		{"?prefix=p-&startKey=p-7&nextToken=p-8", "p-8 p-9"}, // the token wins over startKey
		{"?prefix=q&nextToken=p-8", "q-0"},                   // prefix applies again
		{"?prefix=zz", ""},
		{"?startKey=q", "q-0 svc"},
		{"", "p-0 p-1 p-2 p-3 p-4 p-5 p-6 p-7 p-8 p-9 q-0 svc"},
	} {
		a := tg.sendJSON(t, http.MethodGet, svcPath+c.query, "")
		page := decode[fcapi.ListServicesOutput](t, a)
		var got []string
		for _, s := range page.Services {
			got = append(got, s.ServiceName)
		}
		if strings.Join(got, " ") != c.want || page.NextToken != nil {
			t.Errorf("%s: %v (token %v), want %q and no token", c.query, got, page.NextToken, c.want)
		}
		if c.want == "" && !strings.Contains(string(a.body), `"services":[]`) {
			t.Errorf("%s: body %s, want services []", c.query, a.body)
		}
	}
	for _, q := range []string{"?limit=0", "?limit=101", "?limit=x"} {
		wantError(t, tg.sendJSON(t, http.MethodGet, svcPath+q, ""), http.StatusBadRequest, fc.CodeInvalidArgument, "limit")
	}
}

func TestResetRestoresServices(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	decode[fcapi.Service](t, tg.sendJSON(t, http.MethodPost, svcPath, `{"serviceName":"temp"}`))
	before := decode[fcapi.Service](t, tg.sendJSON(t, http.MethodGet, svcPath+"/svc", ""))
	tg.sendJSON(t, http.MethodPut, svcPath+"/svc", `{"description":"changed"}`)
	if a := tg.sendJSON(t, http.MethodPost, mock.AdminPrefix+"reset", ""); a.status != http.StatusOK {
		t.Fatalf("reset: %d", a.status)
	}
	wantError(t, tg.sendJSON(t, http.MethodGet, svcPath+"/temp", ""), http.StatusNotFound, fc.CodeServiceNotFound)
	if after := decode[fcapi.Service](t, tg.sendJSON(t, http.MethodGet, svcPath+"/svc", "")); after.Description != before.Description {
		t.Errorf("after reset: description %q, want the fixtures' %q", after.Description, before.Description)
	}
}

// A body key breaking its rule is named by its JSON pointer, with the rule, in one line.
func TestBodyErrorNamesTheKey(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	a := tg.sendJSON(t, http.MethodPost, svcPath, `{"serviceName":"x","internetAccess":"yes"}`)
	wantError(t, a, http.StatusBadRequest, fc.CodeInvalidArgument, `request body "/internetAccess": value must be a boolean`)
	if strings.Contains(a.err.ErrorMessage, "\n") {
		t.Errorf("message %q spans lines", a.err.ErrorMessage)
	}
	a = tg.sendJSON(t, http.MethodPost, svcPath+"/svc/aliases", `{"aliasName":"w","versionId":"1","additionalVersionWeight":{"1":2}}`)
	wantError(t, a, http.StatusBadRequest, fc.CodeInvalidArgument, `request body "/additionalVersionWeight/1": number must be at most 1`)
}
