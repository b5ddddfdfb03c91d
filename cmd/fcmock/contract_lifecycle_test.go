package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

// --mutating runs the lifecycle family: against `fcmock serve --clock virtual` every lifecycle
// check runs and passes, on a function it makes for itself or on the one --lifecycle-function
// names, and the notes say which and that the clock was advanced. Without it, --list says what
// the flag is for; a --lifecycle-function that names no function is a usage error.
func TestContractMutating(t *testing.T) {
	url, _, stop := startServe(t, "--fixtures", contractData, "--clock", "virtual")
	t.Cleanup(func() { stop() })
	for _, tt := range []struct {
		givenArgs []string
		expectOn  string
	}{
		{nil, `lifecycle: on fcmock-contract-[0-9a-z]+-[0-9a-z]+/fcmock-contract;`},
		{[]string{"--lifecycle-function", "svc.prod/fn"}, `lifecycle: on svc\.prod/fn;`},
	} {
		var out, errs syncBuffer
		if code := run(context.Background(), contractArgs(url, append([]string{"--mock", "--mutating"}, tt.givenArgs...)...), &out, &errs); code != exitOK {
			t.Fatalf("%v: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", tt.givenArgs, code, &out, &errs)
		}
		for _, want := range []string{tt.expectOn, `the target's clock is virtual`, `lifecycle/stop-finished +1 +1 `, `lifecycle/stop +1 +1 `, `contract: lifecycle`} {
			if !regexp.MustCompile(want).MatchString(out.String() + errs.String()) {
				t.Errorf("%v: output does not show %q:\n%s\n%s", tt.givenArgs, want, &out, &errs)
			}
		}
	}
	for _, bad := range []string{"svc", "svc/", "/fn", "9svc/fn"} {
		var out, errs syncBuffer
		if code := run(context.Background(), contractArgs(url, "--mutating", "--lifecycle-function", bad), &out, &errs); code != exitUsage {
			t.Errorf("--lifecycle-function %q: exit %d, want %d\n%s", bad, code, exitUsage, &errs)
		}
	}
	var errs syncBuffer
	var list syncBuffer
	if code := run(context.Background(), []string{"contract", "--list"}, &list, &errs); code != exitOK ||
		!strings.Contains(list.String(), "lifecycle/invoke") || !strings.Contains(list.String(), "(runs only with --mutating)") {
		t.Errorf("--list: exit %d\n%s", code, &list)
	}
}
