package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/mock"
)

// TestLifecycle invokes each kind of function and reads it at the instants its status changes.
func TestLifecycle(t *testing.T) {
	type step struct {
		after    time.Duration // clock advance before the read
		status   fcapi.StatefulInvocationStatus
		retried  int64
		ended    bool
		instance bool
	}
	tests := []struct {
		name, fn, payload string
		steps             []step
		history           string // the final events' statuses
		errMsg            string
	}{
		{"the default function succeeds", "fn", "hello", []step{
			{0, fcapi.Enqueued, 0, false, false},
			{time.Second, fcapi.Dequeued, 0, false, false},
			{200 * time.Millisecond, fcapi.Running, 0, false, true},
			{2999 * time.Millisecond, fcapi.Running, 0, false, true},
			{time.Millisecond, fcapi.Succeeded, 0, true, true},
			{24 * time.Hour, fcapi.Succeeded, 0, true, true},
		}, "Enqueued Dequeued Running Succeeded", ""},
		{"a flaky function retries twice and succeeds", "flaky", "x", []step{
			{1200 * time.Millisecond, fcapi.Running, 0, false, true},
			{2 * time.Second, fcapi.Retrying, 0, false, true},
			{1200 * time.Millisecond, fcapi.Running, 1, false, true},
			{2 * time.Second, fcapi.Retrying, 1, false, true},
			{1200 * time.Millisecond, fcapi.Running, 2, false, true},
			{2 * time.Second, fcapi.Succeeded, 2, true, true},
		}, "Enqueued Dequeued Running Retrying Running Retrying Running Succeeded", ""},
		{"a failing payload uses its one retry and fails", "picky", "a bad payload", []step{
			{time.Hour, fcapi.Failed, 1, true, true},
		}, "Enqueued Dequeued Running Retrying Running Failed", "bad input"},
		{"another payload of the same function succeeds", "picky", "fine", []step{
			{time.Hour, fcapi.Succeeded, 0, true, true},
		}, "Enqueued Dequeued Running Succeeded", ""},
		{"an event queued past its age expires", "backlog", "", []step{
			{time.Hour, fcapi.Enqueued, 0, false, false},
			{time.Hour, fcapi.Expired, 0, true, false},
		}, "Enqueued Dequeued Expired", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := newLifecycleTarget(t, mock.Options{})
			tg.mustInvoke(t, tt.fn, "job-1", tt.payload)
			var inv fcapi.StatefulAsyncInvocation
			for i, s := range tt.steps {
				tg.advance(t, s.after)
				inv = tg.mustGet(t, tt.fn, "job-1")
				if inv.Status != s.status || inv.AlreadyRetriedTimes != s.retried || (inv.EndTime != 0) != s.ended || (inv.InstanceId != nil) != s.instance {
					t.Fatalf("step %d: status %s retried %d endTime %d instance %v, want %s %d ended=%v instance=%v (history %s)",
						i, inv.Status, inv.AlreadyRetriedTimes, inv.EndTime, inv.InstanceId != nil, s.status, s.retried, s.ended, s.instance, statuses(inv))
				}
			}
			if got := statuses(inv); got != tt.history {
				t.Errorf("history %s, want %s", got, tt.history)
			}
			if got := *inv.InvocationErrorMessage; got != tt.errMsg {
				t.Errorf("invocationErrorMessage %q, want %q", got, tt.errMsg)
			}
			if inv.StartedTime != lcStart.UnixMilli() || inv.InvocationPayload == nil || *inv.InvocationPayload != tt.payload {
				t.Errorf("startedTime %d payload %v", inv.StartedTime, inv.InvocationPayload)
			}
			last := (*inv.Events)[len(*inv.Events)-1]
			if last.Timestamp != inv.EndTime {
				t.Errorf("endTime %d, the last event is at %d", inv.EndTime, last.Timestamp)
			}
		})
	}
}

