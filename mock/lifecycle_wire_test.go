package mock_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
)

// TestSignedInvoke sends the fact sheet's vector C (section 7.6: an async stateful invoke with a
// 9-byte body) with each SDK's Content-MD5 form; the Go and Node authorizations are the sheet's,
// computed outside this code base.
func TestSignedInvoke(t *testing.T) {
	const path = "/2016-08-15/services/demo-svc/functions/demo-fn/invocations"
	javaAuth := func(md5 string) string {
		sts := "POST\n" + md5 + "\napplication/octet-stream\nMon, 09 Nov 2020 09:46:33 GMT\n" +
			"x-fc-account-id:1234567890123456\nx-fc-invocation-type:Async\nx-fc-stateful-async-invocation-id:job-0001\n" + path
		m := hmac.New(sha256.New, []byte(plainKey.AccessKeySecret))
		m.Write([]byte(sts))
		return "FC AKIDEXAMPLE0001:" + base64.StdEncoding.EncodeToString(m.Sum(nil))
	}
	tests := []struct {
		name, md5, auth string
		status          int
		code            string
	}{
		{"Go: hex digest", "44244ce1a15ee6d4dc270001564cb759", "FC AKIDEXAMPLE0001:PGLPRodOkGP0Flel4ctVniijZvTRDcxtOW/zo7mjI6o=", 202, ""},
		{"Node: Base64 of the hex digest", "NDQyNDRjZTFhMTVlZTZkNGRjMjcwMDAxNTY0Y2I3NTk=", "FC AKIDEXAMPLE0001:kZuo502QpP5PbxFoLX+MyJ0ItZ/Lx9L9IokAigZNtpc=", 202, ""},
		{"Java: Base64 of the raw digest", "RCRM4aFe5tTcJwABVky3WQ==", javaAuth("RCRM4aFe5tTcJwABVky3WQ=="), 202, ""},
		{"Go's signature with Node's header", "NDQyNDRjZTFhMTVlZTZkNGRjMjcwMDAxNTY0Y2I3NTk=", "FC AKIDEXAMPLE0001:PGLPRodOkGP0Flel4ctVniijZvTRDcxtOW/zo7mjI6o=", 403, "SignatureNotMatch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := mock.New(mock.Options{Fixtures: fixtures.Default(), Credentials: []fc.Credentials{plainKey},
				Now: func() time.Time { return signedNow }, Clock: mock.NewVirtualClock(lcStart)})
			if err != nil {
				t.Fatal(err)
			}
			tg := &lcTarget{target: &target{srv: srv}}
			hs := httptestServer(t, srv)
			tg.url = hs
			a := tg.send(t, http.MethodPost, path, `{"k":"v"}`,
				"Content-MD5", tt.md5, "Content-Type", "application/octet-stream", "Date", "Mon, 09 Nov 2020 09:46:33 GMT",
				"X-Fc-Account-Id", "1234567890123456", "X-Fc-Invocation-Type", "Async", "X-Fc-Stateful-Async-Invocation-Id", "job-0001",
				"Authorization", tt.auth)
			if a.status != tt.status || a.code() != tt.code {
				t.Fatalf("got %d %s %q, want %d %s", a.status, a.code(), a.err.ErrorMessage, tt.status, tt.code)
			}
			if tt.status == 202 && a.header.Get("X-Fc-Stateful-Async-Invocation-Id") != "job-0001" {
				t.Errorf("id not echoed: %v", a.header)
			}
		})
	}
}

// TestLifecycleCORS: a browser may send and read the lifecycle's X-Fc-* headers.
func TestLifecycleCORS(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{AllowOrigins: []string{"http://localhost:3000"}})
	asked := "authorization,content-md5,content-type,date,x-fc-invocation-type,x-fc-stateful-async-invocation-id,x-fc-log-type"
	a := tg.send(t, http.MethodOptions, lcBase+"fn/invocations", "", "Origin", "http://localhost:3000",
		"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", asked)
	if a.status != http.StatusNoContent || !strings.Contains(a.header.Get("Access-Control-Allow-Methods"), "POST") ||
		!strings.EqualFold(a.header.Get("Access-Control-Allow-Headers"), asked) {
		t.Fatalf("preflight: %d %v", a.status, a.header)
	}
	a = tg.send(t, http.MethodPost, lcBase+"fn/invocations", "x", "Origin", "http://localhost:3000",
		"X-Fc-Invocation-Type", "Async", "X-Fc-Stateful-Async-Invocation-Id", "job-1")
	exposed := a.header.Get("Access-Control-Expose-Headers")
	for _, h := range []string{"X-Fc-Request-Id", "X-Fc-Stateful-Async-Invocation-Id", "X-Fc-Error-Type", "X-Fc-Log-Result"} {
		if !strings.Contains(exposed, h) {
			t.Errorf("Access-Control-Expose-Headers %q lacks %s", exposed, h)
		}
	}
	if a.header.Get("Access-Control-Allow-Origin") != "http://localhost:3000" {
		t.Errorf("Allow-Origin %q", a.header.Get("Access-Control-Allow-Origin"))
	}
}

