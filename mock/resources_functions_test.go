package mock_test

import (
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/resources"
	"github.com/fcmock/fcmock/mock"
)

func init() {
	provokers[fc.CodeFunctionAlreadyExists] = lifecycleCase(func(t *testing.T, tg *lcTarget) answer {
		return tg.sendJSON(t, http.MethodPost, svcPath+"/svc/functions", `{"functionName":"fn","runtime":"python3","handler":"h","code":{"zipFile":"UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="}}`)
	})
}

// zip64 is a function body's code: base64 of bytes standing for a zip.
func zip64(content string) string { return base64.StdEncoding.EncodeToString([]byte(content)) }

func fnBody(name, runtime, code string) string {
	return `{"functionName":"` + name + `","runtime":"` + runtime + `","handler":"index.handler","code":{"zipFile":"` + zip64(code) + `"}}`
}

func TestFunctionLifecycle(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	decode[fcapi.Service](t, tg.sendJSON(t, http.MethodPost, svcPath, `{"serviceName":"shop"}`))
	base := svcPath + "/shop/functions"
	created := tg.sendJSON(t, http.MethodPost, base, fnBody("checkout", "python3", "zip-1"))
	fn := decode[fcapi.Function](t, created)
	if fn.InstanceType != "e1" || fn.EnvironmentVariables == nil || len(fn.EnvironmentVariables) != 0 || fn.Description != "" || fn.Timeout != 60 ||
		fn.InitializationTimeout != 3 || fn.MemorySize != 128 || fn.FunctionId == "" || fn.CodeSize != 5 ||
		fn.CodeChecksum != resources.Checksum([]byte("zip-1")) || !isoTimeRE.MatchString(fn.CreatedTime) || fn.Runtime != "python3" {
		t.Errorf("created %+v: want FC's defaults and the code's size and checksum", fn)
	}
	if !strings.Contains(string(created.body), `"environmentVariables":{}`) || !etagRE.MatchString(created.header.Get("Etag")) {
		t.Errorf("body %s, Etag %q: want environmentVariables {} and an Etag", created.body, created.header.Get("Etag"))
	}
	wantError(t, tg.sendJSON(t, http.MethodPost, base, fnBody("checkout", "python3", "zip-1")), http.StatusConflict,
		fc.CodeFunctionAlreadyExists, "function 'checkout' already exists in service 'shop'")

	// The service is not empty now.
	wantError(t, tg.sendJSON(t, http.MethodDelete, svcPath+"/shop", ""), http.StatusConflict, fc.CodeServiceNotEmpty, "service 'shop' has active 'functions'")

	tg.advance(t, time.Second)
	wantError(t, tg.sendJSON(t, http.MethodPut, base+"/checkout", `{"timeout":5}`, "If-Match", "nope"), http.StatusPreconditionFailed, fc.CodePreconditionFailed)
	upd := tg.sendJSON(t, http.MethodPut, base+"/checkout",
		`{"Timeout":5,"environmentVariables":{"k":"v"},"handler":null,"code":{"zipFile":"`+zip64("zip-2")+`"}}`, "If-Match", created.header.Get("Etag"))
	u := decode[fcapi.Function](t, upd)
	if u.Timeout != 5 || u.EnvironmentVariables["k"] != "v" || u.Handler != "index.handler" || u.FunctionId != fn.FunctionId ||
		u.CreatedTime != fn.CreatedTime || u.LastModifiedTime <= fn.LastModifiedTime || u.CodeChecksum == fn.CodeChecksum {
		t.Errorf("updated %+v: want timeout 5, env replaced, handler and id kept, later lastModifiedTime, a new checksum", u)
	}
	if upd.header.Get("Etag") == created.header.Get("Etag") {
		t.Error("Etag unchanged by an update")
	}
	if u := decode[fcapi.Function](t, tg.sendJSON(t, http.MethodPut, base+"/checkout", `{"environmentVariables":{}}`)); len(u.EnvironmentVariables) != 0 {
		t.Errorf("env after {}: %v, want cleared", u.EnvironmentVariables)
	}

	// The code, by its URL, with OSS's CRC header.
	code := decode[fcapi.FunctionCode](t, tg.sendJSON(t, http.MethodGet, base+"/checkout/code", ""))
	got := decode[fcapi.Function](t, tg.sendJSON(t, http.MethodGet, svcPath+"/shop.LATEST/functions/checkout", ""))
	if code.Checksum != got.CodeChecksum {
		t.Errorf("code checksum %s, function's %s", code.Checksum, got.CodeChecksum)
	}
	res, err := http.Get(code.Url)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(b) != "zip-2" || res.Header.Get("X-Oss-Hash-Crc64ecma") != code.Checksum {
		t.Errorf("GET %s: %d %q crc %q", code.Url, res.StatusCode, b, res.Header.Get("X-Oss-Hash-Crc64ecma"))
	}

	wantDeleted(t, tg.sendJSON(t, http.MethodDelete, base+"/checkout", ""))
	wantError(t, tg.sendJSON(t, http.MethodGet, base+"/checkout", ""), http.StatusNotFound, fc.CodeFunctionNotFound, "function 'checkout' does not exist in service 'shop'")
	wantError(t, tg.sendJSON(t, http.MethodDelete, base+"/checkout", ""), http.StatusNotFound, fc.CodeFunctionNotFound)
	wantDeleted(t, tg.sendJSON(t, http.MethodDelete, svcPath+"/shop", ""))
	wantError(t, tg.sendJSON(t, http.MethodPost, base, fnBody("x", "python3", "z")), http.StatusNotFound, fc.CodeServiceNotFound)
}

