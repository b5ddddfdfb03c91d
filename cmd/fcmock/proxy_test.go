package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fcmock/fcmock/drift"
	"github.com/fcmock/fcmock/mock"
	"github.com/fcmock/fcmock/proxy"
)

// `fcmock proxy` stopped by a real SIGTERM exits 0 after writing the JSON and JUnit reports
// and the recording; `fcmock check` passes the recording and `fcmock drift` finds no drift in
// the mock's traffic.
func TestProxyCommandWritesItsOutputsOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the fcmock binary")
	}
	srv, err := mock.New(mock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	up := httptest.NewServer(srv)
	defer up.Close()
	dir := t.TempDir()
	bin := filepath.Join(dir, "fcmock")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	report, junit, record := filepath.Join(dir, "report.json"), filepath.Join(dir, "report.xml"), filepath.Join(dir, "recorded")
	cmd := exec.Command(bin, "proxy", "--upstream", up.URL, "--addr", "127.0.0.1:0", "--report", report, "--junit", junit, "--record", record)
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("no address printed: %v\n%s", err, stderr)
	}
	addr, _, _ := strings.Cut(strings.TrimPrefix(line, "fcmock proxy on http://"), " ")
	for _, fn := range []string{"demo-fn", "image-resize"} {
		res, err := http.Get("http://" + addr + "/2016-08-15/services/demo-svc/functions/" + fn + "/stateful-async-invocations?limit=5")
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("through the proxy: %v %v", err, res)
		}
		res.Body.Close()
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr)
		}
	case <-time.After(time.Minute):
		t.Fatalf("still running a minute after SIGTERM\n%s", stderr)
	}
	f, err := os.Open(report)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := proxy.ReadReport(f)
	f.Close()
	if err != nil || rep.Requests != 2 || rep.Recording == nil || rep.Recording.Invocations != 10 {
		t.Fatalf("report: %v %+v", err, rep)
	}
	if x, err := os.ReadFile(junit); err != nil || !bytes.Contains(x, []byte(`<testcase name="ListStatefulAsyncInvocations"`)) {
		t.Fatalf("junit: %v\n%s", err, x)
	}
	var out, errs bytes.Buffer
	if code := run(context.Background(), []string{"check", "--bundled=false", "--fixtures", record}, &out, &errs); code != exitOK {
		t.Fatalf("fcmock check --fixtures on the recording: %d\n%s%s", code, out.String(), errs.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"drift", report}, &out, &errs); code != exitOK {
		t.Fatalf("fcmock drift on the mock's traffic: %d\n%s%s", code, out.String(), errs.String())
	}
}

// `fcmock drift` exits 1 and names the change when the traffic has what the spec lacks, and
// merges several reports.
func TestDriftCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, tr drift.Traffic) string {
		path := filepath.Join(dir, name)
		data, _ := json.Marshal(proxy.Report{Traffic: &tr})
		os.WriteFile(path, data, 0o644)
		return path
	}
	clean := write("clean.json", drift.Traffic{Operations: map[string]*drift.Operation{"ListStatefulAsyncInvocations": {
		Requests: 1, Statuses: map[string]*drift.Response{"200": {Count: 1, Fields: map[string]*drift.Field{"": {Count: 1, Types: map[string]int{"object": 1}}}}}}}})
	drifted := write("drifted.json", drift.Traffic{Operations: map[string]*drift.Operation{"ListStatefulAsyncInvocations": {
		Requests: 1, Statuses: map[string]*drift.Response{"200": {Count: 1, Fields: map[string]*drift.Field{
			"":       {Count: 1, Types: map[string]int{"object": 1}},
			"/extra": {Count: 1, Types: map[string]int{"string": 1}},
		}}}}}})
	tests := []struct {
		name         string
		whenArgs     []string
		expectCode   int
		expectOutput string
	}{
		{"traffic the spec covers", []string{"drift", clean}, exitOK, "Nothing."},
		{"a field the spec lacks", []string{"drift", clean, drifted}, exitFail, "| field | ListStatefulAsyncInvocations | 200 | `/extra` |"},
		{"json output", []string{"drift", "--format", "json", drifted}, exitFail, `"kind": "field"`},
		{"unseen counts only when asked", []string{"drift", "--fail-on-unseen", clean}, exitFail, "| unseen-status | ListStatefulAsyncInvocations | 500 |"},
		{"no report", []string{"drift"}, exitUsage, ""},
		{"not a report", []string{"drift", filepath.Join(dir, "missing.json")}, exitUsage, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			if code := run(context.Background(), tt.whenArgs, &out, &errs); code != tt.expectCode {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.expectCode, out.String(), errs.String())
			}
			if !strings.Contains(out.String(), tt.expectOutput) {
				t.Fatalf("output lacks %q:\n%s", tt.expectOutput, out.String())
			}
		})
	}
}

