// Package memo is the one cache of fcmock's hot paths: a small, lock-free, direct-mapped table
// remembering the results of pure functions that are dear to compute (an HMAC, a SHA-256, a
// regexp) and asked for again and again with the same arguments (a frontend refreshing its list,
// CI polling the same pages).
//
// Each of a Table's slots holds the last key that hashed to it, with its value, behind an
// atomic pointer: a hit is a hash, a load and a comparison, with no lock and no allocation; a
// miss is the caller's own computation, then one allocation to remember it. Two keys sharing a
// slot evict each other, so a Table never grows and never answers for a key it was not given.
// Use it only where a key's value never changes.
package memo

import (
	"hash/maphash"
	"sync/atomic"
)

// Size is the number of slots in a Table.
const Size = 256

// Table remembers the values of up to Size recent keys. Its zero value is ready to use and it
// is safe for concurrent use.
//
// The key's hash and equality are the type's own (maphash.Comparable and ==), so a key struct
// is the one place that says what a value depends on. K should hold no pointers other than
// strings: a pointer would be hashed and compared by address, and would make every lookup
// allocate.
type Table[K comparable, V any] struct {
	slots [Size]atomic.Pointer[entry[K, V]]
}

type entry[K comparable, V any] struct {
	key K
	val V
}

var seed = maphash.MakeSeed()

func (t *Table[K, V]) slot(k K) *atomic.Pointer[entry[K, V]] {
	return &t.slots[maphash.Comparable(seed, k)%Size]
}

// Get returns the value remembered for k, if k is in its slot.
func (t *Table[K, V]) Get(k K) (V, bool) {
	if e := t.slot(k).Load(); e != nil && e.key == k {
		return e.val, true
	}
	var zero V
	return zero, false
}

// Put remembers v for k, in place of whatever shared k's slot.
func (t *Table[K, V]) Put(k K, v V) {
	t.slot(k).Store(&entry[K, V]{key: k, val: v})
}
