package sdktest_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
)

// The describes of the vendor's test/client.test.js that fcmock serves, as a mocha --grep. The
// others need what fcmock leaves out (triggers, custom domains, tags, reserved capacity,
// account settings, layers, OSS tokens, provision configs).
const vendorGrep = `^client test (static function getSignature|constructor|listServices with invalid|request |service should ok|` +
	`function should ok|alias test|versions test|manage function async config should be ok)|^stateful async invocations`

// wantTests is how many tests the run holds: a hook that fails, or a describe the grep stops
// matching, changes it.
const wantTests = 53

// expectedFailures are the tests that cannot pass against a mock that never runs code and has
// no OSS, each with what its failure must say (a regexp on mocha's error message): the list
// cannot go stale, since a listed test that passes, or fails another way, fails this test.
var expectedFailures = map[string]string{
	// The function's code never runs: fcmock answers a synchronous invoke with the event
	// (or a fixture's result), not with what test/figures/main.js would compute.
	"client test service should ok invokeFunction with injected span context should pass traceID to context": `"event" is not valid JSON`,
	"client test function should ok invokeFunction should ok":                                                `expected 'world' to equal 'hello world'`,
	"client test function should ok invokeFunction should faster":                                            `expected 'world' to equal 'hello world'`,
	"client test function should ok invokeFunction with rawBuf=false should return string":                   `expected 'world' to equal 'hello world'`,
	"client test function should ok invokeFunction with handled error should decode with utf8":               `not to be an instance of Buffer`,
	"client test function should ok invokeFunction with unhandled error should decode with utf8":             `not to be an instance of Buffer`,
	// Code over the size limit goes through an OSS bucket (GET .../tempCodeBucketToken, then an
	// upload to OSS): neither is in fcmock. The function is never made, so the listing that
	// counts it and the delete that removes it fail too.
	"client test function should ok createFunction without code size limit should ok": `tempCodeBucketToken failed with 404`,
	"client test function should ok updateFunction without code size limit should ok": `tempCodeBucketToken failed with 404`,
	"client test function should ok listFunctions should ok":                          `to have a length of 3 but got 2`,
	"client test function should ok deleteFunction should ok":                         `func-without-code-size-limit' does not exist`,
}

// upstreamSHA256 is the SHA-256 of test/client.test.js at aliyun/fc-nodejs-sdk 9e48fa7: the
// vendored copy with its endpoint edits taken out must be that file.
const upstreamSHA256 = "97379230787146ae3614c191add5649aed8425d45ce29647f526345ddd004e31"

const endpointEdit = ", endpoint: process.env.ENDPOINT"

func TestVendoredSuiteIsUpstreamWithEndpointEdits(t *testing.T) {
	b, err := os.ReadFile("node/test/client.test.js")
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(b, []byte(endpointEdit)); n != 17 {
		t.Errorf("%d endpoint edits, want the 17 node/README.md lists", n)
	}
	sum := sha256.Sum256(bytes.ReplaceAll(b, []byte(endpointEdit), nil))
	if got := hex.EncodeToString(sum[:]); got != upstreamSHA256 {
		t.Errorf("node/test/client.test.js without its endpoint edits has SHA-256 %s, want upstream's %s", got, upstreamSHA256)
	}
}

// mochaReport is what mocha's JSON reporter writes.
type mochaReport struct {
	Stats struct{ Tests, Passes, Failures, Pending int }
	Tests []struct {
		FullTitle string
		Err       struct{ Message string }
	}
	Failures []struct {
		FullTitle string
		Err       struct{ Message string }
	}
}

func TestNodeSDKSuite(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the Node SDK suite installs npm packages and runs mocha")
	}
	modules := nodeModules(t)
	dir := workDir(t, modules)

	keys := fc.Credentials{AccessKeyID: "accessKeyID", AccessKeySecret: "accessKeySecret"}
	srv, err := mock.New(mock.Options{Credentials: []fc.Credentials{keys},
		Clock: mock.NewVirtualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()

	out := filepath.Join(dir, "report.json")
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", filepath.Join(modules, "mocha", "bin", "mocha.js"), "-t", "10000",
		"-R", "json", "--reporter-option", "output="+out, "-g", vendorGrep, "test/client.test.js", "test/stateful.test.js")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "ENDPOINT="+hs.URL, "ACCESS_KEY_ID="+keys.AccessKeyID, "ACCESS_KEY_SECRET="+keys.AccessKeySecret,
		// The vendor's CI sets a Jaeger endpoint; the tracing test checks the service echoes it.
		"JAEGER_ENDPOINT=http://tracing.example.com/api/traces")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	runErr := cmd.Run() // mocha exits non-zero when any test fails: the report says which
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("mocha wrote no report (%v, %v):\n%s", runErr, err, tail(logs.String()))
	}
	var rep mochaReport
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("mocha's report: %v", err)
	}
	checkReport(t, rep)
	if t.Failed() {
		t.Logf("mocha's output:\n%s", tail(logs.String()))
	}
	t.Logf("the Node SDK suite: %d tests, %d pass, %d fail as expected (code never runs, or needs OSS)",
		rep.Stats.Tests, rep.Stats.Passes, rep.Stats.Failures)
}

