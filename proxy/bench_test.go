package proxy_test

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/fcmock/fcmock/mock"
	"github.com/fcmock/fcmock/proxy"
)

// BenchmarkOverhead measures what the proxy adds to a request: the same listing (limit=20, with
// payloads) sent b.N times straight to the mock, then b.N times through the proxy (forwarding,
// request and answer validation, traffic observation, recording on), in one run. It reports
// both latencies and their ratio; docs/benchmarks.md records a run.
func BenchmarkOverhead(b *testing.B) {
	up := upstream(b, mock.Options{}, nil)
	_, base, _ := front(b, up, proxy.Options{Record: true, Logger: discard})
	const path = "/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations?limit=20&includePayload=true"
	cl := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	do := func(url string) {
		res, err := cl.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("%s: %d", url, res.StatusCode)
		}
	}
	do(up + path) // warm both connections
	do(base + path)
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		do(up + path)
	}
	direct := time.Since(start)
	start = time.Now()
	for range b.N {
		do(base + path)
	}
	proxied := time.Since(start)
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(direct.Microseconds())/n, "direct-µs/op")
	b.ReportMetric(float64(proxied.Microseconds())/n, "proxied-µs/op")
	b.ReportMetric(float64(proxied)/float64(direct), "ratio")
}
