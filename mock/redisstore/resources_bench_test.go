package redisstore

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/mock"
)

// BenchmarkResourceStores compares the resources in Redis with those in memory, through the
// server's handler (Redis over loopback TCP), in a mock holding a service of 1,000 functions
// (100 under -short): a GetFunction (a read: one GET of the version), a page of ListFunctions,
// and an UpdateFunction (a write: the whole state decoded, changed, encoded and written).
func BenchmarkResourceStores(b *testing.B) {
	n := 1000
	if testing.Short() {
		n = 100
	}
	mem, red, _ := benchServers(b, nil)
	const base = "/2016-08-15/services/bench/functions"
	post := func(target, body string) *http.Request {
		req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		return req
	}
	for _, s := range []struct {
		name string
		srv  *mock.Server
	}{{"memory", mem}, {"redis", red}} {
		w := &recorder{header: http.Header{}}
		if s.srv.ServeHTTP(w, post("/2016-08-15/services", `{"serviceName":"bench"}`)); w.status != 200 {
			b.Fatalf("create service: %d %s", w.status, w.body.String())
		}
		for i := 0; i < n; i++ {
			body := `{"functionName":"f` + strconv.Itoa(i) + `","runtime":"python3","handler":"h","code":{"zipFile":"UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="}}`
			if w := (&recorder{header: http.Header{}}); func() bool { s.srv.ServeHTTP(w, post(base, body)); return w.status != 200 }() {
				b.Fatalf("create function: %d %s", w.status, w.body.String())
			}
		}
		b.Run("get-function/"+s.name, func(b *testing.B) {
			benchRequests(b, s.srv, http.StatusOK, func(int) *http.Request { return httptest.NewRequest(http.MethodGet, base+"/f50", nil) })
		})
		b.Run("list-functions-20/"+s.name, func(b *testing.B) {
			benchRequests(b, s.srv, http.StatusOK, func(int) *http.Request { return httptest.NewRequest(http.MethodGet, base+"?prefix=f5&limit=20", nil) })
		})
		b.Run("update-function/"+s.name, func(b *testing.B) {
			benchRequests(b, s.srv, http.StatusOK, func(int) *http.Request {
				req := httptest.NewRequest(http.MethodPut, base+"/f50", strings.NewReader(`{"timeout":30}`))
				req.Header.Set("Content-Type", "application/json")
				return req
			})
		})
	}
}
