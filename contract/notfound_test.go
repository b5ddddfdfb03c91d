package contract_test

import (
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
