package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestChangedLinesIgnoresThePrintersRealignment(t *testing.T) {
	before := "type t struct {\n\ta, b int\n\tlonger string\n}\n\nfunc f(x int) bool {\n\treturn x < 3\n}\n"
	tests := []struct {
		name  string
		after string
		want  []int
	}{
		{"the same file", before, nil},
		{"tabs for alignment, no other change", "type t struct {\n\ta, b\tint\n\tlonger\tstring\n}\n\nfunc f(x int) bool {\n\treturn x < 3\n}\n", nil},
		{"one token changed, the rest realigned", "type t struct {\n\ta, b\tint\n\tlonger\tstring\n}\n\nfunc f(x int) bool {\n\treturn x <= 3\n}\n", []int{7}},
		{"a line gone: the range between head and tail", "type t struct {\n\ta, b int\n\tlonger string\n}\n\nfunc f(x int) bool { return x <= 3 }\n", []int{6, 7, 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := changedLines([]byte(before), []byte(tt.after)); !slices.Equal(got, tt.want) {
				t.Errorf("changedLines = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseBlock(t *testing.T) {
	tests := []struct {
		line            string
		file            string
		from, to, count int
		ok              bool
	}{
		{"example.com/m/pkg/a.go:12.3,14.5 2 1", "example.com/m/pkg/a.go", 12, 14, 1, true},
		{"example.com/m/pkg/a.go:7.10,7.20 1 0", "example.com/m/pkg/a.go", 7, 7, 0, true},
		{"mode: set", "", 0, 0, 0, false},
		{"a.go:9.1,8.1 1 1", "", 0, 0, 0, false},
		{"a.go:x.1,8.1 1 1", "", 0, 0, 0, false},
	}
	for _, tt := range tests {
		file, from, to, count, ok := parseBlock(tt.line)
		if file != tt.file || from != tt.from || to != tt.to || count != tt.count || ok != tt.ok {
			t.Errorf("parseBlock(%q) = %q %d %d %d %v", tt.line, file, from, to, count, ok)
		}
	}
}

func TestSelectedAppliesRunAndSkipToTopLevelNames(t *testing.T) {
	defer func(r, s string) { testRun, testSkip = r, s }(testRun, testSkip)
	tests := []struct {
		run, skip, name string
		want            bool
	}{
		{"", "", "TestA", true},
		{"", "", "BenchmarkA", false},
		{"", "", "ExampleRun", true},
		{"TestA|TestB", "", "TestB", true},
		{"TestA|TestB", "", "TestC", false},
		{"TestA/sub", "", "TestA", true},
		{"", "TestA", "TestAB", false},
		{"", "TestA/slow", "TestA", true},
	}
	for _, tt := range tests {
		testRun, testSkip = tt.run, tt.skip
		if got := selected(tt.name); got != tt.want {
			t.Errorf("-run %q -skip %q: selected(%q) = %v, want %v", tt.run, tt.skip, tt.name, got, tt.want)
		}
	}
}

func TestTestsForPicksTheTestsOfTheChangedLines(t *testing.T) {
	orig, work := t.TempDir(), t.TempDir()
	src := "package p\n\nfunc f(x int) bool {\n\treturn x < 3\n}\n\nfunc g() int { return 1 }\n"
	for _, root := range []string{orig, work} {
		os.MkdirAll(filepath.Join(root, "p"), 0o755)
		os.WriteFile(filepath.Join(root, "p", "a.go"), []byte(src), 0o644)
	}
	m := &coverMap{Root: orig, Tests: []string{"TestF", "TestG", "TestBoth"},
		Lines: map[string]map[int][]int{"p/a.go": {3: {0, 2}, 4: {0, 2}, 7: {1, 2}}}}
	if tests, _, ok := m.testsFor(work); ok || tests != nil {
		t.Fatalf("nothing changed: got %v %v", tests, ok)
	}
	os.WriteFile(filepath.Join(work, "p", "a.go"), []byte("package p\n\nfunc f(x int) bool {\n\treturn x <= 3\n}\n\nfunc g() int { return 1 }\n"), 0o644)
	tests, where, ok := m.testsFor(work)
	if !ok || !slices.Equal(tests, []string{"TestBoth", "TestF"}) || where != "p/a.go:[4]" {
		t.Fatalf("got %v %q %v, want [TestBoth TestF] p/a.go:[4]", tests, where, ok)
	}
}

func TestBatchesRunTheCheapTestsFirst(t *testing.T) {
	m := &coverMap{Tests: []string{"TestSlow", "TestQuick", "TestMid", "TestQuicker"}, Seconds: []float64{17, 0.2, 1, 0.01}}
	got := m.batches([]string{"TestQuick", "TestSlow", "TestQuicker"})
	want := [][]string{{"TestQuick", "TestQuicker"}, {"TestSlow"}}
	if len(got) != len(want) || !slices.Equal(got[0], want[0]) || !slices.Equal(got[1], want[1]) {
		t.Fatalf("batches = %v, want %v", got, want)
	}
}

func TestAStoppedRunIsReadFromItsLog(t *testing.T) {
	dir := t.TempDir()
	log := "Starting...\nGathering coverage... done in 8s\n NOT COVERED CONDITIONALS_NEGATION at check.go:30:14\n" +
		"      KILLED CONDITIONALS_NEGATION at check.go:50:18\n       LIVED ARITHMETIC_BASE at match.go:55:51\n  NOT VIABLE ARITHMETIC_BASE at check.go:68:49\n"
	os.WriteFile(filepath.Join(dir, "p.log"), []byte(log), 0o644)
	r, err := readResult(filepath.Join(dir, "p.json"), "./p")
	if err != nil || !r.Partial || len(r.Files) != 2 {
		t.Fatalf("readResult = %+v, %v", r, err)
	}
	want := mutation{Type: "ARITHMETIC_BASE", Status: "LIVED", Line: 55, Column: 51}
	if r.Files[1].Name != "match.go" || r.Files[1].Mutations[0] != want || len(r.Files[0].Mutations) != 3 {
		t.Fatalf("files = %+v", r.Files)
	}
	if _, err := readResult(filepath.Join(t.TempDir(), "q.json"), "./q"); err == nil {
		t.Fatal("no JSON and no log: want an error")
	}
}
