package contract_test

import (
	"flag"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/fcmock/fcmock/contract"
	"github.com/fcmock/fcmock/mock"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// seed is the fixed seed of every run in these tests, so reports are reproducible.
const seed = 20201109

// dataSet is the contract's own data: svc/fn holds 40 invocations over every status and
// qualifier, with ties; svc/empty-fn holds none.
func dataSet() fs.FS { return os.DirFS("testdata/fixtures") }

// newMock serves the mock over fsys, each response passing through wrap when it is not nil
// (a fault), and returns a target for svc/fn.
func newMock(t testing.TB, fsys fs.FS, wrap func(http.Handler) http.Handler) contract.Target {
	t.Helper()
	return serveMock(t, mock.Options{Fixtures: fsys}, wrap)
}

// serveMock serves a mock built with opts, behind wrap when it is not nil, and returns a target
// for its svc/fn.
func serveMock(t testing.TB, opts mock.Options, wrap func(http.Handler) http.Handler) contract.Target {
	t.Helper()
	srv, err := mock.New(opts)
	if err != nil {
		t.Fatalf("mock.New: %v", err)
	}
	var h http.Handler = srv
	if wrap != nil {
		h = wrap(srv)
	}
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return contract.Target{BaseURL: hs.URL, Service: "svc", Function: "fn", IsMock: true, HTTPClient: hs.Client()}
}

// failing returns the names of the checks that failed.
func failing(rep *contract.Report) []string {
	var out []string
	for _, c := range rep.Results {
		if c.Failed > 0 {
			out = append(out, c.Name)
		}
	}
	return out
}
