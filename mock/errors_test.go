package mock_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/mock"
)

const listPath = "/2016-08-15/services/svc/functions/fn/stateful-async-invocations"

// Every error the list endpoint can answer, through real HTTP: status, FC code, and the
// parameter (or resource) named in the message.
func TestListErrors(t *testing.T) {
	tg := newTarget(t, smallSet())
	tests := []struct {
		name          string
		whenMethod    string
		whenPath      string
		expectStatus  int
		expectCode    string
		expectMention []string
	}{
		{"limit 0 is below the range", "GET", listPath + "?limit=0", 400, "InvalidArgument", []string{`"limit"`, "at least 1", `"0"`}},
		{"limit 101 is above the range", "GET", listPath + "?limit=101", 400, "InvalidArgument", []string{`"limit"`, "at most 100", `"101"`}},
		{"limit -1", "GET", listPath + "?limit=-1", 400, "InvalidArgument", []string{`"limit"`}},
		{"limit 1.5 is not an integer", "GET", listPath + "?limit=1.5", 400, "InvalidArgument", []string{`"limit"`, "integer"}},
		{"limit abc is not an integer", "GET", listPath + "?limit=abc", 400, "InvalidArgument", []string{`"limit"`, "integer", `"abc"`}},
		{"limit 1e9", "GET", listPath + "?limit=1e9", 400, "InvalidArgument", []string{`"limit"`}},
		{"sortOrderByTime outside the enum", "GET", listPath + "?sortOrderByTime=ASC", 400, "InvalidArgument", []string{`"sortOrderByTime"`, "asc", "desc"}},
		{"status outside the enum", "GET", listPath + "?status=Done", 400, "InvalidArgument", []string{`"status"`, "Succeeded"}},
		{"startedTimeBegin not a number", "GET", listPath + "?startedTimeBegin=2020-08-20T02:28:21Z", 400, "InvalidArgument", []string{`"startedTimeBegin"`, "integer"}},
		{"startedTimeEnd not a number", "GET", listPath + "?startedTimeEnd=yesterday", 400, "InvalidArgument", []string{`"startedTimeEnd"`, "integer"}},
		{"negative startedTimeBegin", "GET", listPath + "?startedTimeBegin=-5", 400, "InvalidArgument", []string{`"startedTimeBegin"`}},
		{"includePayload not a boolean", "GET", listPath + "?includePayload=yes", 400, "InvalidArgument", []string{`"includePayload"`, "boolean"}},
		{"an empty value beside a bad one", "GET", listPath + "?nextToken=&limit=0", 400, "InvalidArgument", []string{`"limit"`}},
		{"forged nextToken", "GET", listPath + "?nextToken=e026ae92-61e5-472f-b32d-1c9e3c4e0000", 400, "InvalidArgument", []string{`"nextToken"`}},
		{"illegal service name", "GET", "/2016-08-15/services/9svc/functions/fn/stateful-async-invocations", 400, "InvalidArgument", []string{`"serviceName"`}},
		{"illegal function name", "GET", "/2016-08-15/services/svc/functions/f%20n/stateful-async-invocations", 400, "InvalidArgument", []string{`"functionName"`}},
		{"unknown service", "GET", "/2016-08-15/services/nope/functions/fn/stateful-async-invocations", 404, "ServiceNotFound", []string{"'nope'"}},
		{"unknown function", "GET", "/2016-08-15/services/svc/functions/nope/stateful-async-invocations", 404, "FunctionNotFound", []string{"'nope'", "'svc'"}},
		{"a function of another service", "GET", "/2016-08-15/services/other/functions/empty-fn/stateful-async-invocations", 404, "FunctionNotFound", []string{"'empty-fn'", "'other'"}},
		{"a forged token for an unknown function reports the function", "GET", "/2016-08-15/services/svc/functions/nope/stateful-async-invocations?nextToken=AAAAAAAAAAAAAAAAAAAAAAAA", 404, "FunctionNotFound", []string{"'nope'"}},
		{"a forged token for an unknown alias reports the alias", "GET", "/2016-08-15/services/svc.staging/functions/fn/stateful-async-invocations?nextToken=AAAAAAAAAAAAAAAAAAAAAAAA", 404, "AliasNotFound", []string{"'staging'"}},
		{"unknown alias", "GET", "/2016-08-15/services/svc.staging/functions/fn/stateful-async-invocations", 404, "AliasNotFound", []string{"'staging'", "'svc'"}},
		{"unknown version", "GET", "/2016-08-15/services/svc.99/functions/fn/stateful-async-invocations", 404, "VersionNotFound", []string{"'99'", "'svc'"}},
		{"unknown service with a qualifier", "GET", "/2016-08-15/services/nope.prod/functions/fn/stateful-async-invocations", 404, "ServiceNotFound", []string{"'nope'"}},
		{"unknown path", "GET", "/2016-08-15/services/svc/functions/fn/nothing", 404, "PathNotFound", []string{"/nothing"}},
		{"path without the version", "GET", "/services/svc/functions/fn/stateful-async-invocations", 404, "PathNotFound", nil},
		{"POST on the list path", "POST", listPath, 400, "PathNotSupported", []string{"'POST'", listPath}},
		{"DELETE on the list path", "DELETE", listPath, 400, "PathNotSupported", []string{"'DELETE'"}},
		{"PUT on the list path", "PUT", listPath, 400, "PathNotSupported", []string{"'PUT'"}},
		{"PATCH on the list path", "PATCH", listPath, 400, "PathNotSupported", []string{"'PATCH'"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, e := tg.do(t, tt.whenMethod, tt.whenPath)
			if res.StatusCode != tt.expectStatus || e.ErrorCode != tt.expectCode {
				t.Fatalf("got %d %s (%q), want %d %s", res.StatusCode, e.ErrorCode, e.ErrorMessage, tt.expectStatus, tt.expectCode)
			}
			for _, m := range tt.expectMention {
				if !strings.Contains(e.ErrorMessage, m) {
					t.Errorf("message %q does not mention %s", e.ErrorMessage, m)
				}
			}
			if tt.expectCode == "PathNotSupported" && !strings.Contains(res.Header.Get("Allow"), "GET") {
				t.Errorf("Allow = %q, want it to list GET", res.Header.Get("Allow"))
			}
		})
	}
}

