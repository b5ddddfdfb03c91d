package resources

import (
	"strings"
	"testing"
)

func TestPage(t *testing.T) {
	keys := []string{"a", "ab", "abc", "abd", "b", "ba", "c"}
	for _, c := range []struct {
		q          ListQuery
		want, next string
	}{
		{ListQuery{Limit: 20}, "a ab abc abd b ba c", ""},
		{ListQuery{Limit: 3}, "a ab abc", "abd"},
		{ListQuery{Limit: 3, NextToken: "abd"}, "abd b ba", "c"},
		{ListQuery{Limit: 7}, "a ab abc abd b ba c", ""}, // exactly the limit: no token
		{ListQuery{Limit: 20, Prefix: "ab"}, "ab abc abd", ""},
		{ListQuery{Limit: 20, Prefix: "ab", StartKey: "abd"}, "abd", ""},     // PY16: prefix + startKey
		{ListQuery{Limit: 20, Prefix: "ab", StartKey: "b"}, "", ""},          // past the prefix
		{ListQuery{Limit: 20, Prefix: "b", StartKey: "a"}, "b ba", ""},       // the prefix is the later start
		{ListQuery{Limit: 20, StartKey: "abc", NextToken: "ba"}, "ba c", ""}, // the token wins
		{ListQuery{Limit: 20, Prefix: "x", NextToken: "ab"}, "", ""},         // the prefix applies again
		{ListQuery{Limit: 1, Prefix: "ab", NextToken: "abc"}, "abc", "abd"},  // a page inside the prefix
		{ListQuery{Limit: 20, StartKey: "zz"}, "", ""},
	} {
		sel, next := page(keys, c.q)
		if got := strings.Join(sel, " "); got != c.want || next != c.next {
			t.Errorf("%+v: %q next %q, want %q next %q", c.q, got, next, c.want, c.next)
		}
	}
}
