package memo_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/fcmock/fcmock/internal/memo"
)

type key struct {
	name string
	n    int64
	on   bool
}

// The table answers only for keys it was given, with the value last put for them, and forgets
// a key once another in the same slot replaces it.
func TestTableAnswersOnlyForWhatItWasGiven(t *testing.T) {
	var tab memo.Table[key, string]
	if v, ok := tab.Get(key{"a", 1, true}); ok {
		t.Fatalf("empty table: got %q", v)
	}
	tab.Put(key{"a", 1, true}, "one")
	for _, k := range []key{{"a", 1, false}, {"a", 2, true}, {"b", 1, true}, {"", 0, false}} {
		if v, ok := tab.Get(k); ok {
			t.Errorf("Get(%v) = %q, want nothing: only {a 1 true} was put", k, v)
		}
	}
	if v, ok := tab.Get(key{"a", 1, true}); !ok || v != "one" {
		t.Fatalf(`Get({a 1 true}) = %q, %v; want "one", true`, v, ok)
	}
	tab.Put(key{"a", 1, true}, "uno")
	if v, _ := tab.Get(key{"a", 1, true}); v != "uno" {
		t.Fatalf(`after a second Put: %q, want "uno"`, v)
	}
	// Strings are compared by content, not by address.
	name := string([]byte("a"))
	if v, ok := tab.Get(key{name, 1, true}); !ok || v != "uno" {
		t.Fatalf("a key equal in content but built apart: %q, %v", v, ok)
	}
	// More keys than slots: some are evicted, none is answered wrongly.
	for i := range 4 * memo.Size {
		tab.Put(key{name: "k", n: int64(i)}, fmt.Sprint(i))
	}
	kept := 0
	for i := range 4 * memo.Size {
		v, ok := tab.Get(key{name: "k", n: int64(i)})
		if ok && v != fmt.Sprint(i) {
			t.Fatalf("key %d answered %q", i, v)
		}
		if ok {
			kept++
		}
	}
	if kept == 0 || kept > memo.Size {
		t.Fatalf("%d keys remembered of %d put, want 1..%d", kept, 4*memo.Size, memo.Size)
	}
}

// Readers and writers at once (run with -race): every answer is the one put for its key.
func TestTableConcurrentUse(t *testing.T) {
	var tab memo.Table[int, int]
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 2000 {
				k := (i*7 + w) % 600
				if v, ok := tab.Get(k); ok && v != k*k {
					t.Errorf("Get(%d) = %d", k, v)
					return
				}
				tab.Put(k, k*k)
			}
		})
	}
	wg.Wait()
}

// A hit allocates nothing.
func TestTableHitDoesNotAllocate(t *testing.T) {
	var tab memo.Table[key, [32]byte]
	k := key{"service", 42, true}
	tab.Put(k, [32]byte{1})
	if n := testing.AllocsPerRun(100, func() {
		if _, ok := tab.Get(k); !ok {
			t.Fatal("miss")
		}
	}); n != 0 {
		t.Fatalf("a hit made %v allocations, want 0", n)
	}
}

func BenchmarkTableGet(b *testing.B) {
	var tab memo.Table[key, [32]byte]
	k := key{"demo-svc/demo-fn", 1794411600000, true}
	tab.Put(k, [32]byte{1})
	for b.Loop() {
		tab.Get(k)
	}
}
