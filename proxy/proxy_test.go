package proxy_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
	"github.com/fcmock/fcmock/proxy"
)

// The generated client works through the proxy unchanged, signed or not, and a conforming
// upstream yields no violation.
func TestGeneratedClientWorksThroughTheProxy(t *testing.T) {
	tests := []struct {
		name      string
		givenMock mock.Options
		whenSign  *fc.Credentials
	}{
		{name: "unsigned requests to a mock that checks no signature"},
		{name: "signed requests to a mock that checks signatures", givenMock: mock.Options{Credentials: []fc.Credentials{creds}}, whenSign: &creds},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := upstream(t, tt.givenMock, nil)
			p, base, _ := front(t, up, proxy.Options{FailOnViolation: true})
			want := walk(t, client(t, up, tt.whenSign), "demo-svc", "demo-fn")
			got := walk(t, client(t, base, tt.whenSign), "demo-svc", "demo-fn")
			if len(got) == 0 || len(got) != len(want) {
				t.Fatalf("through the proxy: %d invocations, direct: %d", len(got), len(want))
			}
			for i := range got {
				if got[i].InvocationId != want[i].InvocationId || got[i].Status != want[i].Status {
					t.Fatalf("invocation %d: through the proxy %s/%s, direct %s/%s", i, got[i].InvocationId, got[i].Status, want[i].InvocationId, want[i].Status)
				}
			}
			rep := p.Report()
			if rep.Violations != 0 || rep.Requests == 0 {
				t.Fatalf("report: %d requests, %d violations %+v; want requests and none", rep.Requests, rep.Violations, rep.Distinct)
			}
		})
	}
}

// A wrong signature goes through untouched, so the upstream still refuses it: the proxy does
// not launder requests.
func TestProxyKeepsABadSignatureBad(t *testing.T) {
	up := upstream(t, mock.Options{Credentials: []fc.Credentials{creds}}, nil)
	_, base, _ := front(t, up, proxy.Options{})
	wrong := creds
	wrong.AccessKeySecret = "not-the-secret"
	res, err := client(t, base, &wrong).ListStatefulAsyncInvocationsWithResponse(t.Context(), "demo-svc", "demo-fn", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode() != http.StatusForbidden || res.JSON403 == nil || res.JSON403.ErrorCode != "SignatureNotMatch" {
		t.Fatalf("got %d %s, want 403 SignatureNotMatch", res.StatusCode(), res.Body)
	}
}

// What the string-to-sign covers reaches the upstream byte for byte; Host becomes the
// upstream's.
func TestForwardsSignedPartsByteForByte(t *testing.T) {
	var gotURI, gotHost string
	var gotHeader http.Header
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotURI, gotHost, gotHeader = r.RequestURI, r.Host, r.Header.Clone()
		w.Header().Set(fc.HeaderRequestID, "r-1")
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}))
	defer up.Close()
	_, base, _ := front(t, up.URL, proxy.Options{})
	uri := "/2016-08-15/services/demo%2Dsvc.prod/functions/fn_1/stateful-async-invocations?limit=2&invocationIdPrefix=a%2Bb&x=%41"
	req, _ := http.NewRequest(http.MethodGet, base+uri, nil)
	signed := map[string]string{
		"Date":                    "Mon, 09 Nov 2020 09:46:33 GMT",
		"Content-Md5":             "NDQyNDRjZTFhMTVlZTZkNGRjMjcwMDAxNTY0Y2I3NTk=",
		"Content-Type":            "application/json",
		"X-Fc-Account-Id":         "1234567890123456",
		"X-Fc-Trace-Id":           "trace-0001",
		"X-Fc-Security-Token":     "STS.exampleToken",
		"X-Fc-Invocation-Type":    "Async",
		"Authorization":           "FC AKIDEXAMPLE0001:7ZcB9bP8S8WKJ4vf297k+zpxNQqlFKV8OWBCW8gf9Sw=",
		"X-Fc-Custom-Inner-Space": "a  b\tc", // HTTP trims the ends of a value, never its inside
	}
	for k, v := range signed {
		req.Header[k] = []string{v}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if gotURI != uri {
		t.Errorf("request URI upstream = %q, want %q", gotURI, uri)
	}
	if u, _ := url.Parse(up.URL); gotHost != u.Host {
		t.Errorf("Host upstream = %q, want the upstream's %q", gotHost, u.Host)
	}
	for k, v := range signed {
		if got := gotHeader[http.CanonicalHeaderKey(k)]; !slices.Equal(got, []string{v}) {
			t.Errorf("header %s upstream = %q, want %q", k, got, v)
		}
	}
	path, _, _ := strings.Cut(uri, "?")
	want := fc.StringToSign(http.MethodGet, req.Header, path, nil)
	if got := fc.StringToSign(http.MethodGet, gotHeader, path, nil); got != want {
		t.Errorf("string to sign upstream:\n%q\nwant\n%q", got, want)
	}
}

