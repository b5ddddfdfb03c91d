package contract_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/fcmock/fcmock/contract"
)

// lifecycleFaults break one rule of the lifecycle family each, on a mock with a virtual clock
// (see faults_test.go for the pattern). Most act only on the invocations the suite creates,
// which the wrapper learns from the 202s it passes on: the other families see the clean mock.
var lifecycleFaults = []fault{
	{"a different id echoed on the 202", contract.CheckLcInvoke, "/invocations", 0,
		after(func(r *http.Request, a *answer) {
			if a.status == http.StatusAccepted {
				a.header.Set(echoHeader, a.header.Get(echoHeader)+"-x")
			}
		})},
	{"invocations made at run time left out of listings", contract.CheckLcListed, "invocationIdPrefix=fcmock-contract-", 0,
		onRuntime(func(r *http.Request, a *answer, made func(string) bool) {
			if !listing(r) {
				return
			}
			items := slices.DeleteFunc(a.items(), func(inv any) bool { return made(id(inv)) })
			if a.body["invocations"] = items; len(items) == 0 {
				delete(a.body, "invocations")
			}
		})},
	{"GET answering startedTime one ms late", contract.CheckLcGet, "/stateful-async-invocations/fcmock-contract-", 0,
		onRuntime(func(r *http.Request, a *answer, made func(string) bool) {
			if single(r) && a.status == http.StatusOK {
				n, _ := a.body["startedTime"].(json.Number).Int64()
				a.body["startedTime"] = n + 1
			}
		})},
	{"a stop of a live invocation answered {} and ignored", contract.CheckLcStop, "-X PUT", 0, ignoreLiveStops()},
	{"endTime set before the end", contract.CheckLcEndTime, "fcmock-contract-", 0,
		onRuntime(func(r *http.Request, a *answer, made func(string) bool) {
			for _, inv := range records(r, a, made) {
				if inv["endTime"] == json.Number("0") {
					inv["endTime"] = inv["startedTime"]
				}
			}
		})},
	{"a reused id accepted", contract.CheckLcDuplicate, "/invocations", 0,
		after(func(r *http.Request, a *answer) {
			if a.status == http.StatusConflict && strings.HasSuffix(r.URL.Path, "/invocations") {
				a.status, a.body, a.raw = http.StatusAccepted, nil, nil
				a.header.Del("Content-Type")
				a.header.Set(echoHeader, r.Header.Get(echoHeader))
			}
		})},
	{"ResourceNotFound for an unknown invocation", contract.CheckLcNotFound, "/stateful-async-invocations/fcmock-contract-", 0,
		after(func(r *http.Request, a *answer) {
			if a.status == http.StatusNotFound && a.body["ErrorCode"] == "StatefulAsyncInvocationNotFound" {
				a.body["ErrorCode"] = "ResourceNotFound"
			}
		})},
	{"a stop of an ended invocation accepted", contract.CheckLcStopFinished, "-X PUT", 0,
		after(func(r *http.Request, a *answer) {
			if r.Method == http.MethodPut && a.status == http.StatusBadRequest {
				a.status, a.body = http.StatusOK, map[string]any{}
			}
		})},
	{"events newest first", contract.CheckLcEvents, "fcmock-contract-", 0,
		onRuntime(func(r *http.Request, a *answer, made func(string) bool) {
			for _, inv := range records(r, a, made) {
				if evs, ok := inv["events"].([]any); ok {
					slices.Reverse(evs)
				}
			}
		})},
	{"Running again once Succeeded", contract.CheckLcTransitions, "/stateful-async-invocations/fcmock-contract-", 0, runningAgain()},
}

const echoHeader = "X-Fc-Stateful-Async-Invocation-Id"

// Each lifecycle fault fails exactly its check, on a mutating run against a virtual clock.
func TestEachLifecycleCheckFailsOnItsFault(t *testing.T) {
	for _, f := range lifecycleFaults {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			rep, err := contract.Run(t.Context(), virtualMock(t, f.wrap), contract.Options{Seed: seed, Cases: -1, Mutating: true})
			if err != nil {
				t.Fatal(err)
			}
			checkFault(t, f, rep)
		})
	}
}

