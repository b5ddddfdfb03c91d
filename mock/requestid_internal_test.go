package mock

import (
	"testing"

	"github.com/google/uuid"
)

// newRequestID replaced uuid.NewString on the request path: its ids must still be version 4
// UUIDs in the canonical form, and distinct.
func TestRequestIDsAreVersion4UUIDs(t *testing.T) {
	seen := map[string]bool{}
	for range 10_000 {
		var buf [36]byte
		id := newRequestID(&buf)
		u, err := uuid.Parse(id)
		if err != nil || u.String() != id || u.Version() != 4 || u.Variant() != uuid.RFC4122 {
			t.Fatalf("%q: %v (version %v, variant %v)", id, err, u.Version(), u.Variant())
		}
		if seen[id] {
			t.Fatalf("%q twice", id)
		}
		seen[id] = true
	}
}