// TestStop covers stops at every point of the lifecycle, twice, too late, and of fixtures.
func TestStop(t *testing.T) {
	tests := []struct {
		name      string
		fn        string
		before    time.Duration // advance before the stop
		wantCode  string        // "" for 200
		second    string        // a second stop's code, "" for none
		after     time.Duration // advance after the stop
		status    fcapi.StatefulInvocationStatus
		ended     bool
		history   string
		runtimeID bool
	}{
		{"while enqueued", "fn", 500 * time.Millisecond, "", "AsyncInvocationStopped", 500 * time.Millisecond, fcapi.Stopping, false, "Enqueued Stopping", true},
		{"while enqueued, then stopped", "fn", 500 * time.Millisecond, "", "", time.Second, fcapi.Stopped, true, "Enqueued Stopping Stopped", true},
		{"while running", "fn", 2 * time.Second, "", "AsyncInvocationStopped", time.Hour, fcapi.Stopped, true, "Enqueued Dequeued Running Stopping Stopped", true},
		{"while retrying", "flaky", 3500 * time.Millisecond, "", "AsyncInvocationStopped", time.Hour, fcapi.Stopped, true, "Enqueued Dequeued Running Retrying Stopping Stopped", true},
		{"after it succeeded", "fn", time.Hour, "InvalidArgument", "InvalidArgument", 0, fcapi.Succeeded, true, "Enqueued Dequeued Running Succeeded", true},
		{"at the instant it succeeds", "fn", 4200 * time.Millisecond, "InvalidArgument", "", 0, fcapi.Succeeded, true, "Enqueued Dequeued Running Succeeded", true},
		{"after it expired", "backlog", 3 * time.Hour, "InvalidArgument", "", 0, fcapi.Expired, true, "Enqueued Dequeued Expired", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := newLifecycleTarget(t, mock.Options{})
			tg.mustInvoke(t, tt.fn, "job-1", "")
			tg.advance(t, tt.before)
			if a := tg.stop(t, tt.fn, "job-1"); a.code() != tt.wantCode {
				t.Fatalf("stop: %d %s %s, want %q", a.status, a.code(), a.err.ErrorMessage, tt.wantCode)
			} else if a.status == http.StatusOK && (string(a.body) != "{}\n" || a.header.Get("Content-Type") != "application/json") {
				t.Errorf("stop answered %q (%s), want {}", a.body, a.header.Get("Content-Type"))
			}
			if tt.second != "" {
				if a := tg.stop(t, tt.fn, "job-1"); a.code() != tt.second {
					t.Errorf("second stop: %d %s, want %s", a.status, a.code(), tt.second)
				} else if a.code() == "AsyncInvocationStopped" && a.status != http.StatusPreconditionFailed {
					t.Errorf("AsyncInvocationStopped with status %d", a.status)
				}
			}
			tg.advance(t, tt.after)
			inv := tg.mustGet(t, tt.fn, "job-1")
			if inv.Status != tt.status || (inv.EndTime != 0) != tt.ended || statuses(inv) != tt.history {
				t.Errorf("got %s endTime %d history %s, want %s ended=%v %s", inv.Status, inv.EndTime, statuses(inv), tt.status, tt.ended, tt.history)
			}
		})
	}
	t.Run("fixtures", func(t *testing.T) {
		tg := newLifecycleTarget(t, mock.Options{})
		for id, want := range map[string]string{"fix-done": "InvalidArgument", "fix-live": "InvalidArgument", "fix-stopped": "AsyncInvocationStopped"} {
			if a := tg.stop(t, "fn", id); a.code() != want {
				t.Errorf("stop %s: %d %s, want %s", id, a.status, a.code(), want)
			}
		}
		if inv := tg.mustGet(t, "fn", "fix-live"); inv.Status != fcapi.Running {
			t.Errorf("the refused stop changed the fixture: %s", inv.Status)
		}
	})
}

