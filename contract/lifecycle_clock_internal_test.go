package contract

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// A wait on a virtual clock advances it in doubling steps, the last one cut so that the
// advances add up to the budget exactly, and then stops.
func TestAWaitAdvancesTheVirtualClockByItsBudgetExactly(t *testing.T) {
	var mu sync.Mutex
	var advances []string
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Advance string }
		json.NewDecoder(r.Body).Decode(&body)
		mu.Lock()
		advances = append(advances, body.Advance)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}))
	defer hs.Close()
	s, err := New(Target{BaseURL: hs.URL, Service: "svc", Function: "fn", HTTPClient: hs.Client()}, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	p := &pacer{s: s, virtual: true, budget: time.Second, first: 300 * time.Millisecond, max: 500 * time.Millisecond}
	w := p.start()
	passes := 0
	for {
		ok, err := w.pass(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		passes++
	}
	want := []string{"300ms", "500ms", "200ms"}
	if !slices.Equal(advances, want) || passes != len(want) || w.spent != time.Second {
		t.Errorf("advances %v in %d passes, %v spent; want %v, 1s", advances, passes, w.spent, want)
	}
}

// The clock's admin requests: a POST carries its JSON body with Content-Type and the Go SDK's
// Content-MD5 (lower-case hex), and its curl line shows the body; a GET carries none of them.
func TestAdminRequestsCarryTheirBodyHeaders(t *testing.T) {
	type seen struct{ contentType, md5 string }
	got := map[string]seen{}
	var mu sync.Mutex
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got[r.Method] = seen{r.Header.Get("Content-Type"), r.Header.Get("Content-MD5")}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"virtual":true}`))
	}))
	defer hs.Close()
	s, err := New(Target{BaseURL: hs.URL, Service: "svc", Function: "fn", HTTPClient: hs.Client()}, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"advance":"1s"}`)
	post, err := s.sendAdmin(t.Context(), http.MethodPost, body)
	if err != nil {
		t.Fatal(err)
	}
	get, err := s.sendAdmin(t.Context(), http.MethodGet, nil)
	if err != nil {
		t.Fatal(err)
	}
	sum := md5.Sum(body)
	if want := (seen{"application/json", hex.EncodeToString(sum[:])}); got[http.MethodPost] != want {
		t.Errorf("POST headers %+v, want %+v", got[http.MethodPost], want)
	}
	if got[http.MethodGet] != (seen{}) {
		t.Errorf("GET headers %+v, want none", got[http.MethodGet])
	}
	if !strings.Contains(post.curl, `--data-binary '{"advance":"1s"}'`) || strings.Contains(get.curl, "--data-binary") {
		t.Errorf("curl lines:\n%s\n%s\nwant the POST's body shown and none for the GET", post.curl, get.curl)
	}
}
