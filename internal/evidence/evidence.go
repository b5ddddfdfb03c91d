package evidence

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Annotation is how firmly a rule is known: the value of an x-fc-evidence annotation.
type Annotation struct {
	// Level is Doc (the vendor's doc says so), SDK (the vendor's SDKs rely on it), Observed
	// (seen on the wire) or Choice (fcmock's own pick where nothing decides).
	Level string `json:"level" yaml:"level"`
	// Source names the fact-sheet tags behind the rule (SEED, GO16, JAVA16, DOC-ERR, ...).
	Source string `json:"source,omitempty" yaml:"source"`
	// Confidence is the fact sheet's rating: H, M or L.
	Confidence string `json:"confidence,omitempty" yaml:"confidence"`
}

// The evidence levels, from firmest to weakest.
const (
	Doc      = "doc"
	SDK      = "sdk"
	Observed = "observed"
	Choice   = "choice"
)

// Levels returns the evidence levels an annotation may name, in order (a new slice each call).
func Levels() []string { return []string{Doc, SDK, Observed, Choice} }

// High is the fact sheet's highest confidence, the one that makes an sdk rule firm.
const High = "H"

// String is the evidence as reports show it: "sdk/M (GO16; JAVA16)".
func (a Annotation) String() string {
	s := a.Level
	if a.Confidence != "" {
		s += "/" + a.Confidence
	}
	if a.Source != "" {
		s += " (" + a.Source + ")"
	}
	return s
}

// Decode reads an annotation's value as a YAML or JSON decoder left it. It fails when the value
// is not an object or names no known level.
func Decode(v any) (Annotation, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return Annotation{}, fmt.Errorf("not an evidence object {level, source, confidence}")
	}
	var a Annotation
	a.Level, _ = m["level"].(string)
	a.Source, _ = m["source"].(string)
	a.Confidence, _ = m["confidence"].(string)
	if !slices.Contains(Levels(), a.Level) {
		return a, fmt.Errorf("level %q is none of %s", a.Level, strings.Join(Levels(), ", "))
	}
	return a, nil
}

// FromExtensions reads the annotation under key (x-fc-evidence, ...) of a kin-openapi Extensions
// map (a schema's, a parameter's, a response's, ...): ok is false when it is absent or
// malformed.
func FromExtensions(ext map[string]any, key string) (Annotation, bool) {
	v, ok := ext[key]
	if !ok {
		return Annotation{}, false
	}
	a, err := Decode(normal(v))
	return a, err == nil
}

// FromExtensionsEntry reads one entry of a map annotation (x-fc-evidence-enum, -codes,
// -required): the evidence of one enum value, error code or required property.
func FromExtensionsEntry(ext map[string]any, key, entry string) (Annotation, bool) {
	m, ok := normal(ext[key]).(map[string]any)
	if !ok {
		return Annotation{}, false
	}
	v, ok := m[entry]
	if !ok {
		return Annotation{}, false
	}
	a, err := Decode(v)
	return a, err == nil
}

// normal turns a value a loader typed its own way (a json.RawMessage, a struct) into the
// generic map Decode reads; a generic map is returned as it is.
func normal(v any) any {
	if _, ok := v.(map[string]any); ok || v == nil {
		return v
	}
	data, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if json.Unmarshal(data, &out) != nil {
		return v
	}
	return out
}