// onRuntime edits the answers about the invocations the suite made (their ids learnt from the
// 202s that went through it); made reports whether an id is one of them.
func onRuntime(edit func(r *http.Request, a *answer, made func(string) bool)) func(http.Handler) http.Handler {
	var mu sync.Mutex
	ids := map[string]bool{}
	made := func(id string) bool { mu.Lock(); defer mu.Unlock(); return ids[id] }
	return after(func(r *http.Request, a *answer) {
		if a.status == http.StatusAccepted {
			mu.Lock()
			ids[a.header.Get(echoHeader)] = true
			mu.Unlock()
		}
		if single(r) && a.body != nil {
			if s, _ := a.body["invocationId"].(string); !made(s) {
				return
			}
		}
		edit(r, a, made)
	})
}

// records returns the invocation objects of a 200 Get or listing answer that the suite made.
func records(r *http.Request, a *answer, made func(string) bool) []map[string]any {
	if a.status != http.StatusOK || a.body == nil {
		return nil
	}
	if single(r) {
		return []map[string]any{a.body}
	}
	var out []map[string]any
	for _, inv := range a.items() {
		if made(id(inv)) {
			out = append(out, inv.(map[string]any))
		}
	}
	return out
}

func listing(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/stateful-async-invocations")
}

func single(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/stateful-async-invocations/")
}

// ignoreLiveStops answers a stop of an invocation that has not ended with 200 {}, and leaves
// the invocation as it is.
func ignoreLiveStops() func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPut {
				next.ServeHTTP(w, r)
				return
			}
			get := r.Clone(r.Context())
			get.Method, get.Body = http.MethodGet, http.NoBody
			a := record(next, get)
			status, _ := a.body["status"].(string)
			if a.status != http.StatusOK || slices.Contains([]string{"Succeeded", "Failed", "Stopped", "Expired", "Invalid"}, status) {
				next.ServeHTTP(w, r)
				return
			}
			a.body = map[string]any{}
			a.write(w)
		})
	}
}

// runningAgain answers every GET of an invocation after the first that showed it Succeeded with
// status Running and endTime 0, as if it had started over.
func runningAgain() func(http.Handler) http.Handler {
	var mu sync.Mutex
	succeeded := map[string]bool{}
	return after(func(r *http.Request, a *answer) {
		if !single(r) || a.status != http.StatusOK {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		inv, _ := a.body["invocationId"].(string)
		switch {
		case succeeded[inv]:
			a.body["status"], a.body["endTime"] = "Running", 0
		case a.body["status"] == "Succeeded":
			succeeded[inv] = true
		}
	})
}

// lifecycle/end-time takes an end in the very millisecond the invocation started, and refuses a
// terminal invocation whose endTime is 0, even one that claims to have started at 0.
func TestEndTimeAtTheStartIsAnEnd(t *testing.T) {
	terminalStatus := func(inv map[string]any) bool {
		st, _ := inv["status"].(string)
		return st == "Succeeded" || st == "Failed" || st == "Stopped" || st == "Expired" || st == "Invalid"
	}
	tests := []struct {
		name       string
		edit       func(inv map[string]any)
		expectFail bool
	}{
		{"endTime equal to startedTime", func(inv map[string]any) { inv["endTime"] = inv["startedTime"] }, false},
		{"startedTime and endTime both 0", func(inv map[string]any) { inv["startedTime"], inv["endTime"] = json.Number("0"), json.Number("0") }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wrap := onRuntime(func(r *http.Request, a *answer, made func(string) bool) {
				for _, inv := range records(r, a, made) {
					if terminalStatus(inv) {
						tt.edit(inv)
					}
				}
			})
			rep, err := contract.Run(t.Context(), virtualMock(t, wrap), contract.Options{Seed: seed, Cases: -1, Mutating: true})
			if err != nil {
				t.Fatal(err)
			}
			r, _ := rep.Result(contract.CheckLcEndTime)
			if r.Cases == 0 || (r.Failed > 0) != tt.expectFail {
				t.Errorf("%s: %d cases, %d failed; want failed %v\n%s", r.Name, r.Cases, r.Failed, tt.expectFail, text(rep))
			}
		})
	}
}
