package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/contract"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
)

// contractData is the contract suite's own data set: svc/fn holds 40 invocations.
const contractData = "../../contract/testdata/fixtures"

func contractArgs(url string, extra ...string) []string {
	return append([]string{"contract", "--target", url, "--service", "svc", "--function", "fn", "--seed", "7", "--cases", "8"}, extra...)
}

// serveMock serves the mock over the contract data behind wrap, for targets `fcmock serve`
// cannot play (a broken one, a signature-checking one).
func serveMock(t *testing.T, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	srv, err := mock.New(mock.Options{Fixtures: os.DirFS(contractData)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(wrap(srv))
	t.Cleanup(hs.Close)
	return hs.URL
}

// The suite against `fcmock serve`: exit 0, the human report on stdout, progress on stderr,
// a JUnit file with one testcase per check and a JSON file with the verdict.
func TestContractAgainstServe(t *testing.T) {
	url, _, stop := startServe(t, "--fixtures", contractData)
	t.Cleanup(func() { stop() })
	dir := t.TempDir()
	var out, errs syncBuffer
	code := run(context.Background(), contractArgs(url, "--mock", "--junit", filepath.Join(dir, "junit.xml"), "--json", filepath.Join(dir, "report.json")), &out, &errs)
	if code != exitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, &out, &errs)
	}
	for _, want := range []string{"fcmock contract: " + url + " svc/fn (mock)", "seed 7, 8 generated cases", "semantics/paging", "PASS: no violations"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout does not show %q:\n%s", want, &out)
		}
	}
	if !strings.Contains(errs.String(), "contract: generated") || !strings.Contains(errs.String(), "contract: done") {
		t.Errorf("stderr shows no progress:\n%s", &errs)
	}
	var junit struct {
		Suites []struct {
			Tests int `xml:"tests,attr"`
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	readFile(t, filepath.Join(dir, "junit.xml"), func(b []byte) error { return xml.Unmarshal(b, &junit) })
	if n := len(contract.Checks()); len(junit.Suites) != 1 || junit.Suites[0].Tests != n || junit.Suites[0].Cases[0].Name != "conformance/status" {
		t.Errorf("junit = %+v, want one suite of %d testcases, one per check", junit, n)
	}
	var report struct {
		OK   bool  `json:"ok"`
		Seed int64 `json:"seed"`
	}
	readFile(t, filepath.Join(dir, "report.json"), func(b []byte) error { return json.Unmarshal(b, &report) })
	if !report.OK || report.Seed != 7 {
		t.Errorf("report.json = %+v, want ok and seed 7", report)
	}
}

// Without a verdict (nothing listens, a wrong command line) the JUnit and JSON files asked for
// are still written, with the reason, for the CI step that reads them.
func TestContractWritesReportsWithoutVerdict(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	for _, tt := range []struct {
		name   string
		args   []string
		reason string
	}{
		{"nothing listening", []string{"--target", closed, "--service", "svc", "--function", "fn", "--timeout", "2s"}, "target unreachable"},
		{"no --service", []string{"--target", closed, "--function", "fn"}, "usage"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args := append([]string{"contract", "--junit", filepath.Join(dir, "junit.xml"), "--json", filepath.Join(dir, "report.json")}, tt.args...)
			var out, errs syncBuffer
			if code := run(context.Background(), args, &out, &errs); code != exitUsage {
				t.Fatalf("exit %d, want %d\n%s", code, exitUsage, &errs)
			}
			var report struct {
				OK    bool   `json:"ok"`
				Error string `json:"error"`
			}
			readFile(t, filepath.Join(dir, "report.json"), func(b []byte) error { return json.Unmarshal(b, &report) })
			if report.OK || !strings.Contains(report.Error, tt.reason) {
				t.Errorf("report.json = %+v, want not ok with %q", report, tt.reason)
			}
			var junit struct {
				Errors int `xml:"errors,attr"`
			}
			readFile(t, filepath.Join(dir, "junit.xml"), func(b []byte) error { return xml.Unmarshal(b, &junit) })
			if junit.Errors != 1 {
				t.Errorf("junit errors = %d, want 1 (no verdict)", junit.Errors)
			}
		})
	}
}

