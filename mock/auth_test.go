package mock_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
)

var (
	signedNow = time.Date(2020, 11, 9, 9, 46, 33, 0, time.UTC)
	plainKey  = fc.Credentials{AccessKeyID: "AKIDEXAMPLE0001", AccessKeySecret: "mockSecret0123456789abcdefABCDEF"}
	stsKey    = fc.Credentials{AccessKeyID: "STS.AKID0002", AccessKeySecret: "stsSecret", SecurityToken: "STS.exampleToken"}
)

func newSignedTarget(t *testing.T) *target {
	t.Helper()
	srv, err := mock.New(mock.Options{Fixtures: smallSet(), Credentials: []fc.Credentials{plainKey, stsKey},
		Now: func() time.Time { return signedNow }})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &target{srv: srv, url: hs.URL}
}

func TestSignatureVerification(t *testing.T) {
	tg := newSignedTarget(t)
	tests := []struct {
		name          string
		given         func(*http.Request)
		expectStatus  int
		expectCode    string
		expectMention string
	}{
		{"signed with a known key", sign(plainKey, signedNow), 200, "", ""},
		{"signed with STS credentials and their token", sign(stsKey, signedNow), 200, "", ""},
		{"signed with a Date 14 minutes off", sign(plainKey, signedNow.Add(-14*time.Minute)), 200, "", ""},
		{"not signed", func(*http.Request) {}, 403, "AccessDenied", "Authorization"},
		{"malformed Authorization", func(r *http.Request) { r.Header.Set("Authorization", "Bearer x") }, 403, "AccessDenied", "FC <AccessKeyID>"},
		{"an unknown key", sign(fc.Credentials{AccessKeyID: "AKIDUNKNOWN", AccessKeySecret: "x"}, signedNow), 403, "InvalidAccessKeyID", "AKIDUNKNOWN"},
		{"the wrong secret", sign(fc.Credentials{AccessKeyID: plainKey.AccessKeyID, AccessKeySecret: "wrong"}, signedNow), 403, "SignatureNotMatch", "GET\\n"},
		{"a Date 16 minutes behind", sign(plainKey, signedNow.Add(-16*time.Minute)), 403, "RequestTimeTooSkewed", "too large"},
		{"a Date 16 minutes ahead", sign(plainKey, signedNow.Add(16*time.Minute)), 403, "RequestTimeTooSkewed", "too large"},
		{"no Date", func(r *http.Request) { sign(plainKey, signedNow)(r); r.Header.Del("Date") }, 400, "MissingRequiredHeader", "Date"},
		{"STS credentials without their token", func(r *http.Request) {
			sign(stsKey, signedNow)(r)
			r.Header.Del(fc.HeaderSecurityToken)
		}, 403, "AccessDenied", ""},
		{"a header changed after signing", func(r *http.Request) {
			r.Header.Set(fc.HeaderAccountID, "1")
			sign(plainKey, signedNow)(r)
			r.Header.Set(fc.HeaderAccountID, "2")
		}, 403, "SignatureNotMatch", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, tg.url+listPath+"?limit=2", nil)
			tt.given(req)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var e fcapi.Error
			json.NewDecoder(res.Body).Decode(&e)
			if res.StatusCode != tt.expectStatus || e.ErrorCode != tt.expectCode {
				t.Fatalf("got %d %s %q, want %d %s", res.StatusCode, e.ErrorCode, e.ErrorMessage, tt.expectStatus, tt.expectCode)
			}
			if !strings.Contains(e.ErrorMessage, tt.expectMention) {
				t.Errorf("message %q does not mention %q", e.ErrorMessage, tt.expectMention)
			}
			for _, secret := range []string{plainKey.AccessKeySecret, stsKey.AccessKeySecret, "wrong"} {
				if tt.expectStatus != 200 && strings.Contains(e.ErrorMessage, secret) {
					t.Errorf("the message shows a secret: %q", e.ErrorMessage)
				}
			}
		})
	}
}

func sign(c fc.Credentials, at time.Time) func(*http.Request) {
	return func(r *http.Request) { fc.Sign(r, c, at) }
}

// Browsers send preflights unsigned; they must pass so the signed request can follow.
func TestPreflightNeedsNoSignature(t *testing.T) {
	tg := newSignedTarget(t)
	req, _ := http.NewRequest(http.MethodOptions, tg.url+listPath, nil)
	req.Header.Set("Origin", "http://localhost:3000")
	req.Header.Set("Access-Control-Request-Method", "GET")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		t.Errorf("preflight: %d, want 204", res.StatusCode)
	}
}
