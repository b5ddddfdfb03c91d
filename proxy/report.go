package proxy

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/fcmock/fcmock/drift"
)

// Report is what the proxy saw, as `--report` writes it and `fcmock drift` reads it.
type Report struct {
	Upstream string    `json:"upstream"` // without user info
	Profile  Profile   `json:"profile"`
	Started  time.Time `json:"started"`
	Ended    time.Time `json:"ended"`
	Requests int64     `json:"requests"`
	// Violations counts every violation; Counted those that count under Profile.
	Violations int `json:"violations"`
	Counted    int `json:"counted"`
	// Distinct lists each distinct violation once, with how often it happened;
	// DroppedDistinct counts those past the cap of 1000 distinct ones.
	Distinct        []Tally        `json:"distinct"`
	DroppedDistinct int            `json:"droppedDistinct,omitempty"`
	Traffic         *drift.Traffic `json:"traffic"`
	Recording       *Recording     `json:"recording,omitempty"`
}

// Report returns what the proxy has seen so far.
func (p *Proxy) Report() *Report {
	distinct, dropped := p.tallies.list()
	r := &Report{Upstream: upstreamText(p.opts.Upstream), Profile: p.opts.Profile, Started: p.started, Ended: p.opts.Now(),
		Requests: p.requests.Load(), Distinct: distinct, DroppedDistinct: dropped}
	for _, t := range distinct {
		r.Violations += t.Count
		if t.Counted {
			r.Counted += t.Count
		}
	}
	p.trafficMu.Lock()
	data, _ := json.Marshal(&p.traffic) // a deep copy, so the report is the caller's own
	p.trafficMu.Unlock()
	r.Traffic = &drift.Traffic{}
	json.Unmarshal(data, r.Traffic)
	return r
}

// WriteRecording writes the data set recorded so far into dir (see Options.Record).
func (p *Proxy) WriteRecording(dir string) (Recording, error) {
	if p.recorder == nil {
		return Recording{}, fmt.Errorf("proxy: recording is off")
	}
	header := fmt.Sprintf("%s from %s (%s). Fields the spec lacks were dropped.\n",
		recordMarker, upstreamText(p.opts.Upstream), p.opts.Now().UTC().Format(time.RFC3339))
	return p.recorder.write(dir, header)
}

// ReadReport decodes a report written by WriteJSON.
func ReadReport(r io.Reader) (*Report, error) {
	var rep Report
	if err := json.NewDecoder(r).Decode(&rep); err != nil {
		return nil, err
	}
	if rep.Traffic == nil {
		rep.Traffic = &drift.Traffic{}
	}
	return &rep, nil
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes one test case per operation seen (and one for requests to no operation):
// it fails when the operation's answers had violations counting under the profile; the other
// violations are listed in its output.
func (r *Report) WriteJUnit(w io.Writer) error {
	names := map[string]bool{}
	for id := range r.Traffic.Operations {
		names[id] = true
	}
	byOp := map[string][]Tally{}
	for _, t := range r.Distinct {
		names[t.Operation] = true
		byOp[t.Operation] = append(byOp[t.Operation], t)
	}
	suite := junitSuite{Name: "fcmock proxy " + r.Upstream}
	ops := make([]string, 0, len(names))
	for n := range names {
		ops = append(ops, n)
	}
	sort.Strings(ops)
	for _, op := range ops {
		c := junitCase{Name: op, Classname: "proxy." + string(r.Profile)}
		if op == "" {
			c.Name = "(no operation)"
		}
		var failed, other []string
		for _, t := range byOp[op] {
			line := fmt.Sprintf("%dx %s %s (e.g. %s %s)", t.Count, t.Side, describe(t.Violation), t.Method, t.Path)
			if t.Counted {
				failed = append(failed, line)
			} else {
				other = append(other, line)
			}
		}
		if len(failed) > 0 {
			c.Failure = &junitFailure{Message: fmt.Sprintf("%d distinct violation(s) counting under profile %s", len(failed), r.Profile),
				Type: "violation", Text: strings.Join(failed, "\n")}
			suite.Failures++
		}
		c.SystemOut = strings.Join(other, "\n")
		suite.Cases = append(suite.Cases, c)
	}
	suite.Tests = len(suite.Cases)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(junitSuites{Suites: []junitSuite{suite}}); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// upstreamText is the upstream URL without its user info: what reports and recordings name.
func upstreamText(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}
