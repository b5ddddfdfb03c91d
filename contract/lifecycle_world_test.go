package contract_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/fcmock/fcmock/contract"
)

// journal records the requests that reach the mock, as "METHOD path status".
type journal struct {
	mu    sync.Mutex
	lines []string
}

func (j *journal) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := record(next, r)
		j.mu.Lock()
		j.lines = append(j.lines, r.Method+" "+r.URL.Path+" "+http.StatusText(a.status))
		j.mu.Unlock()
		a.write(w)
	})
}

// world returns the requests about the family's own service, in order.
func (j *journal) world() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []string
	for _, l := range j.lines {
		if strings.Contains(l, " /2016-08-15/services/fcmock-contract-") && !strings.Contains(l, "stateful-async-invocations") &&
			!strings.Contains(l, "/invocations ") {
			out = append(out, l)
		}
	}
	return out
}

// leftovers lists the services the lifecycle family left on the target (GET /services by its
// prefix).
func leftovers(t *testing.T, tg contract.Target) []string {
	return servicesNamed(t, tg, "fcmock-contract-")
}

// servicesNamed lists the target's services whose names start with prefix.
func servicesNamed(t *testing.T, tg contract.Target, prefix string) []string {
	t.Helper()
	res, err := tg.HTTPClient.Get(tg.BaseURL + "/2016-08-15/services?prefix=" + prefix)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Services []struct {
			ServiceName string `json:"serviceName"`
		} `json:"services"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range out.Services {
		names = append(names, s.ServiceName)
	}
	return names
}

func chain(wraps ...func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		for _, w := range slices.Backward(wraps) {
			if w != nil {
				h = w(h)
			}
		}
		return h
	}
}

// denyWhen answers the requests that match with 403 AccessDenied, as a real account without the
// permission does.
func denyWhen(match func(r *http.Request, body []byte) bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			if !match(r, body) {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Fc-Request-Id", "refused-1")
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"ErrorCode":"AccessDenied","ErrorMessage":"the caller has no permission to do that"}`))
		})
	}
}

func ownService(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/2016-08-15/services/fcmock-contract-")
}

// With no function named, the family makes its own (a service, a function, its async invoke
// config with statefulInvocation on), runs on it, and deletes all three, newest first: after a
// clean run, after checks that failed, after a flow cut short by a failed read, and after the
// run's context was cancelled mid-flow.
func TestLifecycleMakesAndDeletesItsOwnFunction(t *testing.T) {
	made := []string{
		"POST /2016-08-15/services/fcmock-contract-*/functions OK",
		"PUT /2016-08-15/services/fcmock-contract-*/functions/fcmock-contract/async-invoke-config OK",
	}
	deleted := []string{
		"DELETE /2016-08-15/services/fcmock-contract-*/functions/fcmock-contract/async-invoke-config No Content",
		"DELETE /2016-08-15/services/fcmock-contract-*/functions/fcmock-contract No Content",
		"DELETE /2016-08-15/services/fcmock-contract-* No Content",
	}
	tests := []struct {
		name        string
		givenWrap   func(http.Handler) http.Handler
		givenCancel bool // cancel the run at the family's first invoke
		expectFail  []string
	}{
		{"a clean run", nil, false, nil},
		{"a check failing midway", lifecycleFault(t, contract.CheckLcDuplicate), false, []string{contract.CheckLcDuplicate}},
		{"every read of its invocations answered 500", after(func(r *http.Request, a *answer) {
			if single(r) && ownService(r) && a.status == http.StatusOK {
				a.status, a.body = 500, map[string]any{"ErrorCode": "InternalServerError", "ErrorMessage": "boom"}
			}
		}), false, []string{contract.CheckLcGet, contract.CheckNo5xx}},
		{"the run cancelled at the first invoke", nil, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var j journal
			canceller := func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if tt.givenCancel && ownService(r) && strings.HasSuffix(r.URL.Path, "/invocations") {
						cancel()
					}
					next.ServeHTTP(w, r)
				})
			}
			tg := virtualMock(t, chain(j.wrap, canceller, tt.givenWrap))
			rep, err := contract.Run(ctx, tg, contract.Options{Seed: seed, Cases: -1, Mutating: true})
			switch {
			case tt.givenCancel && err == nil:
				t.Fatal("a cancelled run returned no error")
			case !tt.givenCancel && err != nil:
				t.Fatal(err)
			case !tt.givenCancel && !slices.Equal(sorted(failing(rep)), sorted(tt.expectFail)):
				t.Errorf("failing %v, want %v\n%s", failing(rep), tt.expectFail, text(rep))
			}
			got := j.world()
			for i := range got {
				got[i] = starName(got[i])
			}
			if want := append(append([]string(nil), made...), deleted...); !containsInOrder(got, want) {
				t.Errorf("requests about its own service:\n%s\nwant, in this order, among them:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if left := leftovers(t, tg); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
			if rep != nil && strings.Contains(strings.Join(rep.Notes, "\n"), "warning:") {
				t.Errorf("a cleanup warning when nothing was left: %q", rep.Notes)
			}
			if rep != nil && (!strings.Contains(rep.Replay, " --mutating ") || strings.Contains(rep.Replay, "--lifecycle-function")) {
				t.Errorf("replay line %q: want --mutating and no --lifecycle-function", rep.Replay)
			}
		})
	}
}

