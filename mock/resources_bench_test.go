package mock

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkResources measures the resource operations through the whole handler stack (routing,
// validation, the store): a GetFunction, a page of ListFunctions in a service of 1,000
// functions, and an UpdateFunction (a write: the store's one lock).
func BenchmarkResources(b *testing.B) {
	srv, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	do := func(method, target, body string) *benchWriter {
		var req *http.Request
		if body != "" {
			req = httptest.NewRequest(method, target, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
		} else {
			req = httptest.NewRequest(method, target, nil)
		}
		w := &benchWriter{header: http.Header{}}
		srv.ServeHTTP(w, req)
		return w
	}
	const base = "/2016-08-15/services/bench/functions"
	if w := do(http.MethodPost, "/2016-08-15/services", `{"serviceName":"bench"}`); w.status != 200 {
		b.Fatalf("create service: %d %s", w.status, w.body.String())
	}
	for i := 0; i < 1000; i++ {
		body := `{"functionName":"f` + strconv.Itoa(i) + `","runtime":"python3","handler":"h","code":{"zipFile":"UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="}}`
		if w := do(http.MethodPost, base, body); w.status != 200 {
			b.Fatalf("create function: %d %s", w.status, w.body.String())
		}
	}
	for _, c := range []struct{ name, method, target, body string }{
		{"get-function", http.MethodGet, base + "/f500", ""},
		{"list-functions-20", http.MethodGet, base + "?prefix=f5&limit=20", ""},
		{"update-function", http.MethodPut, base + "/f500", `{"timeout":30}`},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if w := do(c.method, c.target, c.body); w.status != 200 {
					b.Fatalf("%d %s", w.status, w.body.String())
				}
			}
		})
	}
}