// TestLifecycleErrors provokes each error of the new operations through HTTP.
func TestLifecycleErrors(t *testing.T) {
	big := strings.Repeat("x", mock.MaxAsyncPayload+1)
	async := []string{"X-Fc-Invocation-Type", "Async"}
	withID := func(id string, h ...string) []string {
		return append([]string{"X-Fc-Invocation-Type", "Async", "X-Fc-Stateful-Async-Invocation-Id", id}, h...)
	}
	tests := []struct {
		name         string
		method, path string
		body         string
		headers      []string
		status       int
		code         string
		mention      string
	}{
		{"reused run-time id", "POST", lcBase + "fn/invocations", "", withID("job-1"), 409, "StatefulAsyncInvocationAlreadyExists", "'job-1'"},
		{"reused fixture id", "POST", lcBase + "fn/invocations", "", withID("fix-done"), 409, "StatefulAsyncInvocationAlreadyExists", "'fix-done'"},
		{"reused id through a qualifier", "POST", "/2016-08-15/services/svc.prod/functions/fn/invocations", "", withID("job-1"), 409, "StatefulAsyncInvocationAlreadyExists", ""},
		{"id breaking the rule: digit first", "POST", lcBase + "fn/invocations", "", withID("1job"), 400, "InvalidArgument", "X-Fc-Stateful-Async-Invocation-Id"},
		{"id breaking the rule: a dot", "POST", lcBase + "fn/invocations", "", withID("job.1"), 400, "InvalidArgument", "X-Fc-Stateful-Async-Invocation-Id"},
		{"id breaking the rule: 129 characters", "POST", lcBase + "fn/invocations", "", withID("j" + strings.Repeat("x", 128)), 400, "InvalidArgument", "X-Fc-Stateful-Async-Invocation-Id"},
		{"unknown invocation type", "POST", lcBase + "fn/invocations", "", []string{"X-Fc-Invocation-Type", "Later"}, 400, "InvalidArgument", "X-Fc-Invocation-Type"},
		{"an id with Sync", "POST", lcBase + "fn/invocations", "", []string{"X-Fc-Invocation-Type", "Sync", "X-Fc-Stateful-Async-Invocation-Id", "job-2"}, 400, "InvalidArgument", "Sync"},
		{"async body too large", "POST", lcBase + "fn/invocations", big, async, 400, "EntityTooLarge", "131072"},
		{"async body too large, with an id", "POST", lcBase + "fn/invocations", big, withID("job-3"), 400, "EntityTooLarge", "131072"},
		{"sync body too large", "POST", lcBase + "fn/invocations", strings.Repeat("x", mock.MaxSyncPayload+1), nil, 400, "EntityTooLarge", "33554432"},
		{"an id on a function not in stateful mode", "POST", lcBase + "plain/invocations", "", withID("job-4"), 400, "InvalidArgument", "statefulInvocation"},
		{"an id on a function without an async config", "POST", lcBase + "bare/invocations", "", withID("job-4"), 400, "InvalidArgument", "statefulInvocation"},
		{"log type not allowed", "POST", lcBase + "fn/invocations", "", []string{"X-Fc-Log-Type", "Invalid"}, 400, "InvalidArgument",
			"LogType is set to an invalid value (allowed: Tail | None, actual: 'Invalid')"},
		{"Tail on an async invoke", "POST", lcBase + "fn/invocations", "", []string{"X-Fc-Invocation-Type", "Async", "X-Fc-Log-Type", "Tail"}, 400, "InvalidArgument",
			"LogType is set to an invalid value (allowed: None, actual: 'Tail')"},
		{"invoke an unknown function", "POST", lcBase + "nope/invocations", "", async, 404, "FunctionNotFound", "'nope'"},
		{"invoke through an unknown alias", "POST", "/2016-08-15/services/svc.nope/functions/fn/invocations", "", async, 404, "AliasNotFound", ""},
		{"get an unknown id", "GET", lcBase + "fn/stateful-async-invocations/job-404", "", nil, 404, "StatefulAsyncInvocationNotFound", "'job-404'"},
		{"get of another function's id", "GET", lcBase + "flaky/stateful-async-invocations/job-1", "", nil, 404, "StatefulAsyncInvocationNotFound", ""},
		{"get through another qualifier", "GET", "/2016-08-15/services/svc.prod/functions/fn/stateful-async-invocations/job-1", "", nil, 404, "StatefulAsyncInvocationNotFound", ""},
		{"get a bad id", "GET", lcBase + "fn/stateful-async-invocations/bad~id", "", nil, 400, "InvalidArgument", "invocationId"},
		// An id the service generated may start with a digit (a UUID): it is looked up, not refused.
		{"get an unknown id that starts with a digit", "GET", lcBase + "fn/stateful-async-invocations/9lives", "", nil, 404, "StatefulAsyncInvocationNotFound", "'9lives'"},
		{"stop an unknown id", "PUT", lcBase + "fn/stateful-async-invocations/job-404", "", nil, 404, "StatefulAsyncInvocationNotFound", "'job-404'"},
		{"stop with a body", "PUT", lcBase + "fn/stateful-async-invocations/job-1", "{}", []string{"Content-Type", "application/json"}, 400, "InvalidArgument", "no request body"},
		{"get a config the qualifier lacks", "GET", "/2016-08-15/services/svc.prod/functions/fn/async-invoke-config", "", nil, 404, "AsyncConfigNotExists", "svc.prod:fn"},
		{"delete a config that is not there", "DELETE", lcBase + "bare/async-invoke-config", "", nil, 404, "AsyncConfigNotExists", ""},
		{"put a config out of range", "PUT", lcBase + "fn/async-invoke-config", `{"maxAsyncRetryAttempts":9}`, []string{"Content-Type", "application/json"}, 400, "InvalidArgument", "maxAsyncRetryAttempts"},
		{"put a config that is not JSON", "PUT", lcBase + "fn/async-invoke-config", `{`, []string{"Content-Type", "application/json"}, 400, "InvalidArgument", ""},
		{"PATCH on the invocation path", "PATCH", lcBase + "fn/stateful-async-invocations/job-1", "", nil, 400, "PathNotSupported", "'PATCH'"},
		{"GET on the invoke path", "GET", lcBase + "fn/invocations", "", nil, 400, "PathNotSupported", "'GET'"},
		{"POST on the config path", "POST", lcBase + "fn/async-invoke-config", "{}", nil, 400, "PathNotSupported", "'POST'"},
		{"a path FC lacks", "GET", lcBase + "fn/invocations/x", "", nil, 404, "PathNotFound", ""},
	}
	tg := newLifecycleTarget(t, mock.Options{})
	tg.mustInvoke(t, "fn", "job-1", "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tg.send(t, tt.method, tt.path, tt.body, tt.headers...)
			if a.status != tt.status || a.code() != tt.code || !strings.Contains(a.err.ErrorMessage, tt.mention) {
				t.Fatalf("got %d %s %q, want %d %s mentioning %q", a.status, a.code(), a.err.ErrorMessage, tt.status, tt.code, tt.mention)
			}
			if a.code() == "PathNotSupported" && a.header.Get("Allow") == "" {
				t.Errorf("PathNotSupported without an Allow header")
			}
			if a.header.Get("X-Fc-Request-Id") == "" || !strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
				t.Errorf("error without a request id or JSON content type: %v", a.header)
			}
		})
	}
	// A refused invoke recorded nothing.
	for _, id := range []string{"job-2", "job-3", "job-4"} {
		for _, fn := range []string{"fn", "plain", "bare"} {
			if _, a := tg.get(t, fn, id); a.status != http.StatusNotFound {
				t.Errorf("refused invoke %s/%s was recorded", fn, id)
			}
		}
	}
}

