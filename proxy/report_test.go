package proxy_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fcmock/fcmock/drift"
	"github.com/fcmock/fcmock/proxy"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// The JUnit and JSON forms of a report are interfaces (CI renders one, `fcmock drift` reads the
// other): golden files keep them from changing unnoticed. go test ./proxy -update rewrites them.
func TestReportGolden(t *testing.T) {
	at := time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)
	v := func(side, rule, where, reason string, status int, ev proxy.Evidence, counted bool) proxy.Tally {
		return proxy.Tally{Violation: proxy.Violation{Side: side, Rule: rule, Operation: "ListStatefulAsyncInvocations", Method: "GET",
			Path: "/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations", Status: status, Where: where,
			Reason: reason, Evidence: ev, Counted: counted}, Count: 2, First: at, Last: at.Add(time.Second)}
	}
	rep := &proxy.Report{Upstream: "https://1234567890123456.cn-hangzhou.fc.aliyuncs.com", Profile: proxy.ProfileService,
		Started: at, Ended: at.Add(time.Minute), Requests: 7, Violations: 6, Counted: 2,
		Distinct: []proxy.Tally{
			v("request", "request", "query parameter limit", "number must be at most 100", 0, proxy.Evidence{Level: "unknown"}, false),
			v("response", "schema", "/invocations/0/status", "value is not one of the allowed values", 200, proxy.Evidence{Level: "sdk", Source: "JAVA16", Confidence: "H"}, true),
			v("response", "status", "", "status 429 is not declared", 429, proxy.Evidence{Level: "unknown"}, false),
		},
		Traffic: &drift.Traffic{Operations: map[string]*drift.Operation{"ListStatefulAsyncInvocations": {Method: "GET",
			Path: "/2016-08-15/services/{serviceName}/functions/{functionName}/stateful-async-invocations", Requests: 7,
			Query: map[string]int{"limit": 3},
			Statuses: map[string]*drift.Response{"200": {Count: 5, Headers: map[string]int{"X-Fc-Request-Id": 5},
				Fields: map[string]*drift.Field{"": {Count: 5, Types: map[string]int{"object": 5}},
					"/invocations/*/status": {Count: 9, Types: map[string]int{"string": 9}, Values: map[string]int{"Running": 8, "Paused": 1}}}}}}}},
	}
	for _, out := range []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"report.xml", func(b *bytes.Buffer) error { return rep.WriteJUnit(b) }},
		{"report.json", func(b *bytes.Buffer) error { return rep.WriteJSON(b) }},
	} {
		var got bytes.Buffer
		if err := out.write(&got); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", out.file)
		if *update {
			os.WriteFile(path, got.Bytes(), 0o644)
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./proxy -update)", err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s differs from the golden file (-update rewrites it):\n%s", out.file, got.String())
		}
	}
	// The JSON reads back into the same report.
	var b bytes.Buffer
	rep.WriteJSON(&b)
	back, err := proxy.ReadReport(&b)
	if err != nil || back.Requests != 7 || back.Traffic.Operations["ListStatefulAsyncInvocations"].Statuses["200"].Fields["/invocations/*/status"].Values["Paused"] != 1 {
		t.Fatalf("read back: %v %+v", err, back)
	}
}
