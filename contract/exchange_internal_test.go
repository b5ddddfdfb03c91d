package contract

import (
	"strings"
	"testing"
)

// Long error messages and bodies are cut in findings; one of exactly the limit is whole.
func TestTruncateKeepsWhatFits(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want string
	}{
		{"", 3, ""},
		{"abc", 3, "abc"},
		{"abcd", 3, "abc..."},
		{strings.Repeat("x", 160), 160, strings.Repeat("x", 160)},
	} {
		if got := truncate(c.s, c.n); got != c.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
	}
}
