package contract_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/contract"
)

// The lifecycle and resources findings are graded by the evidence of what they break (the
// x-fc-evidence pointers of openapi.yaml), as the listing's are: against a target that is not
// the mock, the service profile fails a break of a doc rule or an sdk rule rated H, and only
// warns on fcmock's choices and weaker evidence; the mock profile fails both.
func TestMutatingFindingsGradedByEvidence(t *testing.T) {
	tests := []struct {
		name         string
		expectCheck  string
		expectFailed bool // in the service profile; the mock profile always fails
		givenWrap    func(http.Handler) http.Handler
	}{
		{"GET without invocationPayload (a choice)", contract.CheckLcGet, false, after(func(r *http.Request, a *answer) {
			if single(r) && a.body != nil {
				delete(a.body, "invocationPayload")
			}
		})},
		{"reads without events (a choice)", contract.CheckLcEvents, false, after(func(r *http.Request, a *answer) {
			if single(r) && a.body != nil {
				delete(a.body, "events")
			}
			for _, inv := range a.items() {
				delete(inv.(map[string]any), "events")
			}
		})},
		{"a reused id refused with 400 InvalidArgument (the 409's evidence is observed, L)", contract.CheckLcDuplicate, false,
			after(func(r *http.Request, a *answer) {
				if a.status == http.StatusConflict && strings.HasSuffix(r.URL.Path, "/invocations") {
					a.status, a.body["ErrorCode"] = http.StatusBadRequest, "InvalidArgument"
				}
			})},
		{"a stale If-Match refused with 400 InvalidArgument (412 is a choice)", contract.CheckResIfMatch, false, after(func(r *http.Request, a *answer) {
			if a.status == http.StatusPreconditionFailed {
				a.status, a.body["ErrorCode"] = http.StatusBadRequest, "InvalidArgument"
			}
		})},
		{"no id echoed on the 202 (doc)", contract.CheckLcInvoke, true, after(func(r *http.Request, a *answer) {
			if a.status == http.StatusAccepted {
				a.header.Del(echoHeader)
			}
		})},
		{"a stale If-Match accepted (sdk, H)", contract.CheckResIfMatch, true, func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPut {
					r.Header.Del("If-Match")
				}
				next.ServeHTTP(w, r)
			})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, profile := range []contract.Profile{contract.ProfileService, contract.ProfileMock} {
				tg := virtualMock(t, tt.givenWrap)
				tg.IsMock = false
				rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: seed, Cases: -1, Mutating: true, Profile: profile})
				if err != nil {
					t.Fatal(err)
				}
				r, _ := rep.Result(tt.expectCheck)
				wantFail := tt.expectFailed || profile == contract.ProfileMock
				switch {
				case wantFail && r.Failed == 0:
					t.Errorf("profile %s: %s did not fail:\n%s", profile, tt.expectCheck, text(rep))
				case !wantFail && (r.Failed != 0 || r.Informed == 0):
					t.Errorf("profile %s: %s failed %d, warned %d; want warnings only:\n%s", profile, tt.expectCheck, r.Failed, r.Informed, text(rep))
				}
				if f := failing(rep); profile == contract.ProfileService && len(f) > 1 || len(f) == 1 && f[0] != tt.expectCheck {
					t.Errorf("profile %s: failing %v, want at most %s", profile, f, tt.expectCheck)
				}
			}
		})
	}
}