func TestFunctionInput(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	base := svcPath + "/svc/functions"
	for _, c := range []struct{ name, body, msg string }{
		{"runtime 10", fnBody("f1", "10", "z"), "Runtime is set to an invalid value (allowed: nodejs4.4 | "},
		{"no runtime", `{"functionName":"f1","handler":"h","code":{"zipFile":"eg=="}}`, "runtime"},
		{"no code", `{"functionName":"f1","runtime":"python3","handler":"h"}`, "code"},
		{"no name", `{"runtime":"python3","handler":"h","code":{"zipFile":"eg=="}}`, "functionName"},
		{"long name", fnBody(strings.Repeat("f", 65), "python3", "z"), "functionName"},
		{"bad base64", `{"functionName":"f1","runtime":"python3","handler":"h","code":{"zipFile":"%%%"}}`, "base64"},
		{"both codes", `{"functionName":"f1","runtime":"python3","handler":"h","code":{"zipFile":"eg==","ossBucketName":"b","ossObjectName":"o.zip"}}`, "not both"},
		{"OSS bucket 10", `{"functionName":"f1","runtime":"python3","handler":"h","code":{"ossBucketName":"10","ossObjectName":"hello"}}`, "OSS"},
		{"OSS object 10", `{"functionName":"f1","runtime":"python3","handler":"h","code":{"ossBucketName":"hello","ossObjectName":"10"}}`, "OSS"},
		{"timeout 0", `{"functionName":"f1","runtime":"python3","handler":"h","timeout":0,"code":{"zipFile":"eg=="}}`, "timeout"},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantError(t, tg.sendJSON(t, http.MethodPost, base, c.body), http.StatusBadRequest, fc.CodeInvalidArgument, c.msg)
		})
	}
	wantError(t, tg.sendJSON(t, http.MethodPut, base+"/fn", `{"runtime":"cobol"}`), http.StatusBadRequest, fc.CodeInvalidArgument, "actual: 'cobol'")
	wantError(t, tg.sendJSON(t, http.MethodPost, base, fnBody("f1", "python3", "z"), "X-Fc-Code-Checksum", "1"), http.StatusBadRequest, fc.CodeInvalidArgument, "X-Fc-Code-Checksum")
	// OSS code the mock accepts by name; a custom container needs none.
	decode[fcapi.Function](t, tg.sendJSON(t, http.MethodPost, base,
		`{"functionName":"oss","runtime":"nodejs10","handler":"index.handler","code":{"ossBucketName":"my-bucket","ossObjectName":"hello_world_nodejs.zip"}}`))
	decode[fcapi.Function](t, tg.sendJSON(t, http.MethodPost, base,
		`{"functionName":"box","runtime":"custom-container","customContainerConfig":{"image":"registry/x:1"}}`))
}

