package mock_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/mock"
)

// TestDestinationStatusFollowsTheConfiguredDestinations: an invocation that ends gets
// destinationStatus Succeeded when its async config has a destination for that outcome
// (onSuccess for Succeeded, onFailure for Failed), and an empty one otherwise.
func TestDestinationStatusFollowsTheConfiguredDestinations(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	const queue = `{"destination":"acs:mns:cn-hangzhou:1:/queues/q/messages"}`
	tests := []struct {
		name         string
		destinations string // the destinationConfig
		onFailure    bool   // a failed invocation has destinationStatus Succeeded
		onSuccess    bool   // a succeeded one has
	}{
		{"none", `null`, false, false},
		{"on success", `{"onSuccess":` + queue + `}`, false, true},
		{"on failure", `{"onFailure":` + queue + `}`, true, false},
		{"both", `{"onSuccess":` + queue + `,"onFailure":` + queue + `}`, true, true},
	}
	for i, tt := range tests {
		put := `{"statefulInvocation":true,"maxAsyncRetryAttempts":0,"destinationConfig":` + tt.destinations + `}`
		if a := tg.send(t, http.MethodPut, lcBase+"picky/async-invoke-config", put, "Content-Type", "application/json"); a.status != http.StatusOK {
			t.Fatalf("%s: put config: %d %s", tt.name, a.status, a.body)
		}
		bad, good := fmt.Sprint("bad-", i), fmt.Sprint("good-", i)
		tg.mustInvoke(t, "picky", bad, "bad")
		tg.mustInvoke(t, "picky", good, "fine")
		tg.advance(t, time.Hour)
		for _, c := range []struct {
			id     string
			status fcapi.StatefulInvocationStatus
			dest   bool
		}{{bad, fcapi.Failed, tt.onFailure}, {good, fcapi.Succeeded, tt.onSuccess}} {
			inv := tg.mustGet(t, "picky", c.id)
			want := "" // written, empty, as for every run-time invocation
			if c.dest {
				want = "Succeeded"
			}
			got := "<absent>"
			if inv.DestinationStatus != nil {
				got = *inv.DestinationStatus
			}
			if inv.Status != c.status || got != want {
				t.Errorf("%s: %s is %s with destinationStatus %q, want %s with %q", tt.name, c.id, inv.Status, got, c.status, want)
			}
		}
	}
}
