package contract_test

import (
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/contract"
	"github.com/fcmock/fcmock/fixtures"
)

// The suite passes against the mock it was written with, every check strict and every check
// exercised: on the suite's own data, and on the bundled fixtures `fcmock serve` serves.
func TestMockPasses(t *testing.T) {
	tests := []struct {
		name              string
		givenData         fs.FS
		givenSvc, givenFn string
	}{
		{"the suite's own data", dataSet(), "svc", "fn"},
		{"the bundled fixtures", fixtures.Default(), "demo-svc", "demo-fn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tg := newMock(t, tt.givenData, nil)
			tg.Service, tg.Function = tt.givenSvc, tt.givenFn
			rep := contract.Test(t, tg, contract.Options{Seed: seed, MinInvocations: 10})
			if testing.Verbose() {
				rep.WriteText(os.Stdout)
			}
			for _, c := range rep.Results {
				// This mock checks no signature: TestSigningMockPasses runs signature/* on one that does;
				// lifecycle/* and resources/* need Mutating (lifecycle_test.go, resources_test.go).
				if c.Cases == 0 && !strings.HasPrefix(c.Name, "signature/") && !strings.HasPrefix(c.Name, "lifecycle/") && !strings.HasPrefix(c.Name, "resources/") {
					t.Errorf("%s ran no case (%s)", c.Name, c.Skipped)
				}
			}
		})
	}
}
