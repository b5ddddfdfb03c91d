package fc_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/internal/fc"
)

var update = flag.Bool("update", false, "rewrite the README's error table from the catalogue")

const (
	tableBegin = "<!-- errors:begin (generated from internal/fc/errors.go: go test ./internal/fc -update) -->\n"
	tableEnd   = "<!-- errors:end -->"
)

// The README's error table is the catalogue, rendered: it cannot drift from the code.
func TestREADMEErrorTableMatchesCatalogue(t *testing.T) {
	const readme = "../../README.md"
	raw, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	begin, end := strings.Index(text, tableBegin), strings.Index(text, tableEnd)
	if begin < 0 || end < begin {
		t.Fatalf("README.md has no error table between %q and %q", tableBegin, tableEnd)
	}
	got, want := text[begin+len(tableBegin):end], fc.CatalogueMarkdown()
	if got == want {
		return
	}
	if *update {
		if err := os.WriteFile(readme, []byte(text[:begin+len(tableBegin)]+want+text[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's error table differs from the catalogue; run: go test ./internal/fc -update\n--- README\n%s\n--- catalogue\n%s", got, want)
}

func TestStatusFor(t *testing.T) {
	for _, e := range fc.Catalogue {
		if got := fc.StatusFor(e.Code); got != e.Status {
			t.Errorf("StatusFor(%s) = %d, want %d", e.Code, got, e.Status)
		}
		if e.When == "" || e.Example == "" {
			t.Errorf("%s lacks When or Example", e.Code)
		}
	}
	if got := fc.StatusFor("NoSuchCode"); got != 500 {
		t.Errorf("an unknown code maps to %d, want 500", got)
	}
}
