package contract

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// read gets one invocation the family created, and judges the read against the ones before
// it (see observe). ok is false when the target did not return it: a lifecycle/get violation.
func (c *cycle) read(ctx context.Context, id string) (rec record, ex *exchange, ok bool, err error) {
	ex, err = c.sendInvocation(ctx, http.MethodGet, id)
	if err != nil || ex.err != nil {
		return record{}, ex, false, err
	}
	rec, ok = c.judgeRead(ex, id)
	return rec, ex, ok, nil
}

// judgeRead decodes a GET's answer and observes the record; a non-200 answer, or another
// invocation, is a lifecycle/get violation.
func (c *cycle) judgeRead(ex *exchange, id string) (rec record, ok bool) {
	if ex.status == http.StatusOK {
		rec, ok = decodeBody(ex.body)
	}
	if !ok || rec.ID != id {
		tr := c.s.start(CheckLcGet)
		tr.fail(ex, "200 and the invocation "+id+" at top level (it was accepted with a 202)", ex.summary())
		tr.end()
		return record{}, false
	}
	c.observe(ex, rec)
	return rec, true
}

// visible reads id until GET finds it (a service may record an invocation a moment after its
// 202), within the wait: a 404 meanwhile is no violation, one at the end of the wait is.
func (c *cycle) visible(ctx context.Context, id string) (ok bool, err error) {
	w := c.pace.start()
	for {
		ex, err := c.sendInvocation(ctx, http.MethodGet, id)
		if err != nil || ex.err != nil {
			return false, err
		}
		if ex.status != http.StatusNotFound {
			_, ok = c.judgeRead(ex, id)
			return ok, nil
		}
		if more, err := w.pass(ctx); err != nil || !more {
			if err == nil {
				_, ok = c.judgeRead(ex, id) // still 404 at the end of the wait: the violation
			}
			return ok, err
		}
	}
}

// await reads id until done holds, letting time pass between reads (see pacer). done is false
// when the wait's budget ran out first, or a read failed; rec is then the last read, if any.
func (c *cycle) await(ctx context.Context, id string, until func(record) bool) (rec record, done bool, err error) {
	w := c.pace.start()
	for {
		r, _, ok, err := c.read(ctx, id)
		if err != nil || !ok {
			return rec, false, err
		}
		if rec = r; until(rec) {
			return rec, true, nil
		}
		more, err := w.pass(ctx)
		if err != nil || !more {
			return rec, false, err
		}
	}
}

// observe runs the checks every read of an invocation gets: endTime agrees with the status,
// events are in order and only grow, and the status moved along the state machine since the
// previous read.
func (c *cycle) observe(ex *exchange, rec record) {
	prev, seen := c.last[rec.ID]
	c.last[rec.ID] = rec
	c.checkEndTime(ex, rec)
	c.checkEvents(ex, rec, prev, seen)
	if seen && prev.Status != rec.Status {
		c.moved = true
		tr := c.s.start(CheckLcTransitions)
		if !reachable(prev.Status, rec.Status) {
			tr.fail(ex, fmt.Sprintf("a status reachable from %s, the previous read's (wire facts 5)", prev.Status), rec.Status)
		}
		tr.end()
	}
}

func (c *cycle) checkEndTime(ex *exchange, rec record) {
	tr := c.s.start(CheckLcEndTime)
	defer tr.end()
	switch {
	case terminal(rec.Status):
		c.ended = true
		if !rec.HasEnd || rec.End <= 0 || rec.End < rec.Started {
			tr.fail(ex, fmt.Sprintf("%s is terminal: endTime set, not before startedTime %d", rec.Status, rec.Started), rec.describe())
		}
	case rec.HasEnd && rec.End != 0:
		tr.fail(ex, fmt.Sprintf("%s is not terminal: endTime 0", rec.Status), rec.describe())
	}
}

// checkEvents checks one read's events: eventIds increasing, timestamps never decreasing, each
// status reachable from the one before, and the previous read's events still at the front.
func (c *cycle) checkEvents(ex *exchange, rec, prev record, seen bool) {
	if len(rec.Events) == 0 {
		tr := c.s.start(CheckLcEvents)
		tr.failAt(c.ev.eventsPresent, ex, "events: at least the one of its first status", rec.describe())
		tr.end()
		return
	}
	c.had = true
	tr := c.s.start(CheckLcEvents)
	defer tr.end()
	for i := 1; i < len(rec.Events); i++ {
		a, b := rec.Events[i-1], rec.Events[i]
		switch {
		case b.ID <= a.ID:
			tr.fail(ex, "events ordered by increasing eventId", rec.describe())
			return
		case b.Timestamp < a.Timestamp:
			tr.fail(ex, "event timestamps that never decrease", rec.describe())
			return
		case !reachable(a.Status, b.Status):
			tr.failAt(c.ev.transitions, ex, fmt.Sprintf("event %d's status reachable from %s (wire facts 5)", b.ID, a.Status), rec.describe())
			return
		}
	}
	if seen && !prefix(prev.Events, rec.Events) {
		tr.fail(ex, "the events of the previous read, then new ones: events are history", fmt.Sprintf("before: %s; now: %s", prev.describe(), rec.describe()))
	}
}

func prefix(before, now []event) bool {
	if len(before) > len(now) {
		return false
	}
	for i, e := range before {
		if now[i] != e {
			return false
		}
	}
	return true
}