// TestAsyncInvokeAnswer checks the 202 as the SDKs need it.
func TestAsyncInvokeAnswer(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	payload := "\x00\xffbinary <&> \"quoted\"\n"
	// Header names in any case (the Node SDK's tests send lower case), any content type.
	a := tg.send(t, http.MethodPost, lcBase+"fn/invocations", payload,
		"x-fc-invocation-type", "Async", "x-fc-stateful-async-invocation-id", "Job_1", "Content-Type", "application/json")
	if a.status != http.StatusAccepted || len(a.body) != 0 || a.header.Get("Content-Type") != "" {
		t.Fatalf("got %d %q Content-Type %q, want 202, empty, none", a.status, a.body, a.header.Get("Content-Type"))
	}
	if got := a.header.Get("X-Fc-Stateful-Async-Invocation-Id"); got != "Job_1" {
		t.Errorf("echoed id %q", got)
	}
	inv := tg.mustGet(t, "fn", "Job_1")
	if inv.RequestId != a.header.Get("X-Fc-Request-Id") || inv.RequestId == "" {
		t.Errorf("requestId %q, the invoke's X-Fc-Request-Id %q", inv.RequestId, a.header.Get("X-Fc-Request-Id"))
	}
	if *inv.InvocationPayload != strings.ToValidUTF8(payload, "\ufffd") {
		t.Errorf("payload %q", *inv.InvocationPayload)
	}
	if inv.Qualifier != "LATEST" || inv.ServiceName != "svc" || inv.FunctionName != "fn" {
		t.Errorf("where: %s %s %s", inv.ServiceName, inv.Qualifier, inv.FunctionName)
	}

	// No id on a stateful function: one is generated, by the id rule.
	a = tg.invoke(t, "fn", "", "x")
	id := a.header.Get("X-Fc-Stateful-Async-Invocation-Id")
	if a.status != http.StatusAccepted || !strings.HasPrefix(id, "inv-") {
		t.Fatalf("got %d id %q", a.status, id)
	}
	tg.mustGet(t, "fn", id)
	// An id implies Async; a qualified invoke records its qualifier.
	a = tg.send(t, http.MethodPost, "/2016-08-15/services/svc.prod/functions/fn/invocations", "", "X-Fc-Stateful-Async-Invocation-Id", "job-q")
	if a.status != http.StatusAccepted {
		t.Fatalf("invoke with an id and no type: %d %s", a.status, a.body)
	}
	if inv := tg.mustGet(t, "fn", "job-q"); inv.Qualifier != "prod" {
		t.Errorf("qualifier %q, want prod", inv.Qualifier)
	}
	// Async without an id on a function not in stateful mode: accepted, nothing recorded.
	a = tg.invoke(t, "plain", "", "x")
	if a.status != http.StatusAccepted || a.header.Get("X-Fc-Stateful-Async-Invocation-Id") != "" {
		t.Errorf("plain async invoke: %d, id %q", a.status, a.header.Get("X-Fc-Stateful-Async-Invocation-Id"))
	}
	if got := tg.listAll(t, "svc/functions/plain", "limit=10"); len(got) != 0 {
		t.Errorf("a plain async invoke was recorded: %v", got)
	}
	// The async limit is inclusive.
	if a := tg.invoke(t, "fn", "job-max", strings.Repeat("y", mock.MaxAsyncPayload)); a.status != http.StatusAccepted {
		t.Errorf("a 128 KB body: %d %s", a.status, a.code())
	}
}

