package proxy

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// latencyBuckets are the upper bounds, in seconds, of the latency histogram.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// metrics counts what GET /_fcmock/metrics shows, in Prometheus text format (version 0.0.4),
// written by hand: a few counters and one histogram need no client library.
type metrics struct {
	mu             sync.Mutex
	requests       map[[2]string]uint64 // operation, status
	violations     map[[3]string]uint64 // side, rule, level
	counted        uint64
	upstreamErrors uint64
	buckets        []uint64 // per latencyBuckets, not cumulative
	sum            float64
	count          uint64
}

func newMetrics() *metrics {
	return &metrics{requests: map[[2]string]uint64{}, violations: map[[3]string]uint64{},
		buckets: make([]uint64, len(latencyBuckets))}
}

// observe counts one request: its operation ("" when none matched), status (0 when the
// upstream did not answer), violations and latency.
func (m *metrics) observe(op string, status int, vs []Violation, d time.Duration) {
	if op == "" {
		op = "none"
	}
	sec := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[2]string{op, strconv.Itoa(status)}]++
	for _, v := range vs {
		m.violations[[3]string{v.Side, v.Rule, v.Evidence.Level}]++
		if v.Counted {
			m.counted++
		}
	}
	if status == 0 {
		m.upstreamErrors++
	}
	for i, le := range latencyBuckets {
		if sec <= le {
			m.buckets[i]++
			break
		}
	}
	m.sum += sec
	m.count++
}

// write renders the metrics, series sorted so the output is stable.
func (m *metrics) write(w io.Writer) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var b strings.Builder
	b.WriteString("# HELP fcmock_proxy_requests_total Requests forwarded, by operation and upstream status (0: no answer).\n# TYPE fcmock_proxy_requests_total counter\n")
	for _, k := range sortedPairs(m.requests) {
		fmt.Fprintf(&b, "fcmock_proxy_requests_total{operation=%q,status=%q} %d\n", k[0], k[1], m.requests[k])
	}
	b.WriteString("# HELP fcmock_proxy_violations_total Spec violations, by side, rule and evidence level.\n# TYPE fcmock_proxy_violations_total counter\n")
	keys := make([][3]string, 0, len(m.violations))
	for k := range m.violations {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return strings.Join(keys[i][:], "\x00") < strings.Join(keys[j][:], "\x00") })
	for _, k := range keys {
		fmt.Fprintf(&b, "fcmock_proxy_violations_total{side=%q,rule=%q,level=%q} %d\n", k[0], k[1], k[2], m.violations[k])
	}
	fmt.Fprintf(&b, "# HELP fcmock_proxy_counted_violations_total Violations that count under the proxy's profile.\n# TYPE fcmock_proxy_counted_violations_total counter\nfcmock_proxy_counted_violations_total %d\n", m.counted)
	fmt.Fprintf(&b, "# HELP fcmock_proxy_upstream_errors_total Requests the upstream did not answer.\n# TYPE fcmock_proxy_upstream_errors_total counter\nfcmock_proxy_upstream_errors_total %d\n", m.upstreamErrors)
	b.WriteString("# HELP fcmock_proxy_request_duration_seconds Time from receiving a request to the end of its answer's checks.\n# TYPE fcmock_proxy_request_duration_seconds histogram\n")
	var cum uint64
	for i, le := range latencyBuckets {
		cum += m.buckets[i]
		fmt.Fprintf(&b, "fcmock_proxy_request_duration_seconds_bucket{le=%q} %d\n", strconv.FormatFloat(le, 'g', -1, 64), cum)
	}
	fmt.Fprintf(&b, "fcmock_proxy_request_duration_seconds_bucket{le=\"+Inf\"} %d\n", m.count)
	fmt.Fprintf(&b, "fcmock_proxy_request_duration_seconds_sum %s\n", strconv.FormatFloat(m.sum, 'g', -1, 64))
	fmt.Fprintf(&b, "fcmock_proxy_request_duration_seconds_count %d\n", m.count)
	_, err := io.WriteString(w, b.String())
	return err
}

func sortedPairs(m map[[2]string]uint64) [][2]string {
	keys := make([][2]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][0] != keys[j][0] {
			return keys[i][0] < keys[j][0]
		}
		return keys[i][1] < keys[j][1]
	})
	return keys
}
