package contract

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxFindings caps the findings a check keeps in the report; the rest are counted in Omitted.
const maxFindings = 25

// Report is the outcome of a run. Its findings are sorted, so two runs with the same seed
// against the same data give the same report apart from request ids and durations.
type Report struct {
	Target TargetInfo `json:"target"`
	// Seed replays the generated cases: --seed Seed.
	Seed  int64 `json:"seed"`
	Cases int   `json:"generatedCases"`
	// Listing is the number of invocations in the full listing the filters are compared with.
	Listing  int           `json:"listing"`
	Requests int           `json:"requests"`
	Duration time.Duration `json:"-"`
	Notes    []string      `json:"notes,omitempty"`
	Results  []CheckResult `json:"results"`
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
// passed, failed (a violation), or only informed.
type CheckResult struct {
	Name   string `json:"name"`
	Rule   string `json:"rule"`
	Cases  int    `json:"cases"`
	Passed int    `json:"passed"`
	Failed int    `json:"failed"`
	// Informed counts cases with informational findings only.
	Informed int `json:"informed"`
	// Informational is set when the rule is one the doc leaves open and the target is not the
	// mock: the check cannot fail.
	Informational bool `json:"informational,omitempty"`
	// Skipped says why the check ran no case (for example: the function has no invocations).
	Skipped  string    `json:"skipped,omitempty"`
	Findings []Finding `json:"findings,omitempty"`
	// Omitted counts findings left out beyond the first 25.
	Omitted int `json:"omitted,omitempty"`
}

// Finding is one violation, or one informational observation, with the request that shows it.
type Finding struct {
	Check string `json:"check"`
	// Request is the request as a curl command line; Authorization and X-Fc-Security-Token are
	// redacted.
	Request string `json:"request"`
	// RequestID is the X-Fc-Request-Id of the answer, for a support ticket.
	RequestID     string `json:"requestId,omitempty"`
	Expected      string `json:"expected"`
	Got           string `json:"got"`
	Informational bool   `json:"informational,omitempty"`
}

// OK reports whether no check failed.
func (r *Report) OK() bool { return r.Violations() == 0 }

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
		Seed: s.opts.Seed, Cases: max(s.opts.Cases, 0), Listing: len(s.ref.items),
		Requests: s.requests, Duration: d, Notes: s.notes,
	}
	for _, info := range registry {
		r := *s.result(info.Name)
		if r.Cases > 0 {
			r.Skipped = ""
		}
		slices.SortFunc(r.Findings, compareFindings)
		r.Findings = slices.Compact(r.Findings)
		if len(r.Findings) > maxFindings {
			r.Omitted, r.Findings = len(r.Findings)-maxFindings, r.Findings[:maxFindings]
		}
		rep.Results = append(rep.Results, r)
	}
	return rep
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

// WriteText writes the human report: the target, each check with findings, the summary table
// and the verdict.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "fcmock contract: %s\n", r.target())
	fmt.Fprintf(&b, "seed %d, %d generated cases, full listing of %d invocations\n", r.Seed, r.Cases, r.Listing)
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	for _, c := range r.Results {
		writeFindings(&b, c)
	}
	b.WriteString("\n")
	r.writeTable(&b)
	b.WriteString("\n" + r.verdict() + "\n")
	_, err := io.WriteString(w, b.String())
	return err
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

func writeFindings(b *strings.Builder, c CheckResult) {
	if len(c.Findings) == 0 {
		return
	}
	head := "FAIL"
	if c.Failed == 0 {
		head = "INFO"
	}
	fmt.Fprintf(b, "\n%s %s: %s\n", head, c.Name, c.Rule)
	for _, f := range c.Findings {
		mark := "-"
		if f.Informational {
			mark = "~"
		}
		fmt.Fprintf(b, "  %s request:  %s\n    expected: %s\n    got:      %s\n", mark, f.Request, f.Expected, f.Got)
		if f.RequestID != "" {
			fmt.Fprintf(b, "    request id: %s\n", f.RequestID)
		}
	}
	if c.Omitted > 0 {
		fmt.Fprintf(b, "  ... and %d more\n", c.Omitted)
	}
}

func (r *Report) writeTable(b *strings.Builder) {
	width := len("total")
	for _, c := range r.Results {
		width = max(width, len(c.Name))
	}
	row := func(name, cases, passed, failed, info, remark string) {
		fmt.Fprintf(b, "%-*s %6s %7s %7s %5s%s\n", width, name, cases, passed, failed, info, remark)
	}
	row("CHECK", "CASES", "PASSED", "FAILED", "INFO", "")
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
		return "  informational (the doc leaves this open)"
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
	if failed == 0 {
		return fmt.Sprintf("PASS: no violations (%s, seed %d)", run, r.Seed)
	}
	return fmt.Sprintf("FAIL: %s in %s (%s; replay with --seed %d)", plural(r.Violations(), "violation"), plural(failed, "check"), run, r.Seed)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
