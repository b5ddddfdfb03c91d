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

	profile  Profile
	evidence map[string]Evidence // check name -> the evidence of its rule
	schemas  *schemaPair
	coverage *coverage

	results    map[string]*CheckResult
	requests   int
	violations int
	notes      []string
	changed    map[string]bool // ids whose record changed during the run (see recheck)

	ref     *listing // the full listing, walked first
	refWalk *walk
}

// New checks the target and options and prepares a suite. It returns an error when the target
// is malformed (no service, a base URL that is not http(s), half a credential pair).
func New(target Target, opts Options) (*Suite, error) {
	if err := target.validate(); err != nil {
		return nil, err
	}
	if err := opts.LifecycleFunction.validate(); err != nil {
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
	profile, err := opts.profile(target)
	if err != nil {
		return nil, err
	}
	evidence := map[string]Evidence{}
	for _, c := range registry {
		switch {
		case c.Evidence != "":
			if evidence[c.Name], err = EvidenceAt(c.Evidence); err != nil {
				return nil, fmt.Errorf("check %s: %w", c.Name, err)
			}
		case c.Open:
			evidence[c.Name] = Evidence{Level: LevelChoice, Source: "the check's own rule", Confidence: "L"}
		default:
			evidence[c.Name] = Evidence{Level: LevelDoc, Source: "the check's own rule", Confidence: "H"}
		}
	}
	schemas, err := loadSchemas(profile)
	if err != nil {
		return nil, err
	}
	return &Suite{
		target: target, opts: opts, client: target.client(), router: router,
		redact: newRedactor(target.Credentials), basePath: strings.TrimRight(u.EscapedPath(), "/"),
		progress: newProgress(opts.Progress), values: values,
		profile: profile, evidence: evidence, schemas: schemas, coverage: newCoverage(),
		results: map[string]*CheckResult{},
	}, nil
}

// Run runs the suite against target: see New and (*Suite).Run. When the target is malformed
// it returns only an error; otherwise it returns a report even with an error (see Suite.Run).
func Run(ctx context.Context, target Target, opts Options) (*Report, error) {
	s, err := New(target, opts)
	if err != nil {
		return nil, err
	}
	return s.Run(ctx)
}

// Run walks the full listing, then runs each family of checks, lists again to see whether the
// data changed meanwhile, and returns the report. A first listing answered with an error is a
// violation, and the checks that need no data still run. When no verdict is possible (the
// target gives no HTTP answer: ErrUnreachable) it returns the error and a report that says
// why (Report.Error), so a CI step always has a report to read; when ctx ends, only the error.
func (s *Suite) Run(ctx context.Context) (*Report, error) {
	if s.ran {
		return nil, errors.New("contract: a Suite runs once; build another with New")
	}
	s.ran = true
	start := time.Now()
	s.progress.start("listing", 0, 0)
	if err := s.loadReference(ctx); err != nil {
		s.progress.stopped(s.requests)
		if errors.Is(err, ErrUnreachable) {
			rep := s.report(time.Since(start))
			rep.Error = err.Error()
			return rep, err
		}
		return nil, err
	}
	families := []struct {
		name string
		run  func(context.Context) error
	}{
		{"semantics", s.semantics},
		{"choices", s.choices},
		{"blind spots", s.blindSpots},
		{"negative", s.negative},
		{"generated", s.generated},
		{"signature", s.signature},
		{"recheck", s.recheck},
		{"resources", s.resources}, // only with Options.Mutating (resources.go)
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
// filter is compared with. No HTTP answer at all means no verdict; an error answer is
// semantics/accepted's or no-5xx's violation, and the run goes on without data.
func (s *Suite) loadReference(ctx context.Context) error {
	q := query{segment: s.target.segment(), params: params(100, "asc")}
	w, err := s.walk(ctx, q, maxListing/100)
	if err != nil {
		return err
	}
	s.ref, s.refWalk = newListing(w), w
	first := w.pages[0].ex
	switch {
	case first.err != nil:
		return fmt.Errorf("%w: %s: %s", ErrUnreachable, s.target.BaseURL, errorText(first.err))
	case first.status < 200 || first.status > 299:
		s.note("the first listing was answered %s: the checks that compare against the function's data cannot run", s.redact.apply(first.summary()))
		return nil
	}
	if !w.ended {
		s.note("the full listing could not be walked to its end (see %s); comparisons use the %d invocations it returned",
			CheckPaging, len(s.ref.items))
	}
	if len(s.ref.items) == 0 {
		s.note("%s/%s has no invocations: the checks that compare against its data are skipped", s.target.segment(), s.target.Function)
	}
	s.checkMinInvocations(first)
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
		if len(r.cases) == 0 && r.Skipped == "" {
			r.Skipped = reason
		}
	}
}

func (s *Suite) result(name string) *CheckResult {
	r, ok := s.results[name]
	if !ok {
		info, _ := lookupCheck(name)
		ev := s.evidence[name]
		r = &CheckResult{Name: name, Rule: info.Rule, Evidence: ev.String(), Informational: !s.profile.Fails(ev)}
		s.results[name] = r
	}
	return r
}

// trial is one case of one check: it collects findings and is counted when it ends.
type trial struct {
	s        *Suite
	check    string
	ev       Evidence
	findings []Finding
	failed   bool // some finding is a violation (not a warning)
}

// start opens a case of check.
func (s *Suite) start(check string) *trial {
	s.result(check)
	return &trial{s: s, check: check, ev: s.evidence[check]}
}

// fail records a violation of the check's rule, graded by the rule's evidence: in the service
// profile a rule without firm evidence only warns.
func (tr *trial) fail(ex *exchange, expected, got string) { tr.failAt(tr.ev, ex, expected, got) }

// failAt records a violation of a rule with evidence ev (a schema constraint, an enum value),
// graded by it.
func (tr *trial) failAt(ev Evidence, ex *exchange, expected, got string) {
	tr.add(ev, ex, expected, got, !tr.s.profile.Fails(ev), nil)
}

// failIDs records a violation that the data changing during the run could explain: when every
// id in ids changed (see recheck), the finding becomes a warning.
func (tr *trial) failIDs(ev Evidence, ex *exchange, expected, got string, ids []string) {
	tr.add(ev, ex, expected, got, !tr.s.profile.Fails(ev), ids)
}

// inform records a finding that never fails the run.
func (tr *trial) inform(ex *exchange, expected, got string) {
	tr.add(tr.ev, ex, expected, got, true, nil)
}

func (tr *trial) add(ev Evidence, ex *exchange, expected, got string, warning bool, ids []string) {
	r := tr.s.redact
	f := Finding{Check: tr.check, Expected: r.apply(expected), Got: r.apply(got), Informational: warning,
		Evidence: ev.String(), ids: ids}
	if ex != nil {
		f.Request, f.RequestID = ex.curl, ex.requestID
	}
	tr.findings = append(tr.findings, f)
	if !warning {
		tr.failed = true
		tr.s.violations++ // for the progress line; the report counts cases itself
	}
}

// end counts the case.
func (tr *trial) end() {
	r := tr.s.result(tr.check)
	r.cases = append(r.cases, tr.findings)
}
