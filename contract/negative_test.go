package contract_test

import (
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/fcmock/fcmock/contract"
	"github.com/fcmock/fcmock/mock"
)

// The not-found probes never name the target itself: a service or function called like a probe
// gets the probe's name with "-x", and one called like that "-x" is left alone, so a target
// that happens to use these names is not asked for itself and failed for answering 200.
func TestNotFoundProbesNeverNameTheTarget(t *testing.T) {
	for _, c := range []struct{ service, function string }{
		{"fcmock-no-such-service", "fn"},
		{"fcmock-no-such-service-x", "fn"},
		{"svc", "fcmock-no-such-function"},
		{"svc", "fcmock-no-such-function-x"},
	} {
		t.Run(c.service+"/"+c.function, func(t *testing.T) {
			t.Parallel()
			fsys := fstest.MapFS{"services.yaml": {Data: []byte("services:\n  - name: " + c.service + "\n    functions: [" + c.function + "]\n")}}
			tg := serveMock(t, mock.Options{Fixtures: fsys}, nil)
			tg.Service, tg.Function = c.service, c.function
			rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: seed, Cases: -1})
			if err != nil {
				t.Fatal(err)
			}
			if r, _ := rep.Result(contract.CheckNegNotFound); r.Cases == 0 || r.Failed > 0 {
				t.Errorf("%s: %d cases, %d failed\n%s", r.Name, r.Cases, r.Failed, text(rep))
			}
		})
	}
}

// The forged token is the target's own with its middle character changed, whatever that
// character is: a target whose tokens have an 'A' there (here each token T is served as T+"A"+T)
// is not sent its own token back and failed for accepting it.
func TestTheForgedTokenDiffersFromTheReal(t *testing.T) {
	wrapTokens := func(next http.Handler) http.Handler {
		answer := after(func(r *http.Request, a *answer) {
			if tok, ok := a.body["nextToken"].(string); ok && tok != "" {
				a.body["nextToken"] = tok + "A" + tok
			}
		})(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			v := r.URL.Query()
			if tok := v.Get("nextToken"); len(tok)%2 == 1 {
				if n := len(tok) / 2; tok[n] == 'A' && tok[:n] == tok[n+1:] {
					v.Set("nextToken", tok[:n])
					r = withQuery(r, v)
				}
			}
			answer.ServeHTTP(w, r)
		})
	}
	rep, err := contract.Run(t.Context(), newMock(t, dataSet(), wrapTokens), contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := rep.Result(contract.CheckNegToken); r.Cases == 0 || r.Failed > 0 {
		t.Errorf("%s: %d cases, %d failed\n%s", r.Name, r.Cases, r.Failed, text(rep))
	}
}

// A refusal with another code than FC's is graded by the parameter's own x-fc-evidence-error:
// for limit, InvalidArgument is only assumed (choice), so a service answering another code
// gets a warning, not a violation.
func TestARefusalCodeIsGradedByItsParameter(t *testing.T) {
	f := faults[indexOfName("a 400 InvalidParameter for limit=0")]
	tg := newMock(t, dataSet(), f.wrap)
	tg.IsMock = false
	rep, err := contract.Run(t.Context(), tg, contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := rep.Result(contract.CheckNegLimit); r.Failed != 0 || r.Informed != 1 {
		t.Errorf("%s: %d failed, %d warned; want a warning only\n%s", r.Name, r.Failed, r.Informed, text(rep))
	}
}

// A not-found probe's finding is graded by the evidence of the code it expects (openapi.yaml's
// x-fc-evidence-codes), not the rule's own: FunctionNotFound rests on the Java SDK's codes and
// terraform's provider.
func TestANotFoundFindingIsGradedByItsCode(t *testing.T) {
	rep, err := contract.Run(t.Context(), newMock(t, dataSet(), faults[indexOf(contract.CheckNegNotFound)].wrap), contract.Options{Seed: seed, Cases: -1})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := rep.Result(contract.CheckNegNotFound)
	found := false
	for _, f := range r.Findings {
		if strings.Contains(f.Expected, "FunctionNotFound") {
			found = true
			if !strings.Contains(f.Evidence, "terraform-provider-alicloud") {
				t.Errorf("FunctionNotFound finding graded %q, want FunctionNotFound's own evidence", f.Evidence)
			}
		}
	}
	if !found {
		t.Fatalf("no finding expects FunctionNotFound\n%s", text(rep))
	}
}
