package contract_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/contract"
)

// The lifecycle and resources findings are graded by the evidence of what they break (the
// x-fc-evidence pointers of openapi.yaml), as the listing's are: against a target that is not
// the mock, the service profile only warns on fcmock's choices and weaker evidence decided the
// other way, and the mock profile fails them; a break of a doc rule or an sdk rule rated H
// fails the service profile too.
func TestMutatingFindingsGradedByEvidence(t *testing.T) {
	// Each decides one weakly evidenced point the other way; all together, in one target.
	weak := map[string]func(http.Handler) http.Handler{
		// GET without invocationPayload: a choice.
		contract.CheckLcGet: after(func(r *http.Request, a *answer) {
			if single(r) && a.body != nil {
				delete(a.body, "invocationPayload")
			}
		}),
		// Reads without events: a choice.
		contract.CheckLcEvents: after(func(r *http.Request, a *answer) {
			if single(r) && a.body != nil {
				delete(a.body, "events")
			}
			for _, inv := range a.items() {
				delete(inv.(map[string]any), "events")
			}
		}),
		// A reused id refused with 400 InvalidArgument: the 409's evidence is observed, L.
		contract.CheckLcDuplicate: after(func(r *http.Request, a *answer) {
			if a.status == http.StatusConflict && strings.HasSuffix(r.URL.Path, "/invocations") {
				a.status, a.body["ErrorCode"] = http.StatusBadRequest, "InvalidArgument"
			}
		}),
		// A stale If-Match refused with 400 InvalidArgument: the 412 is a choice.
		contract.CheckResIfMatch: after(func(r *http.Request, a *answer) {
			if a.status == http.StatusPreconditionFailed {
				a.status, a.body["ErrorCode"] = http.StatusBadRequest, "InvalidArgument"
			}
		}),
	}
	var wraps []func(http.Handler) http.Handler
	for _, w := range weak {
		wraps = append(wraps, w)
	}
	for _, profile := range []contract.Profile{contract.ProfileService, contract.ProfileMock} {
		rep := runAsService(t, chain(wraps...), profile)
		for check := range weak {
			r, _ := rep.Result(check)
			switch {
			case profile == contract.ProfileMock && r.Failed == 0:
				t.Errorf("profile mock: %s did not fail:\n%s", check, text(rep))
			case profile == contract.ProfileService && (r.Failed != 0 || r.Informed == 0):
				t.Errorf("profile service: %s failed %d, warned %d; want warnings only:\n%s", check, r.Failed, r.Informed, text(rep))
			}
		}
		if f := failing(rep); profile == contract.ProfileService && len(f) > 0 {
			t.Errorf("profile service: failing %v, want none", f)
		}
	}

	firm := []struct {
		name        string
		expectCheck string
		expectSays  string // in the finding: what came back, or its evidence
		givenWrap   func(http.Handler) http.Handler
	}{
		{"no id echoed on the 202 (doc)", contract.CheckLcInvoke, "none", after(func(r *http.Request, a *answer) {
			if a.status == http.StatusAccepted {
				a.header.Del(echoHeader)
			}
		})},
		{"a stop of an unknown id accepted (StopStatefulAsyncInvocation, sdk, H)", contract.CheckLcNotFound, "DOC-STOP16",
			after(func(r *http.Request, a *answer) {
				if r.Method == http.MethodPut && a.status == http.StatusNotFound {
					a.status, a.body = http.StatusOK, map[string]any{}
				}
			})},
		{"a stale If-Match accepted (sdk, H)", contract.CheckResIfMatch, "GO16 WithIfMatch", func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPut {
					r.Header.Del("If-Match")
				}
				next.ServeHTTP(w, r)
			})
		}},
	}
	for _, tt := range firm {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := runAsService(t, tt.givenWrap, contract.ProfileService)
			if f := failing(rep); len(f) != 1 || f[0] != tt.expectCheck {
				t.Errorf("profile service: failing %v, want %s:\n%s", f, tt.expectCheck, text(rep))
			}
			r, _ := rep.Result(tt.expectCheck)
			if len(r.Findings) == 0 || !strings.Contains(r.Findings[0].Got+" "+r.Findings[0].Evidence, tt.expectSays) {
				t.Errorf("%s's finding does not say %q: %+v", tt.expectCheck, tt.expectSays, r.Findings)
			}
		})
	}
}

// runAsService runs the mutating suite against the mock behind wrap as a target that is not the
// mock, in profile.
func runAsService(t *testing.T, wrap func(http.Handler) http.Handler, profile contract.Profile) *contract.Report {
	t.Helper()
	tg := virtualMock(t, wrap)
	tg.IsMock = false
	rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: seed, Cases: -1, Mutating: true, Profile: profile})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}