func readFile(t *testing.T, path string, decode func([]byte) error) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err == nil {
		err = decode(b)
	}
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// Exit codes: 1 for violations, 2 when no verdict is possible or the command line is wrong.
func TestContractExitCodes(t *testing.T) {
	limit0 := serveMock(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("limit") == "0" { // a target that reads limit=0 as 1
				r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "limit=0", "limit=1", 1)
			}
			h.ServeHTTP(w, r)
		})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	tests := []struct {
		name         string
		givenArgs    []string
		expectCode   int
		expectOut    string
		expectStderr string
	}{
		{"a violation", contractArgs(limit0, "--mock"), exitFail, "FAILURES\n\nnegative/limit:", ""},
		{"a violation in the service profile, the default", contractArgs(limit0), exitFail, "profile service", ""},
		{"an unknown profile", contractArgs(limit0, "--profile", "strict"), exitUsage, "", "--profile \"strict\""},
		{"nothing listening", contractArgs(closed, "--timeout", "2s"), exitUsage, "", "target unreachable"},
		{"a function the target does not have: a violation", []string{"contract", "--target", limit0, "--service", "svc", "--function", "nope"},
			exitFail, "404 FunctionNotFound", ""},
		{"no --service", []string{"contract", "--target", closed, "--function", "fn"}, exitUsage, "", "missing --service"},
		{"an unknown flag", []string{"contract", "--bogus"}, exitUsage, "", "flag provided but not defined"},
		{"a report file that cannot be written", contractArgs(limit0, "--mock", "--cases", "-1", "--junit", filepath.Join(t.TempDir(), "no", "dir.xml")),
			exitUsage, "", "no such file or directory"},
		{"the list of checks", []string{"contract", "--list"}, exitOK, "semantics/time-bounds", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errs syncBuffer
			code := run(context.Background(), tt.givenArgs, &out, &errs)
			if code != tt.expectCode || !strings.Contains(out.String(), tt.expectOut) || !strings.Contains(errs.String(), tt.expectStderr) {
				t.Errorf("exit %d, want %d with stdout %q and stderr %q\nstdout:\n%s\nstderr:\n%s",
					code, tt.expectCode, tt.expectOut, tt.expectStderr, &out, &errs)
			}
		})
	}
}

// With credentials in the environment every request is signed (the target verifies with
// internal/fc's Verifier and wants the account id); no secret reaches any output.
func TestContractSignsFromEnvironmentAndKeepsSecrets(t *testing.T) {
	creds := fc.Credentials{AccessKeyID: "STS.AKIDCLI0001", AccessKeySecret: "cli-secret-0123456789", SecurityToken: "cli-sts-token-abcdef"}
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", creds.AccessKeyID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", creds.AccessKeySecret)
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", creds.SecurityToken)
	t.Setenv("FC_ACCOUNT_ID", "1234567890123456")
	verifier := fc.NewVerifier(creds)
	url := serveMock(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := verifier.Verify(r, time.Now()); err != nil || r.Header.Get(fc.HeaderAccountID) != "1234567890123456" {
				w.Header().Set(fc.HeaderRequestID, "refused")
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusForbidden)
				json.NewEncoder(w).Encode(map[string]string{"ErrorCode": "SignatureNotMatch", "ErrorMessage": "refused"})
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	dir := t.TempDir()
	var out, errs syncBuffer
	code := run(context.Background(), contractArgs(url, "--mock", "--junit", filepath.Join(dir, "j.xml"), "--json", filepath.Join(dir, "r.json")), &out, &errs)
	if code != exitOK {
		t.Fatalf("exit %d, want 0 (every request signed and accepted)\n%s\n%s", code, &out, &errs)
	}
	all := out.String() + errs.String()
	for _, f := range []string{"j.xml", "r.json"} {
		b, _ := os.ReadFile(filepath.Join(dir, f))
		all += string(b)
	}
	for _, secret := range []string{creds.AccessKeySecret, creds.SecurityToken} {
		if strings.Contains(all, secret) {
			t.Errorf("an output contains the secret %q", secret)
		}
	}
	if !strings.Contains(out.String(), "(signed)") {
		t.Errorf("the report does not say the run was signed:\n%s", &out)
	}
}

