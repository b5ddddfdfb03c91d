package mock_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
)

// provokers hold, for every code of the catalogue, a request that makes the mock answer it.
// A code added to the catalogue without one here fails TestEveryCatalogueErrorIsReachable.
var provokers = map[fc.Code]func(t *testing.T) (status int, code string){
	fc.CodeInvalidArgument:  plainGet(listPath + "?limit=0"),
	fc.CodeServiceNotFound:  plainGet("/2016-08-15/services/nope/functions/fn/stateful-async-invocations"),
	fc.CodeFunctionNotFound: plainGet("/2016-08-15/services/svc/functions/nope/stateful-async-invocations"),
	fc.CodeAliasNotFound:    plainGet("/2016-08-15/services/svc.nope/functions/fn/stateful-async-invocations"),
	fc.CodeVersionNotFound:  plainGet("/2016-08-15/services/svc.42/functions/fn/stateful-async-invocations"),
	fc.CodePathNotFound:     plainGet("/2016-08-15/nope"),
	fc.CodePathNotSupported: func(t *testing.T) (int, string) {
		res, e := newTarget(t, smallSet()).do(t, http.MethodPost, listPath)
		if res.Header.Get("Allow") == "" {
			t.Error("PathNotSupported without an Allow header")
		}
		return res.StatusCode, e.ErrorCode
	},
	fc.CodeAccessDenied:          signedGet(func(*http.Request) {}),
	fc.CodeSignatureNotMatch:     signedGet(sign(fc.Credentials{AccessKeyID: plainKey.AccessKeyID, AccessKeySecret: "x"}, signedNow)),
	fc.CodeInvalidAccessKeyID:    signedGet(sign(fc.Credentials{AccessKeyID: "AKIDNOPE", AccessKeySecret: "x"}, signedNow)),
	fc.CodeRequestTimeTooSkewed:  signedGet(sign(plainKey, signedNow.Add(time.Hour))),
	fc.CodeMissingRequiredHeader: signedGet(func(r *http.Request) { sign(plainKey, signedNow)(r); r.Header.Del("Date") }),
	// Forced through the scenario header: the mock has no natural fault of its own. A panic
	// and an overload are tested where they happen (the recover and limit tests).
	fc.CodeInternalServerError: scenarioGet("error=InternalServerError"),
	fc.CodeServiceUnavailable:  scenarioGet("error=ServiceUnavailable"),
	fc.CodeClientClosedRequest: clientGoesAway,
	// The lifecycle's codes (lifecycle_test.go has each case of each).
	fc.CodeEntityTooLarge: lifecycleCase(func(t *testing.T, tg *lcTarget) answer {
		return tg.invoke(t, "fn", "job-big", strings.Repeat("x", mock.MaxAsyncPayload+1))
	}),
	fc.CodeAsyncConfigNotExists: lifecycleCase(func(t *testing.T, tg *lcTarget) answer {
		return tg.send(t, http.MethodGet, lcBase+"bare/async-invoke-config", "")
	}),
	fc.CodeStatefulAsyncInvocationNotFound: lifecycleCase(func(t *testing.T, tg *lcTarget) answer {
		_, a := tg.get(t, "fn", "job-404")
		return a
	}),
	fc.CodeStatefulAsyncInvocationAlreadyExists: lifecycleCase(func(t *testing.T, tg *lcTarget) answer {
		tg.mustInvoke(t, "fn", "job-1", "")
		return tg.invoke(t, "fn", "job-1", "")
	}),
	fc.CodeAsyncInvocationStopped: lifecycleCase(func(t *testing.T, tg *lcTarget) answer {
		tg.mustInvoke(t, "fn", "job-1", "")
		tg.stop(t, "fn", "job-1")
		return tg.stop(t, "fn", "job-1")
	}),
}

func lifecycleCase(provoke func(t *testing.T, tg *lcTarget) answer) func(t *testing.T) (int, string) {
	return func(t *testing.T) (int, string) {
		a := provoke(t, newLifecycleTarget(t, mock.Options{}))
		return a.status, a.code()
	}
}

func TestEveryCatalogueErrorIsReachable(t *testing.T) {
	for _, entry := range fc.Catalogue() {
		t.Run(string(entry.Code), func(t *testing.T) {
			provoke, ok := provokers[entry.Code]
			if !ok {
				t.Fatalf("no test provokes %s", entry.Code)
			}
			status, code := provoke(t)
			if status != entry.Status || code != string(entry.Code) {
				t.Errorf("got %d %s, want %d %s", status, code, entry.Status, entry.Code)
			}
		})
	}
}

func plainGet(path string) func(t *testing.T) (int, string) {
	return func(t *testing.T) (int, string) {
		res, e := newTarget(t, smallSet()).get(t, path)
		return res.StatusCode, e.ErrorCode
	}
}

func signedGet(prepare func(*http.Request)) func(t *testing.T) (int, string) {
	return func(t *testing.T) (int, string) {
		tg := newSignedTarget(t)
		req, _ := http.NewRequest(http.MethodGet, tg.url+listPath, nil)
		prepare(req)
		return doJSONError(t, req)
	}
}

func scenarioGet(scenario string) func(t *testing.T) (int, string) {
	return func(t *testing.T) (int, string) {
		tg := newScenarioTarget(t, mock.Options{})
		req, _ := http.NewRequest(http.MethodGet, tg.url+listPath, nil)
		req.Header.Set(mock.HeaderScenario, scenario)
		return doJSONError(t, req)
	}
}

// clientGoesAway hangs up during a scenario delay; the caller never sees the 499, so the test
// reads it from the journal.
func clientGoesAway(t *testing.T) (int, string) {
	tg := newScenarioTarget(t, mock.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, tg.url+listPath, nil)
	req.Header.Set(mock.HeaderScenario, "delay=30s")
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Fatal("the request finished despite the delay")
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var j journalBody
		tg.getJSON(t, mock.AdminPrefix+"requests", &j)
		if len(j.Requests) > 0 {
			return j.Requests[0].Status, j.Requests[0].ErrorCode
		}
	}
	t.Fatal("the abandoned request never reached the journal")
	return 0, ""
}
