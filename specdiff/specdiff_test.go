package specdiff_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/specdiff"
)

// The repo's openapi.yaml compared with itself has no change; each edit below breaks clients
// and is reported as an error naming oasdiff's rule.
func TestCompare(t *testing.T) {
	orig, err := os.ReadFile("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		whenEdit   func(string) string
		expectRule string // "" means no breaking change
	}{
		{name: "the same spec", whenEdit: func(s string) string { return s }},
		{name: "a query parameter made required", expectRule: "request-parameter-became-required", whenEdit: func(s string) string {
			return strings.Replace(s, "      name: limit\n      in: query\n      required: false\n", "      name: limit\n      in: query\n      required: true\n", 1)
		}},
		{name: "a query parameter's maximum lowered", expectRule: "request-parameter-max-decreased", whenEdit: func(s string) string {
			return strings.Replace(s, "        maximum: 100\n        default: 50\n", "        maximum: 60\n        default: 50\n", 1)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			edited := tt.whenEdit(string(orig))
			if tt.expectRule != "" && edited == string(orig) {
				t.Fatal("the edit did not apply: the test's anchor text is gone from openapi.yaml")
			}
			oldPath, newPath := filepath.Join(dir, "old.yaml"), filepath.Join(dir, "new.yaml")
			os.WriteFile(oldPath, orig, 0o644)
			os.WriteFile(newPath, []byte(edited), 0o644)
			res, err := specdiff.Compare(oldPath, newPath)
			if err != nil {
				t.Fatal(err)
			}
			if tt.expectRule == "" {
				if res.Breaking != 0 {
					t.Fatalf("breaking changes in an identical spec: %+v", res.Changes)
				}
				return
			}
			found := false
			for _, c := range res.Changes {
				found = found || c.ID == tt.expectRule && c.Level == specdiff.LevelError
			}
			if res.Breaking == 0 || !found {
				t.Fatalf("want an error %s; got %+v", tt.expectRule, res.Changes)
			}
		})
	}
}