func checkReport(t *testing.T, rep mochaReport) {
	t.Helper()
	if len(rep.Tests) != wantTests {
		t.Errorf("%d tests ran, want %d", len(rep.Tests), wantTests)
	}
	failed := map[string]string{}
	for _, f := range rep.Failures {
		failed[f.FullTitle] = f.Err.Message
	}
	for title, msg := range failed {
		if _, ok := expectedFailures[title]; !ok {
			t.Errorf("FAIL %q: %s", title, firstLine(msg))
		}
	}
	for title, want := range expectedFailures {
		msg, ok := failed[title]
		switch {
		case !ok:
			t.Errorf("%q is listed as an expected failure but did not fail: take it off the list", title)
		case !regexp.MustCompile(want).MatchString(msg):
			t.Errorf("%q failed another way than listed (%s): %s", title, want, firstLine(msg))
		}
	}
}

// nodeModules returns the node_modules of node/package-lock.json, installed with npm ci into
// the user's cache directory on first use (by the lock file's hash). Without node or npm, or
// when the install fails (no registry), it skips and says why, as the Redis and browser tests do.
func nodeModules(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			unavailable(t, tool+" is not installed (the Node SDK suite needs node and npm)")
		}
	}
	lock, err := os.ReadFile("node/package-lock.json")
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := os.ReadFile("node/package.json")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(append(pkg, lock...))
	cache, err := os.UserCacheDir()
	if err != nil {
		unavailable(t, "no user cache directory for the npm packages: "+err.Error())
	}
	dir := filepath.Join(cache, "fcmock-sdktest", hex.EncodeToString(sum[:8]))
	modules := filepath.Join(dir, "node_modules")
	if _, err := os.Stat(filepath.Join(modules, "mocha", "bin", "mocha.js")); err == nil {
		return modules
	}
	if err := install(t, dir, pkg, lock); err != nil {
		unavailable(t, "npm ci failed (is the npm registry reachable?): "+err.Error())
	}
	return modules
}

// install runs npm ci in a fresh directory beside dir and moves it into place, so a cut-short
// install is never taken for a whole one.
func install(t *testing.T, dir string, pkg, lock []byte) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "install-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for name, b := range map[string][]byte{"package.json": pkg, "package-lock.json": lock} {
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o644); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error")
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%v: %s", err, tail(string(out)))
	}
	if err := os.Rename(tmp, dir); err != nil && !errors.Is(err, os.ErrExist) {
		if _, serr := os.Stat(dir); serr != nil { // another run may have put it there first
			return err
		}
	}
	return nil
}

// workDir lays out the suite in a temporary directory: the vendored files, the zips its
// Makefile would build from test/figures, and node_modules.
func workDir(t *testing.T, modules string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"index.js", "test/client.test.js", "test/stateful.test.js", "test/figures/main.js", "test/figures/counter.js"} {
		b, err := os.ReadFile(filepath.Join("node", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for zipName, src := range map[string]string{"test.zip": "main.js", "counter.zip": "counter.js"} {
		writeZip(t, filepath.Join(dir, "test", "figures", zipName), filepath.Join(dir, "test", "figures", src))
	}
	if err := os.Symlink(modules, filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// writeZip writes a zip holding src at its root, as the vendor's `zip -j` does.
func writeZip(t *testing.T, dst, src string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(filepath.Base(src))
	if err == nil {
		_, err = w.Write(b)
	}
	if err == nil {
		err = zw.Close()
	}
	if err == nil {
		err = os.WriteFile(dst, buf.Bytes(), 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// unavailable skips for a missing tool or registry, naming it (tools/testsum lists every skip).
// It skips in CI too: .ci/run installs node and npm, but a registry outage is not a defect of
// fcmock and must not keep a change from landing.
func unavailable(t *testing.T, why string) {
	t.Helper()
	t.Skip(why)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func tail(s string) string {
	if len(s) > 4000 {
		return "..." + s[len(s)-4000:]
	}
	return s
}