// `fcmock diff` exits 0 for the same spec, 1 for a breaking change, 2 for a spec that does not
// load.
func TestDiffCommand(t *testing.T) {
	orig, err := os.ReadFile("../../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	broken := strings.Replace(string(orig), "      name: limit\n      in: query\n      required: false\n", "      name: limit\n      in: query\n      required: true\n", 1)
	if broken == string(orig) {
		t.Fatal("the edit did not apply")
	}
	newPath := filepath.Join(dir, "new.yaml")
	os.WriteFile(newPath, []byte(broken), 0o644)
	tests := []struct {
		name         string
		whenArgs     []string
		expectCode   int
		expectOutput string
	}{
		{"the same spec", []string{"diff", "../../openapi.yaml", "../../openapi.yaml"}, exitOK, "0 breaking"},
		{"a parameter made required", []string{"diff", "../../openapi.yaml", newPath}, exitFail, "request-parameter-became-required"},
		{"a missing file", []string{"diff", "../../openapi.yaml", filepath.Join(dir, "nope.yaml")}, exitUsage, ""},
		{"one file", []string{"diff", "../../openapi.yaml"}, exitUsage, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			if code := run(context.Background(), tt.whenArgs, &out, &errs); code != tt.expectCode {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.expectCode, out.String(), errs.String())
			}
			if !strings.Contains(out.String(), tt.expectOutput) {
				t.Fatalf("output lacks %q:\n%s", tt.expectOutput, out.String())
			}
		})
	}
}

// Bad proxy flags are usage errors, named; --resign reads the credentials from the environment.
func TestProxyOptions(t *testing.T) {
	env := map[string]string{}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	tests := []struct {
		name      string
		given     proxyConfig
		givenEnv  map[string]string
		expectErr string
	}{
		{"no upstream", proxyConfig{profile: "mock"}, nil, "--upstream is required"},
		{"a relative upstream", proxyConfig{upstream: "fc.example", profile: "mock"}, nil, "not an absolute"},
		{"an unknown profile", proxyConfig{upstream: "http://127.0.0.1:1", profile: "strict"}, nil, "--profile"},
		{"redaction without recording", proxyConfig{upstream: "http://127.0.0.1:1", profile: "mock", redactPayloads: true}, nil, "needs --record"},
		{"resign without credentials", proxyConfig{upstream: "http://127.0.0.1:1", profile: "mock", resign: true}, nil, "--resign needs"},
		{"resign with credentials", proxyConfig{upstream: "https://1234567890123456.cn-hangzhou.fc.aliyuncs.com", profile: "service", resign: true},
			map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "AKID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "S"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env = tt.givenEnv
			opts, err := tt.given.options(lookup)
			if tt.expectErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.expectErr) {
					t.Fatalf("err = %v, want one saying %q", err, tt.expectErr)
				}
				return
			}
			if err != nil || opts.Resign == nil || opts.Resign.AccessKeyID != "AKID" || opts.AccountID != "1234567890123456" || opts.Profile != proxy.ProfileService {
				t.Fatalf("options = %+v, %v", opts, err)
			}
		})
	}
}
