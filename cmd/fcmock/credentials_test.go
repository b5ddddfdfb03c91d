package main

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fcmock/fcmock/internal/fc"
)

func TestServeVerifiesSignaturesFromACredentialsFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "creds.yaml")
	os.WriteFile(file, []byte(`credentials:
  - accessKeyId: AKIDFILE
    accessKeySecret: fileSecret
  - accessKeyId: STS.AKID
    accessKeySecret: stsSecret
    securityToken: STS.token
`), 0o600)
	url, _, stop := startServe(t, "--credentials-file", file)
	defer stop()
	path := url + "/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations"
	for _, tt := range []struct {
		name   string
		creds  *fc.Credentials
		expect int
	}{
		{"unsigned", nil, 403},
		{"signed with the file's key", &fc.Credentials{AccessKeyID: "AKIDFILE", AccessKeySecret: "fileSecret"}, 200},
		{"signed with the file's STS key and token", &fc.Credentials{AccessKeyID: "STS.AKID", AccessKeySecret: "stsSecret", SecurityToken: "STS.token"}, 200},
		{"signed with a wrong token", &fc.Credentials{AccessKeyID: "STS.AKID", AccessKeySecret: "stsSecret", SecurityToken: "STS.other"}, 403},
	} {
		req, _ := http.NewRequest(http.MethodGet, path, nil)
		if tt.creds != nil {
			fc.Sign(req, *tt.creds, time.Now())
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tt.expect {
			t.Errorf("%s: status %d, want %d", tt.name, res.StatusCode, tt.expect)
		}
	}
}

func TestLoadCredentials(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o600)
		return p
	}
	tests := []struct {
		name             string
		id, secret, file string
		expectN          int
		expectErr        bool
	}{
		{"nothing: signatures off", "", "", "", 0, false},
		{"a flag pair", "AK", "SK", "", 1, false},
		{"an id without a secret", "AK", "", "", 0, true},
		{"a pair and a file", "AK", "SK", write("ok.yaml", "credentials: [{accessKeyId: A, accessKeySecret: B}]"), 2, false},
		{"an entry without a secret", "", "", write("bad.yaml", "credentials: [{accessKeyId: A}]"), 0, true},
		{"an empty file", "", "", write("empty.yaml", ""), 0, true},
		{"a missing file", "", "", filepath.Join(dir, "nope.yaml"), 0, true},
	}
	for _, tt := range tests {
		got, err := loadCredentials(tt.id, tt.secret, tt.file)
		if (err != nil) != tt.expectErr || len(got) != tt.expectN {
			t.Errorf("%s: %d credentials, err %v", tt.name, len(got), err)
		}
	}
}

func TestServeRejectsBadScenarioFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--latency", "200ms"},                    // without --scenarios
		{"--scenarios", "--latency", "sometimes"}, // not a distribution
		{"--scenarios", "--error-rate", "2"},
		{"--scenarios", "--error-rate", "0.1", "--error-codes", "Nope"},
	} {
		var out, errs syncBuffer
		if code := run(t.Context(), append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), &out, &errs); code != exitUsage {
			t.Errorf("serve %v: exit %d, want %d; stderr %s", args, code, exitUsage, errs.String())
		}
	}
}
