package proxy

import (
	"sort"
	"sync"
	"time"
)

// Sides of a violation.
const (
	SideRequest  = "request"
	SideResponse = "response"
)

// Rules a violation can break.
const (
	RuleRoute       = "route"        // the request matches no operation of the spec
	RuleRequest     = "request"      // a parameter or the body of the request breaks the spec
	RuleStatus      = "status"       // the answer's status is not declared for the operation
	RuleHeader      = "header"       // a required response header is missing or invalid
	RuleContentType = "content-type" // the answer's media type is not declared
	RuleSchema      = "schema"       // the answer's body breaks its schema
)

// Violation is one way one exchange broke the spec. It names the request by method and path
// only: never headers, so never a credential.
type Violation struct {
	Side      string   `json:"side"`
	Rule      string   `json:"rule"`
	Operation string   `json:"operation,omitempty"`
	Method    string   `json:"method"`
	Path      string   `json:"path"`
	Status    int      `json:"status,omitempty"`
	Where     string   `json:"where,omitempty"` // JSON pointer, header or parameter
	Reason    string   `json:"reason"`
	Evidence  Evidence `json:"evidence"`
	// Counted is whether the violation counts under the proxy's profile. Request violations
	// never do: the client broke the spec, and the upstream's answer is what is judged.
	Counted   bool   `json:"counted"`
	RequestID string `json:"requestId,omitempty"`
}

// Tally is one distinct violation and how often it happened.
type Tally struct {
	Violation
	Count int       `json:"count"`
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
}

// maxDistinct caps the distinct violations a report keeps; beyond it only counts grow.
const maxDistinct = 1000

// tallies groups violations that differ only by request (path, request id).
type tallies struct {
	mu      sync.Mutex
	byKey   map[tallyKey]*Tally
	dropped int
}

type tallyKey struct {
	side, rule, op, where, reason string
	status                        int
}

func (t *tallies) add(v Violation, now time.Time) {
	k := tallyKey{v.Side, v.Rule, v.Operation, v.Where, v.Reason, v.Status}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.byKey == nil {
		t.byKey = map[tallyKey]*Tally{}
	}
	if tl := t.byKey[k]; tl != nil {
		tl.Count++
		tl.Last = now
		return
	}
	if len(t.byKey) >= maxDistinct {
		t.dropped++
		return
	}
	t.byKey[k] = &Tally{Violation: v, Count: 1, First: now, Last: now}
}

// list returns the tallies sorted by operation, side, rule, status and place.
func (t *tallies) list() ([]Tally, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Tally, 0, len(t.byKey))
	for _, tl := range t.byKey {
		out = append(out, *tl)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Operation != b.Operation {
			return a.Operation < b.Operation
		}
		if a.Side != b.Side {
			return a.Side < b.Side
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Status != b.Status {
			return a.Status < b.Status
		}
		if a.Where != b.Where {
			return a.Where < b.Where
		}
		return a.Reason < b.Reason
	})
	return out, t.dropped
}
