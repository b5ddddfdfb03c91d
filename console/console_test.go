package console_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fcmock/fcmock/mock"
)

func serve(t *testing.T, opts mock.Options) string {
	t.Helper()
	srv, err := mock.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return hs.URL
}

func fetch(t *testing.T, method, url string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	// Redirects are checked, not followed.
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestRootAndAssets(t *testing.T) {
	base := serve(t, mock.Options{})
	tests := []struct {
		name, path    string
		header        map[string]string
		status        int
		contentType   string
		location, has string
	}{
		{"a browser at / goes to the console", "/", map[string]string{"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}, 302, "", "/_fcmock/ui/", ""},
		{"an API client at / gets FC's error", "/", map[string]string{"Accept": "application/json"}, 404, "application/json", "", `"ErrorCode":"PathNotFound"`},
		{"no Accept at / gets FC's error", "/", nil, 404, "application/json", "", `"ErrorCode":"PathNotFound"`},
		{"/_fcmock/ui without the slash", "/_fcmock/ui", nil, 301, "", "/_fcmock/ui/", ""},
		{"the console page", "/_fcmock/ui/", nil, 200, "text/html", "", `<script src="app.js" defer></script>`},
		{"its script", "/_fcmock/ui/app.js", nil, 200, "javascript", "", "openapi.json"},
		{"its styles", "/_fcmock/ui/style.css", nil, 200, "text/css", "", "prefers-color-scheme: dark"},
		{"a missing asset", "/_fcmock/ui/nope.js", nil, 404, "application/json", "", `"ErrorCode":"PathNotFound"`},
		{"a path out of the assets", "/_fcmock/ui/%2e%2e/%2e%2e/go.mod", nil, 404, "application/json", "", `"ErrorCode":"PathNotFound"`},
		{"the embedding directory", "/_fcmock/ui/assets/index.html", nil, 404, "application/json", "", `"ErrorCode":"PathNotFound"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := fetch(t, http.MethodGet, base+tt.path, tt.header)
			if res.StatusCode != tt.status || !strings.Contains(res.Header.Get("Content-Type"), tt.contentType) ||
				res.Header.Get("Location") != tt.location || !strings.Contains(body, tt.has) {
				t.Fatalf("got %d %q Location %q, body %.200q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Location"), body)
			}
			if strings.HasPrefix(tt.path, "/_fcmock/ui/") && res.StatusCode == 200 && !strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'self'") {
				t.Errorf("no same-origin Content-Security-Policy: %q", res.Header.Get("Content-Security-Policy"))
			}
		})
	}
}

// Nothing in the console is fetched from the network: no asset names another origin.
func TestAssetsAreSelfContained(t *testing.T) {
	base := serve(t, mock.Options{})
	external := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}|@import|url\(\s*['"]?https?:`)
	for _, name := range []string{"", "app.js", "theme.js", "style.css"} {
		res, body := fetch(t, http.MethodGet, base+"/_fcmock/ui/"+name, nil)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", name, res.StatusCode)
		}
		if m := external.FindString(body); m != "" {
			t.Errorf("%s refers to another origin: %q", name, m)
		}
	}
}

// The console and the spec follow the admin API's access rules.
func TestConsoleNeedsAdminAccess(t *testing.T) {
	base := serve(t, mock.Options{AdminToken: "tok"})
	for _, p := range []string{"/_fcmock/ui/", "/_fcmock/openapi.json", "/_fcmock/openapi.yaml", "/_fcmock/reference", "/_fcmock/services"} {
		if res, _ := fetch(t, http.MethodGet, base+p, nil); res.StatusCode != 403 {
			t.Errorf("%s without the token: %d, want 403", p, res.StatusCode)
		}
		if res, _ := fetch(t, http.MethodGet, base+p, map[string]string{mock.HeaderAdminToken: "tok"}); res.StatusCode != 200 {
			t.Errorf("%s with the token: %d, want 200", p, res.StatusCode)
		}
	}
}

// Both served forms of the spec load as OpenAPI, name this mock first in servers, and hold
// every operation of the embedded spec.
func TestServedSpec(t *testing.T) {
	base := serve(t, mock.Options{})
	var docs []*openapi3.T
	for _, p := range []string{"/_fcmock/openapi.yaml", "/_fcmock/openapi.json"} {
		res, body := fetch(t, http.MethodGet, base+p, nil)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", p, res.StatusCode)
		}
		doc, err := openapi3.NewLoader().LoadFromData([]byte(body))
		if err != nil {
			t.Fatalf("%s does not load: %v", p, err)
		}
		if err := doc.Validate(context.Background()); err != nil {
			t.Fatalf("%s is not valid: %v", p, err)
		}
		if len(doc.Servers) < 2 || doc.Servers[0].URL != base || !strings.Contains(doc.Servers[1].URL, "fc.aliyuncs.com") {
			t.Errorf("%s servers: first %v, want %s then the vendor's", p, doc.Servers, base)
		}
		docs = append(docs, doc)
	}
	yamlOps, jsonOps := opIDs(docs[0]), opIDs(docs[1])
	if len(yamlOps) == 0 || strings.Join(yamlOps, ",") != strings.Join(jsonOps, ",") {
		t.Errorf("operations differ: yaml %v, json %v", yamlOps, jsonOps)
	}
	res, body := fetch(t, http.MethodGet, base+"/_fcmock/openapi.yaml", nil)
	if !strings.Contains(res.Header.Get("Content-Type"), "yaml") || !strings.HasPrefix(body, "openapi: ") {
		// JSON's keys come sorted (components first); the file as written starts with openapi.
		t.Errorf("openapi.yaml is not the file as written: %q %.80q", res.Header.Get("Content-Type"), body)
	}
}

func opIDs(doc *openapi3.T) []string {
	var out []string
	for _, p := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(p).Operations() {
			out = append(out, op.OperationID)
		}
	}
	slices.Sort(out)
	return out
}

// The reference names every operation, parameter and schema of the spec.
func TestReference(t *testing.T) {
	base := serve(t, mock.Options{})
	res, body := fetch(t, http.MethodGet, base+"/_fcmock/reference", nil)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("%d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	_, raw := fetch(t, http.MethodGet, base+"/_fcmock/openapi.json", nil)
	doc, err := openapi3.NewLoader().LoadFromData([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, p := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(p).Operations() {
			want = append(want, `id="`+op.OperationID+`"`)
			for _, prm := range op.Parameters {
				want = append(want, "<code>"+prm.Value.Name+"</code>")
			}
		}
	}
	for name := range doc.Components.Schemas {
		want = append(want, `id="schema-`+name+`"`)
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("reference lacks %s", w)
		}
	}
	// A parameter or field typed by a component schema links to it.
	for _, link := range regexp.MustCompile(`<a href="#(schema-[A-Za-z0-9]+)">`).FindAllStringSubmatch(body, -1) {
		if !strings.Contains(body, `id="`+link[1]+`"`) {
			t.Errorf("link to #%s, which the page lacks", link[1])
		}
	}
	if !strings.Contains(body, `<a href="#schema-SortOrder">`) {
		t.Error("sortOrderByTime's type does not link to its schema")
	}
	if !strings.Contains(body, "npx openapi-typescript "+base+"/_fcmock/openapi.json") {
		t.Error("reference does not show how to generate types from this mock")
	}
}

func TestServicesListing(t *testing.T) {
	base := serve(t, mock.Options{})
	_, body := fetch(t, http.MethodGet, base+"/_fcmock/services", nil)
	for _, w := range []string{`"name":"demo-svc"`, `{"name":"idle-fn","invocations":0}`, `"qualifiers":["LATEST"`} {
		if !strings.Contains(body, w) {
			t.Errorf("services listing lacks %s: %.300s", w, body)
		}
	}
}

// The pickers' listing follows the resource model: a service and function created through FC's
// API appear (with no invocations), a deleted function disappears, and the fixtures' qualifiers
// and counts stay.
func TestServicesListingFollowsRunTimeResources(t *testing.T) {
	base := serve(t, mock.Options{})
	post := func(path, body string) {
		t.Helper()
		res, err := http.Post(base+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("POST %s: %d %s", path, res.StatusCode, b)
		}
	}
	post("/2016-08-15/services", `{"serviceName":"made-svc"}`)
	post("/2016-08-15/services/made-svc/functions", `{"functionName":"made-fn","runtime":"python3","handler":"index.handler","code":{"zipFile":"UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="}}`)
	req, _ := http.NewRequest(http.MethodDelete, base+"/2016-08-15/services/demo-svc/functions/idle-fn", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE idle-fn: %d", res.StatusCode)
	}

	_, body := fetch(t, http.MethodGet, base+"/_fcmock/services", nil)
	for _, w := range []string{`{"name":"made-svc","qualifiers":["LATEST"],"functions":[{"name":"made-fn","invocations":0}]}`,
		`"name":"demo-svc","qualifiers":["LATEST","1","2","3","prod","staging"]`} {
		if !strings.Contains(body, w) {
			t.Errorf("services listing lacks %s: %.600s", w, body)
		}
	}
	if strings.Contains(body, `"idle-fn"`) {
		t.Errorf("a deleted function is still listed: %.600s", body)
	}
	if !strings.Contains(body, `{"name":"demo-fn","invocations":`) || strings.Contains(body, `{"name":"demo-fn","invocations":0}`) {
		t.Errorf("demo-fn lost its fixture invocation count: %.600s", body)
	}
}
