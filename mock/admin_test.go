package mock_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/mock"
)

type journalBody struct {
	Requests []mock.Entry `json:"requests"`
}

func TestJournalRecordsAndClears(t *testing.T) {
	tg := newScenarioTarget(t, mock.Options{JournalSize: 3})
	tg.get(t, listPath+"?limit=1")
	tg.withHeader(t, listPath, mock.HeaderScenario, "error=ServiceNotFound")
	for i := 0; i < 3; i++ {
		tg.get(t, listPath+"?limit=2")
	}
	var j journalBody
	res := tg.getJSON(t, mock.AdminPrefix+"requests", &j)
	if res.StatusCode != 200 || len(j.Requests) != 3 {
		t.Fatalf("journal: status %d, %d entries; want the last 3", res.StatusCode, len(j.Requests))
	}
	for _, e := range j.Requests {
		if e.Query != "limit=2" || e.Status != 200 || e.RequestID == "" || e.Method != "GET" || e.Path != listPath {
			t.Errorf("entry %+v", e)
		}
	}

	tg.do(t, http.MethodDelete, mock.AdminPrefix+"requests")
	tg.withHeader(t, listPath, mock.HeaderScenario, "error=ServiceNotFound")
	tg.getJSON(t, mock.AdminPrefix+"requests", &j)
	if len(j.Requests) != 1 {
		t.Fatalf("after DELETE and one request the journal has %d entries", len(j.Requests))
	}
	if e := j.Requests[0]; e.Status != 404 || e.ErrorCode != "ServiceNotFound" || e.Scenario != "error=ServiceNotFound" {
		t.Errorf("entry %+v: want status 404, code and scenario recorded", e)
	}
}

func (tg *target) getJSON(t *testing.T, path string, v any) *http.Response {
	t.Helper()
	res, err := http.Get(tg.url + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
	return res
}

// Reset reloads the fixtures from disk, dropping invocations added at run time; a broken edit
// is refused and the running data kept.
func TestResetReloadsFixtures(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, "testdata/small", dir)
	srv, err := mock.New(mock.Options{Fixtures: os.DirFS(dir)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	tg := &target{srv: srv, url: hs.URL}
	addInvocation(t, tg, "added-at-run-time", 10)

	count := func() int {
		var out fcapi.ListStatefulAsyncInvocationsOutput
		tg.getJSON(t, listPath, &out)
		return len(ids(out.Invocations))
	}
	if n := count(); n != 7 {
		t.Fatalf("before reset: %d invocations, want 7", n)
	}
	res, _ := tg.do(t, http.MethodPost, mock.AdminPrefix+"reset")
	if res.StatusCode != 200 || count() != 6 {
		t.Errorf("after reset: status %d, %d invocations; want 200 and the 6 of the fixtures", res.StatusCode, count())
	}

	os.WriteFile(filepath.Join(dir, "invocations", "small.yaml"), []byte("invocations: [{}]\n"), 0o644)
	res, e := tg.do(t, http.MethodPost, mock.AdminPrefix+"reset")
	if res.StatusCode != 400 || !strings.Contains(e.ErrorMessage, "small.yaml") || count() != 6 {
		t.Errorf("a broken reload: %d %q, then %d invocations; want 400 naming the file and the old data kept", res.StatusCode, e.ErrorMessage, count())
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAdminAccess(t *testing.T) {
	srv, err := mock.New(mock.Options{Fixtures: smallSet()})
	if err != nil {
		t.Fatal(err)
	}
	tokenSrv, err := mock.New(mock.Options{Fixtures: smallSet(), AdminToken: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		server       *mock.Server
		givenRemote  string
		givenToken   string
		expectStatus int
	}{
		{"loopback without a token configured", srv, "127.0.0.1:5000", "", 200},
		{"IPv6 loopback", srv, "[::1]:5000", "", 200},
		{"another host without a token configured", srv, "192.0.2.7:5000", "", 403},
		{"another host with the token", tokenSrv, "192.0.2.7:5000", "s3cret", 200},
		{"another host with a wrong token", tokenSrv, "192.0.2.7:5000", "guess", 403},
		{"loopback must send a configured token too", tokenSrv, "127.0.0.1:5000", "", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, mock.AdminPrefix+"requests", nil)
			req.RemoteAddr, req.Host = tt.givenRemote, "localhost:9000"
			if tt.givenToken != "" {
				req.Header.Set(mock.HeaderAdminToken, tt.givenToken)
			}
			rec := httptest.NewRecorder()
			tt.server.ServeHTTP(rec, req)
			if rec.Code != tt.expectStatus {
				t.Errorf("status %d, want %d: %s", rec.Code, tt.expectStatus, rec.Body)
			}
			if tt.expectStatus == 403 && !strings.Contains(rec.Body.String(), `"ErrorCode":"AccessDenied"`) {
				t.Errorf("body %s, want FC error JSON with AccessDenied", rec.Body)
			}
		})
	}
}

// Admin requests are not FC API requests: they are neither journaled nor validated as FC paths.
func TestAdminRequestsAreNotJournaled(t *testing.T) {
	tg := newTarget(t, smallSet())
	var j journalBody
	tg.getJSON(t, mock.AdminPrefix+"requests", &j)
	tg.getJSON(t, mock.AdminPrefix+"requests", &j)
	if len(j.Requests) != 0 {
		t.Errorf("journal holds %d admin requests", len(j.Requests))
	}
	res, e := tg.get(t, mock.AdminPrefix+"nothing")
	if res.StatusCode != 404 || e.ErrorCode != "PathNotFound" {
		t.Errorf("unknown admin path: %d %s", res.StatusCode, e.ErrorCode)
	}
}
