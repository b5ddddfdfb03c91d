package proxy

import (
	"encoding/json"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Evidence is how sure the spec is of a constraint: the `x-fc-evidence` annotation
// (`{level: doc|sdk|observed|choice, source, confidence: H|M|L}`) of the parameter, header,
// response or schema that was violated. Level is "unknown" where the spec has none.
type Evidence struct {
	Level      string `json:"level"`
	Source     string `json:"source,omitempty"`
	Confidence string `json:"confidence,omitempty"`
}

// LevelUnknown is the level of a constraint without an annotation.
const LevelUnknown = "unknown"

const evidenceKey = "x-fc-evidence"

// evidenceOf reads the first x-fc-evidence among the extension maps given, most specific first
// (a $ref's own siblings before the referenced value's). It reads the annotation generically,
// through JSON, so it does not care how the loader typed the map.
func evidenceOf(exts ...map[string]any) Evidence {
	for _, ext := range exts {
		raw, ok := ext[evidenceKey]
		if !ok {
			continue
		}
		data, err := json.Marshal(raw)
		if err != nil {
			continue
		}
		var e Evidence
		if json.Unmarshal(data, &e) == nil && e.Level != "" {
			return e
		}
	}
	return Evidence{Level: LevelUnknown}
}

// schemaEvidence walks from the body schema along a JSON pointer's tokens and returns the
// evidence of the schema at its end; fallback is the schema kin-openapi blamed.
func schemaEvidence(body *openapi3.SchemaRef, tokens []string, fallback *openapi3.Schema) Evidence {
	ref := body
	for _, tok := range tokens {
		if ref == nil || ref.Value == nil {
			ref = nil
			break
		}
		s := ref.Value
		if s.Items != nil && isIndex(tok) {
			ref = s.Items
			continue
		}
		ref = s.Properties[tok]
	}
	var exts []map[string]any
	if ref != nil {
		exts = append(exts, ref.Extensions)
		if ref.Value != nil {
			exts = append(exts, ref.Value.Extensions)
		}
	}
	if fallback != nil {
		exts = append(exts, fallback.Extensions)
	}
	return evidenceOf(exts...)
}

func isIndex(tok string) bool {
	return tok != "" && strings.Trim(tok, "0123456789") == ""
}

// Profile decides which violations count for --fail-on-violation, as in the contract suite.
type Profile string

const (
	// ProfileMock counts every violation: the mock must follow the spec to the letter,
	// choices included.
	ProfileMock Profile = "mock"
	// ProfileService counts only what the vendor's doc states or its SDKs rely on with high
	// confidence (level doc, or sdk with confidence H): a real service is not failed on the
	// mock's choices or on guesses.
	ProfileService Profile = "service"
)

// ParseProfile accepts "mock" or "service"; "" is ProfileMock.
func ParseProfile(s string) (Profile, bool) {
	switch Profile(s) {
	case "", ProfileMock:
		return ProfileMock, true
	case ProfileService:
		return ProfileService, true
	}
	return "", false
}

// Counts reports whether a violation of a constraint with evidence e counts under p.
func (p Profile) Counts(e Evidence) bool {
	if p == ProfileService {
		return e.Level == "doc" || e.Level == "sdk" && strings.EqualFold(e.Confidence, "H")
	}
	return true
}
