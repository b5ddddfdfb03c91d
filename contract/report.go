package contract

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxFindings caps the finding groups a check keeps in the report; the rest are counted in
// Omitted. maxExamples caps the examples a group keeps.
const (
	maxFindings = 25
	maxExamples = 3
)

// Report is the outcome of a run. Its findings are sorted, so two runs with the same seed
// against the same data give the same report apart from request ids and durations.
type Report struct {
	Target TargetInfo `json:"target"`
	// Profile decides which rules failed the run; the others are warnings.
	Profile Profile `json:"profile"`
	// Error says why no verdict was possible (the target gave no answer); empty otherwise.
	Error string `json:"error,omitempty"`
	// Seed replays the generated cases: --seed Seed.
	Seed  int64 `json:"seed"`
	Cases int   `json:"generatedCases"`
	// Replay is the command line that runs the same cases against the same target.
	Replay string `json:"replay"`
	// Listing is the number of invocations in the full listing the filters are compared with.
	Listing  int           `json:"listing"`
	Requests int           `json:"requests"`
	Duration time.Duration `json:"-"`
	Notes    []string      `json:"notes,omitempty"`
	Results  []CheckResult `json:"results"`
	// Failures and Warnings are the findings, grouped by cause, in check order.
	Failures []Finding `json:"failures"`
	Warnings []Finding `json:"warnings"`
	// NotExercised lists the checks that ran no case, with the reason.
	NotExercised []Skip    `json:"notExercised"`
	Coverage     *Coverage `json:"coverage,omitempty"`
}

// Skip is a check that ran no case, and why.
type Skip struct {
	Check  string `json:"check"`
	Reason string `json:"reason"`
}

// TargetInfo is the target as reports show it: never its credentials.
type TargetInfo struct {
	BaseURL   string `json:"baseURL"`
	Service   string `json:"service"`
	Function  string `json:"function"`
	Qualifier string `json:"qualifier,omitempty"`
	IsMock    bool   `json:"mock"`
	Signed    bool   `json:"signed"`
}

// CheckResult is one check's tally. A case is one evaluation of the rule on one input; it
// passed, failed (a violation), or only warned.
type CheckResult struct {
	Name string `json:"name"`
	Rule string `json:"rule"`
	// Evidence is the rule's own evidence, as openapi.yaml annotates it.
	Evidence string `json:"evidence"`
	Cases    int    `json:"cases"`
	Passed   int    `json:"passed"`
	Failed   int    `json:"failed"`
	// Informed counts cases with warnings only.
	Informed int `json:"warned"`
	// Informational is set when the rule's own evidence cannot fail in the run's profile.
	Informational bool `json:"warnOnly,omitempty"`
	// Skipped says why the check ran no case (for example: the function has no invocations).
	Skipped string `json:"skipped,omitempty"`
	// Findings are the check's findings grouped by cause (see Finding.Count); the report's
	// Failures and Warnings hold them all.
	Findings []Finding `json:"-"`
	// Omitted counts finding groups left out beyond the first 25.
	Omitted int `json:"omitted,omitempty"`

	cases [][]Finding // each case's findings, graded once the run is over
}

// Finding is one violation, or one warning, with the request that shows it. Findings of one
// check with the same expectation and the same shape of answer are one Finding with a Count.
type Finding struct {
	Check string `json:"check"`
	// Evidence is the level, confidence and sources of the rule broken: "doc/H (SEED)".
	Evidence string `json:"evidence"`
	// Request is the request as a curl command line; Authorization and X-Fc-Security-Token are
	// redacted.
	Request string `json:"request"`
	// RequestID is the X-Fc-Request-Id of the answer, for a support ticket.
	RequestID     string `json:"requestId,omitempty"`
	Expected      string `json:"expected"`
	Got           string `json:"got"`
	Informational bool   `json:"warning,omitempty"`
	// Count is the number of findings of the group; Examples holds up to two more of them.
	Count    int       `json:"count"`
	Examples []Example `json:"examples,omitempty"`

	ids []string // the invocations the finding is about, when the data changing could explain it
}

// Example is one more occurrence of a grouped finding.
type Example struct {
	Request   string `json:"request"`
	RequestID string `json:"requestId,omitempty"`
	Got       string `json:"got"`
}

// OK reports whether no check failed and a verdict was reached.
func (r *Report) OK() bool { return r.Violations() == 0 && r.Error == "" }

// Violations returns the number of failed cases over all checks.
func (r *Report) Violations() int {
	n := 0
	for _, c := range r.Results {
		n += c.Failed
	}
	return n
}

// Result returns the result of the check called name.
func (r *Report) Result(name string) (CheckResult, bool) {
	for _, c := range r.Results {
		if c.Name == name {
			return c, true
		}
	}
	return CheckResult{}, false
}

