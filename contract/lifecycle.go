package contract

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// lifecycleChecks are the checks of the lifecycle family, skipped together without
// Options.Mutating.
var lifecycleChecks = []string{CheckLcInvoke, CheckLcListed, CheckLcGet, CheckLcStop, CheckLcEndTime,
	CheckLcDuplicate, CheckLcNotFound, CheckLcStopFinished, CheckLcEvents, CheckLcTransitions}

// cycle is one run of the lifecycle family: the pacer, and the last read of each invocation,
// against which every later read is judged.
type cycle struct {
	s     *Suite
	pace  *pacer
	last  map[string]record
	moved bool // some invocation was seen to change status
	ended bool // some read showed a terminal status
	had   bool // some read carried events
}

// invoked is an invocation the family created.
type invoked struct {
	id        string
	payload   []byte
	requestID string // the invoke's X-Fc-Request-Id: the record's requestId
}

// lifecycle runs the lifecycle/* checks when Options.Mutating allows it: they create
// invocations, which on a real account cost money. One invocation runs to its end by itself
// (listed, re-invoked, read, stopped once finished); another is stopped as soon as GET finds it.
func (s *Suite) lifecycle(ctx context.Context) error {
	if !s.opts.Mutating {
		s.skip("it creates invocations (on a real account that costs money): run with --mutating (Options.Mutating)", lifecycleChecks...)
		return nil
	}
	pace, err := s.newPacer(ctx)
	if err != nil {
		return err
	}
	s.note("lifecycle: %s", pace)
	c := &cycle{s: s, pace: pace, last: map[string]record{}}
	if err := c.run(ctx); err != nil {
		return err
	}
	c.unexercised()
	return nil
}

func (c *cycle) run(ctx context.Context) error {
	s := c.s
	run, err := c.invoke(ctx, "run")
	if err != nil {
		return err
	}
	if run == nil {
		s.skip("the target refused to create an invocation (see "+CheckLcInvoke+")",
			CheckLcListed, CheckLcGet, CheckLcDuplicate, CheckLcStopFinished)
	} else {
		// Listed first: it waits until the invocation is visible, so that the duplicate and
		// the GETs do not race a service that records invocations a moment after the 202.
		if err := c.listed(ctx, run); err != nil {
			return err
		}
		if err := c.duplicate(ctx, run); err != nil {
			return err
		}
		if err := c.get(ctx, run); err != nil {
			return err
		}
	}
	if err := c.notFound(ctx); err != nil {
		return err
	}
	if run != nil {
		if err := c.stopFinished(ctx, run); err != nil {
			return err
		}
	}
	return c.stop(ctx)
}

// freshID is an invocation id no earlier run used: it starts with a letter and holds only
// letters, digits and '-' (wire facts 1), from the seed and the clock.
func (s *Suite) freshID(role string) string {
	return fmt.Sprintf("fcmock-contract-%s-%s-%s", strconv.FormatUint(uint64(s.opts.Seed), 36),
		strconv.FormatInt(time.Now().UnixNano(), 36), role)
}

// sendInvoke invokes the target's function asynchronously with a stateful id, as the Go SDK
// does: the event as application/octet-stream, its MD5 in Content-MD5.
func (s *Suite) sendInvoke(ctx context.Context, id string, payload []byte) (*exchange, error) {
	async := fcapi.InvokeFunctionParamsXFcInvocationTypeAsync
	p := fcapi.InvokeFunctionParams{XFcInvocationType: &async, XFcStatefulAsyncInvocationId: &id}
	req, err := fcapi.NewInvokeFunctionRequestWithBody(s.target.BaseURL, s.target.segment(), s.target.Function, &p,
		"application/octet-stream", bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("contract: build request: %w", err)
	}
	return s.sendBody(ctx, req, payload)
}

