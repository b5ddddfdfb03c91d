package proxy_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/fcmock/fcmock/drift"
	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/spec"
	"github.com/fcmock/fcmock/mock"
	"github.com/fcmock/fcmock/proxy"
)

// drifting puts the mock behind a transform that plays a service that moved on from the spec:
// every listed invocation gains a field (priority) and has one renamed (instanceId becomes
// instanceID), the first of each page has a status the spec does not know (Paused), answers
// carry a new header, and report-export answers 429, a status the operation does not declare.
func drifting(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/functions/report-export/") {
			w.Header().Set(fc.HeaderRequestID, "drift-429")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"ErrorCode":"ResourceExhausted","ErrorMessage":"concurrency limit exceeded"}`))
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var page map[string]any
		if rec.Code == http.StatusOK && strings.HasSuffix(r.URL.Path, "/stateful-async-invocations") && json.Unmarshal(body, &page) == nil {
			invs, _ := page["invocations"].([]any)
			for i, v := range invs {
				inv := v.(map[string]any)
				inv["priority"] = 3
				if id, ok := inv["instanceId"]; ok {
					delete(inv, "instanceId")
					inv["instanceID"] = id
				}
				if i == 0 {
					inv["status"] = "Paused"
				}
			}
			body, _ = json.Marshal(page)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("X-Fc-Shiny-New-Header", "1")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		w.Write(body)
	})
}

// Against a drifting upstream the proxy flags each change, drift names it, and what the
// recording kept loads and is served back by the mock.
func TestDriftingUpstream(t *testing.T) {
	up := upstream(t, mock.Options{}, drifting)
	p, base, _ := front(t, up, proxy.Options{Record: true})
	cl := client(t, base, nil)
	seen := walk(t, cl, "demo-svc", "demo-fn")
	res, err := cl.ListStatefulAsyncInvocationsWithResponse(t.Context(), "demo-svc", "report-export", nil)
	if err != nil || res.StatusCode() != http.StatusTooManyRequests {
		t.Fatalf("report-export: %v %d, want the upstream's 429 passed on", err, res.StatusCode())
	}

	rep := p.Report()
	var rules []string
	for _, v := range rep.Distinct {
		rules = append(rules, v.Rule+" "+v.Where)
	}
	for _, want := range []string{"schema /invocations/0/status", "status "} {
		if !containsPrefix(rules, want) {
			t.Errorf("violations %q lack %q", rules, want)
		}
	}

	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	read, err := proxy.ReadReport(&buf)
	if err != nil {
		t.Fatal(err)
	}
	result := drift.Compare(doc, read.Traffic)
	var got []string
	for _, f := range result.Drift {
		got = append(got, f.Kind+" "+f.Status+" "+f.Where+" "+f.Detail)
	}
	for _, want := range []string{
		"field 200 /invocations/*/priority field not declared by the schema",
		`field 200 /invocations/*/instanceID field not declared by the schema (renamed from "instanceId"?)`,
		"enum-value 200 /invocations/*/status = Paused",
		"status 429 429",
		"header 200 X-Fc-Shiny-New-Header",
	} {
		if !containsPrefix(got, want) {
			t.Errorf("drift lacks %q; got:\n%s", want, strings.Join(got, "\n"))
		}
	}

	dir := t.TempDir()
	recd, err := p.WriteRecording(dir)
	if err != nil {
		t.Fatal(err)
	}
	pages := (len(seen) + 6) / 7
	if want := len(seen) - pages; recd.Invocations != want || len(recd.Skipped) != pages {
		t.Fatalf("recorded %d invocations, skipped %d; want %d recorded and the %d Paused ones skipped", recd.Invocations, len(recd.Skipped), want, pages)
	}
	served := walk(t, client(t, upstream(t, mock.Options{Fixtures: os.DirFS(dir)}, nil), nil), "demo-svc", "demo-fn")
	if len(served) != recd.Invocations {
		t.Fatalf("the mock serves %d of the %d recorded invocations", len(served), recd.Invocations)
	}
	for _, inv := range served {
		if inv.InstanceId != nil {
			t.Fatalf("%s: recorded the renamed field under the old name", inv.InvocationId)
		}
	}
}

// With FailOnViolation a non-conforming answer becomes a 502 describing the violation, when
// the violation counts under the profile; what does not count passes on.
func TestFailOnViolationFollowsTheProfile(t *testing.T) {
	up := upstream(t, mock.Options{}, drifting)
	for _, profile := range []proxy.Profile{proxy.ProfileMock, proxy.ProfileService} {
		t.Run(string(profile), func(t *testing.T) {
			p, base, _ := front(t, up, proxy.Options{FailOnViolation: true, Profile: profile})
			status, h, body := get(t, base+"/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations")
			rep := p.Report()
			counted := 0
			for _, v := range rep.Distinct {
				if v.Counted != profile.Fails(v.Evidence) {
					t.Errorf("%s %s: counted=%v, but the profile says %v for evidence %+v", v.Rule, v.Where, v.Counted, !v.Counted, v.Evidence)
				}
				if v.Counted {
					counted++
				}
			}
			if profile == proxy.ProfileMock && counted == 0 {
				t.Fatal("the mock profile counted nothing")
			}
			if counted == 0 {
				if status != http.StatusOK {
					t.Fatalf("nothing counts under %s, yet got %d %s", profile, status, body)
				}
				return
			}
			e := fcError(t, body)
			if status != http.StatusBadGateway || e.ErrorCode != string(proxy.CodeContractViolation) ||
				!strings.Contains(e.ErrorMessage, "/invocations/0/status") || h.Get(fc.HeaderRequestID) == "" {
				t.Fatalf("got %d %s %s, want 502 ContractViolation naming /invocations/0/status", status, h, body)
			}
		})
	}
}

