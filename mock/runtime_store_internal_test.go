package mock

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/lifecycle"
)

// TestAStopAfterASettlingReadLeavesTheStatusIndex: a read whose clock is past an invocation's
// end moves it to its status index; a stop recorded afterwards at a time before that end (the
// stop read its clock first) must take it out of that index again, or a listing by its old
// status would still hold it beside its new one.
func TestAStopAfterASettlingReadLeavesTheStatusIndex(t *testing.T) {
	ctx := context.Background()
	m := NewMemInvocations().(*memInvocations)
	var invs []*Invocation
	for i := range 3 {
		inv := &Invocation{Service: "svc", Function: "fn", Qualifier: "LATEST", ID: fmt.Sprint("job-", i), RequestID: "r",
			Plan: lifecycle.Draw(lifecycle.Behaviour{}, lifecycle.Config{}, uint64(i), 1_000+int64(i), "")}
		if ok, err := m.Put(ctx, inv); !ok || err != nil {
			t.Fatalf("put %s: %v %v", inv.ID, ok, err)
		}
		invs = append(invs, inv)
	}
	later := invs[2].Plan.End(lifecycle.NoStop) + 3_600_000
	ids := func(status fcapi.StatefulInvocationStatus) []string {
		var out []string
		for _, inv := range m.page(Query{Service: "svc", Function: "fn", Status: status, Limit: 10}, later) {
			out = append(out, inv.ID)
		}
		return out
	}
	if got := ids(fcapi.Succeeded); len(got) != 3 { // settles all three
		t.Fatalf("Succeeded before the stop: %v", got)
	}
	for _, target := range invs {
		at := target.Plan.Enqueued + 1
		if !target.Plan.CanStop(at) {
			t.Fatalf("%s cannot be stopped at %d", target.ID, at)
		}
		if _, won, err := m.Stop(ctx, target, at); !won || err != nil {
			t.Fatalf("stop %s: %v %v", target.ID, won, err)
		}
		status := target.State(later).Status
		if slices.Contains(ids(fcapi.Succeeded), target.ID) || !slices.Contains(ids(status), target.ID) {
			t.Errorf("after stopping %s (now %s): Succeeded lists %v, %s lists %v", target.ID, status, ids(fcapi.Succeeded), status, ids(status))
		}
	}
}

// TestMemInvocationsLenCountsWhatWasStored: Len (Invocations, for embedders and the shared
// store's tests) counts the invocations Put recorded, not the ones it refused, and Reset
// brings it back to 0.
func TestMemInvocationsLenCountsWhatWasStored(t *testing.T) {
	ctx := context.Background()
	m := NewMemInvocations()
	tests := []struct {
		function, id string
		expectPut    bool
		expectLen    int
	}{
		{"fn", "job-0", true, 1},
		{"fn", "job-1", true, 2},
		{"fn", "job-0", false, 2}, // the function has it: refused
		{"other", "job-0", true, 3},
	}
	for i, tt := range tests {
		inv := &Invocation{Service: "svc", Function: tt.function, Qualifier: "LATEST", ID: tt.id, RequestID: "r",
			Plan: lifecycle.Draw(lifecycle.Behaviour{}, lifecycle.Config{}, uint64(i), 1_000+int64(i), "")}
		ok, err := m.Put(ctx, inv)
		n, _ := m.Len(ctx)
		if ok != tt.expectPut || err != nil || n != tt.expectLen {
			t.Errorf("put %s/%s: %v %v, Len %d; want %v, Len %d", tt.function, tt.id, ok, err, n, tt.expectPut, tt.expectLen)
		}
	}
	if err := m.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := m.Len(ctx); n != 0 {
		t.Errorf("Len after Reset: %d, want 0", n)
	}
}
