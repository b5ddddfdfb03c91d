package mock_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/mock"
)

// With --admin-token, a browser opens the console once as /_fcmock/ui/?token=T: it gets the
// token as an HttpOnly, SameSite=Strict cookie scoped to /_fcmock/ and is sent on without the
// token in its address; the cookie then opens the admin API, and a wrong token opens nothing.
func TestConsoleLogsInWithTheTokenOnce(t *testing.T) {
	srv, err := mock.New(mock.Options{Fixtures: smallSet(), AdminToken: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	send := func(method, target string, cookie *http.Cookie) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, target, nil)
		req.RemoteAddr, req.Host = "192.0.2.7:5000", "localhost:9000"
		if cookie != nil {
			req.AddCookie(cookie)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}

	login := send(http.MethodGet, mock.AdminPrefix+"ui/?token=s3cret", nil)
	if login.Code != http.StatusSeeOther || login.Header().Get("Location") != mock.AdminPrefix+"ui/" {
		t.Fatalf("login: status %d, Location %q; want 303 to the console without the token", login.Code, login.Header().Get("Location"))
	}
	cookies := login.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("login set %d cookies, want 1", len(cookies))
	}
	ck := cookies[0]
	if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != mock.AdminPrefix || ck.Value != "s3cret" {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Strict, Path %s", ck, mock.AdminPrefix)
	}

	tests := []struct {
		name         string
		method, path string
		cookie       *http.Cookie
		expectStatus int
	}{
		{"the console with the cookie", http.MethodGet, mock.AdminPrefix + "ui/", ck, 200},
		{"the journal with the cookie", http.MethodGet, mock.AdminPrefix + "requests", ck, 200},
		{"the journal without it", http.MethodGet, mock.AdminPrefix + "requests", nil, 403},
		{"a cookie with a wrong token", http.MethodGet, mock.AdminPrefix + "requests", &http.Cookie{Name: ck.Name, Value: "guess"}, 403},
		{"a wrong token in the console's address", http.MethodGet, mock.AdminPrefix + "ui/?token=guess", nil, 403},
		{"a token in another admin address", http.MethodGet, mock.AdminPrefix + "requests?token=s3cret", nil, 403},
		{"a token in the address of a POST", http.MethodPost, mock.AdminPrefix + "ui/?token=s3cret", nil, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := send(tt.method, tt.path, tt.cookie)
			if rec.Code != tt.expectStatus {
				t.Errorf("status %d, want %d: %s", rec.Code, tt.expectStatus, rec.Body)
			}
			if tt.expectStatus == 403 && !strings.Contains(rec.Body.String(), `"ErrorCode":"AccessDenied"`) {
				t.Errorf("body %s, want FC error JSON with AccessDenied", rec.Body)
			}
		})
	}
}

// The admin cookie is Secure exactly when the login came over TLS: a Secure cookie set over
// plain HTTP would never be sent back, and one without it over TLS could leak to plain HTTP.
func TestConsoleCookieIsSecureOverTLSOnly(t *testing.T) {
	srv, err := mock.New(mock.Options{Fixtures: smallSet(), AdminToken: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	for _, scheme := range []string{"http", "https"} {
		t.Run(scheme, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, scheme+"://localhost:9000"+mock.AdminPrefix+"ui/?token=s3cret", nil)
			req.RemoteAddr = "192.0.2.7:5000"
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			cookies := rec.Result().Cookies()
			if rec.Code != http.StatusSeeOther || len(cookies) != 1 {
				t.Fatalf("login: status %d, %d cookies; want 303 and one cookie", rec.Code, len(cookies))
			}
			if want := scheme == "https"; cookies[0].Secure != want {
				t.Errorf("cookie Secure=%v, want %v", cookies[0].Secure, want)
			}
		})
	}
}
