package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

// --mutating runs the lifecycle family: against `fcmock serve --clock virtual` every lifecycle
// check runs and passes, and the notes say the clock was advanced. Without it, --list says what
// the flag is for.
func TestContractMutating(t *testing.T) {
	url, _, stop := startServe(t, "--fixtures", contractData, "--clock", "virtual")
	t.Cleanup(func() { stop() })
	var out, errs syncBuffer
	if code := run(context.Background(), contractArgs(url, "--mock", "--mutating"), &out, &errs); code != exitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, &out, &errs)
	}
	for _, want := range []string{`the target's clock is virtual`, `lifecycle/stop-finished +1 +1 `, `lifecycle/stop +1 +1 `, `contract: lifecycle`} {
		if !regexp.MustCompile(want).MatchString(out.String() + errs.String()) {
			t.Errorf("output does not show %q:\n%s\n%s", want, &out, &errs)
		}
	}
	var list syncBuffer
	if code := run(context.Background(), []string{"contract", "--list"}, &list, &errs); code != exitOK ||
		!strings.Contains(list.String(), "lifecycle/invoke") || !strings.Contains(list.String(), "(runs only with --mutating)") {
		t.Errorf("--list: exit %d\n%s", code, &list)
	}
}
