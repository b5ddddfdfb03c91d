package redisstore_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/fcmock/fcmock/contract"
	"github.com/fcmock/fcmock/internal/redistest"
	"github.com/fcmock/fcmock/mock"
	"github.com/fcmock/fcmock/mock/redisstore"
)

// roundRobin is a load balancer: each request goes to the next replica.
func roundRobin(t testing.TB, urls ...string) string {
	t.Helper()
	proxies := make([]*httputil.ReverseProxy, len(urls))
	for i, u := range urls {
		target, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		proxies[i] = httputil.NewSingleHostReverseProxy(target)
	}
	var next atomic.Uint64
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxies[next.Add(1)%uint64(len(proxies))].ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	return hs.URL
}

// The contract suite passes against two replicas sharing Redis behind a round-robin proxy.
func TestContractAcrossTwoReplicas(t *testing.T) {
	rs := redistest.Start(t)
	var urls []string
	for range 2 {
		st, err := redisstore.Open(context.Background(), redisstore.Options{URL: rs.URL()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		srv, err := mock.New(mock.Options{Fixtures: os.DirFS("../../contract/testdata/fixtures"), Shared: st})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv)
		t.Cleanup(hs.Close)
		urls = append(urls, hs.URL)
	}
	tg := contract.Target{BaseURL: roundRobin(t, urls...), Service: "svc", Function: "fn", IsMock: true}
	rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		var out strings.Builder
		rep.WriteText(&out)
		t.Errorf("the suite fails against two replicas:\n%s", &out)
	}
}
