package mock

import (
	"bytes"
	"reflect"
	"testing"
	"testing/fstest"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/fixtures/synth"
)

// TestLoadReadsBackAGeneratedSet writes a generated set as YAML, big enough to be cut into
// several chunks by the fast loader, and loads it back: the invocations must be the ones
// written, field for field, in order.
func TestLoadReadsBackAGeneratedSet(t *testing.T) {
	set := synth.Generate(synth.Options{Count: 20_000, Services: 2, Functions: 3, Seed: 7})
	var svcs, invs bytes.Buffer
	if err := synth.WriteServices(&svcs, set.Services); err != nil {
		t.Fatal(err)
	}
	if err := synth.WriteInvocations(&invs, set.Invocations); err != nil {
		t.Fatal(err)
	}
	if invs.Len() < 8<<20 {
		t.Fatalf("%d bytes of YAML: too few to span several chunks", invs.Len())
	}
	got, err := fixtures.Load(fstest.MapFS{
		fixtures.ServicesFile:               {Data: svcs.Bytes()},
		fixtures.InvocationsDir + "/a.yaml": {Data: invs.Bytes()},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Invocations) != len(set.Invocations) {
		t.Fatalf("loaded %d invocations, wrote %d", len(got.Invocations), len(set.Invocations))
	}
	for i := range set.Invocations {
		if !reflect.DeepEqual(got.Invocations[i], set.Invocations[i]) {
			t.Fatalf("invocation %d:\n got %+v\nwant %+v", i, got.Invocations[i], set.Invocations[i])
		}
	}
}