func TestSyncInvoke(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	tests := []struct {
		name, fn, payload string
		headers           []string
		body, ctype       string
		errorType         string
	}{
		{"echo", "fn", "hello", nil, "hello", "application/octet-stream", ""},
		{"echo, Sync named", "fn", `{"a":1}`, []string{"X-Fc-Invocation-Type", "Sync", "Content-Type", "application/json"}, `{"a":1}`, "application/octet-stream", ""},
		{"configured result", "picky", "fine", nil, "done", "application/octet-stream", ""},
		{"function error", "picky", "bad", nil, `{"errorMessage":"bad input","errorType":"Error"}`, "application/json", "UnhandledInvocationError"},
		{"empty event", "fn", "", nil, "", "application/octet-stream", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tg.send(t, http.MethodPost, lcBase+tt.fn+"/invocations", tt.payload, tt.headers...)
			if a.status != http.StatusOK || string(a.body) != tt.body || a.header.Get("Content-Type") != tt.ctype || a.header.Get("X-Fc-Error-Type") != tt.errorType {
				t.Errorf("got %d %q %q error type %q", a.status, a.body, a.header.Get("Content-Type"), a.header.Get("X-Fc-Error-Type"))
			}
		})
	}
	a := tg.send(t, http.MethodPost, lcBase+"fn/invocations", "x", "X-Fc-Log-Type", "Tail")
	log, err := base64Decode(a.header.Get("X-Fc-Log-Result"))
	// fn runs the default 3 s: FC's log line gives the duration in ms and the billed ms.
	if err != nil || !strings.Contains(log, "Duration: 3000.00 ms, Billed Duration: 3000 ms") || !strings.Contains(log, "Memory Size: 128 MB") || !strings.Contains(log, a.header.Get("X-Fc-Request-Id")) {
		t.Errorf("log result %q (%v)", log, err)
	}
	if got := tg.listAll(t, "svc/functions/fn", "limit=100"); len(got) != 3 {
		t.Errorf("sync invokes were recorded: %d invocations", len(got))
	}
}

