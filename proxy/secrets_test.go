package proxy_test

import (
	"bytes"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
	"github.com/fcmock/fcmock/proxy"
)

// No Authorization value, security token or secret reaches the logs, the journal, the
// metrics, the JSON or JUnit report, or the recording, whether the client signs or the proxy
// re-signs, and even when the request breaks the spec.
func TestSecretsAreNeverWritten(t *testing.T) {
	var mu sync.Mutex
	var auths []string
	spy := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			auths = append(auths, r.Header.Get("Authorization"))
			mu.Unlock()
			next.ServeHTTP(w, r)
		})
	}
	// User info in the upstream URL may be a credential too.
	up := strings.Replace(upstream(t, mock.Options{Credentials: []fc.Credentials{creds}}, spy), "http://", "http://user-DO-NOT-LEAK:pw-DO-NOT-LEAK@", 1)
	for _, resign := range []bool{false, true} {
		opts := proxy.Options{Record: true, FailOnViolation: true}
		sign := &creds
		if resign {
			opts.Resign, sign = &creds, nil
		}
		p, base, logs := front(t, up, opts)
		cl := client(t, base, sign)
		walk(t, cl, "demo-svc", "demo-fn")
		req, _ := http.NewRequest(http.MethodGet, base+"/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations?limit=0&x-fc-signature=sig-DO-NOT-LEAK", nil)
		req.Header.Set("Authorization", "FC AKIDPROXYTEST01:bm90LWEtcmVhbC1zaWduYXR1cmUtRE8tTk9ULUxFQUs=")
		req.Header.Set(fc.HeaderSecurityToken, creds.SecurityToken)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
		}
		var out bytes.Buffer
		rep := p.Report()
		rep.WriteJSON(&out)
		rep.WriteJUnit(&out)
		_, _, journal := get(t, base+proxy.JournalPath)
		_, _, metrics := get(t, base+proxy.MetricsPath)
		out.Write(journal)
		out.Write(metrics)
		out.WriteString(logs.String())
		dir := t.TempDir()
		if _, err := p.WriteRecording(dir); err != nil {
			t.Fatal(err)
		}
		fs.WalkDir(os.DirFS(dir), ".", func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				data, _ := fs.ReadFile(os.DirFS(dir), path)
				out.Write(data)
			}
			return nil
		})
		written := out.String()
		if !strings.Contains(written, "ListStatefulAsyncInvocations") || !strings.Contains(written, "invocations:") {
			t.Fatalf("resign=%v: the outputs look empty, so the check below proves nothing:\n%s", resign, written)
		}
		secrets := []string{creds.AccessKeySecret, creds.SecurityToken, "DO-NOT-LEAK", "bm90LWEtcmVhbC1zaWduYXR1cmUtRE8tTk9ULUxFQUs"}
		mu.Lock()
		for _, a := range auths {
			if _, sig, ok := strings.Cut(a, ":"); ok {
				secrets = append(secrets, sig)
			}
		}
		mu.Unlock()
		for _, s := range secrets {
			if strings.Contains(written, s) {
				t.Errorf("resign=%v: %q was written", resign, s)
			}
		}
	}
}
