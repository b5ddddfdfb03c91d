package mock_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/mock"
)

// FuzzResourceBodies sends any body to the resource operations that take one: never a 5xx,
// never a panic; a 2xx only for a JSON object, and every error FC's error JSON.
func FuzzResourceBodies(f *testing.F) {
	for _, seed := range []string{
		`{"serviceName":"s"}`, `{"ServiceName":"s","logConfig":{"x":[1,{"y":null}]}}`, `null`, `[]`, `"s"`, `{"serviceName":null}`,
		`{"functionName":"f","runtime":"python3","handler":"h","code":{"zipFile":"eg=="}}`, `{"code":{"zipFile":"!!"}}`,
		`{"code":{"ossBucketName":"b","ossObjectName":"o.zip"},"functionName":"g","runtime":"custom","handler":"h"}`,
		`{"aliasName":"a","versionId":"1","additionalVersionWeight":{"1":0.5}}`, `{"additionalVersionWeight":{"x":-1}}`,
		`{"timeout":1e400}`, `{"environmentVariables":{"k":1}}`, "{\"description\":\"\xff\"}", `{"a":` + strings.Repeat("[", 2000),
	} {
		f.Add(seed)
	}
	srv, err := mock.New(mock.Options{})
	if err != nil {
		f.Fatal(err)
	}
	targets := []struct{ method, path string }{
		{http.MethodPost, "/2016-08-15/services"},
		{http.MethodPut, "/2016-08-15/services/demo-svc"},
		{http.MethodPost, "/2016-08-15/services/demo-svc/functions"},
		{http.MethodPut, "/2016-08-15/services/demo-svc/functions/demo-fn"},
		{http.MethodPost, "/2016-08-15/services/demo-svc/versions"},
		{http.MethodPost, "/2016-08-15/services/demo-svc/aliases"},
		{http.MethodPut, "/2016-08-15/services/demo-svc/aliases/prod"},
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, tg := range targets {
			req := httptest.NewRequest(tg.method, tg.path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			switch {
			case rec.Code >= 500:
				t.Fatalf("%s %s %q: %d %s", tg.method, tg.path, body, rec.Code, rec.Body.String())
			case rec.Code >= 400 && !strings.Contains(rec.Body.String(), `"ErrorCode"`):
				t.Fatalf("%s %s %q: %d without FC's error JSON: %s", tg.method, tg.path, body, rec.Code, rec.Body.String())
			}
		}
	})
}