func TestListFunctions(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	decode[fcapi.Service](t, tg.sendJSON(t, http.MethodPost, svcPath, `{"serviceName":"empty"}`))
	if a := tg.sendJSON(t, http.MethodGet, svcPath+"/empty/functions", ""); !strings.Contains(string(a.body), `"functions":[]`) || strings.Contains(string(a.body), "nextToken") {
		t.Errorf("empty service: %s, want functions [] and no token", a.body)
	}
	page := decode[fcapi.ListFunctionsOutput](t, tg.sendJSON(t, http.MethodGet, svcPath+"/svc/functions?limit=2", ""))
	if len(page.Functions) != 2 || page.Functions[0].FunctionName != "backlog" || page.NextToken == nil || *page.NextToken != "flaky" {
		t.Fatalf("first page %+v", page)
	}
	next := decode[fcapi.ListFunctionsOutput](t, tg.sendJSON(t, http.MethodGet, svcPath+"/svc/functions?limit=10&nextToken="+*page.NextToken, ""))
	var names []string
	for _, f := range next.Functions {
		names = append(names, f.FunctionName)
	}
	if strings.Join(names, " ") != "flaky fn picky plain" || next.NextToken != nil {
		t.Errorf("second page %v (token %v)", names, next.NextToken)
	}
	wantError(t, tg.sendJSON(t, http.MethodGet, svcPath+"/nope/functions", ""), http.StatusNotFound, fc.CodeServiceNotFound)
	wantError(t, tg.sendJSON(t, http.MethodGet, svcPath+"/svc.7/functions", ""), http.StatusNotFound, fc.CodeVersionNotFound)
}

// A function made at run time is invoked, listed, stopped like a fixture's; one deleted is gone
// from every operation.
func TestRuntimeFunctionIsInvocable(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	decode[fcapi.Service](t, tg.sendJSON(t, http.MethodPost, svcPath, `{"serviceName":"rt"}`))
	decode[fcapi.Function](t, tg.sendJSON(t, http.MethodPost, svcPath+"/rt/functions", fnBody("job", "python3", "z")))
	cfg := tg.sendJSON(t, http.MethodPut, svcPath+"/rt/functions/job/async-invoke-config", `{"statefulInvocation":true}`)
	decode[fcapi.AsyncConfig](t, cfg)
	inv := tg.send(t, http.MethodPost, svcPath+"/rt/functions/job/invocations", "hi", "X-Fc-Invocation-Type", "Async", fc.HeaderStatefulInvocationID, "run-1")
	if inv.status != http.StatusAccepted {
		t.Fatalf("invoke: %d %s", inv.status, inv.body)
	}
	sync := tg.send(t, http.MethodPost, svcPath+"/rt/functions/job/invocations", "echo me")
	if sync.status != 200 || string(sync.body) != "echo me" {
		t.Errorf("sync invoke: %d %q, want the event echoed", sync.status, sync.body)
	}
	list := decode[fcapi.ListStatefulAsyncInvocationsOutput](t, tg.sendJSON(t, http.MethodGet, svcPath+"/rt/functions/job/stateful-async-invocations", ""))
	if list.Invocations == nil || len(*list.Invocations) != 1 || (*list.Invocations)[0].InvocationId != "run-1" {
		t.Errorf("list: %+v", list)
	}
	if a := tg.sendJSON(t, http.MethodPut, svcPath+"/rt/functions/job/stateful-async-invocations/run-1", ""); a.status != 200 {
		t.Errorf("stop: %d %s", a.status, a.body)
	}
	wantDeleted(t, tg.sendJSON(t, http.MethodDelete, svcPath+"/rt/functions/job", ""))
	for _, p := range []string{"/stateful-async-invocations", "/stateful-async-invocations/run-1", "/async-invoke-config"} {
		wantError(t, tg.sendJSON(t, http.MethodGet, svcPath+"/rt/functions/job"+p, ""), http.StatusNotFound, fc.CodeFunctionNotFound)
	}
	// Recreated, it has no config: the old one went with the function.
	decode[fcapi.Function](t, tg.sendJSON(t, http.MethodPost, svcPath+"/rt/functions", fnBody("job", "python3", "z")))
	wantError(t, tg.sendJSON(t, http.MethodGet, svcPath+"/rt/functions/job/async-invoke-config", ""), http.StatusNotFound, fc.CodeAsyncConfigNotExists)
	// A fixture function deleted is gone too.
	wantDeleted(t, tg.sendJSON(t, http.MethodDelete, svcPath+"/svc/functions/fn", ""))
	wantError(t, tg.send(t, http.MethodPost, svcPath+"/svc/functions/fn/invocations", "x"), http.StatusNotFound, fc.CodeFunctionNotFound)
}