func (s *Suite) report(d time.Duration) *Report {
	t := s.target
	rep := &Report{
		Target: TargetInfo{BaseURL: t.BaseURL, Service: t.Service, Function: t.Function, Qualifier: t.Qualifier,
			IsMock: t.IsMock, Signed: t.Credentials != nil},
		Profile: s.profile, Seed: s.opts.Seed, Cases: max(s.opts.Cases, 0),
		Requests: s.requests, Duration: d, Notes: s.notes, Coverage: s.coverage.report(),
		Failures: []Finding{}, Warnings: []Finding{}, NotExercised: []Skip{},
	}
	if s.ref != nil {
		rep.Listing = len(s.ref.items)
	}
	rep.Replay = replayLine(t, s.profile, rep.Seed, s.opts)
	for _, info := range registry {
		r := *s.result(info.Name)
		var all []Finding
		for _, fs := range r.cases {
			failed := false
			for i := range fs {
				f := s.settle(fs[i])
				failed = failed || !f.Informational
				all = append(all, f)
			}
			r.Cases++
			switch {
			case failed:
				r.Failed++
			case len(fs) > 0:
				r.Informed++
			default:
				r.Passed++
			}
		}
		if r.Cases > 0 {
			r.Skipped = ""
		} else {
			rep.NotExercised = append(rep.NotExercised, Skip{r.Name, cmp.Or(r.Skipped, "no case ran")})
		}
		r.Findings = group(all)
		if len(r.Findings) > maxFindings {
			r.Omitted, r.Findings = len(r.Findings)-maxFindings, r.Findings[:maxFindings]
		}
		for _, f := range r.Findings {
			if f.Informational {
				rep.Warnings = append(rep.Warnings, f)
			} else {
				rep.Failures = append(rep.Failures, f)
			}
		}
		r.cases = nil
		rep.Results = append(rep.Results, r)
	}
	return rep
}

// settle turns a violation the data changing during the run explains into a warning.
func (s *Suite) settle(f Finding) Finding {
	if f.Informational || len(f.ids) == 0 || len(s.changed) == 0 {
		return f
	}
	for _, id := range f.ids {
		if !s.changed[id] {
			return f
		}
	}
	f.Informational = true
	f.Got += " (explained: these invocations changed while the suite ran)"
	return f
}

// digits finds what varies between findings of one cause: numbers, and so ids, times, counts.
var digits = regexp.MustCompile(`[0-9]+`)

// group merges findings with the same check, grading, evidence, expectation and shape of answer
// into one with a count and up to maxExamples examples (of different requests), sorted.
func group(fs []Finding) []Finding {
	slices.SortFunc(fs, compareFindings)
	fs = slices.CompactFunc(fs, func(a, b Finding) bool { return compareFindings(a, b) == 0 })
	var out []Finding
	index := map[string]int{}
	for _, f := range fs {
		key := strings.Join([]string{f.Check, strconv.FormatBool(f.Informational), f.Evidence,
			digits.ReplaceAllString(f.Expected, "#"), digits.ReplaceAllString(f.Got, "#")}, "\x00")
		i, ok := index[key]
		if !ok {
			f.Count, f.ids = 1, nil
			index[key] = len(out)
			out = append(out, f)
			continue
		}
		g := &out[i]
		g.Count++
		seen := f.Request == g.Request // examples show other requests: one shows the cause on one
		for _, e := range g.Examples {
			seen = seen || e.Request == f.Request
		}
		if len(g.Examples) < maxExamples-1 && !seen {
			g.Examples = append(g.Examples, Example{Request: f.Request, RequestID: f.RequestID, Got: f.Got})
		}
	}
	return out
}

// replayLine is the whole command that replays a run: target, function, profile, seed, cases,
// and the mutating families' function.
func replayLine(t Target, p Profile, seed int64, o Options) string {
	s := fmt.Sprintf("fcmock contract --target %s --service %s --function %s", t.BaseURL, t.Service, t.Function)
	if t.Qualifier != "" {
		s += " --qualifier " + t.Qualifier
	}
	if t.VerifiesSignatures {
		s += " --verifies-signatures"
	}
	if o.Mutating {
		s += " --mutating"
		if o.LifecycleFunction != (FunctionRef{}) {
			s += " --lifecycle-function " + o.LifecycleFunction.String()
		}
	}
	return s + fmt.Sprintf(" --profile %s --seed %d --cases %d", p, seed, o.Cases)
}

func compareFindings(a, b Finding) int {
	return cmp.Or(cmp.Compare(a.Check, b.Check), cmp.Compare(a.Request, b.Request),
		cmp.Compare(a.Expected, b.Expected), cmp.Compare(a.Got, b.Got), cmp.Compare(a.RequestID, b.RequestID))
}

// WriteJSON writes the report as indented JSON, with the verdict ("ok", "violations") and the
// duration in milliseconds added at the top.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		OK         bool  `json:"ok"`
		Violations int   `json:"violations"`
		DurationMS int64 `json:"durationMs"`
		*Report
	}{r.OK(), r.Violations(), r.Duration.Milliseconds(), r})
}

