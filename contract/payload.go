package contract

import (
	"context"
	"fmt"

	"github.com/fcmock/fcmock/gen/fcapi"
)

// includePayload walks the listing with includePayload=false and with includePayload=true: the
// first must carry no payload, the second must carry payloads, for the same invocations.
func (s *Suite) includePayload(ctx context.Context) error {
	if len(s.ref.items) == 0 {
		return nil
	}
	walkWith := func(include bool) (*walk, error) {
		p := params(100, fcapi.Asc)
		p.IncludePayload = ptr(include)
		return s.walk(ctx, query{segment: s.target.segment(), params: p}, s.maxPages(100))
	}
	off, err := walkWith(false)
	if err != nil {
		return err
	}
	on, err := walkWith(true)
	if err != nil {
		return err
	}
	if off.complete() {
		tr := s.start(CheckIncludePayload)
		s.expectNoPayload(tr, off, "includePayload=false")
		tr.end()
	}
	if on.complete() {
		tr := s.start(CheckIncludePayload)
		s.expectPayload(tr, on, off)
		tr.end()
	}
	return nil
}

// expectNoPayload fails tr for the first page of w that carries invocationPayload.
func (s *Suite) expectNoPayload(tr *trial, w *walk, why string) {
	for _, p := range w.pages {
		var with []invocation
		for _, inv := range p.items {
			if inv.Payload || inv.OddKey != "" {
				with = append(with, inv)
			}
		}
		if len(with) > 0 {
			tr.fail(p.ex, "no invocationPayload with "+why,
				fmt.Sprintf("%d of %d invocations carry it: %s", len(with), len(p.items), ids(with, 5)))
			return
		}
	}
}

// expectPayload checks the includePayload=true walk: it lists the same ended invocations as the
// includePayload=false one, and (informational) some invocation carries a payload.
func (s *Suite) expectPayload(tr *trial, on, off *walk) {
	got := newListing(on)
	carried := 0
	for _, inv := range got.items {
		if inv.Payload {
			carried++
		}
	}
	if carried == 0 && len(got.items) > 0 {
		// No payload at all may be the data (invocations invoked without a body) or the
		// parameter ignored: the suite cannot tell, so it only says so.
		tr.inform(on.first(), "invocationPayload on the listed invocations (includePayload=true)",
			fmt.Sprintf("none of the %d invocations carries it: either none has a payload, or includePayload=true is ignored", len(got.items)))
	}
	if !off.complete() {
		return
	}
	without := newListing(off)
	var onlyOff, onlyOn []invocation
	for _, inv := range without.items {
		if _, ok := got.byID[inv.ID]; !ok && s.stable(inv) {
			onlyOff = append(onlyOff, inv)
		}
	}
	for _, inv := range got.items {
		if _, ok := without.byID[inv.ID]; !ok && s.stable(inv) {
			onlyOn = append(onlyOn, inv)
		}
	}
	if len(onlyOff)+len(onlyOn) > 0 {
		tr.fail(on.first(), "the same invocations with includePayload=true as with includePayload=false",
			fmt.Sprintf("only with false: %d (%s); only with true: %d (%s)", len(onlyOff), ids(onlyOff, 5), len(onlyOn), ids(onlyOn, 5)))
	}
}

// payloadDefault checks the full listing, walked without includePayload, for payloads: the
// mock's default is false; the doc states none.
func (s *Suite) payloadDefault() {
	if len(s.ref.items) == 0 {
		return
	}
	tr := s.start(CheckPayloadDefault)
	s.expectNoPayload(tr, s.refWalk, "includePayload absent")
	tr.end()
}
