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

// The contract suite passes against two replicas sharing Redis (and its virtual clock) behind
// a round-robin proxy, the lifecycle family included (Options.Mutating), the resources family
// excepted (run-time resources are per replica for now): every lifecycle check
// runs cases, each of its invokes, gets, lists, stops and clock moves landing on either replica.
// (Two replicas with their own memory fail it: the stop lands where the invoke did not.)
func TestContractAcrossTwoReplicas(t *testing.T) {
	for _, tt := range []struct{ service, qualifier, function string }{
		{"svc", "", "fn"}, {"svc", "prod", "fn"}, {"svc", "", "flaky-fn"}, {"svc", "", "failing-fn"}, {"svc", "", "stale-fn"},
	} {
		t.Run(tt.service+"."+tt.qualifier+"/"+tt.function, func(t *testing.T) {
			rs := redistest.Start(t)
			var urls []string
			for range 2 {
				st, err := redisstore.Open(context.Background(), redisstore.Options{URL: rs.URL()})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				srv, err := mock.New(mock.Options{Fixtures: os.DirFS("../../contract/testdata/fixtures"), Shared: st, Clock: st.VirtualClock(start)})
				if err != nil {
					t.Fatal(err)
				}
				hs := httptest.NewServer(srv)
				t.Cleanup(hs.Close)
				urls = append(urls, hs.URL)
			}
			tg := contract.Target{BaseURL: roundRobin(t, urls...), Service: tt.service, Qualifier: tt.qualifier, Function: tt.function, IsMock: true}
			rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: 7, Mutating: true})
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			rep.WriteText(&out)
			for _, c := range rep.Results {
				// Services, functions, versions and aliases made at run time live in each
				// replica's memory, not in Redis (docs/deploy.md): the resources family,
				// which creates a service on one replica and reads it on the other, cannot
				// pass here yet. Every other check must.
				if c.Failed > 0 && !strings.HasPrefix(c.Name, "resources/") {
					t.Errorf("%s fails against two replicas:\n%s", c.Name, &out)
				}
			}
			for _, c := range rep.Results {
				if strings.HasPrefix(c.Name, "lifecycle/") && (c.Cases == 0 || c.Informed > 0) {
					t.Errorf("%s: %d cases, %d informed, skipped %q; want cases and no information", c.Name, c.Cases, c.Informed, c.Skipped)
				}
			}
		})
	}
}
