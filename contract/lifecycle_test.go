package contract_test

import (
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fcmock/fcmock/contract"
	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
)

// virtualStart is the virtual clock's start in these tests: any fixed instant will do.
var virtualStart = time.UnixMilli(1_764_000_000_000)

// virtualMock serves the suite's data on a virtual clock, behind wrap when it is not nil.
func virtualMock(t testing.TB, wrap func(http.Handler) http.Handler) contract.Target {
	t.Helper()
	return serveMock(t, mock.Options{Fixtures: dataSet(), Clock: mock.NewVirtualClock(virtualStart)}, wrap)
}

// On a virtual clock every lifecycle check runs and passes, on a function the family makes for
// itself (no function named) and on named functions of the suite's data and of the bundled
// fixtures, qualified or not, and the suite never sleeps: it advances the clock.
func TestLifecyclePassesOnVirtualClock(t *testing.T) {
	tests := []struct {
		name                     string
		givenSvc, givenQualifier string
		givenFn                  string
		bundled                  bool
	}{
		{"its own function, next to the suite's data", "", "", "", false},
		{"its own function, next to the bundled fixtures", "", "", "", true},
		{"the suite's data", "svc", "", "fn", false},
		{"the suite's data, through an alias", "svc", "prod", "fn", false},
		{"the bundled fixtures", "demo-svc", "", "demo-fn", true},
		{"a function that fails twice, then succeeds", "svc", "", "flaky-fn", false},
		{"a function that fails", "svc", "", "failing-fn", false},
		{"a function whose events expire in the queue", "svc", "", "stale-fn", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := mock.Options{Fixtures: dataSet(), Clock: mock.NewVirtualClock(virtualStart)}
			if tt.bundled {
				opts.Fixtures = fixtures.Default()
			}
			tg := serveMock(t, opts, nil)
			if tt.bundled {
				tg.Service, tg.Function = "demo-svc", "demo-fn"
			}
			named := contract.FunctionRef{Service: tt.givenSvc, Qualifier: tt.givenQualifier, Function: tt.givenFn}
			rep := contract.Test(t, tg, contract.Options{Seed: seed, Cases: -1, Mutating: true, LifecycleFunction: named})
			if testing.Verbose() {
				rep.WriteText(os.Stdout)
			}
			for _, c := range rep.Results {
				if strings.HasPrefix(c.Name, "lifecycle/") && (c.Cases == 0 || c.Informed > 0) {
					t.Errorf("%s: %d cases, %d informed, skipped %q; want cases and no information", c.Name, c.Cases, c.Informed, c.Skipped)
				}
			}
			on := "on fcmock-contract-"
			if named != (contract.FunctionRef{}) {
				on = "on " + named.String() + ";"
			}
			if notes := strings.Join(rep.Notes, "\n"); !strings.Contains(notes, "clock is virtual") || !strings.Contains(notes, on) {
				t.Errorf("notes %q do not say the clock was advanced, %q", rep.Notes, on)
			}
		})
	}
}

// On the real clock the family polls instead (a function that runs 50 ms, so waits are short).
// What it sees depends on the machine's speed (a stop may come after the end), so only the rules
// that do not are required to have run; nothing may fail.
func TestLifecyclePassesOnRealClock(t *testing.T) {
	rep := contract.Test(t, newMock(t, dataSet(), nil), contract.Options{Seed: seed, Cases: -1, Mutating: true, LifecycleWait: time.Minute,
		LifecycleFunction: contract.FunctionRef{Service: "svc", Function: "quick-fn"}})
	for _, name := range []string{contract.CheckLcInvoke, contract.CheckLcListed, contract.CheckLcDuplicate,
		contract.CheckLcNotFound, contract.CheckLcEndTime, contract.CheckLcEvents, contract.CheckLcStopFinished} {
		if r, _ := rep.Result(name); r.Cases == 0 {
			t.Errorf("%s ran no case (%s)", name, r.Skipped)
		}
	}
	if !strings.Contains(strings.Join(rep.Notes, "\n"), "it polls") {
		t.Errorf("notes %q do not say the family polled", rep.Notes)
	}
}

// Without Mutating the family creates nothing, and says why it did not run.
func TestLifecycleSkippedWithoutMutating(t *testing.T) {
	rep := contract.Test(t, virtualMock(t, nil), contract.Options{Seed: seed, Cases: -1})
	for _, c := range rep.Results {
		if strings.HasPrefix(c.Name, "lifecycle/") && (c.Cases != 0 || !strings.Contains(c.Skipped, "--mutating")) {
			t.Errorf("%s: %d cases, skipped %q; want skipped, naming --mutating", c.Name, c.Cases, c.Skipped)
		}
	}
}

