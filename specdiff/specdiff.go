// Package specdiff reports the changes between two versions of openapi.yaml that break
// clients, with oasdiff's backward-compatibility checker (github.com/oasdiff/oasdiff), so CI
// can stop a breaking change to the contract before it lands.
package specdiff

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"
)

// Levels of a Change, as oasdiff grades them.
const (
	LevelError   = "error"   // breaks clients
	LevelWarning = "warning" // may break some clients
)

// Change is one backward-incompatible change.
type Change struct {
	Level     string `json:"level"`
	ID        string `json:"id"` // oasdiff's rule id, e.g. response-success-status-removed
	Operation string `json:"operation,omitempty"`
	Path      string `json:"path,omitempty"`
	Text      string `json:"text"`
}

// Result lists the changes, errors first.
type Result struct {
	Old      string   `json:"old"`
	New      string   `json:"new"`
	Breaking int      `json:"breaking"` // changes of LevelError
	Warnings int      `json:"warnings"`
	Changes  []Change `json:"changes"`
}

// Compare loads the two specs (files or URLs) and returns the changes from oldSpec to newSpec
// that oasdiff's checks find breaking (level error) or risky (level warning). It returns an
// error when a spec does not load.
func Compare(oldSpec, newSpec string) (*Result, error) {
	loader := openapi3.NewLoader()
	base, err := load.NewSpecInfo(loader, load.NewSource(oldSpec))
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", oldSpec, err)
	}
	rev, err := load.NewSpecInfo(openapi3.NewLoader(), load.NewSource(newSpec))
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", newSpec, err)
	}
	d, sources, err := diff.GetPathsDiff(diff.NewConfig(), []*load.SpecInfo{base}, []*load.SpecInfo{rev})
	if err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}
	changes := checker.CheckBackwardCompatibility(checker.NewConfig(checker.GetAllChecks()), d, sources)
	l := checker.NewDefaultLocalizer()
	res := &Result{Old: oldSpec, New: newSpec, Changes: []Change{}}
	for _, c := range changes {
		ch := Change{ID: c.GetId(), Operation: c.GetOperation(), Path: c.GetPath(), Text: c.GetUncolorizedText(l)}
		switch c.GetLevel() {
		case checker.ERR:
			ch.Level = LevelError
			res.Breaking++
		case checker.WARN:
			ch.Level = LevelWarning
			res.Warnings++
		default:
			continue
		}
		res.Changes = append(res.Changes, ch)
	}
	sort.SliceStable(res.Changes, func(i, j int) bool {
		a, b := res.Changes[i], res.Changes[j]
		if a.Level != b.Level {
			return a.Level == LevelError
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Operation != b.Operation {
			return a.Operation < b.Operation
		}
		return a.ID < b.ID
	})
	return res, nil
}

// Markdown writes the result as a Markdown report.
func (r *Result) Markdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Breaking changes from %s to %s\n\n%d breaking, %d warning(s).\n", r.Old, r.New, r.Breaking, r.Warnings)
	if len(r.Changes) > 0 {
		b.WriteString("\n| level | operation | rule | change |\n| --- | --- | --- | --- |\n")
		for _, c := range r.Changes {
			op := strings.TrimSpace(c.Operation + " " + c.Path)
			fmt.Fprintf(&b, "| %s | `%s` | `%s` | %s |\n", c.Level, op, c.ID, strings.ReplaceAll(c.Text, "|", `\|`))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