// WriteText writes the human report: the target and profile, the failures, the warnings (in a
// section of their own), the checks not exercised, the coverage, the summary table, the verdict
// and the replay line.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "fcmock contract: %s\n", r.target())
	fmt.Fprintf(&b, "profile %s, seed %d, %d generated cases, full listing of %d invocations\n", r.Profile, r.Seed, r.Cases, r.Listing)
	if r.Error != "" {
		fmt.Fprintf(&b, "error: no verdict: %s\n", r.Error)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	writeSection(&b, "FAILURES", r.Failures)
	writeSection(&b, "WARNINGS (rules this profile does not fail on: fcmock's choices and weakly evidenced rules)", r.Warnings)
	if len(r.NotExercised) > 0 {
		b.WriteString("\nNOT EXERCISED\n")
		for _, sk := range r.NotExercised {
			fmt.Fprintf(&b, "  %s: %s\n", sk.Check, sk.Reason)
		}
	}
	if r.Coverage != nil {
		b.WriteString("\nCOVERAGE\n")
		r.Coverage.writeText(&b)
	}
	b.WriteString("\n")
	r.writeTable(&b)
	b.WriteString("\n" + r.verdict() + "\n")
	fmt.Fprintf(&b, "replay: %s\n", r.Replay)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeSection(b *strings.Builder, title string, fs []Finding) {
	if len(fs) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s\n", title)
	check := ""
	for _, f := range fs {
		if f.Check != check {
			check = f.Check
			info, _ := lookupCheck(check)
			fmt.Fprintf(b, "\n%s: %s\n", check, info.Rule)
		}
		writeFinding(b, f)
	}
}

func writeFinding(b *strings.Builder, f Finding) {
	n := ""
	if f.Count > 1 {
		n = fmt.Sprintf(" (%d times)", f.Count)
	}
	fmt.Fprintf(b, "  - evidence: %s%s\n    expected: %s\n    request:  %s\n    got:      %s\n", f.Evidence, n, f.Expected, f.Request, f.Got)
	if f.RequestID != "" {
		fmt.Fprintf(b, "    request id: %s\n", f.RequestID)
	}
	for _, e := range f.Examples {
		fmt.Fprintf(b, "    also:     %s\n      got:    %s\n", e.Request, e.Got)
	}
}

func (r *Report) target() string {
	t := Target{BaseURL: r.Target.BaseURL, Service: r.Target.Service, Function: r.Target.Function,
		Qualifier: r.Target.Qualifier, IsMock: r.Target.IsMock}
	s := t.String()
	if r.Target.Signed {
		s += " (signed)"
	}
	return s
}

func (r *Report) writeTable(b *strings.Builder) {
	width := len("total")
	for _, c := range r.Results {
		width = max(width, len(c.Name))
	}
	row := func(name, cases, passed, failed, info, remark string) {
		fmt.Fprintf(b, "%-*s %6s %7s %7s %5s%s\n", width, name, cases, passed, failed, info, remark)
	}
	row("CHECK", "CASES", "PASSED", "FAILED", "WARN", "")
	var t CheckResult
	for _, c := range r.Results {
		row(c.Name, itoa(c.Cases), itoa(c.Passed), itoa(c.Failed), itoa(c.Informed), remark(c))
		t.Cases, t.Passed, t.Failed, t.Informed = t.Cases+c.Cases, t.Passed+c.Passed, t.Failed+c.Failed, t.Informed+c.Informed
	}
	row("total", itoa(t.Cases), itoa(t.Passed), itoa(t.Failed), itoa(t.Informed), "")
}

func itoa(n int) string { return strconv.Itoa(n) }

func remark(c CheckResult) string {
	switch {
	case c.Skipped != "":
		return "  skipped: " + c.Skipped
	case c.Informational:
		level, _, _ := strings.Cut(c.Evidence, " (")
		return "  warns only (" + level + ")"
	}
	return ""
}

func (r *Report) verdict() string {
	failed := 0
	for _, c := range r.Results {
		if c.Failed > 0 {
			failed++
		}
	}
	run := fmt.Sprintf("%d requests in %s", r.Requests, r.Duration.Round(time.Millisecond))
	if r.Error != "" {
		return fmt.Sprintf("NO VERDICT: %s (%s)", r.Error, run)
	}
	if failed == 0 {
		return fmt.Sprintf("PASS: no violations in profile %s (%s, %s; seed %d)", r.Profile, run, plural(len(r.Warnings), "warning"), r.Seed)
	}
	return fmt.Sprintf("FAIL: %s in %s (%s, %s; seed %d)", plural(r.Violations(), "violation"), plural(failed, "check"), run, plural(len(r.Warnings), "warning"), r.Seed)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
