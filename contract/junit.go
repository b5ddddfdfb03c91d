package contract

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The JUnit XML shape CI systems render (Jenkins, GitLab, GitHub Actions reporters): one
// testsuite for the run, one testcase per check.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",cdata"`
}

type junitText struct {
	Text string `xml:",cdata"`
}

// WriteJUnit writes the report as JUnit XML: one testsuite of checks, one testcase per check,
// named by the check, with the failing requests (curl lines), what was expected and what came
// back in the failure text; a check that ran no case is skipped, with the reason ("not
// exercised"). Warnings are a testsuite of their own (when there are any), one passing testcase
// per check that warned, the findings in system-out. A run without a verdict has one errored testcase.
func (r *Report) WriteJUnit(w io.Writer) error {
	secs := strconv.FormatFloat(r.Duration.Seconds(), 'f', 3, 64)
	props := []junitProperty{
		{"profile", string(r.Profile)},
		{"seed", strconv.FormatInt(r.Seed, 10)},
		{"generated-cases", strconv.Itoa(r.Cases)},
		{"listing", strconv.Itoa(r.Listing)},
		{"requests", strconv.Itoa(r.Requests)},
		{"replay", r.Replay},
	}
	suite := junitSuite{Name: "fcmock contract: " + r.target(), Time: secs, Properties: props}
	if r.Error != "" {
		suite.Errors++
		suite.Cases = append(suite.Cases, junitCase{Classname: "contract", Name: "verdict", Time: "0",
			Error: &junitMessage{Type: "no-verdict", Message: r.Error, Text: r.Error}})
	}
	warnings := junitSuite{Name: "fcmock contract warnings (not failures in profile " + string(r.Profile) + ")", Time: "0"}
	for _, c := range r.Results {
		tc := junitCase{Classname: "contract." + family(c.Name), Name: c.Name, Time: "0"}
		switch {
		case c.Failed > 0:
			tc.Failure = &junitMessage{Type: "violation", Text: findingsText(c, false),
				Message: fmt.Sprintf("%d of %d cases failed: %s", c.Failed, c.Cases, c.Rule)}
			suite.Failures++
		case c.Cases == 0:
			tc.Skipped = &junitMessage{Message: "not exercised: " + cmp.Or(c.Skipped, "no case ran")}
			suite.Skipped++
		}
		suite.Cases = append(suite.Cases, tc)
		if text := findingsText(c, true); text != "" {
			warnings.Cases = append(warnings.Cases, junitCase{Classname: "contract.warnings." + family(c.Name), Name: c.Name, Time: "0",
				SystemOut: &junitText{"warning: " + c.Rule + "\n" + text}})
		}
	}
	suite.Tests = len(suite.Cases)
	warnings.Tests = len(warnings.Cases)
	doc := junitSuites{Name: "fcmock contract", Tests: suite.Tests + warnings.Tests, Failures: suite.Failures, Skipped: suite.Skipped,
		Errors: suite.Errors, Time: secs, Suites: []junitSuite{suite}}
	if warnings.Tests > 0 {
		doc.Suites = append(doc.Suites, warnings)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// findingsText lists a check's findings, the failing ones or the warnings, each with its
// evidence and count.
func findingsText(c CheckResult, warnings bool) string {
	var b strings.Builder
	for _, f := range c.Findings {
		if f.Informational != warnings {
			continue
		}
		var sb strings.Builder
		writeFinding(&sb, f)
		b.WriteString(sb.String() + "\n")
	}
	if b.Len() > 0 && c.Omitted > 0 {
		fmt.Fprintf(&b, "... and %d more\n", c.Omitted)
	}
	return b.String()
}

// family is the part of a check name before the slash: conformance, semantics, ...
func family(name string) string {
	f, _, _ := strings.Cut(name, "/")
	return f
}