// When the target refuses to make the family's function, at any step, the family is not
// exercised (saying why, and how to name a function instead), nothing fails, and what it did
// make is deleted.
func TestLifecycleNotExercisedWhenCreationIsRefused(t *testing.T) {
	tests := []struct {
		name      string
		givenMeet func(r *http.Request, body []byte) bool
		expectWhy string
	}{
		{"CreateService refused", func(r *http.Request, body []byte) bool {
			return r.Method == http.MethodPost && r.URL.Path == "/2016-08-15/services" && bytes.Contains(body, []byte(`"fcmock-contract-`))
		}, "CreateService fcmock-contract-"},
		{"CreateFunction refused", func(r *http.Request, _ []byte) bool {
			return r.Method == http.MethodPost && ownService(r) && strings.HasSuffix(r.URL.Path, "/functions")
		}, "CreateFunction fcmock-contract-"},
		{"PutFunctionAsyncInvokeConfig refused", func(r *http.Request, _ []byte) bool {
			return r.Method == http.MethodPut && ownService(r) && strings.HasSuffix(r.URL.Path, "/async-invoke-config")
		}, "PutFunctionAsyncInvokeConfig {statefulInvocation: true} of fcmock-contract-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tg := virtualMock(t, denyWhen(tt.givenMeet))
			rep := contract.Test(t, tg, contract.Options{Seed: seed, Cases: -1, Mutating: true})
			for _, c := range rep.Results {
				if !strings.HasPrefix(c.Name, "lifecycle/") {
					continue
				}
				if c.Cases != 0 || !strings.Contains(c.Skipped, tt.expectWhy) || !strings.Contains(c.Skipped, "403 AccessDenied") ||
					!strings.Contains(c.Skipped, "--lifecycle-function") {
					t.Errorf("%s: %d cases, skipped %q; want not exercised, saying %q was answered 403 AccessDenied", c.Name, c.Cases, c.Skipped, tt.expectWhy)
				}
			}
			if left := leftovers(t, tg); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

// A cleanup the target refuses is reported in the notes as a warning that names what was left,
// so that a person can delete it; the run's verdict does not change.
func TestLifecycleCleanupFailureNamesWhatIsLeft(t *testing.T) {
	tg := virtualMock(t, denyWhen(func(r *http.Request, _ []byte) bool {
		return r.Method == http.MethodDelete && ownService(r) && !strings.Contains(r.URL.Path[len("/2016-08-15/services/"):], "/")
	}))
	rep := contract.Test(t, tg, contract.Options{Seed: seed, Cases: -1, Mutating: true})
	left := leftovers(t, tg)
	if len(left) != 1 {
		t.Fatalf("left behind %v, want the one service whose delete was refused", left)
	}
	notes := strings.Join(rep.Notes, "\n")
	if want := "warning: lifecycle: the suite could not delete what it made on the target; delete it by hand: service " + left[0] +
		" (the delete was answered 403 AccessDenied"; !strings.Contains(notes, want) {
		t.Errorf("notes:\n%s\nwant %q", notes, want)
	}
	if strings.Contains(notes, "function "+left[0]) {
		t.Errorf("notes name the function, which was deleted:\n%s", notes)
	}
}

// A function named in Options.LifecycleFunction is used as it is: the family makes nothing.
func TestLifecycleOnANamedFunctionMakesNothing(t *testing.T) {
	var j journal
	tg := virtualMock(t, j.wrap)
	rep := contract.Test(t, tg, contract.Options{Seed: seed, Cases: -1, Mutating: true,
		LifecycleFunction: contract.FunctionRef{Service: "svc", Function: "fn"}})
	if got := j.world(); len(got) > 0 {
		t.Errorf("requests about a service of its own: %v", got)
	}
	if r, _ := rep.Result(contract.CheckLcStop); r.Passed == 0 {
		t.Errorf("lifecycle/stop did not run on svc/fn:\n%s", text(rep))
	}
	if !strings.Contains(rep.Replay, " --mutating --lifecycle-function svc/fn ") {
		t.Errorf("replay line %q does not name the function", rep.Replay)
	}
	for _, bad := range []contract.FunctionRef{{Service: "9svc", Function: "fn"}, {Service: "svc"}, {Service: "svc", Qualifier: "a.b", Function: "fn"}} {
		if _, err := contract.New(tg, contract.Options{LifecycleFunction: bad}); err == nil {
			t.Errorf("LifecycleFunction %+v accepted", bad)
		}
	}
}

// lifecycleFault returns the wrap of the lifecycle fault for check.
func lifecycleFault(t *testing.T, check string) func(http.Handler) http.Handler {
	t.Helper()
	for _, f := range lifecycleFaults {
		if f.expect == check {
			return f.wrap
		}
	}
	t.Fatalf("no lifecycle fault for %s", check)
	return nil
}

// starName replaces the family's service name in a journal line with fcmock-contract-*.
func starName(line string) string {
	i := strings.Index(line, "fcmock-contract-")
	if i < 0 {
		return line
	}
	j := i + len("fcmock-contract-")
	for j < len(line) && line[j] != '/' && line[j] != ' ' {
		j++
	}
	return line[:i] + "fcmock-contract-*" + line[j:]
}

// containsInOrder reports whether want appears in got as a subsequence.
func containsInOrder(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}
