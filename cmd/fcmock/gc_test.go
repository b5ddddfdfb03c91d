package main

import "testing"

func TestGCPercentLeavesThirtyTwoMegabytesOfHeadroom(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		live uint64
		want int
	}{
		{0, 100},        // nothing measured: the default
		{1 * mb, 400},   // a small set: capped at the start-up load's setting
		{8 * mb, 400},   // exactly 32 MB above 8 MB
		{16 * mb, 200},  // 32 MB above
		{32 * mb, 100},  // the default, reached from above
		{320 * mb, 10},  // a large set: collections come after 32 MB of garbage, not 320
		{10 << 30, 5},   // the floor
		{64*mb + 1, 49}, // rounds down: never more headroom than 32 MB
	}
	for _, tt := range tests {
		if got := gcPercentFor(tt.live); got != tt.want {
			t.Errorf("gcPercentFor(%d MB) = %d, want %d", tt.live/mb, got, tt.want)
		}
	}
}
