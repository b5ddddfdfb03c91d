package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const repoSpec = "../../openapi.yaml"

// The repo's own spec, examples and fixtures pass: `make test` runs this check.
func TestCheckPassesOnTheRepo(t *testing.T) {
	var out, errs syncBuffer
	code := run(context.Background(), []string{"check", "--spec", repoSpec, "--fixtures", contractData}, &out, &errs)
	if code != exitOK || !strings.Contains(out.String(), "fcmock check: ok") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, &out, &errs)
	}
	for _, want := range []string{"examples", "fixtures/default:", "contract/testdata/fixtures:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the summary does not mention %q: %s", want, &out)
		}
	}
}

// A broken copy fails with the file and the location of each problem.
func TestCheckNamesFileAndLocation(t *testing.T) {
	spec, err := os.ReadFile(repoSpec)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		givenSpec    func(string) string
		givenFixture string // a bad invocations file, added to a copy of the contract data
		expectCode   int
		expect       []string // regular expressions, each matching a line of stderr
	}{
		{"a media-type example of the wrong type", replaceFirst("                        startedTime: 1597890501000", `                        startedTime: "2020-08-20T02:28:21Z"`), "", exitFail,
			[]string{`^openapi\.yaml:\d+: /paths/~12016-08-15~1services~1\{serviceName\}~1functions~1\{functionName\}~1stateful-async-invocations/get/responses/200/content/application~1json/examples/docSample/value/invocations/0/startedTime: value must be an integer$`}},
		{"every error of an example, not just the first", func(s string) string {
			s = replaceFirst("                        startedTime: 1597890501000", "                        startedTime: -1")(s)
			return replaceFirst("                        status: Succeeded", "                        status: Done")(s)
		}, "", exitFail,
			[]string{`docSample/value/invocations/0/startedTime: number must be at least 0$`, `docSample/value/invocations/0/status: value is not one of the allowed values`}},
		{"a parameter example out of range", replaceFirst("      example: 50\n", "      example: 500\n"), "", exitFail,
			[]string{`^openapi\.yaml:\d+: /components/parameters/Limit/example: number must be at most 100$`}},
		{"a schema example outside its enum", replaceLast("        status: Succeeded\n", "        status: Done\n"), "", exitFail,
			[]string{`^openapi\.yaml:\d+: /components/schemas/StatefulAsyncInvocation/example/status: value is not one of the allowed values`}},
		{"a document kin-openapi rejects", replaceFirst("openapi: 3.0.3", "openapi: \"\""), "", exitFail,
			[]string{`^openapi\.yaml: .*openapi`}},
		{"a file that is not YAML", func(s string) string { return s + "\n\t: [\n" }, "", exitFail,
			[]string{`^openapi\.yaml: does not load`}},
		{"a property without its evidence level", replaceFirst(`          x-fc-evidence: {level: sdk, source: "GO16 *int64 in ms; GO21; DOC-21; DOC-FC3", confidence: H}`+"\n", ""), "", exitFail,
			[]string{`^openapi\.yaml:\d+: /components/schemas/StatefulAsyncInvocation/properties/startedTime: no x-fc-evidence`}},
		{"a parameter without its evidence level", replaceFirst(`      x-fc-evidence: {level: sdk, source: "GO16; JAVA16; GO21 send it (not in SEED)", confidence: M}`+"\n", ""), "", exitFail,
			[]string{`^openapi\.yaml:\d+: /components/parameters/Status: no x-fc-evidence`}},
		{"a required field without its evidence level", replaceFirst(`        endTime: {level: choice, source: "OWN: GO21 omitempty; presence while running is undocumented", confidence: L}`+"\n", ""), "", exitFail,
			[]string{`/components/schemas/StatefulAsyncInvocation/required: required field "endTime" has no entry in x-fc-evidence-required`}},
		{"an unknown evidence level", replaceFirst(`level: choice, source: "none: no source states a default", confidence: L}`, `level: guess, source: "none", confidence: L}`), "", exitFail,
			[]string{`x-fc-evidence-default: level "guess" is none of doc, sdk, observed, choice`}},
		{"a fixture of the wrong type", nil, "invocations:\n  - {serviceName: svc, functionName: fn, qualifier: LATEST, invocationId: bad-1, requestId: r, status: Done, startedTime: 1, endTime: 0, alreadyRetriedTimes: 0}\n",
			exitFail, []string{`^data/invocations/zz-bad\.yaml:2: invocations\[0\] \(bad-1\): field "status": value is not one of the allowed values`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			body := string(spec)
			if tt.givenSpec != nil {
				body = tt.givenSpec(body)
			}
			writeFile(t, filepath.Join(dir, "openapi.yaml"), body)
			data := copyData(t, dir)
			if tt.givenFixture != "" {
				writeFile(t, filepath.Join(data, "invocations", "zz-bad.yaml"), tt.givenFixture)
			}
			var out, errs syncBuffer
			code := inDir(t, dir, func() int {
				return run(context.Background(), []string{"check", "--spec", "openapi.yaml", "--fixtures", "data", "--bundled=false"}, &out, &errs)
			})
			if code != tt.expectCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.expectCode, &out, &errs)
			}
			for _, want := range tt.expect {
				if !regexp.MustCompile(`(?m)` + want).MatchString(errs.String()) {
					t.Errorf("no line of stderr matches %s:\n%s", want, &errs)
				}
			}
		})
	}
}