func TestAsyncConfig(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	cfgOf := func(a answer) map[string]any {
		t.Helper()
		var m map[string]any
		if a.status != http.StatusOK || json.Unmarshal(a.body, &m) != nil {
			t.Fatalf("config: %d %s", a.status, a.body)
		}
		return m
	}
	created := "2027-01-15T08:00:00Z" // lcStart
	m := cfgOf(tg.send(t, http.MethodGet, lcBase+"picky/async-invoke-config", ""))
	want := map[string]any{"service": "svc", "function": "picky", "qualifier": "LATEST", "statefulInvocation": true,
		"maxAsyncRetryAttempts": 1.0, "maxAsyncEventAgeInSeconds": 86400.0, "createdTime": created, "lastModifiedTime": created}
	if fmt.Sprint(m) != fmt.Sprint(want) {
		t.Errorf("preset\n got %v\nwant %v", m, want)
	}
	tg.advance(t, time.Minute)
	// The Go SDK's form: every unset field null. Only the supplied one changes.
	put := `{"destinationConfig":null,"maxAsyncEventAgeInSeconds":null,"maxAsyncRetryAttempts":5,"statefulInvocation":null}`
	m = cfgOf(tg.send(t, http.MethodPut, lcBase+"picky/async-invoke-config", put, "Content-Type", "application/json"))
	want["maxAsyncRetryAttempts"], want["lastModifiedTime"] = 5.0, "2027-01-15T08:01:00Z"
	if fmt.Sprint(m) != fmt.Sprint(want) {
		t.Errorf("after a put with nulls\n got %v\nwant %v", m, want)
	}
	// Create on a qualifier; destinations are stored and echoed.
	put = `{"statefulInvocation":true,"destinationConfig":{"onSuccess":{"destination":"acs:mns:cn-hangzhou:1:/queues/q/messages"}}}`
	m = cfgOf(tg.send(t, http.MethodPut, "/2016-08-15/services/svc.prod/functions/bare/async-invoke-config", put, "Content-Type", "application/json"))
	if m["qualifier"] != "prod" || m["createdTime"] != "2027-01-15T08:01:00Z" || fmt.Sprint(m["destinationConfig"]) != "map[onSuccess:map[destination:acs:mns:cn-hangzhou:1:/queues/q/messages]]" {
		t.Errorf("qualified config %v", m)
	}
	// The qualifier's config turns stateful invocations on for invokes through it only.
	if a := tg.send(t, http.MethodPost, "/2016-08-15/services/svc.prod/functions/bare/invocations", "", "X-Fc-Stateful-Async-Invocation-Id", "job-1"); a.status != http.StatusAccepted {
		t.Errorf("invoke through prod: %d %s", a.status, a.body)
	}
	if a := tg.invoke(t, "bare", "job-2", ""); a.code() != "InvalidArgument" {
		t.Errorf("invoke through LATEST: %d %s", a.status, a.code())
	}
	tg.advance(t, time.Hour)
	if inv := tg.mustGet(t, "bare", "job-1"); inv.DestinationStatus == nil || *inv.DestinationStatus != "Succeeded" {
		t.Errorf("destinationStatus %v after success with an onSuccess destination", inv.DestinationStatus)
	}
	// Delete: 204, then 404, and stateful invokes are refused.
	if a := tg.send(t, http.MethodDelete, lcBase+"fn/async-invoke-config", ""); a.status != http.StatusNoContent {
		t.Errorf("delete: %d", a.status)
	}
	if a := tg.send(t, http.MethodGet, lcBase+"fn/async-invoke-config", ""); a.code() != "AsyncConfigNotExists" {
		t.Errorf("get after delete: %d %s", a.status, a.code())
	}
	if a := tg.invoke(t, "fn", "job-3", ""); a.code() != "InvalidArgument" {
		t.Errorf("stateful invoke without a config: %d %s", a.status, a.code())
	}
	// Reset brings the presets back and drops run-time invocations.
	if a := tg.send(t, http.MethodPost, mock.AdminPrefix+"reset", ""); a.status != http.StatusOK {
		t.Fatalf("reset: %d", a.status)
	}
	if a := tg.send(t, http.MethodGet, lcBase+"fn/async-invoke-config", ""); a.status != http.StatusOK {
		t.Errorf("preset after reset: %d", a.status)
	}
	if _, a := tg.get(t, "bare", "job-1"); a.code() != "StatefulAsyncInvocationNotFound" {
		t.Errorf("a run-time invocation survived reset: %d", a.status)
	}
	if inv := tg.mustGet(t, "fn", "fix-done"); inv.Status != fcapi.Succeeded {
		t.Errorf("fixtures after reset: %s", inv.Status)
	}
}

