package contract

import (
	"fmt"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/fcmock/fcmock/gen/fcapi"
)

// Evidence is how firmly a rule is known: the x-fc-evidence annotation of the constraint in
// openapi.yaml that the rule enforces. The profile decides from it whether a violation fails
// the run or is a warning.
type Evidence struct {
	// Level is doc (the vendor's doc says so), sdk (the vendor's SDKs rely on it), observed
	// (seen on the wire) or choice (fcmock's own pick where nothing decides).
	Level string `json:"level" yaml:"level"`
	// Source names the fact-sheet tags behind the rule (SEED, GO16, JAVA16, DOC-ERR, ...).
	Source string `json:"source,omitempty" yaml:"source"`
	// Confidence is the fact sheet's rating: H, M or L.
	Confidence string `json:"confidence,omitempty" yaml:"confidence"`
}

// The evidence levels, from firmest to weakest.
const (
	LevelDoc      = "doc"
	LevelSDK      = "sdk"
	LevelObserved = "observed"
	LevelChoice   = "choice"
)

// Levels lists the evidence levels an annotation may name.
var Levels = []string{LevelDoc, LevelSDK, LevelObserved, LevelChoice}

// String is the evidence as reports show it: "sdk/M (GO16; JAVA16)".
func (e Evidence) String() string {
	s := e.Level
	if e.Confidence != "" {
		s += "/" + e.Confidence
	}
	if e.Source != "" {
		s += " (" + e.Source + ")"
	}
	return s
}

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

// Profile decides which evidence makes a failure; everything else is a warning.
type Profile string

const (
	// ProfileService fails only doc rules and sdk rules the fact sheet rates H: what any
	// service written to the vendor's doc must do. The default for every target.
	ProfileService Profile = "service"
	// ProfileMock fails every rule, fcmock's own choices included: what fcmock promises.
	ProfileMock Profile = "mock"
)

// Fails reports whether a violation of a rule with evidence e fails a run in profile p.
func (p Profile) Fails(e Evidence) bool {
	if p == ProfileMock {
		return true
	}
	return e.Level == LevelDoc || e.Level == LevelSDK && e.Confidence == "H"
}

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
	m, ok := node.(map[string]any)
	if !ok {
		return Evidence{}, fmt.Errorf("contract: %s is not an evidence object", ptr)
	}
	var e Evidence
	e.Level, _ = m["level"].(string)
	e.Source, _ = m["source"].(string)
	e.Confidence, _ = m["confidence"].(string)
	if !validLevel(e.Level) {
		return e, fmt.Errorf("contract: %s: level %q is none of %s", ptr, e.Level, strings.Join(Levels, ", "))
	}
	return e, nil
}

func validLevel(l string) bool {
	for _, v := range Levels {
		if v == l {
			return true
		}
	}
	return false
}

// extEvidence reads an annotation from a kin-openapi Extensions map (a schema's, a
// parameter's, ...): ok is false when it is absent or malformed.
func extEvidence(ext map[string]any, key string) (Evidence, bool) {
	v, ok := ext[key]
	if !ok {
		return Evidence{}, false
	}
	e, err := evidenceOf(v, key)
	return e, err == nil
}

// extEvidenceIn reads one entry of a map annotation (x-fc-evidence-enum, -codes, -required).
func extEvidenceIn(ext map[string]any, key, entry string) (Evidence, bool) {
	m, ok := ext[key].(map[string]any)
	if !ok {
		return Evidence{}, false
	}
	v, ok := m[entry]
	if !ok {
		return Evidence{}, false
	}
	e, err := evidenceOf(v, key+"/"+entry)
	return e, err == nil
}

// listOp is the pointer of the listing operation in openapi.yaml; rule(name) the pointer of
// one of its behaviour rules.
const listOp = "/paths/~12016-08-15~1services~1{serviceName}~1functions~1{functionName}~1stateful-async-invocations/get"

func rule(name string) string { return listOp + "/x-fc-rules/" + name }

func param(name, key string) string { return "/components/parameters/" + name + "/" + key }
