package main

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// --mutating runs the resources family: it passes on the mock, and a target that ignores
// If-Match fails it; without the flag it is skipped.
func TestContractMutatingResources(t *testing.T) {
	url := serveMock(t, func(h http.Handler) http.Handler { return h })
	var out, errs syncBuffer
	if code := run(context.Background(), contractArgs(url, "--mock", "--mutating"), &out, &errs); code != exitOK || !regexp.MustCompile(`resources/if-match +1 +1 `).MatchString(out.String()) {
		t.Fatalf("exit %d, want 0 and the resources family\n%s\n%s", code, &out, &errs)
	}
	var plain syncBuffer
	if code := run(context.Background(), contractArgs(url, "--mock"), &plain, &errs); code != exitOK || !regexp.MustCompile(`resources/if-match +0 +0 .*skipped: it creates, changes and deletes services`).MatchString(plain.String()) {
		t.Errorf("without --mutating: exit %d, report:\n%s", code, &plain)
	}
	ignoring := serveMock(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Header.Del("If-Match")
			h.ServeHTTP(w, r)
		})
	})
	var broken syncBuffer
	if code := run(context.Background(), contractArgs(ignoring, "--mock", "--mutating"), &broken, &errs); code != exitFail || !strings.Contains(broken.String(), "FAILURES\n\nresources/if-match:") {
		t.Errorf("If-Match ignored: exit %d, want %d and resources/if-match failing\n%s", code, exitFail, &broken)
	}
}

func TestContractListShowsResourceChecks(t *testing.T) {
	var out, errs syncBuffer
	if code := run(context.Background(), []string{"contract", "--list"}, &out, &errs); code != exitOK ||
		!regexp.MustCompile(`resources/delete .*\(runs only with --mutating\)`).MatchString(out.String()) {
		t.Errorf("exit %d, list:\n%s", code, &out)
	}
}
