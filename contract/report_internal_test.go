package contract

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// Findings of one cause (check, grading, evidence, expectation and answer but for numbers)
// become one with a count and up to two examples of other requests; the groups are sorted.
func TestGroupMergesFindingsOfOneCause(t *testing.T) {
	f := func(req, got string) Finding {
		return Finding{Check: "semantics/limit", Evidence: "doc/H (SEED)", Expected: "at most 5 invocations", Request: req, Got: got, ids: []string{"x"}}
	}
	warning := f("r9", "7 invocations")
	warning.Informational = true
	other := f("r8", "7 invocations")
	other.Evidence = "sdk/M (GO16)"
	earlier := Finding{Check: "conformance/status", Evidence: "doc/H (SEED)", Expected: "a declared status", Request: "r0", Got: "203"}
	got := group([]Finding{
		f("r1", "7 invocations"),
		f("r2", "9 invocations"),
		f("r1", "8 invocations"), // the first's request again: counted, not an example
		f("r3", "10 invocations"),
		f("r4", "11 invocations"), // counted; two examples are enough
		f("r1", "7 invocations"),  // the very same finding twice is one
		warning, other, earlier,
	})
	want := []Finding{{Check: "conformance/status", Evidence: "doc/H (SEED)", Expected: "a declared status", Request: "r0", Got: "203", Count: 1}}
	wantWarning, wantOther := warning, other
	wantWarning.Count, wantWarning.ids, wantOther.Count, wantOther.ids = 1, nil, 1, nil
	if len(got) != 4 {
		t.Fatalf("%d groups, want 4: %+v", len(got), got)
	}
	if !reflect.DeepEqual(got[0], want[0]) {
		t.Errorf("first group %+v, want %+v", got[0], want[0])
	}
	g := got[1]
	if g.Request != "r1" || g.Got != "7 invocations" || g.Count != 5 || g.ids != nil || len(g.Examples) != 2 {
		t.Errorf("the grouped finding: %s %q, count %d, ids %v, examples %+v; want the first in order (r1, 7 invocations), 5, none, two", g.Request, g.Got, g.Count, g.ids, g.Examples)
	}
	for _, e := range g.Examples {
		if e.Request == g.Request {
			t.Errorf("an example repeats the finding's own request %s", e.Request)
		}
	}
	if g.Examples[0].Request == g.Examples[1].Request {
		t.Errorf("two examples of one request: %+v", g.Examples)
	}
	rest := map[string]Finding{got[2].Evidence + "/" + map[bool]string{true: "w", false: "f"}[got[2].Informational]: got[2],
		got[3].Evidence + "/" + map[bool]string{true: "w", false: "f"}[got[3].Informational]: got[3]}
	if !reflect.DeepEqual(rest["doc/H (SEED)/w"], wantWarning) || !reflect.DeepEqual(rest["sdk/M (GO16)/f"], wantOther) {
		t.Errorf("a warning and a finding of other evidence are groups of their own: %+v", got[2:])
	}
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 warnings", 1: "1 warning", 2: "2 warnings"} {
		if got := plural(n, "warning"); got != want {
			t.Errorf("plural(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestWriteFindingCountsOnlyGroups(t *testing.T) {
	for count, want := range map[int]bool{1: false, 2: true} {
		var b strings.Builder
		writeFinding(&b, Finding{Evidence: "doc/H", Count: count, Expected: "e", Request: "r", Got: "g"})
		if got := strings.Contains(b.String(), "times)"); got != want {
			t.Errorf("count %d: %q", count, b.String())
		}
	}
}

func TestVerdict(t *testing.T) {
	res := func(failed ...int) []CheckResult {
		var out []CheckResult
		for _, n := range failed {
			out = append(out, CheckResult{Failed: n})
		}
		return out
	}
	for _, c := range []struct {
		r    Report
		want string
	}{
		{Report{Results: res(0, 0), Requests: 3, Duration: time.Second, Seed: 7}, "PASS: no violations in profile  (3 requests in 1s, 0 warnings; seed 7)"},
		{Report{Results: res(0, 2, 1), Requests: 3, Duration: time.Second, Seed: 7, Warnings: []Finding{{}}}, "FAIL: 3 violations in 2 checks (3 requests in 1s, 1 warning; seed 7)"},
		{Report{Results: res(1), Requests: 2, Duration: time.Second, Seed: 7}, "FAIL: 1 violation in 1 check (2 requests in 1s, 0 warnings; seed 7)"},
		{Report{Error: "no answer", Requests: 2, Duration: time.Second}, "NO VERDICT: no answer (2 requests in 1s)"},
	} {
		if got := c.r.verdict(); got != c.want {
			t.Errorf("verdict %q, want %q", got, c.want)
		}
	}
}

// The text report has a NOT EXERCISED section only when some check was not exercised.
func TestNotExercisedSectionOnlyWhenSomethingWasNot(t *testing.T) {
	for _, tt := range []struct {
		skipped []Skip
		want    bool
	}{{nil, false}, {[]Skip{{CheckGenValid, "no generated cases were asked for"}}, true}} {
		var b strings.Builder
		if err := (&Report{NotExercised: tt.skipped}).WriteText(&b); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(b.String(), "NOT EXERCISED"); got != tt.want {
			t.Errorf("%d not exercised: section shown %v, want %v\n%s", len(tt.skipped), got, tt.want, b.String())
		}
	}
}

// Every evidence the resources family grades by is read from openapi.yaml: none is left zero.
func TestResourceEvidenceIsAllRead(t *testing.T) {
	e, err := loadResEvidence()
	if err != nil {
		t.Fatal(err)
	}
	v := reflect.ValueOf(e)
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Errorf("resEvidence.%s is zero", v.Type().Field(i).Name)
		}
	}
}