// unexercised reports the rules no read could exercise: a silent pass would claim more than
// the run saw.
func (c *cycle) unexercised() {
	s := c.s
	s.skip("no invocation was seen to change status", CheckLcTransitions)
	s.skip("no read carried events", CheckLcEvents)
	if !c.ended {
		s.note("lifecycle: no read showed a terminal status, so %s checked only that endTime is 0 before the end", CheckLcEndTime)
	}
	s.skip("not reached: an earlier step of the family failed (see its findings)", lifecycleChecks...)
}

// listed checks that inv appears in the function's listing, within the wait, with its fields:
// in the target's listing (qualified when it names a qualifier), then at once in the
// unqualified one. That an unqualified listing holds a qualified invocation is a mock choice
// (semantics/filter-qualifier), and the findings there are graded by it.
func (c *cycle) listed(ctx context.Context, inv *invoked) error {
	s, fn := c.s, c.fn
	segments := []string{fn.segment()}
	if fn.Qualifier != "" {
		segments = append(segments, fn.Service)
	}
	for i, seg := range segments {
		rec, ex, found, err := c.findListed(ctx, seg, inv.id, true, i == 0)
		if err != nil {
			return err
		}
		if ex == nil {
			continue // no answer: no-5xx's finding
		}
		tr := s.start(CheckLcListed)
		listedEv, requestEv := tr.ev, c.ev.requestID
		if seg != fn.segment() {
			listedEv, requestEv = weaker(listedEv, c.ev.filterQualifier), weaker(requestEv, c.ev.filterQualifier)
		}
		switch {
		case !found:
			tr.failAt(listedEv, ex, fmt.Sprintf("%s listed under %s (waited up to %s for the first listing)", inv.id, seg, c.pace.budget), ex.summary()+", not listed")
		case rec.Service != fn.Service || rec.Function != fn.Function:
			tr.fail(ex, "serviceName "+fn.Service+" and functionName "+fn.Function+" (where it was invoked)",
				fmt.Sprintf("serviceName %q, functionName %q", rec.Service, rec.Function))
		case rec.Payload == nil || *rec.Payload != string(inv.payload):
			tr.failAt(c.ev.includePayload, ex, "with includePayload=true, invocationPayload "+string(inv.payload)+" (the body as sent)", rec.payloadText())
		case rec.RequestID != inv.requestID && inv.requestID != "":
			tr.failAt(requestEv, ex, "requestId "+inv.requestID+" (the invoke's X-Fc-Request-Id)", orNone(rec.RequestID))
		}
		tr.end()
		if !found {
			continue
		}
		if rec, ex, found, err = c.findListed(ctx, seg, inv.id, false, false); err != nil || ex == nil {
			return err
		}
		tr = s.start(CheckLcListed)
		if found && rec.Payload != nil {
			tr.failAt(c.ev.includePayload, ex, "with includePayload=false, no invocationPayload", rec.payloadText())
		}
		tr.end()
	}
	return nil
}

// findListed lists the invocations whose id starts with id (only it: ids are fresh), once or,
// with wait, until it is listed or the wait's budget runs out. ex is nil when the target gave
// no answer.
func (c *cycle) findListed(ctx context.Context, segment, id string, payload, wait bool) (rec record, ex *exchange, found bool, err error) {
	p := params(100, "")
	p.InvocationIdPrefix, p.IncludePayload = &id, &payload
	w := c.pace.start()
	for {
		if ex, err = c.list(ctx, segment, p); err != nil || ex.err != nil {
			return record{}, nil, false, err
		}
		if ex.status/100 != 2 {
			return record{}, ex, false, nil // refused: waiting will not list it
		}
		for _, r := range decodeItems(ex.body) {
			if r.ID == id {
				c.observe(ex, r)
				return r, ex, true, nil
			}
		}
		if !wait {
			return record{}, ex, false, nil
		}
		if more, err := w.pass(ctx); err != nil || !more {
			return record{}, ex, false, err
		}
	}
}

// get checks that GET returns the invocation as the listing does, field by field. Against a
// clock the family cannot stop, the listing is read between two GETs, and compared only when
// both GETs agree: the invocation did not change meanwhile.
func (c *cycle) get(ctx context.Context, inv *invoked) error {
	for range 5 {
		before, ex, ok, err := c.read(ctx, inv.id)
		if err != nil || !ok {
			return err
		}
		listed, lex, found, err := c.findListed(ctx, c.fn.segment(), inv.id, true, false)
		if err != nil || !found {
			c.s.skip("the invocation was not listed to compare with (see "+CheckLcListed+")", CheckLcGet)
			return err
		}
		after, _, ok, err := c.read(ctx, inv.id)
		if err != nil || !ok {
			return err
		}
		if len(before.diff(after)) > 0 {
			continue // it moved between the reads
		}
		tr := c.s.start(CheckLcGet)
		if d := before.diff(listed); len(d) > 0 {
			tr.fail(ex, "the fields the listing returns ("+lex.curl+")", "GET then listing differ in "+strings.Join(d, "; "))
		}
		// openapi.yaml makes GET always carry the payload (a mock choice); FC's doc does not say.
		switch {
		case before.Payload == nil:
			tr.failAt(c.ev.getPayload, ex, "invocationPayload "+string(inv.payload)+" (the body as sent; GET always carries it)", before.payloadText())
		case before.Payload != nil && *before.Payload != string(inv.payload):
			tr.fail(ex, "invocationPayload "+string(inv.payload)+" (the body as sent), or none", before.payloadText())
		}
		tr.end()
		return nil
	}
	c.s.skip("the invocation changed between every two GETs", CheckLcGet)
	return nil
}

func (r record) payloadText() string {
	if r.Payload == nil {
		return "no invocationPayload"
	}
	return "invocationPayload " + truncate(*r.Payload, 120)
}