// sendInvocation sends a Get (GET) or a Stop (PUT, no body, as the Go SDK sends it) of id.
func (s *Suite) sendInvocation(ctx context.Context, method, id string) (*exchange, error) {
	build := fcapi.NewGetStatefulAsyncInvocationRequest
	if method == http.MethodPut {
		build = fcapi.NewStopStatefulAsyncInvocationRequest
	}
	req, err := build(s.target.BaseURL, s.target.segment(), s.target.Function, id)
	if err != nil {
		return nil, fmt.Errorf("contract: build request: %w", err)
	}
	return s.send(ctx, req)
}

// invoke creates an invocation with a fresh id and checks the answer: 202, the id echoed,
// an empty body without a JSON content type (the Node SDK parses any JSON one). It returns nil
// when the target did not accept it.
func (c *cycle) invoke(ctx context.Context, role string) (*invoked, error) {
	s := c.s
	inv := &invoked{id: s.freshID(role)}
	inv.payload = fmt.Appendf(nil, `{"fcmock-contract":%q}`, inv.id)
	ex, err := s.sendInvoke(ctx, inv.id, inv.payload)
	if err != nil || ex.err != nil {
		return nil, err // no answer is no-5xx's finding
	}
	tr := s.start(CheckLcInvoke)
	defer tr.end()
	if ex.status != http.StatusAccepted {
		tr.fail(ex, "202 Accepted for an asynchronous invoke with a fresh stateful id", ex.summary())
		return nil, nil
	}
	if got := ex.header.Get(fc.HeaderStatefulInvocationID); got != inv.id {
		tr.fail(ex, fc.HeaderStatefulInvocationID+": "+inv.id+" (the id echoed)", orNone(got))
	}
	if len(ex.body) > 0 {
		tr.fail(ex, "an empty body", fmt.Sprintf("%d bytes: %s", len(ex.body), truncate(string(ex.body), 80)))
	}
	if ct := ex.header.Get("Content-Type"); strings.Contains(strings.ToLower(ct), "json") {
		tr.fail(ex, "no JSON Content-Type on the empty 202", "Content-Type: "+ct)
	}
	inv.requestID = ex.requestID
	return inv, nil
}

// duplicate invokes again with an id in use: 409 StatefulAsyncInvocationAlreadyExists.
func (c *cycle) duplicate(ctx context.Context, inv *invoked) error {
	ex, err := c.s.sendInvoke(ctx, inv.id, inv.payload)
	if err != nil || ex.err != nil {
		return err
	}
	c.expectRefusal(CheckLcDuplicate, ex, http.StatusConflict, fc.CodeStatefulAsyncInvocationAlreadyExists, "an invoke reusing the id "+inv.id)
	return nil
}

// notFound reads and stops an id never invoked: 404 StatefulAsyncInvocationNotFound.
func (c *cycle) notFound(ctx context.Context) error {
	id := c.s.freshID("unknown")
	for _, method := range []string{http.MethodGet, http.MethodPut} {
		ex, err := c.s.sendInvocation(ctx, method, id)
		if err != nil || ex.err != nil {
			return err
		}
		c.expectRefusal(CheckLcNotFound, ex, http.StatusNotFound, fc.CodeStatefulAsyncInvocationNotFound, method+" of an id never invoked")
	}
	return nil
}

// expectRefusal judges a refusal. The codes are FC's (wire facts 8.2), their statuses FC's
// naming habit: the mock must answer exactly; another target fails on a 2xx or a 5xx, and only
// informs on another 4xx or code.
func (c *cycle) expectRefusal(check string, ex *exchange, status int, code fc.Code, what string) {
	tr := c.s.start(check)
	defer tr.end()
	e, _ := ex.fcError()
	want := fmt.Sprintf("%s: %d %s", what, status, code)
	switch {
	case ex.status == status && e.ErrorCode == string(code):
	case c.s.target.IsMock || ex.status < 400 || ex.status >= 500:
		tr.fail(ex, want, ex.summary())
	default:
		tr.inform(ex, want+" (FC's status for this code is not documented; fcmock answers so)", ex.summary())
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