// TestLifecycleScenariosAndJournal: a forced error wins over an invoke (and records nothing);
// the journal lists the lifecycle's requests.
func TestLifecycleScenariosAndJournal(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{Scenarios: true})
	a := tg.send(t, http.MethodPost, lcBase+"fn/invocations", "", "X-Fc-Invocation-Type", "Async",
		"X-Fc-Stateful-Async-Invocation-Id", "job-1", mock.HeaderScenario, "error=InternalServerError")
	if a.status != 500 || a.code() != "InternalServerError" {
		t.Fatalf("forced error: %d %s", a.status, a.code())
	}
	if _, a := tg.get(t, "fn", "job-1"); a.status != 404 {
		t.Errorf("a forced error recorded the invocation: %d", a.status)
	}
	a = tg.send(t, http.MethodGet, lcBase+"fn/stateful-async-invocations/fix-done", "", mock.HeaderScenario, "error=StatefulAsyncInvocationNotFound")
	if a.status != 404 || a.code() != "StatefulAsyncInvocationNotFound" {
		t.Errorf("forced lifecycle code: %d %s", a.status, a.code())
	}
	tg.mustInvoke(t, "fn", "job-2", "")
	tg.stop(t, "fn", "job-2")
	var j journalBody
	tg.getJSON(t, mock.AdminPrefix+"requests", &j)
	var got []string
	for _, e := range j.Requests {
		got = append(got, e.Method+" "+strings.TrimPrefix(e.Path, lcBase)+" "+itoa(e.Status)+" "+e.ErrorCode)
	}
	want := []string{"POST fn/invocations 500 InternalServerError", "GET fn/stateful-async-invocations/job-1 404 StatefulAsyncInvocationNotFound",
		"GET fn/stateful-async-invocations/fix-done 404 StatefulAsyncInvocationNotFound", "POST fn/invocations 202 ", "PUT fn/stateful-async-invocations/job-2 200 "}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("journal\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestStopAsEachSDKSendsIt: Go sends no body and no Content-Type, Java an empty body with
// Content-Type: application/json; both stop.
func TestStopAsEachSDKSendsIt(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	for _, tt := range []struct {
		id      string
		headers []string
	}{{"job-go", nil}, {"job-java", []string{"Content-Type", "application/json", "Content-Length", "0"}}} {
		tg.mustInvoke(t, "fn", tt.id, "")
		if a := tg.send(t, http.MethodPut, lcBase+"fn/stateful-async-invocations/"+tt.id, "", tt.headers...); a.status != http.StatusOK {
			t.Errorf("%s: %d %s", tt.id, a.status, a.err.ErrorMessage)
		}
		if a := tg.stop(t, "fn", tt.id); a.code() != "AsyncInvocationStopped" {
			t.Errorf("%s: the second stop got %d %s", tt.id, a.status, a.code())
		}
	}
}

// TestInvokeHostileBodies: a chunked body over the limit, and ids with bytes no id may hold.
func TestInvokeHostileBodies(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	req, _ := http.NewRequest(http.MethodPost, tg.url+lcBase+"fn/invocations",
		io.MultiReader(strings.NewReader(strings.Repeat("z", mock.MaxAsyncPayload)), strings.NewReader("!")))
	req.Header.Set("X-Fc-Invocation-Type", "Async")
	if status, code := doJSONError(t, req); status != 400 || code != "EntityTooLarge" {
		t.Errorf("chunked body over the limit: %d %s", status, code)
	}
	for _, id := range []string{"jöb", "job 1", strings.Repeat("j", 10000)} {
		a := tg.invoke(t, "fn", id, "")
		if a.status != 400 || a.code() != "InvalidArgument" {
			t.Errorf("id %q: %d %s", truncateID(id), a.status, a.code())
		}
	}
}

func truncateID(s string) string {
	if len(s) > 20 {
		return s[:20] + "..."
	}
	return s
}
