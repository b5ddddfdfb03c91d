package mock

import (
	"fmt"
	"testing"
)

// TestInternNeverConfusesStringsOfOneLength: the address cache in front of the intern map must
// answer only for the very string it remembers. A thousand distinct strings of one length share
// the cache's 256 slots, so a cache that matched on length alone would hand out another
// string's reference.
func TestInternNeverConfusesStringsOfOneLength(t *testing.T) {
	tab := newStrtab()
	strs := make([]string, 1000)
	for i := range strs {
		strs[i] = fmt.Sprintf("s-%06d", i) // each its own allocation
	}
	for pass := range 2 { // the second pass is answered from the cache where it can be
		for _, s := range strs {
			if got := tab.str(tab.intern(s)); got != s {
				t.Fatalf("pass %d: intern(%q) names %q", pass, s, got)
			}
		}
	}
	if len(tab.entries) != len(strs) {
		t.Errorf("%d distinct strings made %d entries", len(strs), len(tab.entries))
	}
	if tab.intern(string([]byte("s-000007"))) != tab.intern(strs[7]) {
		t.Error("an equal string at another address got another reference")
	}
	if tab.internPtr(nil) != 0 || tab.str(0) != "" || tab.ptr(0) != nil {
		t.Error("reference 0 must mean absent")
	}
}
