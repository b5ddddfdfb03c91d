package contract

import (
	"context"
	"fmt"
	"net/http"

	"github.com/fcmock/fcmock/internal/fc"
)

// stopFinished lets inv run to its end, then stops it: 400 InvalidArgument (wire facts 2.3),
// and one more read, which must still show the end.
func (c *cycle) stopFinished(ctx context.Context, inv *invoked) error {
	rec, done, err := c.await(ctx, inv.id, func(r record) bool { return terminal(r.Status) })
	if err != nil {
		return err
	}
	if !done {
		c.s.skip(fmt.Sprintf("%s had not ended after %s (last seen %s)", inv.id, c.pace.budget, orNone(rec.Status)),
			CheckLcStopFinished)
		return nil
	}
	ex, err := c.sendInvocation(ctx, http.MethodPut, inv.id)
	if err != nil || ex.err != nil {
		return err
	}
	tr := c.s.start(CheckLcStopFinished)
	refusal(tr, ex, http.StatusBadRequest, fc.CodeInvalidArgument, "a stop of an invocation already "+rec.Status, tr.ev, tr.ev)
	tr.end()
	_, _, _, err = c.read(ctx, inv.id)
	return err
}

// stop creates an invocation and stops it at once: the stop is accepted (2xx), the next read
// shows Stopping or Stopped, and the invocation ends Stopped. An invocation that ended before
// the stop arrived (a short run on a real clock) leaves the rule unexercised, and says so.
func (c *cycle) stop(ctx context.Context) error {
	s := c.s
	inv, err := c.invoke(ctx, "stop")
	if err != nil {
		return err
	}
	if inv == nil {
		s.skip("the target refused to create an invocation (see "+CheckLcInvoke+")", CheckLcStop)
		return nil
	}
	if ok, err := c.visible(ctx, inv.id); err != nil || !ok {
		return err
	}
	ex, err := c.sendInvocation(ctx, http.MethodPut, inv.id)
	if err != nil || ex.err != nil {
		return err
	}
	rec, _, ok, err := c.read(ctx, inv.id)
	if err != nil || !ok {
		return err
	}
	if ex.status/100 != 2 && terminal(rec.Status) && rec.Status != "Stopped" {
		s.skip(fmt.Sprintf("%s had ended (%s) before the stop arrived; a longer run time exercises it", inv.id, rec.Status),
			CheckLcStop)
		return nil
	}
	tr := s.start(CheckLcStop)
	defer tr.end()
	switch {
	case ex.status/100 != 2:
		tr.failAt(c.ev.stopped, ex, "2xx: a stop of an invocation in "+rec.Status, ex.summary())
		return nil
	case rec.Status != "Stopping" && rec.Status != "Stopped":
		tr.fail(ex, "after a 2xx stop, the next read shows Stopping or Stopped", rec.describe())
		return nil
	}
	end, done, err := c.await(ctx, inv.id, func(r record) bool { return terminal(r.Status) })
	switch {
	case err != nil:
		return err
	case !done && end.Status == "Stopping":
		tr.inform(ex, fmt.Sprintf("Stopped within %s of the stop", c.pace.budget), "still Stopping")
	case done && end.Status != "Stopped":
		tr.fail(ex, "a stopped invocation ends Stopped", end.describe())
	}
	return nil
}
