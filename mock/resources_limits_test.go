package mock_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/resources"
	"github.com/fcmock/fcmock/mock"
)

// lifecycleResources is how many resources the lifecycle data set holds: svc, its 6 functions,
// its alias, and version 1 (one plus the 6 functions it copies).
const lifecycleResources = 1 + 6 + 1 + 1 + 6

func init() {
	provokers[fc.CodeLimitExceeded] = func(t *testing.T) (int, string) {
		tg := newLifecycleTarget(t, mock.Options{Resources: resources.NewMemWithLimits(resources.Limits{Resources: lifecycleResources})})
		a := tg.sendJSON(t, http.MethodPost, svcPath, `{"serviceName":"one-too-many"}`)
		return a.status, a.code()
	}
}

func TestResourceLimits(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{Resources: resources.NewMemWithLimits(resources.Limits{Resources: lifecycleResources + 2, CodeBytes: 8})})
	decode[fcapi.Service](t, tg.sendJSON(t, http.MethodPost, svcPath, `{"serviceName":"s1"}`))
	wantError(t, tg.sendJSON(t, http.MethodPost, svcPath+"/s1/functions", fnBody("f", "python3", "123456789")), http.StatusBadRequest,
		fc.CodeLimitExceeded, "at most 8 bytes of code")
	decode[fcapi.Function](t, tg.sendJSON(t, http.MethodPost, svcPath+"/s1/functions", fnBody("f", "python3", "12345678")))
	wantError(t, tg.sendJSON(t, http.MethodPost, svcPath, `{"serviceName":"s2"}`), http.StatusBadRequest, fc.CodeLimitExceeded, "at most 17")
	// The same package again costs nothing; a delete frees its resource.
	decode[fcapi.Function](t, tg.sendJSON(t, http.MethodPut, svcPath+"/s1/functions/f", `{"code":{"zipFile":"`+zip64("12345678")+`"}}`))
	wantDeleted(t, tg.sendJSON(t, http.MethodDelete, svcPath+"/s1/functions/f", ""))
	decode[fcapi.Service](t, tg.sendJSON(t, http.MethodPost, svcPath, `{"serviceName":"s2"}`))
	// Publishing copies the functions: version 2 of svc would cost 7.
	tg.sendJSON(t, http.MethodPut, svcPath+"/svc", `{"description":"x"}`)
	wantError(t, tg.sendJSON(t, http.MethodPost, svcPath+"/svc/versions", `{}`), http.StatusBadRequest, fc.CodeLimitExceeded)
	// A reset starts the count again.
	tg.send(t, http.MethodPost, mock.AdminPrefix+"reset", "")
	decode[fcapi.Service](t, tg.sendJSON(t, http.MethodPost, svcPath, `{"serviceName":"s3"}`))
}

// A body over MaxResourceBody is refused by its Content-Length, before it is read.
func TestResourceBodyLimit(t *testing.T) {
	srv, err := mock.New(mock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, svcPath, strings.NewReader(`{"serviceName":"big"}`))
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = mock.MaxResourceBody + 1
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	var e fcapi.Error
	_ = json.Unmarshal(rec.Body.Bytes(), &e)
	if rec.Code != http.StatusBadRequest || e.ErrorCode != string(fc.CodeEntityTooLarge) {
		t.Errorf("%d %s (%s), want 400 EntityTooLarge", rec.Code, e.ErrorCode, e.ErrorMessage)
	}
	// A body that lies about its length is cut at the limit and does not decode.
	req = httptest.NewRequest(http.MethodPost, svcPath, strings.NewReader(`{"serviceName":"big","description":"`+strings.Repeat("x", mock.MaxResourceBody)+`"}`))
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = -1
	rec = httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest {
		t.Errorf("chunked body over the limit: %d %s, want 400", rec.Code, rec.Body.Bytes())
	}
}

// The Content-Length limit holds for every resource write, a Create (POST) as an Update (PUT),
// and a body of exactly MaxResourceBody bytes is within it.
func TestResourceBodyLimitHoldsForEveryWrite(t *testing.T) {
	srv, err := mock.New(mock.Options{Fixtures: os.DirFS("testdata/lifecycle")})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, path, body string
		givenLength              int64 // the Content-Length declared
		expectStatus             int
		expectCode               string
	}{
		{"a create over the limit", http.MethodPost, svcPath, `{"serviceName":"big"}`, mock.MaxResourceBody + 1, 400, string(fc.CodeEntityTooLarge)},
		{"an update over the limit", http.MethodPut, svcPath + "/svc", `{"description":"big"}`, mock.MaxResourceBody + 1, 400, string(fc.CodeEntityTooLarge)},
		{"a create of the limit", http.MethodPost, svcPath, `{"serviceName":"just"}`, mock.MaxResourceBody, 200, ""},
		{"an update of the limit", http.MethodPut, svcPath + "/svc", `{"description":"just"}`, mock.MaxResourceBody, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Served in process: the body is short, the declared length is what is checked.
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			req.ContentLength = tt.givenLength
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			var e fcapi.Error
			_ = json.Unmarshal(rec.Body.Bytes(), &e)
			if rec.Code != tt.expectStatus || e.ErrorCode != tt.expectCode {
				t.Errorf("%d %s (%s), want %d %s", rec.Code, e.ErrorCode, e.ErrorMessage, tt.expectStatus, tt.expectCode)
			}
		})
	}
}
