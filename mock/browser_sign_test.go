package mock_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/internal/fc"
)

// A browser cannot set Date: it signs with x-fc-date instead, after a preflight naming every
// header it will send. Both steps must pass, and the answer must let the page read its
// request id.
func TestBrowserSignedRequest(t *testing.T) {
	tg := newSignedTarget(t)
	const origin = "http://localhost:5173"
	sent := []string{"authorization", "content-md5", "content-type", "x-fc-account-id", "x-fc-date", "x-fc-trace-id"}

	pre, _ := http.NewRequest(http.MethodOptions, tg.url+listPath, nil)
	pre.Header.Set("Origin", origin)
	pre.Header.Set("Access-Control-Request-Method", "GET")
	pre.Header.Set("Access-Control-Request-Headers", strings.Join(sent, ","))
	res, err := http.DefaultClient.Do(pre)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	allowed := strings.Split(strings.ToLower(strings.ReplaceAll(res.Header.Get("Access-Control-Allow-Headers"), " ", "")), ",")
	for _, h := range sent {
		if !slices.Contains(allowed, h) {
			t.Errorf("preflight: Access-Control-Allow-Headers %q does not admit %s", allowed, h)
		}
	}

	tests := []struct {
		name   string
		skew   time.Duration
		status int
		code   string
	}{
		{"signed with x-fc-date, no Date", 0, http.StatusOK, ""},
		{"x-fc-date too far off", -20 * time.Minute, http.StatusForbidden, "RequestTimeTooSkewed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, tg.url+listPath+"?limit=2", nil)
			req.Header.Set("Origin", origin)
			req.Header.Set(fc.HeaderAccountID, "1234567890123456")
			req.Header.Set("X-Fc-Date", signedNow.Add(tt.skew).Format(http.TimeFormat))
			req.Header.Set("Authorization", "FC "+plainKey.AccessKeyID+":"+
				fc.Signature(plainKey.AccessKeySecret, fc.StringToSign(req.Method, req.Header, req.URL.EscapedPath(), nil)))
			if req.Header.Get("Date") != "" {
				t.Fatal("the request must carry no Date, as from a browser")
			}
			status, code := doJSONError(t, req)
			if status != tt.status || code != tt.code {
				t.Fatalf("got %d %q, want %d %q", status, code, tt.status, tt.code)
			}
		})
	}

	req, _ := http.NewRequest(http.MethodGet, tg.url+listPath, nil)
	req.Header.Set("Origin", origin)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	exposed := strings.ToLower(res.Header.Get("Access-Control-Expose-Headers"))
	for _, h := range []string{"x-fc-request-id", "x-fcmock-scenario-applied", "x-fc-stateful-async-invocation-id"} {
		if !strings.Contains(exposed, h) {
			t.Errorf("Access-Control-Expose-Headers %q lacks %s", exposed, h)
		}
	}
}
