package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// --mutating runs the resources family: it shows in the report, and a target that ignores
// If-Match fails it; without the flag the family is absent.
func TestContractMutating(t *testing.T) {
	url := serveMock(t, func(h http.Handler) http.Handler { return h })
	var out, errs syncBuffer
	if code := run(context.Background(), contractArgs(url, "--mock", "--mutating"), &out, &errs); code != exitOK || !strings.Contains(out.String(), "resources/if-match") {
		t.Fatalf("exit %d, want 0 and the resources family\n%s\n%s", code, &out, &errs)
	}
	var plain syncBuffer
	if code := run(context.Background(), contractArgs(url, "--mock"), &plain, &errs); code != exitOK || strings.Contains(plain.String(), "resources/") {
		t.Errorf("without --mutating: exit %d, report:\n%s", code, &plain)
	}
	ignoring := serveMock(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Header.Del("If-Match")
			h.ServeHTTP(w, r)
		})
	})
	var broken syncBuffer
	if code := run(context.Background(), contractArgs(ignoring, "--mock", "--mutating"), &broken, &errs); code != exitFail || !strings.Contains(broken.String(), "FAIL resources/if-match") {
		t.Errorf("If-Match ignored: exit %d, want %d and resources/if-match failing\n%s", code, exitFail, &broken)
	}
}

func TestContractListShowsMutatingChecks(t *testing.T) {
	var out, errs syncBuffer
	if code := run(context.Background(), []string{"contract", "--list"}, &out, &errs); code != exitOK || !strings.Contains(out.String(), "resources/delete") {
		t.Errorf("exit %d, list:\n%s", code, &out)
	}
}