func TestClockAdmin(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	tests := []struct {
		body   string
		status int
		now    int64
	}{
		{`{"advance":"90s"}`, 200, lcStart.UnixMilli() + 90_000},
		{`{"advance":"0s"}`, 200, lcStart.UnixMilli() + 90_000},                                       // standing still is not moving backwards
		{`{"set":` + fmt.Sprint(lcStart.UnixMilli()+90_000) + `}`, 200, lcStart.UnixMilli() + 90_000}, // nor is setting the time it is
		{`{"set":` + fmt.Sprint(lcStart.UnixMilli()+100_000) + `}`, 200, lcStart.UnixMilli() + 100_000},
		{`{"set":` + fmt.Sprint(lcStart.UnixMilli()) + `}`, 400, 0}, // backwards
		{`{"advance":"-1s"}`, 400, 0},
		{`{"advance":"soon"}`, 400, 0},
		{`{"advance":"1s","set":1}`, 400, 0},
		{`{}`, 400, 0},
		{`{"later":1}`, 400, 0},
		{`{"set":253402300800000}`, 400, 0},
		{`{"set":9223372036854775807}`, 400, 0},
	}
	for _, tt := range tests {
		a := tg.send(t, http.MethodPost, mock.AdminPrefix+"clock", tt.body)
		var got struct {
			Now     int64 `json:"now"`
			Virtual bool  `json:"virtual"`
		}
		_ = json.Unmarshal(a.body, &got)
		if a.status != tt.status || tt.status == 200 && (got.Now != tt.now || !got.Virtual) {
			t.Errorf("%s: %d %s, want %d now %d", tt.body, a.status, a.body, tt.status, tt.now)
		}
	}
	a := tg.send(t, http.MethodGet, mock.AdminPrefix+"clock", "")
	if want := fmt.Sprintf(`{"now":%d,"virtual":true}`+"\n", lcStart.UnixMilli()+100_000); string(a.body) != want {
		t.Errorf("GET clock %s, want %s", a.body, want)
	}
	end := mock.NewVirtualClock(time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC))
	if _, err := end.Advance(time.Second); err == nil {
		t.Error("the clock advanced past year 9999")
	}
	if got, err := end.Advance(999 * time.Millisecond); err != nil || got.Year() != 9999 {
		t.Errorf("advance to the last ms: %v %v", got, err)
	}
	real := newTarget(t, smallSet())
	res, e := real.do(t, http.MethodPost, mock.AdminPrefix+"clock")
	if res.StatusCode != 400 || e.ErrorCode != "InvalidArgument" {
		t.Errorf("moving the real clock: %d %s", res.StatusCode, e.ErrorCode)
	}
}

// TestRacesOnOneID: concurrent invokes of one id record exactly one; concurrent stops of one
// invocation let exactly one win, the others see AsyncInvocationStopped.
func TestRacesOnOneID(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	const n = 32
	count := func(do func() answer) map[int]int {
		var mu sync.Mutex
		var wg sync.WaitGroup
		got := map[int]int{}
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := do()
				mu.Lock()
				got[a.status]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		return got
	}
	if got := count(func() answer { return tg.invoke(t, "flaky", "job-1", "") }); got[202] != 1 || got[409] != n-1 {
		t.Errorf("concurrent invokes of one id: %v", got)
	}
	tg.advance(t, 3500*time.Millisecond) // Retrying
	if got := count(func() answer { return tg.stop(t, "flaky", "job-1") }); got[200] != 1 || got[412] != n-1 {
		t.Errorf("concurrent stops: %v", got)
	}
	tg.advance(t, time.Hour)
	if inv := tg.mustGet(t, "flaky", "job-1"); statuses(inv) != "Enqueued Dequeued Running Retrying Stopping Stopped" {
		t.Errorf("history %s", statuses(inv))
	}
}