// A recording of a conforming upstream round-trips: every invocation walked through the proxy
// is served back, field for field, by a mock on the recording; payloads can be redacted.
func TestRecordingRoundTrips(t *testing.T) {
	up := upstream(t, mock.Options{}, nil)
	for _, redact := range []bool{false, true} {
		t.Run("redact="+strconv.FormatBool(redact), func(t *testing.T) {
			p, base, _ := front(t, up, proxy.Options{Record: true, RedactPayloads: redact})
			cl := client(t, base, nil)
			var want []string
			for _, fn := range []string{"demo-svc.prod/demo-fn", "demo-svc/image-resize", "demo-svc/idle-fn", "service_name.alias/function_name"} {
				svc, f, _ := strings.Cut(fn, "/")
				for _, inv := range walk(t, cl, svc, f) {
					b, _ := json.Marshal(inv)
					want = append(want, string(b))
				}
			}
			walk(t, cl, "demo-svc.prod", "demo-fn") // seen twice: recorded once
			dir := t.TempDir()
			recd, err := p.WriteRecording(dir)
			if err != nil {
				t.Fatal(err)
			}
			if recd.Invocations != len(want) || len(recd.Skipped) != 0 || recd.Functions != 4 {
				t.Fatalf("recording %+v; want %d invocations of 4 functions, none skipped", recd, len(want))
			}
			set, err := fixtures.Load(os.DirFS(dir))
			if err != nil {
				t.Fatalf("the recording does not load: %v", err)
			}
			cl2 := client(t, upstream(t, mock.Options{Fixtures: os.DirFS(dir)}, nil), nil)
			var got []string
			for _, fn := range []string{"demo-svc.prod/demo-fn", "demo-svc/image-resize", "demo-svc/idle-fn", "service_name.alias/function_name"} {
				svc, f, _ := strings.Cut(fn, "/")
				for _, inv := range walk(t, cl2, svc, f) {
					if redact && inv.InvocationPayload != nil && !strings.HasPrefix(*inv.InvocationPayload, "<redacted: ") {
						t.Fatalf("%s: payload %q not redacted", inv.InvocationId, *inv.InvocationPayload)
					}
					b, _ := json.Marshal(inv)
					got = append(got, string(b))
				}
			}
			if !redact && strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("served back:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if len(got) != len(want) || len(set.Invocations) != len(want) {
				t.Fatalf("served back %d, loaded %d, want %d", len(got), len(set.Invocations), len(want))
			}
		})
	}
}

func containsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// An invocation seen several times is recorded once, in the state seen last: here the first
// answer shows demo-fn's first invocation still running, the second one finished.
func TestRecordingKeepsTheNewestState(t *testing.T) {
	var calls atomic.Int32
	earlier := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) > 1 {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var page map[string]any
			json.Unmarshal(rec.Body.Bytes(), &page)
			first := page["invocations"].([]any)[0].(map[string]any)
			first["status"], first["endTime"], first["destinationStatus"] = "Running", 0, ""
			delete(first, "events")
			body, _ := json.Marshal(page)
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set(fc.HeaderRequestID, "earlier")
			w.Write(body)
		})
	}
	p, base, _ := front(t, upstream(t, mock.Options{}, earlier), proxy.Options{Record: true})
	limit := int32(1)
	var ids []string
	for range 2 {
		res, err := client(t, base, nil).ListStatefulAsyncInvocationsWithResponse(t.Context(), "demo-svc", "demo-fn", &fcapi.ListStatefulAsyncInvocationsParams{Limit: &limit})
		if err != nil || res.JSON200 == nil {
			t.Fatalf("%v %v", err, res)
		}
		inv := (*res.JSON200.Invocations)[0]
		ids = append(ids, inv.InvocationId+" "+string(inv.Status))
	}
	if !strings.HasSuffix(ids[0], " Running") || strings.HasSuffix(ids[1], " Running") {
		t.Fatalf("the two answers: %q; want the same invocation running, then not", ids)
	}
	set := recorded(t, p)
	if len(set.Invocations) != 1 || set.Invocations[0].InvocationId+" "+string(set.Invocations[0].Status) != ids[1] {
		t.Fatalf("recorded %+v, want only %s", set.Invocations, ids[1])
	}
}

// Without a profile the proxy grades as the contract suite does by default: service.
func TestDefaultProfileIsService(t *testing.T) {
	p, _, _ := front(t, upstream(t, mock.Options{}, nil), proxy.Options{})
	if got := p.Report().Profile; got != proxy.ProfileService {
		t.Fatalf("default profile %q, want %q", got, proxy.ProfileService)
	}
}