// The log tail of a sync invoke reports the function's memory, as FC's report line does.
func TestSyncLogTailReportsMemory(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	decode[fcapi.Function](t, tg.sendJSON(t, http.MethodPost, svcPath+"/svc/functions",
		`{"functionName":"big","runtime":"java8","handler":"a::b","memorySize":512,"code":{"zipFile":"eg=="}}`))
	a := tg.send(t, http.MethodPost, svcPath+"/svc/functions/big/invocations", "e", "X-Fc-Log-Type", "Tail")
	log, err := base64Decode(a.header.Get(fc.HeaderLogResult))
	if a.status != 200 || err != nil || !strings.Contains(log, "Memory Size: 512 MB") || !strings.Contains(log, "Billed Duration: ") {
		t.Errorf("%d, log %q (%v): want Memory Size: 512 MB", a.status, log, err)
	}
	if ct := a.header.Get("Content-Type"); ct != "application/octet-stream" || string(a.body) != "e" {
		t.Errorf("Content-Type %q body %q, want octet-stream and the event", ct, a.body)
	}
}

// The code URL stands for FC's pre-signed OSS URL: open without an admin token or a signature.
func TestCodeURLIsOpen(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{AdminToken: "secret-admin-token", Credentials: []fc.Credentials{plainKey}, Now: func() time.Time { return signedNow }})
	req, _ := http.NewRequest(http.MethodPost, tg.url+svcPath+"/svc/functions", strings.NewReader(fnBody("zipped", "python3", "the bytes")))
	req.Header.Set("Content-Type", "application/json")
	fc.Sign(req, plainKey, signedNow)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("create: %v %v", err, res.Status)
	}
	res.Body.Close()
	sum := resources.Checksum([]byte("the bytes"))
	res, err = http.Get(tg.url + mock.CodePath + sum)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(b) != "the bytes" || res.Header.Get("X-Oss-Hash-Crc64ecma") != sum {
		t.Errorf("GET code: %d %q crc %q", res.StatusCode, b, res.Header.Get("X-Oss-Hash-Crc64ecma"))
	}
	for _, c := range []struct {
		method, path string
		status       int
		code         fc.Code
	}{
		{http.MethodPut, mock.CodePath + sum, http.StatusBadRequest, fc.CodePathNotSupported},
		{http.MethodGet, mock.CodePath + "123", http.StatusNotFound, fc.CodePathNotFound},
	} {
		req, _ := http.NewRequest(c.method, tg.url+c.path, nil)
		if status, code := doJSONError(t, req); status != c.status || code != string(c.code) {
			t.Errorf("%s %s: %d %s, want %d %s", c.method, c.path, status, code, c.status, c.code)
		}
	}
}

// A browser reads Etag cross-origin only when it is exposed; If-Match passes the preflight.
func TestCORSExposesEtag(t *testing.T) {
	tg := newLifecycleTarget(t, mock.Options{})
	a := tg.sendJSON(t, http.MethodGet, svcPath+"/svc", "", "Origin", "http://localhost:3000")
	if !strings.Contains(a.header.Get("Access-Control-Expose-Headers"), "Etag") {
		t.Errorf("Access-Control-Expose-Headers %q lacks Etag", a.header.Get("Access-Control-Expose-Headers"))
	}
	pre := tg.send(t, http.MethodOptions, svcPath+"/svc", "", "Origin", "http://localhost:3000",
		"Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "if-match,content-type")
	if pre.status != http.StatusNoContent || !strings.Contains(strings.ToLower(pre.header.Get("Access-Control-Allow-Headers")), "if-match") {
		t.Errorf("preflight: %d, allow headers %q", pre.status, pre.header.Get("Access-Control-Allow-Headers"))
	}
	// Tag filters, which every SDK can send, are accepted and ignored.
	if l := decode[fcapi.ListServicesOutput](t, tg.sendJSON(t, http.MethodGet, svcPath+"?tag_team=payments&limit=5", "")); len(l.Services) != 1 {
		t.Errorf("tag filter: %d services, want the one service", len(l.Services))
	}
}
