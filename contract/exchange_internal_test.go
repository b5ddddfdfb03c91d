package contract

import (
	"errors"
	"net/url"
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

// A request is routed by its path below the target's base URL, escapes kept (an id holding %2F
// stays one path segment), with its query.
func TestRelativeStripsTheBasePathAndKeepsEscapes(t *testing.T) {
	s := &Suite{basePath: "/fc"}
	u, err := url.Parse("http://127.0.0.1:9000/fc/2016-08-15/services/svc/functions/fn/stateful-async-invocations/a%2Fb?limit=1")
	if err != nil {
		t.Fatal(err)
	}
	rel := s.relative(u)
	if got, want := rel.EscapedPath(), "/2016-08-15/services/svc/functions/fn/stateful-async-invocations/a%2Fb"; got != want || rel.RawQuery != "limit=1" {
		t.Errorf("relative = %q ? %q, want %q ? limit=1", got, rel.RawQuery, want)
	}
}

// A transport error is reported by its cause, without the "Get URL:" net/http puts in front.
func TestErrorTextGivesTheCause(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&url.Error{Op: "Get", URL: "http://127.0.0.1:1/x", Err: errors.New("connection refused")}, "connection refused"},
		{errors.New("plain"), "plain"},
	}
	for _, tt := range tests {
		if got := errorText(tt.err); got != tt.want {
			t.Errorf("errorText(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

// ids names up to max invocations, separated by commas, and counts the rest.
func TestIDsNamesUpToMaxAndCountsTheRest(t *testing.T) {
	invs := func(names ...string) []invocation {
		var out []invocation
		for _, n := range names {
			out = append(out, invocation{ID: n})
		}
		return out
	}
	tests := []struct {
		invs []invocation
		max  int
		want string
	}{
		{invs("a", "b", "c", "d"), 2, "a, b and 2 more"},
		{invs("a", "b"), 2, "a, b"},
		{invs("a"), 2, "a"},
		{nil, 2, ""},
	}
	for _, tt := range tests {
		if got := ids(tt.invs, tt.max); got != tt.want {
			t.Errorf("ids(%d, %d) = %q, want %q", len(tt.invs), tt.max, got, tt.want)
		}
	}
}
