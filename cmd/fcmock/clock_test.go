package main

import (
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/mock"
)

func TestClockFlags(t *testing.T) {
	tests := []struct {
		clock, start string
		virtualAt    int64 // ms; 0: real
		err          string
	}{
		{"real", "", 0, ""},
		{"virtual", "2026-12-01T12:00:00Z", 1796126400000, ""},
		{"virtual", "1796126400123", 1796126400123, ""},
		{"virtual", "", -1, ""}, // now
		{"virtual", "yesterday", 0, "--clock-start"},
		{"real", "1796126400000", 0, "needs --clock virtual"},
		{"fake", "", 0, "real or virtual"},
	}
	for _, tt := range tests {
		c, err := serveConfig{clock: tt.clock, clockStart: tt.start}.lifecycleClock()
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s %q: error %v, want one mentioning %s", tt.clock, tt.start, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s %q: %v", tt.clock, tt.start, err)
		}
		vc, virtual := c.(*mock.VirtualClock)
		switch {
		case tt.virtualAt == 0 && virtual, tt.virtualAt != 0 && !virtual:
			t.Errorf("%s %q: got %T", tt.clock, tt.start, c)
		case tt.virtualAt > 0 && vc.Now().UnixMilli() != tt.virtualAt:
			t.Errorf("%s %q: starts at %d", tt.clock, tt.start, vc.Now().UnixMilli())
		case tt.virtualAt < 0 && time.Since(vc.Now()) > time.Hour:
			t.Errorf("virtual without a start is not now: %v", vc.Now())
		}
	}
}
