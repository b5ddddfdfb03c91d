package mock_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/fcmock/fcmock/mock"
)

// A browser opening the mock's root (GET / asking for text/html) is sent to the console; any
// other request for /, or a browser's request for another path, is the FC API's to answer.
func TestOnlyABrowserOpeningTheRootIsSentToTheConsole(t *testing.T) {
	srv, err := mock.New(mock.Options{Fixtures: smallSet()})
	if err != nil {
		t.Fatal(err)
	}
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	tests := []struct {
		name, method, path, accept string
		expectConsole              bool
	}{
		{"a browser opening /", http.MethodGet, "/", browser, true},
		{"an API client asking for /", http.MethodGet, "/", "application/json", false},
		{"a form posted to /", http.MethodPost, "/", browser, false},
		{"a browser opening an API path", http.MethodGet, "/2016-08-15/services", browser, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			req.Header.Set("Accept", tt.accept)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			toConsole := rec.Code == http.StatusFound && rec.Header().Get("Location") == mock.AdminPrefix+"ui/"
			if toConsole != tt.expectConsole {
				t.Errorf("%s %s: %d Location %q, want sent to the console: %v", tt.method, tt.path, rec.Code, rec.Header().Get("Location"), tt.expectConsole)
			}
		})
	}
}
