package contract

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/routers"

	"github.com/fcmock/fcmock/internal/spec"
)

// Suite runs every check against one target. Build it with New. A Suite runs once, and is not
// safe for concurrent use: its requests go one at a time.
type Suite struct {
	ran      bool
	target   Target
	opts     Options
	client   *http.Client
	router   routers.Router
	redact   redactor
	basePath string // the base URL's path, stripped before routing
	progress *progress
	values   specValues

	results    map[string]*CheckResult
	requests   int
	violations int
	notes      []string

	ref     *listing // the full listing, walked first
	refWalk *walk
}

// New checks the target and options and prepares a suite. It returns an error when the target
// is malformed (no service, a base URL that is not http(s), half a credential pair).
func New(target Target, opts Options) (*Suite, error) {
	if err := target.validate(); err != nil {
		return nil, err
	}
	router, err := spec.NewRouter()
	if err != nil {
		return nil, err
	}
	values, err := loadSpecValues()
	if err != nil {
		return nil, err
	}
	u, _ := url.Parse(target.BaseURL) // validated above
	if opts.Seed == 0 {
		opts.Seed = 1 + time.Now().UnixNano()%999_999_999
	}
	if opts.Cases == 0 {
		opts.Cases = DefaultCases
	}
	return &Suite{
		target: target, opts: opts, client: target.client(), router: router,
		redact: newRedactor(target.Credentials), basePath: strings.TrimRight(u.EscapedPath(), "/"),
		progress: newProgress(opts.Progress), values: values,
		results: map[string]*CheckResult{},
	}, nil
}

// Run runs the suite against target: see New and (*Suite).Run.
func Run(ctx context.Context, target Target, opts Options) (*Report, error) {
	s, err := New(target, opts)
	if err != nil {
		return nil, err
	}
	return s.Run(ctx)
}

// Run walks the full listing, then runs each family of checks, and returns the report. It
// returns an error, and no report, when no verdict is possible: the target is unreachable
// (ErrUnreachable), the function cannot be listed (ErrTarget), or ctx ends.
func (s *Suite) Run(ctx context.Context) (*Report, error) {
	if s.ran {
		return nil, errors.New("contract: a Suite runs once; build another with New")
	}
	s.ran = true
	start := time.Now()
	s.progress.start("listing", 0, 0)
	if err := s.loadReference(ctx); err != nil {
		s.progress.stopped(s.requests)
		return nil, err
	}
	families := []struct {
		name string
		run  func(context.Context) error
	}{
		{"semantics", s.semantics},
		{"choices", s.choices},
		{"negative", s.negative},
		{"generated", s.generated},
		{"signature", s.signature},
		{"lifecycle", s.lifecycle}, // last: the invocations it creates change the listing
	}
	for _, f := range families {
		s.progress.start(f.name, s.requests, s.violations)
		if err := f.run(ctx); err != nil {
			s.progress.stopped(s.requests)
			return nil, err
		}
	}
	s.progress.done(s.requests, s.violations)
	return s.report(time.Since(start)), nil
}

// loadReference walks the target's listing with limit 100, ascending: the full listing every
// filter is compared with. The first answer decides whether a verdict is possible at all.
func (s *Suite) loadReference(ctx context.Context) error {
	q := query{segment: s.target.segment(), params: params(100, "asc")}
	w, err := s.walk(ctx, q, maxListing/100)
	if err != nil {
		return err
	}
	first := w.pages[0].ex
	switch {
	case first.err != nil:
		return fmt.Errorf("%w: %s: %s", ErrUnreachable, s.target.BaseURL, errorText(first.err))
	case first.status < 200 || first.status > 299:
		return fmt.Errorf("%w: %s answered %s", ErrTarget, s.redact.apply(first.curl), s.redact.apply(first.summary()))
	}
	s.ref, s.refWalk = newListing(w), w
	if !w.ended {
		s.note("the full listing could not be walked to its end (see %s); comparisons use the %d invocations it returned",
			CheckPaging, len(s.ref.items))
	}
	if len(s.ref.items) == 0 {
		s.note("%s/%s has no invocations: the checks that compare against its data are skipped", s.target.segment(), s.target.Function)
	}
	return nil
}

// note adds a line to the report's notes.
func (s *Suite) note(format string, args ...any) {
	s.notes = append(s.notes, s.redact.apply(fmt.Sprintf(format, args...)))
}

// skip marks checks that could not run, with the reason, unless they ran some case.
func (s *Suite) skip(reason string, checks ...string) {
	for _, name := range checks {
		r := s.result(name)
		if r.Cases == 0 && r.Skipped == "" {
			r.Skipped = reason
		}
	}
}

func (s *Suite) result(name string) *CheckResult {
	r, ok := s.results[name]
	if !ok {
		info, _ := lookupCheck(name)
		r = &CheckResult{Name: name, Rule: info.Rule, Informational: info.Open && !s.target.IsMock}
		s.results[name] = r
	}
	return r
}

// trial is one case of one check: it collects findings and is counted when it ends.
type trial struct {
	s        *Suite
	check    string
	open     bool // findings only inform: the doc leaves the rule open and the target is not the mock
	findings []Finding
	failed   bool
}

// start opens a case of check.
func (s *Suite) start(check string) *trial {
	return &trial{s: s, check: check, open: s.result(check).Informational}
}

// fail records a violation of the check's rule; against a non-mock target an open rule's
// violation is only informational.
func (tr *trial) fail(ex *exchange, expected, got string) { tr.add(ex, expected, got, tr.open) }

// inform records a finding that never fails the run.
func (tr *trial) inform(ex *exchange, expected, got string) { tr.add(ex, expected, got, true) }

func (tr *trial) add(ex *exchange, expected, got string, informational bool) {
	r := tr.s.redact
	f := Finding{Check: tr.check, Expected: r.apply(expected), Got: r.apply(got), Informational: informational}
	if ex != nil {
		f.Request, f.RequestID = ex.curl, ex.requestID
	}
	tr.findings = append(tr.findings, f)
	if !informational {
		tr.failed = true
	}
}

// end counts the case: failed when it has a violation, informed when it has only
// informational findings, passed otherwise.
func (tr *trial) end() {
	r := tr.s.result(tr.check)
	r.Cases++
	switch {
	case tr.failed:
		r.Failed++
		tr.s.violations++
	case len(tr.findings) > 0:
		r.Informed++
	default:
		r.Passed++
	}
	r.Findings = append(r.Findings, tr.findings...)
}
