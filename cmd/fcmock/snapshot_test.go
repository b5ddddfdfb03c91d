package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(t.Context(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestGenerateSnapshotIsDeterministic: the same flags and seed write the same bytes, file for
// file; another seed writes another set.
func TestGenerateSnapshotIsDeterministic(t *testing.T) {
	dirs := []string{filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b"), filepath.Join(t.TempDir(), "c")}
	for i, dir := range dirs {
		seed := []string{"5", "5", "6"}[i]
		if code, _, stderr := runCmd(t, "fixtures", "generate", "--format", "snapshot", "--count", "500", "--seed", seed, "--out", dir); code != exitOK {
			t.Fatalf("generate: exit %d: %s", code, stderr)
		}
	}
	for _, name := range []string{"snapshot.json", "invocations.snap", "services.yaml"} {
		a, b, c := readBytes(t, dirs[0], name), readBytes(t, dirs[1], name), readBytes(t, dirs[2], name)
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with one seed", name)
		}
		if name == "invocations.snap" && bytes.Equal(a, c) {
			t.Errorf("%s is the same for another seed", name)
		}
	}
}

func readBytes(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestServeAndCheckTakeEitherKindOfSet: a YAML set and its snapshot (made by `fixtures
// snapshot`, and equal to what `generate --format snapshot` writes for the same flags) pass
// `check` with the same count, serve the same page, and reset.
func TestServeAndCheckTakeEitherKindOfSet(t *testing.T) {
	base := t.TempDir()
	yamlDir, snapDir, genDir := filepath.Join(base, "yaml"), filepath.Join(base, "snap"), filepath.Join(base, "gen")
	gen := []string{"fixtures", "generate", "--count", "400", "--seed", "3"}
	for _, args := range [][]string{append(gen, "--out", yamlDir), {"fixtures", "snapshot", yamlDir, snapDir}, append(gen, "--format", "snapshot", "--out", genDir)} {
		if code, _, stderr := runCmd(t, args...); code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	if !bytes.Equal(readBytes(t, snapDir, "invocations.snap"), readBytes(t, genDir, "invocations.snap")) {
		t.Error("the converted snapshot differs from the generated one")
	}
	var pages []string
	for _, dir := range []string{yamlDir, snapDir} {
		code, stdout, stderr := runCmd(t, "check", "--bundled=false", "--fixtures", dir)
		if code != exitOK || !strings.Contains(stdout, ": 400 invocations") {
			t.Fatalf("check %s: exit %d: %s%s", dir, code, stdout, stderr)
		}
		url, logs, stop := startServe(t, "--fixtures", dir)
		pages = append(pages, getBody(t, url+"/2016-08-15/services/orders-svc/functions/process-order/stateful-async-invocations?limit=50&includePayload=true"))
		res, err := http.Post(url+"/_fcmock/reset", "application/json", nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"invocations":400`) {
			t.Errorf("reset of %s: %d %s", dir, res.StatusCode, body)
		}
		if code := stop(); code != exitOK {
			t.Fatalf("serve %s: exit %d; log:\n%s", dir, code, logs)
		}
	}
	if pages[0] != pages[1] || !strings.Contains(pages[0], `"invocationId"`) {
		t.Errorf("the pages differ:\nYAML     %s\nsnapshot %s", pages[0], pages[1])
	}
}

func getBody(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, b)
	}
	return string(b)
}

// TestCorruptSnapshotIsRefused: serve and check refuse a snapshot whose data was changed, saying
// how to rebuild it; `fixtures snapshot` refuses bad arguments and a snapshot as its source.
func TestCorruptSnapshotIsRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "snap")
	if code, _, stderr := runCmd(t, "fixtures", "generate", "--format", "snapshot", "--count", "50", "--out", dir); code != exitOK {
		t.Fatal(stderr)
	}
	data := readBytes(t, dir, "invocations.snap")
	data[len(data)/2] ^= 0xff
	if err := os.WriteFile(filepath.Join(dir, "invocations.snap"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"check", "--bundled=false", "--fixtures", dir}, {"serve", "--addr", "127.0.0.1:0", "--fixtures", dir}} {
		code, _, stderr := runCmd(t, args...)
		if code != exitFail || !strings.Contains(stderr, "CRC-32C") || !strings.Contains(stderr, "fcmock fixtures snapshot SRC DST") {
			t.Errorf("%s: exit %d, stderr %q; want 1 and the rebuild command", args[0], code, stderr)
		}
	}
	for _, args := range [][]string{{"fixtures", "snapshot", dir}, {"fixtures", "snapshot", "-x", "a"}, {"fixtures", "generate", "--format", "xml", "--out", dir}} {
		if code, _, _ := runCmd(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
	if code, _, stderr := runCmd(t, "fixtures", "snapshot", dir, filepath.Join(t.TempDir(), "x")); code != exitFail || !strings.Contains(stderr, "snapshot set already") {
		t.Errorf("converting a snapshot: exit %d, %s", code, stderr)
	}
}