// A mock that verifies signatures accepts every request of the family, signed by the suite: the
// invoke's body with its Content-MD5 (as the Go SDK sends it), the stops without a body, and the
// clock's admin requests. STS credentials add the signed X-Fc-Security-Token.
func TestLifecycleSigned(t *testing.T) {
	for _, creds := range []fc.Credentials{sigCreds, stsCreds} {
		t.Run(creds.AccessKeyID, func(t *testing.T) {
			t.Parallel()
			opts := mock.Options{Fixtures: dataSet(), Credentials: []fc.Credentials{creds}, Clock: mock.NewVirtualClock(virtualStart)}
			tg := serveMock(t, opts, nil)
			tg.Credentials = &creds
			rep := contract.Test(t, tg, contract.Options{Seed: seed, Cases: -1, Mutating: true})
			if r, _ := rep.Result(contract.CheckLcInvoke); r.Passed == 0 {
				t.Errorf("no signed invoke was accepted:\n%s", text(rep))
			}
		})
	}
}

// A virtual clock that refuses to move (here: every advance answered 403) ends the family's
// waits at once; the run still reports, and says why the waits stopped.
func TestLifecycleStuckClock(t *testing.T) {
	rep := contract.Test(t, virtualMock(t, refuseAdvances), contract.Options{Seed: seed, Cases: -1, Mutating: true})
	if r, _ := rep.Result(contract.CheckLcStopFinished); r.Cases != 0 || !strings.Contains(r.Skipped, "had not ended") {
		t.Errorf("stop-finished: %d cases, skipped %q; want skipped: nothing can end on a stuck clock", r.Cases, r.Skipped)
	}
	if !strings.Contains(strings.Join(rep.Notes, "\n"), "did not advance") {
		t.Errorf("notes %q do not say the clock did not advance", rep.Notes)
	}
}

// A mock whose admin API wants a token: with Target.AdminToken the family moves its clock, and
// the token appears nowhere in the report; without it the notes say why the clock could not be
// used.
func TestLifecycleAdminToken(t *testing.T) {
	const token = "admin-token-0123"
	opts := mock.Options{Fixtures: dataSet(), AdminToken: token, Clock: mock.NewVirtualClock(virtualStart)}
	tests := []struct {
		name       string
		givenToken string
		givenWrap  func(http.Handler) http.Handler
		expectNote string
	}{
		{"with the token", token, nil, "clock is virtual"},
		{"with the token, advances refused (the note shows the request)", token, refuseAdvances, "X-Fcmock-Admin-Token: <redacted>"},
		{"without it", "", nil, "answered 403 AccessDenied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tg := serveMock(t, opts, tt.givenWrap)
			tg.AdminToken = tt.givenToken
			rep := contract.Test(t, tg, contract.Options{Seed: seed, Cases: -1, Mutating: true, LifecycleWait: time.Millisecond})
			all := text(rep)
			if !strings.Contains(all, tt.expectNote) || strings.Contains(all, token) {
				t.Errorf("want a note with %q and no token:\n%s", tt.expectNote, all)
			}
		})
	}
}

// refuseAdvances answers every POST /_fcmock/clock with 403.
func refuseAdvances(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/_fcmock/clock") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"ErrorCode":"AccessDenied","ErrorMessage":"no"}`))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// On a real clock with the default wait (no --lifecycle-wait), the family polls in growing
// steps: every check gets its case, and an invocation that ends within a blink is read a few
// times, not in a tight loop (6 or 7 reads here; a step that stopped growing would send hundreds).
func TestLifecyclePollsInGrowingStepsByDefault(t *testing.T) {
	var mu sync.Mutex
	reads := map[string]int{}
	count := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/stateful-async-invocations/") {
				mu.Lock()
				reads[r.URL.Path]++
				mu.Unlock()
			}
			next.ServeHTTP(w, r)
		})
	}
	rep := contract.Test(t, newMock(t, dataSet(), count), contract.Options{Seed: seed, Cases: -1, Mutating: true,
		LifecycleFunction: contract.FunctionRef{Service: "svc", Function: "quick-fn"}})
	for _, name := range []string{contract.CheckLcEndTime, contract.CheckLcStopFinished} {
		if r, _ := rep.Result(name); r.Cases == 0 {
			t.Errorf("%s ran no case (%s)", name, r.Skipped)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for path, n := range reads {
		if n > 40 {
			t.Errorf("%s read %d times", path, n)
		}
	}
}

// An admin token of four characters is redacted from the report like a longer one.
func TestAFourCharacterAdminTokenIsRedacted(t *testing.T) {
	const token = "Zq9x"
	tg := serveMock(t, mock.Options{Fixtures: dataSet(), AdminToken: token, Clock: mock.NewVirtualClock(virtualStart)}, refuseAdvances)
	tg.AdminToken = token
	rep := contract.Test(t, tg, contract.Options{Seed: seed, Cases: -1, Mutating: true, LifecycleWait: time.Millisecond})
	if all := text(rep); strings.Contains(all, token) || !strings.Contains(all, "X-Fcmock-Admin-Token: <redacted>") {
		t.Errorf("want the token redacted:\n%s", all)
	}
}
