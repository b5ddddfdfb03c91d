package drift

import (
	"fmt"
	"io"
	"strings"
)

// Markdown writes r as a Markdown report: the drift table, then the coverage table.
func (r *Result) Markdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Drift between the traffic and openapi.yaml\n\n%d requests compared.\n\n", r.Requests)
	fmt.Fprintf(&b, "## What the traffic shows that the spec lacks (%d)\n\n", len(r.Drift))
	table(&b, r.Drift, true)
	fmt.Fprintf(&b, "\n## What the spec declares that the traffic never showed (%d)\n\n", len(r.Unseen))
	table(&b, r.Unseen, false)
	_, err := io.WriteString(w, b.String())
	return err
}

func table(b *strings.Builder, fs []Finding, counts bool) {
	if len(fs) == 0 {
		b.WriteString("Nothing.\n")
		return
	}
	if counts {
		b.WriteString("| kind | operation | status | where | detail | seen |\n| --- | --- | --- | --- | --- | --- |\n")
	} else {
		b.WriteString("| kind | operation | status | where | detail |\n| --- | --- | --- | --- | --- |\n")
	}
	for _, f := range fs {
		row := []string{f.Kind, f.Operation, f.Status, code(f.Where), f.Detail}
		if counts {
			row = append(row, fmt.Sprint(f.Count))
		}
		b.WriteString("| " + strings.Join(escape(row), " | ") + " |\n")
	}
}

func code(s string) string {
	if s == "" {
		return ""
	}
	return "`" + strings.ReplaceAll(s, "`", "'") + "`"
}

func escape(cells []string) []string {
	for i, c := range cells {
		cells[i] = strings.ReplaceAll(strings.ReplaceAll(c, "|", `\|`), "\n", " ")
	}
	return cells
}
