package main

import (
	"math"
	"time"
)

// histogram counts latencies in buckets 2% wide, from 1 µs to hours, in fixed memory: a soak
// must not grow its own heap, or in process its growth would read as the server's.
type histogram struct {
	counts [1100]int64
	n      int64
	max    time.Duration
}

const bucketRatio = 1.02

func (h *histogram) add(d time.Duration) {
	us := float64(d.Microseconds())
	b := min(len(h.counts)-1, int(math.Log1p(us)/math.Log(bucketRatio)))
	h.counts[b]++
	h.n++
	h.max = max(h.max, d)
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.max = max(h.max, o.max)
}

// quantile returns the upper bound of the bucket holding the q-th latency (q in [0, 1]), which
// is within 2% of it; q = 1 is the exact maximum.
func (h *histogram) quantile(q float64) time.Duration {
	if q >= 1 || h.n == 0 {
		return h.max.Round(time.Microsecond)
	}
	rank := int64(q * float64(h.n))
	var seen int64
	for b, c := range h.counts {
		if seen += c; seen > rank {
			us := math.Pow(bucketRatio, float64(b+1)) - 1
			return min(h.max, time.Duration(us*float64(time.Microsecond)).Round(time.Microsecond))
		}
	}
	return h.max
}