// A client's mistake is not a server fault: 4xx answers, and errors a scenario forces, log no
// "internal error", no shared-store failure and no failed write, even at debug level.
func TestClientErrorsAreNotLoggedAsServerFaults(t *testing.T) {
	logs := &syncLog{}
	srv, err := mock.New(mock.Options{Fixtures: smallSet(), Scenarios: true,
		Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	for _, c := range []struct {
		path, scenario string
		status         int
	}{
		{listPath + "?limit=0", "", 400},
		{"/2016-08-15/services/nope/functions/fn/stateful-async-invocations", "", 404},
		{"/2016-08-15/no-such-path", "", 404},
		{listPath, "error=ServiceUnavailable", 503},
	} {
		req, _ := http.NewRequest(http.MethodGet, hs.URL+c.path, nil)
		if c.scenario != "" {
			req.Header.Set(mock.HeaderScenario, c.scenario)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != c.status {
			t.Errorf("%s: %d, want %d", c.path, res.StatusCode, c.status)
		}
	}
	log := logs.String()
	for _, bad := range []string{`"msg":"internal error"`, `"msg":"shared store unavailable"`, `"msg":"write error response"`} {
		if strings.Contains(log, bad) {
			t.Errorf("the log has %s:\n%s", bad, log)
		}
	}
	if !strings.Contains(log, "no-such-path") {
		t.Errorf("the requests were not logged at all:\n%s", log)
	}
}
