package mock

import (
	"bytes"
	"testing"

	"github.com/fcmock/fcmock/fixtures"
)

// TestRememberedJSONStaysWithinItsBudget: the store remembers written records' JSON only while
// the bytes remembered fit the budget (it bounds the memory a long-running mock spends on it),
// a record that fits exactly is remembered, and remembered or not, pages read the same.
func TestRememberedJSONStaysWithinItsBudget(t *testing.T) {
	set, err := fixtures.Load(fixtures.Default())
	if err != nil {
		t.Fatal(err)
	}
	q := Query{Service: "demo-svc", Function: "demo-fn", Limit: 100}
	cold := NewStore(set)
	cold.encodeBudget = 0
	want := allPages(t, cold, q)
	if cold.encodedBytes.Load() != 0 {
		t.Fatalf("with no budget the store remembered %d bytes", cold.encodedBytes.Load())
	}

	first := NewStore(set)
	fn := first.function(q.Service, q.Function)
	one := int64(len(first.appendRecord(nil, fn, fn.indexes[indexKey{}][0], true)))
	for _, budget := range []int64{one, one + 1, 10 * one, 1 << 30} {
		s := NewStore(set)
		s.encodeBudget = budget
		for pass := range 2 { // the second pass reads what the first remembered
			if got := allPages(t, s, q); !bytes.Equal(got, want) {
				t.Fatalf("budget %d, pass %d: the pages differ from the cold store's", budget, pass)
			}
		}
		used := s.encodedBytes.Load()
		if used > budget || used == 0 {
			t.Errorf("budget %d: remembered %d bytes", budget, used)
		}
		if budget == one && used != one {
			t.Errorf("a budget of exactly one record (%d bytes) remembered %d", one, used)
		}
	}
}

// allPages walks q's pages, with and without payloads, and returns their JSON end to end.
func allPages(t *testing.T, s *Store, q Query) []byte {
	t.Helper()
	var out []byte
	for _, include := range []bool{false, true} {
		q := q
		for {
			body, next, more, err := s.appendPage(nil, q, include)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, body...)
			if !more {
				break
			}
			q.After = &next
		}
	}
	return out
}
