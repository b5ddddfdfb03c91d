package mock_test

import (
	"net/http"
	"testing"

	"github.com/fcmock/fcmock/mock"
)

// TestGetThroughAQualifierFindsOnlyItsInvocations: GET through a qualified path finds an
// invocation of that qualifier only (as the listing filters), fixture or run-time; an
// unqualified path finds every one.
func TestGetThroughAQualifierFindsOnlyItsInvocations(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	if a := tg.send(t, http.MethodPost, "/2016-08-15/services/svc.prod/functions/fn/invocations", "", "X-Fc-Invocation-Type", "Async",
		"X-Fc-Stateful-Async-Invocation-Id", "job-prod"); a.status != http.StatusAccepted {
		t.Fatalf("invoke through prod: %d %s", a.status, a.body)
	}
	tg.mustInvoke(t, "fn", "job-latest", "")
	tests := []struct {
		segment, id string // fix-live and job-prod are prod's, fix-done and job-latest LATEST's
		status      int
	}{
		{"svc.prod", "fix-live", 200},
		{"svc.prod", "fix-done", 404},
		{"svc.prod", "job-prod", 200},
		{"svc.prod", "job-latest", 404},
		{"svc.LATEST", "fix-done", 200},
		{"svc.LATEST", "fix-live", 404},
		{"svc.LATEST", "job-latest", 200},
		{"svc.LATEST", "job-prod", 404},
		{"svc", "fix-live", 200},
		{"svc", "fix-done", 200},
		{"svc", "job-prod", 200},
		{"svc", "job-latest", 200},
	}
	for _, tt := range tests {
		a := tg.send(t, http.MethodGet, "/2016-08-15/services/"+tt.segment+"/functions/fn/stateful-async-invocations/"+tt.id, "")
		if a.status != tt.status || tt.status == 404 && a.code() != "StatefulAsyncInvocationNotFound" {
			t.Errorf("GET %s's %s: %d %s, want %d", tt.segment, tt.id, a.status, a.body, tt.status)
		}
	}
}
