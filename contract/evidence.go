package contract

import (
	"fmt"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/evidence"
)

// Evidence is how firmly a rule is known: the x-fc-evidence annotation of the constraint in
// openapi.yaml that the rule enforces (internal/evidence). The profile decides from it whether a
// violation fails the run or is a warning.
type Evidence = evidence.Annotation

// The evidence levels, from firmest to weakest.
const (
	LevelDoc      = evidence.Doc
	LevelSDK      = evidence.SDK
	LevelObserved = evidence.Observed
	LevelChoice   = evidence.Choice
)

// Levels returns the evidence levels an annotation may name, in order (a new slice each call).
func Levels() []string { return evidence.Levels() }

// weaker returns the weaker of two pieces of evidence: a rule that rests on both is only as firm
// as the weaker one.
func weaker(a, b Evidence) Evidence {
	rank := func(e Evidence) int {
		r := map[string]int{LevelDoc: 0, LevelSDK: 2, LevelObserved: 4, LevelChoice: 6}[e.Level]
		if e.Level == LevelSDK && e.Confidence != "H" {
			r++
		}
		return r
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// Profile decides which evidence makes a failure; everything else is a warning. Its Fails
// reports whether a violation of a rule fails a run.
type Profile = evidence.Profile

const (
	// ProfileService fails only doc rules and sdk rules the fact sheet rates H: what any
	// service written to the vendor's doc must do. The default for every target.
	ProfileService = evidence.ProfileService
	// ProfileMock fails every rule, fcmock's own choices included: what fcmock promises.
	ProfileMock = evidence.ProfileMock
)

// rawSpec is the embedded openapi.yaml as a generic tree, for reading annotations by JSON pointer.
var rawSpec = sync.OnceValues(func() (any, error) {
	data, err := fcapi.GetSpecJSON()
	if err != nil {
		return nil, err
	}
	var tree any
	if err := yaml.Unmarshal(data, &tree); err != nil {
		return nil, fmt.Errorf("contract: embedded openapi.yaml: %w", err)
	}
	return tree, nil
})

// EvidenceAt reads the evidence object at a JSON pointer of openapi.yaml, e.g.
// "/components/parameters/Limit/x-fc-evidence".
func EvidenceAt(ptr string) (Evidence, error) {
	tree, err := rawSpec()
	if err != nil {
		return Evidence{}, err
	}
	node := tree
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := node.(map[string]any)
		if !ok {
			return Evidence{}, fmt.Errorf("contract: openapi.yaml has nothing at %s", ptr)
		}
		if node, ok = m[tok]; !ok {
			return Evidence{}, fmt.Errorf("contract: openapi.yaml has nothing at %s", ptr)
		}
	}
	return evidenceOf(node, ptr)
}

// evidenceOf decodes an annotation's value.
func evidenceOf(node any, ptr string) (Evidence, error) {
	e, err := evidence.Decode(node)
	if err != nil {
		return e, fmt.Errorf("contract: %s: %w", ptr, err)
	}
	return e, nil
}

// listOp is the pointer of the listing operation in openapi.yaml; rule(name) the pointer of
// one of its behaviour rules.
const listOp = "/paths/~12016-08-15~1services~1{serviceName}~1functions~1{functionName}~1stateful-async-invocations/get"

func rule(name string) string { return listOp + "/x-fc-rules/" + name }

func param(name, key string) string { return "/components/parameters/" + name + "/" + key }
