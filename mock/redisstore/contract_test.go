package redisstore_test

import (
	"context"
	"io"
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
// a round-robin proxy, the lifecycle and resources families included (Options.Mutating): every
// lifecycle check runs cases, each of its invokes, gets, lists, stops and clock moves landing
// on either replica, and every resource made through one replica is read, changed and deleted
// through the other. The lifecycle family runs on a function it makes for itself (through one
// replica, invoked and deleted through either), and on fixture functions named for it. (Two
// replicas with their own memory fail it: the stop lands where the invoke did not, the function
// is created where the get does not look.)
func TestContractAcrossTwoReplicas(t *testing.T) {
	for _, tt := range []contract.FunctionRef{
		{}, {Service: "svc", Function: "fn"}, {Service: "svc", Qualifier: "prod", Function: "fn"},
		{Service: "svc", Function: "flaky-fn"}, {Service: "svc", Function: "failing-fn"}, {Service: "svc", Function: "stale-fn"},
	} {
		name, listed := tt.String(), tt
		if tt == (contract.FunctionRef{}) {
			name, listed = "its own function", contract.FunctionRef{Service: "svc", Function: "fn"}
		}
		t.Run(name, func(t *testing.T) {
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
			tg := contract.Target{BaseURL: roundRobin(t, urls...), Service: listed.Service, Qualifier: listed.Qualifier, Function: listed.Function, IsMock: true}
			rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: 7, Mutating: true, LifecycleFunction: tt})
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			rep.WriteText(&out)
			for _, c := range rep.Results {
				if c.Failed > 0 {
					t.Errorf("%s fails against two replicas:\n%s", c.Name, &out)
				}
			}
			for _, c := range rep.Results {
				if strings.HasPrefix(c.Name, "lifecycle/") && (c.Cases == 0 || c.Informed > 0) {
					t.Errorf("%s: %d cases, %d informed, skipped %q; want cases and no information", c.Name, c.Cases, c.Informed, c.Skipped)
				}
			}
			// What the mutating families made is gone, on both replicas.
			for _, u := range urls {
				res, err := http.Get(u + "/2016-08-15/services?prefix=fcmock")
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if strings.TrimSpace(string(body)) != `{"services":[]}` {
					t.Errorf("%s lists what the suite made: %s", u, body)
				}
			}
		})
	}
}
