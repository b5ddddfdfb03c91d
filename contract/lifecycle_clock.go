package contract

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// clockPath is the mock's admin clock (fcmock serve --clock virtual): GET reads it, POST
// {"advance":"90s"} moves it. Any other target answers it with an error, and is polled.
const clockPath = "/_fcmock/clock"

// headerAdminToken carries Target.AdminToken to the mock's admin API.
const headerAdminToken = "X-Fcmock-Admin-Token"

// DefaultLifecycleWait is Options.LifecycleWait when it is 0: how long, in all, the lifecycle
// family waits on a target whose clock it cannot move.
const DefaultLifecycleWait = 2 * time.Minute

// virtualBudget is how far the family moves a virtual clock while it waits for one outcome: a
// day and more, past any run time and retry schedule the mock's defaults give.
const virtualBudget = 48 * time.Hour

// pacer lets time pass between two reads of an invocation: it moves a virtual clock, or sleeps.
// Steps start short and double, so early transitions are seen one by one and long runs still
// end within the budget.
type pacer struct {
	s       *Suite
	virtual bool
	budget  time.Duration // the total time one wait may let pass
	first   time.Duration // the first step
	max     time.Duration // the longest step
	stuck   bool          // the virtual clock refused to move: no wait can pass
	probe   string        // what GET /_fcmock/clock answered
}

// newPacer asks the target for its clock. A mock on a virtual clock answers
// {"virtual": true}; for anything else (a real clock, an error, no such path) the family
// sleeps, within Options.LifecycleWait.
func (s *Suite) newPacer(ctx context.Context) (*pacer, error) {
	p := &pacer{s: s, budget: s.opts.LifecycleWait, first: 100 * time.Millisecond, max: 2 * time.Second}
	if t := s.target.AdminToken; len(t) >= 4 { // shorter would blank out ordinary text, as for secrets
		s.redact = append(s.redact, t)
	}
	if p.budget <= 0 {
		p.budget = DefaultLifecycleWait
	}
	ex, err := s.sendAdmin(ctx, http.MethodGet, nil)
	if err != nil {
		return nil, err
	}
	var c struct {
		Virtual bool `json:"virtual"`
	}
	if ex.err == nil && ex.status == http.StatusOK && json.Unmarshal(ex.body, &c) == nil && c.Virtual {
		p.virtual, p.budget, p.first, p.max = true, virtualBudget, 250*time.Millisecond, 6*time.Hour
	}
	p.probe = ex.summary() // a mock whose admin API wants a token says so here
	if ex.status == http.StatusOK {
		p.probe = `"virtual": false`
	}
	return p, nil
}

// String says how the family waits, for the report's notes.
func (p *pacer) String() string {
	if p.virtual {
		return fmt.Sprintf("the target's clock is virtual: the family advances it (POST %s), up to %s per wait, and never sleeps", clockPath, p.budget)
	}
	return fmt.Sprintf("the target's clock is not one the family can move (GET %s answered %s): it polls, waiting at most %s for each outcome (--lifecycle-wait)",
		clockPath, truncate(p.probe, 120), p.budget)
}

// wait is one wait for an outcome: it tracks the time let pass and the next step.
type wait struct {
	p     *pacer
	spent time.Duration
	step  time.Duration
}

func (p *pacer) start() *wait { return &wait{p: p, step: p.first} }

// pass lets the next step of time pass. It returns false, without waiting, when the budget is
// spent or the virtual clock refuses to move, and an error when ctx ends.
func (w *wait) pass(ctx context.Context) (bool, error) {
	if w.spent >= w.p.budget || w.p.stuck {
		return false, nil
	}
	d := min(w.step, w.p.budget-w.spent)
	w.spent += d
	w.step = min(2*w.step, w.p.max)
	if !w.p.virtual {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-t.C:
			return true, nil
		}
	}
	body, _ := json.Marshal(map[string]string{"advance": d.String()})
	ex, err := w.p.s.sendAdmin(ctx, http.MethodPost, body)
	if err != nil {
		return false, err
	}
	if ex.err != nil || ex.status != http.StatusOK {
		// Time cannot pass: every wait from now on ends at once, and says so through the
		// checks it leaves unexercised.
		w.p.s.note("lifecycle: the virtual clock did not advance (%s answered %s): the family stopped waiting", ex.curl, ex.summary())
		w.p.stuck = true
		return false, nil
	}
	return true, nil
}

// sendAdmin sends a request to the mock's clock, signed like every request: a POST body as the
// Go SDK sends one (Content-MD5 the hex digest).
func (s *Suite) sendAdmin(ctx context.Context, method string, body []byte) (*exchange, error) {
	req, err := http.NewRequest(method, strings.TrimRight(s.target.BaseURL, "/")+clockPath, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("contract: build request: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if t := s.target.AdminToken; t != "" {
		req.Header.Set(headerAdminToken, t)
	}
	return s.sendBody(ctx, req, body)
}

// sendBody sends req, whose body is body, with the Content-MD5 the Go SDK computes (lower-case
// hex of the MD5) so that the signature covers it, and shows the body in the curl line.
func (s *Suite) sendBody(ctx context.Context, req *http.Request, body []byte) (*exchange, error) {
	if body != nil {
		sum := md5.Sum(body)
		req.Header.Set("Content-MD5", hex.EncodeToString(sum[:]))
	}
	ex, err := s.send(ctx, req)
	if err == nil && body != nil {
		ex.curl += " --data-binary " + shellQuote(s.redact.apply(string(body)))
	}
	return ex, err
}
