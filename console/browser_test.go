package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/mock"
)

// chromium finds a Chromium to drive: $FCMOCK_CHROMIUM, else Debian's chromium on the PATH.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("FCMOCK_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium on this machine (apt-get install -y chromium, or set FCMOCK_CHROMIUM): the browser test of the console is skipped")
	return ""
}

// artifacts is where screenshots go: $FCMOCK_ARTIFACTS, else a temp dir kept until the test ends.
func artifacts(t *testing.T) string {
	if d := os.Getenv("FCMOCK_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// browser is one headless Chromium tab, stopped with the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 1000))
	// A safety net, not an assertion: a wedged browser must not hang make test.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	return bctx
}

// until waits for a JS predicate; the context's deadline bounds it.
func until(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(0), chromedp.WithPollingInterval(50*time.Millisecond))
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

const tableIDs = `[...document.querySelectorAll('#inv-table tbody tr[data-id]')].map(r => r.dataset.id)`

// apiIDs lists a page the way the console should have asked for it, straight from the API.
func apiIDs(t *testing.T, base, path string) ([]string, string) {
	t.Helper()
	res, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out fcapi.ListStatefulAsyncInvocationsOutput
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	var ids []string
	if out.Invocations != nil {
		for _, inv := range *out.Invocations {
			ids = append(ids, inv.InvocationId)
		}
	}
	tok := ""
	if out.NextToken != nil {
		tok = *out.NextToken
	}
	return ids, tok
}

// TestConsoleInBrowser drives the console in Chromium as a frontend developer would: open it,
// filter, page, open a detail with the keyboard, set a scenario rule and see its banner and
// its error, then find those requests in the journal; and screenshots both themes.
func TestConsoleInBrowser(t *testing.T) {
	start := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	clk := mock.NewVirtualClock(start)
	srv, err := mock.New(mock.Options{Scenarios: true, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	ctx := browser(t)
	const fnPath = "/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations"

	// A browser opening the root is sent to the console, which opens on the first function
	// that has invocations (demo-svc/demo-fn in the bundled fixtures).
	do(t, ctx, "open the console", chromedp.Navigate(hs.URL+"/"), until(`document.body.dataset.ready === "true"`))
	if got := eval[string](t, ctx, `location.pathname`); got != "/_fcmock/ui/" {
		t.Fatalf("the root led to %q, want /_fcmock/ui/", got)
	}
	if got := eval[string](t, ctx, `document.getElementById('svc').value + "/" + document.getElementById('fn').value`); got != "demo-svc/demo-fn" {
		t.Fatalf("opened on %s, want demo-svc/demo-fn", got)
	}
	want, _ := apiIDs(t, hs.URL, fnPath+"?limit=20")
	if got := eval[[]string](t, ctx, tableIDs); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("first page shows %v, want %v", got, want)
	}

	// Filter: status, order and a page size, applied with the form's button.
	do(t, ctx, "filter",
		chromedp.SetValue(chromedp.CSS(`#status`), "Succeeded"),
		chromedp.SetValue(chromedp.CSS(`#sort`), "desc"),
		chromedp.SetValue(chromedp.CSS(`#limit`), "5"),
		chromedp.Click(chromedp.CSS(`#apply`)),
		until(`document.getElementById('page-info').textContent.startsWith('Page 1') && `+tableIDs+`.length === 5 &&
			[...document.querySelectorAll('#inv-table td.status')].every(td => td.textContent === 'Succeeded')`))
	q := "?limit=5&status=Succeeded&sortOrderByTime=desc"
	page1, tok := apiIDs(t, hs.URL, fnPath+q)
	if got := eval[[]string](t, ctx, tableIDs); strings.Join(got, ",") != strings.Join(page1, ",") {
		t.Fatalf("filtered page shows %v, want %v", got, page1)
	}

	// Page: the next page is the API's page after nextToken.
	page2, _ := apiIDs(t, hs.URL, fnPath+q+"&nextToken="+tok)
	do(t, ctx, "next page", chromedp.Click(chromedp.CSS(`#next`)),
		until(`document.getElementById('page-info').textContent.startsWith('Page 2')`))
	if got := eval[[]string](t, ctx, tableIDs); strings.Join(got, ",") != strings.Join(page2, ",") {
		t.Fatalf("page 2 shows %v, want %v", got, page2)
	}

	// Detail, opened from the keyboard: every field, the events as a timeline, a curl.
	id := page2[0]
	do(t, ctx, "open a detail with Enter",
		chromedp.Focus(chromedp.CSS(`#inv-table tbody tr[data-id="`+id+`"] button`)),
		chromedp.KeyEvent("\r"),
		until(`document.getElementById('detail-id').textContent === `+jsString(id)+` && document.getElementById('detail-curl').textContent.includes('curl')`))
	inv := fetchOne(t, hs.URL, fnPath, id)
	if got := eval[int](t, ctx, `document.querySelectorAll('#detail-events li').length`); inv.Events == nil || got != len(*inv.Events) {
		t.Errorf("timeline has %d events, want %v", got, inv.Events)
	}
	fields := eval[string](t, ctx, `document.getElementById('detail-fields').textContent`)
	for _, f := range []string{"invocationId", "status", "startedTime", "endTime", "alreadyRetriedTimes", "requestId", "serviceName", "functionName"} {
		if !strings.Contains(fields, f) {
			t.Errorf("detail lacks field %s: %q", f, fields)
		}
	}
	curl := eval[string](t, ctx, `document.getElementById('detail-curl').textContent`)
	if !strings.HasPrefix(curl, "curl ") || !strings.Contains(curl, hs.URL) || !strings.Contains(curl, id) {
		t.Errorf("copy-as-curl %q does not fetch %s from %s", curl, id, hs.URL)
	}
	if !eval[bool](t, ctx, `document.getElementById('detail-stop').hidden`) {
		t.Error("Stop is offered for an invocation that has ended")
	}
	shoot(t, ctx, "console")
	do(t, ctx, "Esc closes the detail", chromedp.KeyEvent("\x1b"), until(`document.getElementById('detail-body').hidden`))

	// Lifecycle controls show only when this mock has the operations and the clock.
	hasInvoke := hasPath(t, hs.URL, "/invocations", "post")
	if hidden := eval[bool](t, ctx, `document.getElementById('invoke').hidden`); hidden == hasInvoke {
		t.Errorf("invoke panel hidden=%v, but the spec has InvokeFunction: %v", hidden, hasInvoke)
	}
	clock, err := http.Get(hs.URL + "/_fcmock/clock")
	if err != nil {
		t.Fatal(err)
	}
	clock.Body.Close()
	if hidden := eval[bool](t, ctx, `document.getElementById('clock').hidden`); hidden != (clock.StatusCode != 200) {
		t.Errorf("clock panel hidden=%v, GET /_fcmock/clock answered %d", hidden, clock.StatusCode)
	}

	// A standing rule set from the page: the banner shows it and the table shows its error.
	do(t, ctx, "set a scenario rule",
		chromedp.SetValue(chromedp.CSS(`#rule-svc`), "demo-svc"),
		chromedp.SetValue(chromedp.CSS(`#rule-op`), "ListStatefulAsyncInvocations"),
		chromedp.SetValue(chromedp.CSS(`#rule-error`), "ServiceUnavailable"),
		chromedp.Click(chromedp.CSS(`#rule-add`)),
		until(`!document.getElementById('banner').hidden && document.getElementById('banner-text').textContent.includes('ServiceUnavailable')`),
		until(`(document.querySelector('#inv-table tr.err-row') || {}).textContent?.includes('503 ServiceUnavailable')`))
	var rules struct{ Rules []mock.Rule }
	getJSON(t, hs.URL+"/_fcmock/scenarios", &rules)
	if len(rules.Rules) != 1 || rules.Rules[0] != (mock.Rule{Service: "demo-svc", Operation: "ListStatefulAsyncInvocations", Error: "ServiceUnavailable"}) {
		t.Fatalf("the mock holds rules %+v", rules.Rules)
	}

	// The journal shows those requests: the filtered pages and the forced 503, with their ids.
	var journal struct{ Requests []mock.Entry }
	getJSON(t, hs.URL+"/_fcmock/requests", &journal)
	var forced mock.Entry
	for _, e := range journal.Requests {
		if e.Status == 503 {
			forced = e
		}
	}
	if forced.ErrorCode != "ServiceUnavailable" || forced.Scenario != "error=ServiceUnavailable" {
		t.Fatalf("the mock's journal has no forced 503: %+v", journal.Requests)
	}
	row := `document.querySelector('#journal tr[data-request-id="` + forced.RequestID + `"]')`
	do(t, ctx, "journal shows the forced error", until(row+` !== null`))
	if got := eval[string](t, ctx, row+`.textContent`); !strings.Contains(got, "ServiceUnavailable") || !strings.Contains(got, "503") || !strings.Contains(got, "error=ServiceUnavailable") {
		t.Errorf("journal row %q lacks status, code or scenario", got)
	}
	do(t, ctx, "journal shows the filtered page",
		until(`[...document.querySelectorAll('#journal td')].some(td => td.textContent.includes('status=Succeeded') && td.textContent.includes('nextToken='))`))

	shoot(t, ctx, "console-scenario")
	if light, dark := "rgb(247, 248, 250)", eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`); dark == light {
		t.Errorf("the dark theme has the light background %s", dark)
	}

	// Clearing the rules from the banner brings the table back.
	do(t, ctx, "clear the rules", chromedp.Click(chromedp.CSS(`#banner-clear`)),
		until(`document.getElementById('banner').hidden && `+tableIDs+`.length > 0`))

	// The time range (date pickers) and includePayload: the page asks the API for exactly that
	// range, and shows what the API answers, payloads included.
	from, to := page1[len(page1)-1], page1[0] // desc: the oldest and newest of page 1
	fromInv, toInv := fetchOne(t, hs.URL, fnPath, from), fetchOne(t, hs.URL, fnPath, to)
	setTime := func(id string, ms int64) string {
		return `(() => { const e = document.getElementById('` + id + `'); e.value = new Date(` + fmt.Sprint(ms) + ` - new Date(` + fmt.Sprint(ms) + `).getTimezoneOffset() * 60000).toISOString().slice(0, 19); return true; })()`
	}
	do(t, ctx, "time range and payloads",
		until(setTime("from", fromInv.StartedTime/1000*1000)), until(setTime("to", (toInv.StartedTime/1000+1)*1000)),
		chromedp.Click(chromedp.CSS(`#payload`)), chromedp.Click(chromedp.CSS(`#apply`)),
		until(`document.getElementById('page-info').textContent.startsWith('Page 1') && !document.querySelector('th.payload-col').hidden`))
	listURL := eval[string](t, ctx, `document.querySelector('#inv-table').dataset.url || ''`)
	if !strings.Contains(listURL, "startedTimeBegin=") || !strings.Contains(listURL, "startedTimeEnd=") || !strings.Contains(listURL, "includePayload=true") {
		t.Fatalf("the page asked for %q: no time range or includePayload", listURL)
	}
	ranged, _ := apiIDs(t, hs.URL, listURL)
	if got := eval[[]string](t, ctx, tableIDs); len(got) == 0 || strings.Join(got, ",") != strings.Join(ranged, ",") {
		t.Fatalf("time range shows %v; the API answers %v for %s", got, ranged, listURL)
	}
	if n := eval[int](t, ctx, `[...document.querySelectorAll('#inv-table td.payload-col')].filter(td => td.textContent !== '').length`); n == 0 {
		t.Error("includePayload shows no payload")
	}

	// Invoke, stop and the virtual clock, from the page: the invocation waits in the queue until
	// the clock moves; a stop turns it Stopping, and the clock's Advance button ends it Stopped.
	t.Logf("lifecycle operations served: %v; GET /_fcmock/clock: %d", hasInvoke, clock.StatusCode)
	if !hasInvoke || clock.StatusCode != http.StatusOK {
		t.Fatalf("the mock serves no InvokeFunction (%v) or no clock (%d)", hasInvoke, clock.StatusCode)
	}
	const job = "console-job-0001"
	status := `document.querySelector('#detail-fields dd.status').textContent.replaceAll('"', '')`
	do(t, ctx, "invoke from the console",
		chromedp.SetValue(chromedp.CSS(`#invoke-id`), job),
		chromedp.SetValue(chromedp.CSS(`#invoke-payload`), `{"from":"the console"}`),
		chromedp.Click(chromedp.CSS(`#invoke-go`)),
		until(`document.getElementById('invoke-result').textContent.includes('202 accepted: `+job+`')`),
		until(`document.getElementById('detail-id').textContent === '`+job+`' &&
			document.getElementById('detail-payload').textContent.includes('"from": "the console"') && `+status+` === 'Enqueued'`))
	do(t, ctx, "stop it", until(`!document.getElementById('detail-stop').hidden`),
		chromedp.Click(chromedp.CSS(`#detail-stop`)), until(status+` === 'Stopping'`))
	before := eval[string](t, ctx, `document.getElementById('clock-now').textContent`)
	if eval[bool](t, ctx, `document.getElementById('clock-advance-go').disabled`) {
		t.Fatal("the clock's controls are disabled on a virtual clock")
	}
	do(t, ctx, "advance the clock",
		chromedp.SetValue(chromedp.CSS(`#clock-advance`), "90s"),
		chromedp.Click(chromedp.CSS(`#clock-advance-go`)),
		until(`document.getElementById('clock-now').textContent !== `+jsString(before)+` && `+status+` === 'Stopped'`))
	if got, want := clk.Now().UnixMilli(), start.Add(90*time.Second).UnixMilli(); got != want {
		t.Errorf("the mock's clock reads %d after Advance 90s, want %d", got, want)
	}
	for _, want := range []string{"POST /2016-08-15/services/demo-svc/functions/demo-fn/invocations", "PUT /2016-08-15/services/demo-svc", "/stateful-async-invocations/" + job} {
		do(t, ctx, "journal shows "+want, until(`[...document.querySelectorAll('#journal td.url')].some(td => td.textContent.includes(`+jsString(want)+`))`))
	}

	// Resources: demo-svc's functions, versions and aliases as FC's list APIs answer them; a
	// function created from the form is listed and offered by the pickers; a second create is
	// refused with FC's error shown.
	resFns := `[...document.querySelectorAll('#res-fns tbody tr[data-name]')].map(r => r.dataset.name)`
	do(t, ctx, "open the resources panel",
		chromedp.SetValue(chromedp.CSS(`#res-svc`), "demo-svc"),
		until(`(document.getElementById('res-svc').dispatchEvent(new Event('change')), true)`),
		until(resFns+`.includes('image-resize') && document.querySelector('#res-aliases li[data-alias="prod"]') !== null`))
	var fl struct {
		Functions []struct{ FunctionName, Runtime string }
	}
	getJSON(t, hs.URL+"/2016-08-15/services/demo-svc/functions?limit=100", &fl)
	var wantFns []string
	for _, f := range fl.Functions {
		wantFns = append(wantFns, f.FunctionName)
	}
	if got := eval[[]string](t, ctx, resFns); len(wantFns) == 0 || strings.Join(got, ",") != strings.Join(wantFns, ",") {
		t.Fatalf("resources panel lists %v, ListFunctions answers %v", got, wantFns)
	}
	if got := eval[string](t, ctx, `document.querySelector('#res-aliases li[data-alias="prod"]').textContent`); got != "prod → 2" {
		t.Errorf("alias prod shown as %q, want prod → 2", got)
	}
	if got := eval[int](t, ctx, `document.querySelectorAll('#res-versions tbody tr[data-id]').length`); got != 3 {
		t.Errorf("demo-svc shows %d versions, want 3", got)
	}
	do(t, ctx, "create a function from the keyboard",
		chromedp.SetValue(chromedp.CSS(`#res-name`), "made-in-console"),
		chromedp.SetValue(chromedp.CSS(`#res-runtime`), "nodejs14"),
		chromedp.Focus(chromedp.CSS(`#res-handler`)), chromedp.KeyEvent("\r"),
		until(`document.getElementById('res-result').textContent.includes('Created demo-svc/made-in-console')`),
		until(resFns+`.includes('made-in-console')`),
		until(`[...document.querySelectorAll('#fn option')].some(o => o.value === 'made-in-console')`))
	if got := eval[string](t, ctx, `document.querySelector('#res-fns tr[data-name="made-in-console"]').textContent`); !strings.Contains(got, "nodejs14") || !strings.Contains(got, "index.handler") {
		t.Errorf("the new function's row %q lacks its runtime or handler", got)
	}
	do(t, ctx, "a second create is refused",
		chromedp.Click(chromedp.CSS(`#res-create`)),
		until(`(document.querySelector('#res-result .error-box') || {}).textContent?.includes('FunctionAlreadyExists')`))
	if got := eval[string](t, ctx, `document.querySelector('#res-result .error-box').textContent`); !strings.Contains(got, "409") {
		t.Errorf("the refusal shows %q, want HTTP 409 FunctionAlreadyExists", got)
	}
	shoot(t, ctx, "console-resources")

	// On a phone's width the page reflows to one column: nothing sticks out sideways (wide
	// tables scroll inside their own box).
	do(t, ctx, "phone viewport", chromedp.EmulateViewport(390, 844))
	if got := eval[string](t, ctx, `document.documentElement.scrollWidth + "/" + window.innerWidth`); got != "390/390" {
		t.Errorf("on a 390px phone, page width/viewport = %s, want 390/390; too wide: %s", got, eval[string](t, ctx,
			`[...document.querySelectorAll("body *")].filter(e => e.scrollWidth > innerWidth + 1).map(e => e.tagName + "#" + e.id + "." + e.className + ":" + e.scrollWidth + "/" + e.clientWidth).slice(0, 12).join(" ")`))
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(artifacts(t), "console-phone.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
}

func jsString(s string) string { b, _ := json.Marshal(s); return string(b) }

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

func fetchOne(t *testing.T, base, fnPath, id string) fcapi.StatefulAsyncInvocation {
	t.Helper()
	var out fcapi.ListStatefulAsyncInvocationsOutput
	getJSON(t, base+fnPath+"?limit=100&includePayload=true&invocationIdPrefix="+id, &out)
	for _, inv := range *out.Invocations {
		if inv.InvocationId == id {
			return inv
		}
	}
	t.Fatalf("%s not found", id)
	return fcapi.StatefulAsyncInvocation{}
}

// hasPath reports whether the served spec has a path ending in suffix with method.
func hasPath(t *testing.T, base, suffix, method string) bool {
	t.Helper()
	var doc struct{ Paths map[string]map[string]any }
	getJSON(t, base+"/_fcmock/openapi.json", &doc)
	for p, ops := range doc.Paths {
		if _, ok := ops[method]; ok && strings.HasSuffix(p, suffix) {
			return true
		}
	}
	return false
}

// shoot writes a screenshot of the page in the light, then the dark theme, to artifacts(t),
// switching with the page's own toggle.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := artifacts(t)
	for _, theme := range []string{"light", "dark"} {
		do(t, ctx, "theme "+theme, until(`(() => { const b = document.querySelector('.theme-toggle');
			if (document.documentElement.dataset.theme !== `+jsString(theme)+`) b.click();
			return document.documentElement.dataset.theme === `+jsString(theme)+`; })()`))
		shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, name+"-"+theme+".png")
		if err := os.WriteFile(file, shot, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", file)
	}
}