// With Resign the proxy signs for an unsigned client; without, the signing mock refuses it.
func TestResignSignsWithTheProxysCredentials(t *testing.T) {
	up := upstream(t, mock.Options{Credentials: []fc.Credentials{creds}}, nil)
	tests := []struct {
		name       string
		whenResign *fc.Credentials
		expect     int
	}{
		{name: "without resign the unsigned request is refused", expect: http.StatusForbidden},
		{name: "with resign it is signed and served", whenResign: &creds, expect: http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, base, _ := front(t, up, proxy.Options{Resign: tt.whenResign, Now: time.Now})
			res, err := client(t, base, nil).ListStatefulAsyncInvocationsWithResponse(t.Context(), "demo-svc", "demo-fn", nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode() != tt.expect {
				t.Fatalf("got %d %s, want %d", res.StatusCode(), res.Body, tt.expect)
			}
		})
	}
}

// An upstream that does not answer gets a 502 in FC's error JSON and is counted.
func TestUnreachableUpstreamIs502(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	_, base, _ := front(t, deadURL, proxy.Options{})
	status, h, body := get(t, base+"/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations")
	if status != http.StatusBadGateway || h.Get(fc.HeaderRequestID) == "" || fcError(t, body).ErrorCode != string(proxy.CodeUpstreamUnreachable) {
		t.Fatalf("got %d %v %s, want 502 UpstreamUnreachable with a request id", status, h, body)
	}
	_, _, metrics := get(t, base+proxy.MetricsPath)
	if !strings.Contains(string(metrics), "fcmock_proxy_upstream_errors_total 1\n") {
		t.Fatalf("metrics do not count the upstream error:\n%s", metrics)
	}
}

// The metrics count requests by operation and status, violations by rule and level, and the
// latency histogram, in Prometheus text format.
func TestMetrics(t *testing.T) {
	up := upstream(t, mock.Options{}, nil)
	p, base, _ := front(t, up, proxy.Options{})
	list := "/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations"
	get(t, base+list)
	get(t, base+list+"?limit=500") // the client breaks the spec; the mock answers 400
	get(t, base+"/2016-08-15/nowhere")
	var request []string
	for _, v := range p.Report().Distinct {
		if v.Rule == proxy.RuleRequest {
			request = append(request, v.Where+": "+v.Reason)
		}
	}
	if want := "query parameter limit: number must be at most 100"; len(request) != 1 || request[0] != want {
		t.Errorf("request violations %q, want [%q]", request, want)
	}
	status, h, body := get(t, base+proxy.MetricsPath)
	if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("metrics: %d %s", status, h.Get("Content-Type"))
	}
	for _, want := range []string{
		`fcmock_proxy_requests_total{operation="ListStatefulAsyncInvocations",status="200"} 1`,
		`fcmock_proxy_requests_total{operation="ListStatefulAsyncInvocations",status="400"} 1`,
		`fcmock_proxy_requests_total{operation="none",status="404"} 1`,
		`fcmock_proxy_violations_total{side="request",rule="request",level="doc"} 1`, // Limit's schema: doc (SEED)
		`fcmock_proxy_violations_total{side="request",rule="route",level="unknown"} 1`,
		`fcmock_proxy_counted_violations_total 0`,
		`fcmock_proxy_request_duration_seconds_bucket{le="+Inf"} 3`,
		`fcmock_proxy_request_duration_seconds_count 3`,
		"# TYPE fcmock_proxy_request_duration_seconds histogram",
	} {
		if !strings.Contains(string(body), want+"\n") {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
}