func TestCheckUsage(t *testing.T) {
	for _, args := range [][]string{{"check", "--spec", "nope.yaml"}, {"check", "--fixtures", t.TempDir()}, {"check", "--bogus"}} {
		var out, errs syncBuffer
		if code := run(context.Background(), args, &out, &errs); code != exitUsage {
			t.Errorf("fcmock %v: exit %d, want 2\n%s", args, code, &errs)
		}
	}
}

func replaceFirst(old, new string) func(string) string {
	return func(s string) string {
		if !strings.Contains(s, old) {
			panic("openapi.yaml no longer holds " + old)
		}
		return strings.Replace(s, old, new, 1)
	}
}

func replaceLast(old, new string) func(string) string {
	return func(s string) string {
		i := strings.LastIndex(s, old)
		if i < 0 {
			panic("openapi.yaml no longer holds " + old)
		}
		return s[:i] + new + s[i+len(old):]
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// copyData copies the contract data set to dir/data and returns its path.
func copyData(t *testing.T, dir string) string {
	t.Helper()
	data := filepath.Join(dir, "data")
	if err := os.CopyFS(data, os.DirFS(contractData)); err != nil {
		t.Fatal(err)
	}
	return data
}

// inDir runs f with dir as the working directory, so paths in the output are short and fixed.
func inDir(t *testing.T, dir string, f func() int) int {
	t.Helper()
	t.Chdir(dir)
	return f()
}

// A problem inside an example is reported at the line of the field itself.
func TestCheckReportsTheFieldsLine(t *testing.T) {
	spec, err := os.ReadFile(repoSpec)
	if err != nil {
		t.Fatal(err)
	}
	const bad = `                        startedTime: "2020-08-20T02:28:21Z"`
	body := replaceFirst("                        startedTime: 1597890501000", bad)(string(spec))
	line := strings.Count(body[:strings.Index(body, bad)], "\n") + 1
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "openapi.yaml"), body)
	var out, errs syncBuffer
	code := run(context.Background(), []string{"check", "--spec", filepath.Join(dir, "openapi.yaml"), "--bundled=false"}, &out, &errs)
	want := fmt.Sprintf("%s:%d: /paths/", filepath.Join(dir, "openapi.yaml"), line)
	if code != exitFail || !strings.Contains(errs.String(), want) {
		t.Errorf("exit %d, want 1 and a line starting %q:\n%s", code, want, &errs)
	}
}