func TestCredentialsFromEnv(t *testing.T) {
	tests := []struct {
		name          string
		givenEnv      map[string]string
		expectSigned  bool
		expectAccount string
		expectErr     bool
	}{
		{"nothing set: unsigned", nil, false, "", false},
		{"a key pair", map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "AK", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "S", "ALIBABA_CLOUD_ACCOUNT_ID": "123"}, true, "123", false},
		{"FC_ACCOUNT_ID as the fallback", map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "AK", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "S", "FC_ACCOUNT_ID": "456"}, true, "456", false},
		{"a key id without its secret", map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "AK"}, false, "", true},
		{"a token without keys", map[string]string{"ALIBABA_CLOUD_SECURITY_TOKEN": "T"}, false, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lookup := func(k string) (string, bool) { v, ok := tt.givenEnv[k]; return v, ok }
			creds, account, err := credentialsFromEnv(lookup)
			if (err != nil) != tt.expectErr || (creds != nil) != tt.expectSigned || account != tt.expectAccount {
				t.Errorf("got %v, %q, %v", creds != nil, account, err)
			}
		})
	}
}

func TestAccountFromHost(t *testing.T) {
	for given, expect := range map[string]string{
		"https://1234567890123456.cn-hangzhou.fc.aliyuncs.com":          "1234567890123456",
		"https://1234567890123456.cn-hangzhou-internal.fc.aliyuncs.com": "1234567890123456",
		"http://127.0.0.1:9000":       "",
		"https://staging.example.com": "",
	} {
		if got := accountFromHost(given); got != expect {
			t.Errorf("accountFromHost(%q) = %q, want %q", given, got, expect)
		}
	}
}

// --verifies-signatures runs the signature checks against `fcmock serve --access-key-id ...`
// (exit 0), fails a target that lets unsigned requests in (exit 1), and needs credentials.
func TestContractVerifiesSignatures(t *testing.T) {
	creds := fc.Credentials{AccessKeyID: "AKIDCLISIG0001", AccessKeySecret: "cli-sig-secret-0123456789"}
	signing, _, stop := startServe(t, "--fixtures", contractData, "--access-key-id", creds.AccessKeyID, "--access-key-secret", creds.AccessKeySecret)
	t.Cleanup(func() { stop() })
	lax := serveMock(t, func(h http.Handler) http.Handler { return h })
	tests := []struct {
		name        string
		givenURL    string
		givenCreds  bool
		expectCode  int
		expectOut   string
		expectError string
	}{
		{"a target that verifies", signing, true, exitOK, "PASS: no violations", ""},
		{"a target that lets everything in", lax, true, exitFail, "\nsignature/unsigned:", ""},
		{"no credentials", lax, false, exitUsage, "", "--verifies-signatures needs credentials"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, secret := "", "" // set empty: the environment the test runs in must not sign
			if tt.givenCreds {
				id, secret = creds.AccessKeyID, creds.AccessKeySecret
			}
			t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", id)
			t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
			var out, errs syncBuffer
			code := run(context.Background(), contractArgs(tt.givenURL, "--mock", "--verifies-signatures", "--cases", "-1"), &out, &errs)
			if code != tt.expectCode || !strings.Contains(out.String(), tt.expectOut) || !strings.Contains(errs.String(), tt.expectError) {
				t.Errorf("exit %d, want %d with stdout %q and stderr %q\nstdout:\n%s\nstderr:\n%s",
					code, tt.expectCode, tt.expectOut, tt.expectError, &out, &errs)
			}
			if strings.Contains(out.String(), "not known to verify signatures") {
				t.Errorf("the signature checks were skipped:\n%s", &out)
			}
			if strings.Contains(out.String()+errs.String(), creds.AccessKeySecret[:len(creds.AccessKeySecret)-1]) {
				t.Errorf("an output contains the secret, or the wrong one made from it")
			}
		})
	}
}
