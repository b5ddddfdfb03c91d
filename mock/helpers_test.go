package mock_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/mock"
)

// target is a mock served over real HTTP with a generated client pointed at it.
type target struct {
	srv    *mock.Server
	url    string
	client *fcapi.ClientWithResponses
}

func newTarget(t *testing.T, fsys fs.FS) *target {
	t.Helper()
	srv, err := mock.New(mock.Options{Fixtures: fsys})
	if err != nil {
		t.Fatalf("mock.New: %v", err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	client, err := fcapi.NewClientWithResponses(hs.URL)
	if err != nil {
		t.Fatal(err)
	}
	return &target{srv: srv, url: hs.URL, client: client}
}

func smallSet() fs.FS { return os.DirFS("testdata/small") }

func (tg *target) list(t *testing.T, service, function string, p fcapi.ListStatefulAsyncInvocationsParams) *fcapi.ListStatefulAsyncInvocationsResponse {
	t.Helper()
	res, err := tg.client.ListStatefulAsyncInvocationsWithResponse(context.Background(), service, function, &p)
	if err != nil {
		t.Fatalf("list %s/%s: %v", service, function, err)
	}
	return res
}

// get sends a raw GET, for requests the generated client cannot express.
func (tg *target) get(t *testing.T, pathAndQuery string) (*http.Response, fcapi.Error) {
	t.Helper()
	return tg.do(t, http.MethodGet, pathAndQuery)
}

func (tg *target) do(t *testing.T, method, pathAndQuery string) (*http.Response, fcapi.Error) {
	t.Helper()
	req, err := http.NewRequest(method, tg.url+pathAndQuery, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var e fcapi.Error
	if res.StatusCode >= 400 && method != http.MethodHead {
		if err := json.NewDecoder(res.Body).Decode(&e); err != nil {
			t.Fatalf("%s %s: status %d with a body that is not FC error JSON: %v", method, pathAndQuery, res.StatusCode, err)
		}
	}
	return res, e
}

func ids(invs *[]fcapi.StatefulAsyncInvocation) []string {
	if invs == nil {
		return nil
	}
	out := make([]string, len(*invs))
	for i, inv := range *invs {
		out[i] = inv.InvocationId
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func doJSONError(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var e fcapi.Error
	_ = json.NewDecoder(res.Body).Decode(&e)
	return res.StatusCode, e.ErrorCode
}
