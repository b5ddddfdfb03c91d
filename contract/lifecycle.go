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

// FunctionRef names a function on the target: Service, and Qualifier when it is set, glued as
// FC glues them (service.qualifier). Its zero value names none.
type FunctionRef struct {
	Service, Qualifier, Function string
}

func (f FunctionRef) segment() string {
	if f.Qualifier == "" {
		return f.Service
	}
	return f.Service + "." + f.Qualifier
}

// String is service[.qualifier]/function.
func (f FunctionRef) String() string { return f.segment() + "/" + f.Function }

// validate accepts the zero value and a legal service, qualifier and function.
func (f FunctionRef) validate() error {
	switch {
	case f == FunctionRef{}:
		return nil
	case !fc.ValidName(f.Service) || !fc.ValidName(f.Function):
		return fmt.Errorf("contract: lifecycle function %q is not a legal service/function name", f.String())
	case f.Qualifier != "" && !fc.ValidQualifier(f.Qualifier):
		return fmt.Errorf("contract: lifecycle function %q: %q is not a legal qualifier", f.String(), f.Qualifier)
	}
	return nil
}

// cycle is one run of the lifecycle family: the function it invokes, the pacer, the evidence
// of its findings, and the last read of each invocation, against which every later read is
// judged.
type cycle struct {
	s     *Suite
	fn    FunctionRef
	pace  *pacer
	ev    lcEvidence
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
// They run on Options.LifecycleFunction, or on a function the family makes for itself (world).
func (s *Suite) lifecycle(ctx context.Context) error {
	if !s.opts.Mutating {
		s.skip("it creates invocations (on a real account that costs money): run with --mutating (Options.Mutating)", lifecycleChecks...)
		return nil
	}
	ev, err := loadLcEvidence()
	if err != nil {
		return err
	}
	fn := s.opts.LifecycleFunction
	if fn == (FunctionRef{}) {
		w := &scratch{s: s}
		defer w.cleanUp(ctx, "lifecycle")
		var refused string
		if fn, refused, err = s.world(ctx, w); err != nil {
			return err
		}
		if refused != "" {
			s.skip("the family makes a function of its own, and "+refused+
				"; name an existing function in stateful mode with --lifecycle-function (Options.LifecycleFunction)", lifecycleChecks...)
			return nil
		}
	}
	pace, err := s.newPacer(ctx)
	if err != nil {
		return err
	}
	s.note("lifecycle: on %s; %s", fn, pace)
	c := &cycle{s: s, fn: fn, pace: pace, ev: ev, last: map[string]record{}}
	if err := c.run(ctx); err != nil {
		return err
	}
	c.unexercised()
	return nil
}

// world makes the family's own function: a service named for the run, a function in it, and
// its async invoke config with statefulInvocation on, each tracked in w for cleanup. refused
// says which step the target refused (a 403 on a real account without the permission, say):
// the family is then not exercised, which is no violation.
func (s *Suite) world(ctx context.Context, w *scratch) (fn FunctionRef, refused string, err error) {
	fn = FunctionRef{Service: s.scratchName(), Function: "fcmock-contract"}
	steps := []struct {
		what string
		do   func() (*exchange, error)
	}{
		{"CreateService " + fn.Service, func() (*exchange, error) {
			return w.createService(ctx, fn.Service, "made by fcmock contract's lifecycle family, deleted when it ends")
		}},
		{"CreateFunction " + fn.String(), func() (*exchange, error) { return w.createFunction(ctx, fn.Service, fn.Function) }},
		{"PutFunctionAsyncInvokeConfig {statefulInvocation: true} of " + fn.String(), func() (*exchange, error) {
			return w.statefulConfig(ctx, fn.Service, fn.Function)
		}},
	}
	for _, st := range steps {
		ex, err := st.do()
		switch {
		case err != nil:
			return fn, "", err
		case ex.err != nil:
			return fn, st.what + " was not answered (" + errorText(ex.err) + ")", nil
		case ex.status != http.StatusOK:
			return fn, st.what + " was answered " + ex.summary(), nil
		}
	}
	return fn, "", nil
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

// sendInvoke invokes the family's function asynchronously with a stateful id, as the Go SDK
// does: the event as application/octet-stream, its MD5 in Content-MD5.
func (c *cycle) sendInvoke(ctx context.Context, id string, payload []byte) (*exchange, error) {
	async := fcapi.InvokeFunctionParamsXFcInvocationTypeAsync
	p := fcapi.InvokeFunctionParams{XFcInvocationType: &async, XFcStatefulAsyncInvocationId: &id}
	req, err := fcapi.NewInvokeFunctionRequestWithBody(c.s.target.BaseURL, c.fn.segment(), c.fn.Function, &p,
		"application/octet-stream", bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("contract: build request: %w", err)
	}
	return c.s.sendBody(ctx, req, payload)
}

// sendInvocation sends a Get (GET) or a Stop (PUT, no body, as the Go SDK sends it) of id.
func (c *cycle) sendInvocation(ctx context.Context, method, id string) (*exchange, error) {
	build := fcapi.NewGetStatefulAsyncInvocationRequest
	if method == http.MethodPut {
		build = fcapi.NewStopStatefulAsyncInvocationRequest
	}
	req, err := build(c.s.target.BaseURL, c.fn.segment(), c.fn.Function, id)
	if err != nil {
		return nil, fmt.Errorf("contract: build request: %w", err)
	}
	return c.s.send(ctx, req)
}

// list sends a listing of the family's function at segment.
func (c *cycle) list(ctx context.Context, segment string, p fcapi.ListStatefulAsyncInvocationsParams) (*exchange, error) {
	req, err := fcapi.NewListStatefulAsyncInvocationsRequest(c.s.target.BaseURL, segment, c.fn.Function, &p)
	if err != nil {
		return nil, fmt.Errorf("contract: build request: %w", err)
	}
	return c.s.send(ctx, req)
}

// invoke creates an invocation with a fresh id and checks the answer: 202, the id echoed,
// an empty body without a JSON content type (the Node SDK parses any JSON one). It returns nil
// when the target did not accept it.
func (c *cycle) invoke(ctx context.Context, role string) (*invoked, error) {
	s := c.s
	inv := &invoked{id: s.freshID(role)}
	inv.payload = fmt.Appendf(nil, `{"fcmock-contract":%q}`, inv.id)
	ex, err := c.sendInvoke(ctx, inv.id, inv.payload)
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
		tr.failAt(c.ev.echo, ex, fc.HeaderStatefulInvocationID+": "+inv.id+" (the id echoed)", orNone(got))
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
	ex, err := c.sendInvoke(ctx, inv.id, inv.payload)
	if err != nil || ex.err != nil {
		return err
	}
	tr := c.s.start(CheckLcDuplicate)
	defer tr.end()
	refusal(tr, ex, http.StatusConflict, fc.CodeStatefulAsyncInvocationAlreadyExists, "an invoke reusing the id "+inv.id,
		c.ev.duplicate, c.ev.duplicateAnswer)
	return nil
}

// notFound reads and stops an id never invoked: 404 StatefulAsyncInvocationNotFound.
func (c *cycle) notFound(ctx context.Context) error {
	id := c.s.freshID("unknown")
	for _, method := range []string{http.MethodGet, http.MethodPut} {
		ex, err := c.sendInvocation(ctx, method, id)
		if err != nil || ex.err != nil {
			return err
		}
		refuse := c.ev.get
		if method == http.MethodPut {
			refuse = c.ev.stopped
		}
		tr := c.s.start(CheckLcNotFound)
		refusal(tr, ex, http.StatusNotFound, fc.CodeStatefulAsyncInvocationNotFound, method+" of an id never invoked", refuse, c.ev.notFoundAnswer)
		tr.end()
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
