package contract

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/fcmock/fcmock/gen/fcapi"
)

// genPages caps the pages a generated case walks; a longer answer is checked as far as it goes.
const genPages = 5

// generated runs Options.Cases seeded cases: three valid queries for each invalid one. The
// same seed against the same data gives the same requests, so any finding can be replayed
// with --seed.
func (s *Suite) generated(ctx context.Context) error {
	if s.opts.Cases < 0 {
		s.skip("no generated cases were asked for", CheckGenValid, CheckGenInvalid)
		return nil
	}
	g := &generator{rng: rand.New(rand.NewPCG(uint64(s.opts.Seed), 0x5eed)), v: s.values, s: s}
	for i := range s.opts.Cases {
		label := fmt.Sprintf("generated case %d (seed %d)", i+1, s.opts.Seed)
		var err error
		if i%4 == 3 {
			r := g.invalid()
			r.check, r.label = CheckGenInvalid, label
			err = s.expectRejection(ctx, r)
		} else {
			err = s.checkGenerated(ctx, label, query{segment: s.target.segment(), params: g.valid(i)})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// checkGenerated walks q (at most genPages pages) and compares it with the full listing
// filtered client-side: no leak, no wrong payload, nothing missing up to where the walk got.
func (s *Suite) checkGenerated(ctx context.Context, label string, q query) error {
	w, err := s.pages(ctx, q, genPages)
	if err != nil || w.failed != "" || w.loop != "" {
		return err // semantics/accepted, no-5xx or semantics/paging report it
	}
	tr := s.start(CheckGenValid)
	defer tr.end()
	s.judge(tr, w, q, label+": ", func(inv invocation) bool { return reached(w, q, inv) })
	var payload []invocation
	for _, inv := range newListing(w).items {
		if (inv.Payload || inv.OddKey != "") && s.wantsNoPayload(q) {
			payload = append(payload, inv)
		}
	}
	if len(payload) > 0 {
		ev := s.evidence[CheckIncludePayload]
		if q.params.IncludePayload == nil {
			ev = s.evidence[CheckPayloadDefault]
		}
		tr.failAt(ev, w.first(), label+": no invocationPayload without includePayload=true", fmt.Sprintf("%d carry it: %s", len(payload), ids(payload, 5)))
	}
	return nil
}

// wantsNoPayload: includePayload=false or absent (the doc returns the payload only when true).
func (s *Suite) wantsNoPayload(q query) bool {
	p := q.params.IncludePayload
	return p == nil || !*p
}

// reached reports whether a walk of q that got as far as it did should have listed inv: any
// matching invocation once the walk ended; otherwise only those strictly before its last one.
func reached(w *walk, q query, inv invocation) bool {
	if w.complete() {
		return true
	}
	items := w.items()
	if len(items) == 0 || q.order() == "" || !items[len(items)-1].TimeOK {
		return false
	}
	last := items[len(items)-1].Started
	if q.order() == fcapi.Desc {
		return inv.Started > last
	}
	return inv.Started < last
}

// generator draws cases from the spec's ranges and enums and from the target's own data.
type generator struct {
	rng *rand.Rand
	v   specValues
	s   *Suite
}

// valid draws a valid query. The first cases take the limit's bounds and the prefix's maximum
// length; sort orders and statuses go round-robin, so every enum value comes up.
func (g *generator) valid(i int) fcapi.ListStatefulAsyncInvocationsParams {
	var p fcapi.ListStatefulAsyncInvocationsParams
	switch {
	case i == 0:
		p.Limit = ptr(int32(g.v.limitMin))
	case i == 1:
		p.Limit = ptr(int32(g.v.limitMax))
	case g.rng.IntN(5) > 0:
		p.Limit = ptr(int32(g.v.limitMin + g.rng.IntN(g.v.limitMax-g.v.limitMin+1)))
	}
	if k := i % (len(g.v.sorts) + 1); k > 0 {
		p.SortOrderByTime = ptr(fcapi.SortOrder(g.v.sorts[k-1]))
	}
	if k := i % (len(g.v.statuses) + 1); k > 0 {
		p.Status = ptr(fcapi.StatefulInvocationStatus(g.v.statuses[k-1]))
	}
	p.InvocationIdPrefix = g.prefix(i)
	p.StartedTimeBegin, p.StartedTimeEnd = g.window(i)
	if k := g.rng.IntN(3); k > 0 {
		p.IncludePayload = ptr(k == 1)
	}
	return p
}

func (g *generator) prefix(i int) *string {
	items := g.s.ref.items
	switch k := g.rng.IntN(3); {
	case i == 2:
		return ptr(g.word(g.v.prefixMax))
	case k == 1 && len(items) > 0:
		id := items[g.rng.IntN(len(items))].ID
		return ptr(id[:1+g.rng.IntN(len(id))])
	case k == 2:
		return ptr(g.word(1 + g.rng.IntN(8)))
	}
	return nil
}

// window draws time bounds, begin never after end. Against a target other than the mock the
// bounds fall between invocations, so inclusive and exclusive bounds give the same answer.
func (g *generator) window(i int) (begin, end *int64) {
	switch i {
	case 3:
		return ptr(int64(0)), nil
	case 4:
		return nil, ptr(int64(math.MaxInt64))
	}
	k := g.rng.IntN(4)
	if k == 0 {
		return nil, nil
	}
	a, b := g.time(), g.time()
	if a > b {
		a, b = b, a
	}
	if k&1 == 1 {
		begin = &a
	}
	if k&2 == 2 {
		end = &b
	}
	return begin, end
}

func (g *generator) time() int64 {
	var pool []int64
	if g.s.target.IsMock && g.rng.IntN(2) == 0 {
		pool = g.s.ref.times()
	} else {
		pool = g.s.gapBounds()
	}
	if len(pool) == 0 {
		return g.rng.Int64N(2_000_000_000_000)
	}
	return pool[g.rng.IntN(len(pool))]
}

const wordChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"

func (g *generator) word(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(wordChars[g.rng.IntN(len(wordChars))])
	}
	return b.String()
}

// invalidLimits are the limits an invalid case draws from: one either side of the spec's range,
// -1, one that does not fit an int32 (a server that parses it as one and ignores the error
// would take it for no limit), and one far above the range (r is a draw from [0, 100000)).
func (v specValues) invalidLimits(r int64) []int64 {
	return []int64{int64(v.limitMin) - 1, int64(v.limitMax) + 1, -1, math.MaxInt32 + 1, int64(v.limitMax) + 1 + r}
}

// negativeTime is a startedTime bound below the spec's minimum of 0, for a draw r >= 0.
func negativeTime(r int64) int64 { return -1 - r }

// invalid draws a query with one value just outside the spec's rules.
func (g *generator) invalid() rejection {
	switch g.rng.IntN(6) {
	case 0:
		limits := g.v.invalidLimits(g.rng.Int64N(100000))
		return badValue("", "Limit", fmt.Sprintf("limit=%d", limits[g.rng.IntN(len(limits))]), false)
	case 1:
		return badValue("", "StartedTimeBegin", fmt.Sprintf("startedTimeBegin=%d", negativeTime(g.rng.Int64N(1<<40))), false)
	case 2:
		return badValue("", "StartedTimeEnd", fmt.Sprintf("startedTimeEnd=%d", negativeTime(g.rng.Int64N(1<<40))), false)
	case 3:
		return badValue("", "InvocationIdPrefix", "invocationIdPrefix="+g.word(g.v.prefixMax+1), false)
	case 4:
		return badValue("", "SortOrderByTime", "sortOrderByTime="+g.notIn(g.v.sorts), false)
	default:
		return badValue("", "Status", "status="+g.notIn(g.v.statuses), false)
	}
}

// notIn draws a lower-case word that is none of values, in any case.
func (g *generator) notIn(values []string) string {
	for {
		w := strings.ToLower(g.word(3 + g.rng.IntN(6)))
		w = strings.Map(func(r rune) rune {
			if r == '_' || r == '-' || r >= '0' && r <= '9' {
				return 'x'
			}
			return r
		}, w)
		clash := false
		for _, v := range values {
			clash = clash || strings.EqualFold(v, w)
		}
		if !clash {
			return w
		}
	}
}
