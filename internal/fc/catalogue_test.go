package fc_test

import (
	"errors"
	"flag"
	"os"
	"slices"
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
	for _, e := range fc.Catalogue() {
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

func TestCodesAreSortedAndComplete(t *testing.T) {
	codes := fc.Codes()
	if len(codes) != len(fc.Catalogue()) {
		t.Fatalf("Codes() has %d codes, the catalogue %d", len(codes), len(fc.Catalogue()))
	}
	if !slices.IsSorted(codes) {
		t.Errorf("Codes() is not sorted: %v", codes)
	}
	for _, e := range fc.Catalogue() {
		if !slices.Contains(codes, e.Code) {
			t.Errorf("Codes() lacks %s", e.Code)
		}
		if got, ok := fc.Lookup(e.Code); !ok || got != e {
			t.Errorf("Lookup(%s) = %+v, %v", e.Code, got, ok)
		}
	}
	if _, ok := fc.Lookup("NoSuchCode"); ok {
		t.Error("Lookup found a code that is not in the catalogue")
	}
}

func TestErrorTextAndUnwrap(t *testing.T) {
	cause := errors.New("disk on fire")
	err := fc.Wrap(cause, fc.CodeServiceNotFound, "service 'x' does not exist")
	if got, want := err.Error(), "ServiceNotFound: service 'x' does not exist"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, cause) || err.Status() != 404 {
		t.Errorf("Wrap: Is(cause) = %v, Status() = %d", errors.Is(err, cause), err.Status())
	}
}
