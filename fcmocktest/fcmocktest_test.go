package fcmocktest_test

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/fcmocktest"
	"github.com/fcmock/fcmock/mock"
)

func TestStartServesUntilCleanup(t *testing.T) {
	var url string
	t.Run("inner", func(t *testing.T) {
		m := fcmocktest.Start(t, fcmocktest.WithFixtures(os.DirFS("../mock/testdata/small")), fcmocktest.WithScenarios())
		url = m.URL
		res, err := http.Get(m.URL + "/2016-08-15/services/svc/functions/fn/stateful-async-invocations")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || len(m.Requests()) != 1 {
			t.Fatalf("status %d, journal %v", res.StatusCode, m.Requests())
		}
		// Rules set in Go apply over HTTP; the first match wins; ClearRules ends them.
		m.SetRules(mock.Rule{Function: "fn", Error: "AccessDenied"}, mock.Rule{Error: "ServiceUnavailable"})
		for path, want := range map[string]int{
			"/2016-08-15/services/svc/functions/fn/stateful-async-invocations":       403,
			"/2016-08-15/services/svc/functions/empty-fn/stateful-async-invocations": 503,
		} {
			res, err := http.Get(m.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != want {
				t.Errorf("%s: %d, want %d", path, res.StatusCode, want)
			}
		}
		m.ClearRules()
		if res, err := http.Get(m.URL + "/2016-08-15/services/svc/functions/fn/stateful-async-invocations"); err != nil || res.StatusCode != 200 {
			t.Fatalf("after ClearRules: %v %v", res, err)
		}
	})
	// The inner test's cleanup stopped the server.
	if res, err := http.Get(url + "/"); err == nil {
		res.Body.Close()
		t.Fatalf("the mock still answers after its test ended")
	}
}

func TestSetRulesRefusesBadRules(t *testing.T) {
	m := fcmocktest.Start(t)
	defer func() {
		if recover() == nil {
			t.Fatal("SetRules accepted an unknown error code")
		}
	}()
	m.Fail("", "", "NoSuchCode")
}

func TestNewRefusesBadFixtures(t *testing.T) {
	if _, err := fcmocktest.New(fcmocktest.WithFixtures(os.DirFS("testdata/nope"))); err == nil {
		t.Fatal("New served a data set that does not exist")
	}
}

// The journal is read through the admin API, with the admin token when one is configured.
func TestRequestsWithAdminToken(t *testing.T) {
	m := fcmocktest.Start(t, fcmocktest.With(func(o *mock.Options) { o.AdminToken = "tok" }))
	res, err := http.Get(m.URL + "/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations?limit=1")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := m.Requests(); len(got) != 1 || got[0].Query != "limit=1" {
		t.Fatalf("journal %+v", got)
	}
}

// With a virtual clock the test moves time: an async invocation waits in the queue until then.
func TestVirtualClock(t *testing.T) {
	clk := mock.NewVirtualClock(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	m := fcmocktest.Start(t, fcmocktest.WithClock(clk))
	if m.Clock() != mock.Clock(clk) {
		t.Fatal("Clock() is not the clock given")
	}
	fn := m.URL + "/2016-08-15/services/demo-svc/functions/demo-fn"
	req, _ := http.NewRequest(http.MethodPost, fn+"/invocations", strings.NewReader("{}"))
	req.Header.Set("X-Fc-Invocation-Type", "Async")
	req.Header.Set("X-Fc-Stateful-Async-Invocation-Id", "clock-job")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("invoke: %d", res.StatusCode)
	}
	status := func() string {
		t.Helper()
		res, err := http.Get(fn + "/stateful-async-invocations/clock-job")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var inv struct{ Status string }
		_ = json.NewDecoder(res.Body).Decode(&inv)
		return inv.Status
	}
	if got := status(); got != "Enqueued" {
		t.Fatalf("before the clock moves: %s", got)
	}
	if _, err := clk.Advance(time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := status(); got != "Succeeded" {
		t.Fatalf("an hour later: %s", got)
	}
}
