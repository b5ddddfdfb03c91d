package mock_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/mock"
)

// TestAnInvocationIsListedByItsStatusFromTheMsItEnds: at the very millisecond an invocation
// ends, a listing filtered by its final status holds it (as the unfiltered listing and GET
// already show it ended), and one filtered by Running no longer does; the millisecond before,
// the other way round.
func TestAnInvocationIsListedByItsStatusFromTheMsItEnds(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	// fn's plan does not depend on the id (fixed times): a first invocation gives its length.
	tg.mustInvoke(t, "fn", "probe", "")
	tg.advance(t, time.Hour)
	probe := tg.mustGet(t, "fn", "probe")
	if probe.Status != fcapi.Succeeded || probe.EndTime <= probe.StartedTime {
		t.Fatalf("probe: %s, %d..%d", probe.Status, probe.StartedTime, probe.EndTime)
	}
	tg.mustInvoke(t, "fn", "job-1", "")
	end := tg.mustGet(t, "fn", "job-1").StartedTime + probe.EndTime - probe.StartedTime
	listed := func(status fcapi.StatefulInvocationStatus) bool {
		all := tg.listAll(t, "svc/functions/fn", "limit=100&status="+string(status))
		return slices.ContainsFunc(all, func(inv fcapi.StatefulAsyncInvocation) bool { return inv.InvocationId == "job-1" })
	}
	for _, tt := range []struct {
		at      int64
		running bool
	}{{end - 1, true}, {end, false}} {
		if a := tg.send(t, http.MethodPost, mock.AdminPrefix+"clock", fmt.Sprintf(`{"set":%d}`, tt.at)); a.status != http.StatusOK {
			t.Fatalf("set the clock: %d %s", a.status, a.body)
		}
		if got := tg.mustGet(t, "fn", "job-1").Status; (got == fcapi.Running) != tt.running {
			t.Fatalf("at end%+d ms: GET says %s", tt.at-end, got)
		}
		// Succeeded first: a status query is what moves ended invocations to their index.
		if s, r := listed(fcapi.Succeeded), listed(fcapi.Running); s == tt.running || r != tt.running {
			t.Errorf("at end%+d ms: listed as Succeeded %v, as Running %v; want %v, %v", tt.at-end, s, r, !tt.running, tt.running)
		}
	}
}
