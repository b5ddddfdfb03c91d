package proxy

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fcmock/fcmock/internal/evidence"
)

// Evidence is how sure the spec is of a constraint: the `x-fc-evidence` annotation
// (`{level: doc|sdk|observed|choice, source, confidence: H|M|L}`, internal/evidence) of the
// parameter, header, response or schema that was violated. Level is "unknown" where the spec
// has none.
type Evidence = evidence.Annotation

// LevelUnknown is the level of a constraint without an annotation.
const LevelUnknown = "unknown"

// evidenceOf reads the first x-fc-evidence among the extension maps given, most specific first
// (a $ref's own siblings before the referenced value's).
func evidenceOf(exts ...map[string]any) Evidence {
	for _, ext := range exts {
		if e, ok := evidence.FromExtensions(ext, "x-fc-evidence"); ok {
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

// Profile decides which violations count for --fail-on-violation and the JUnit verdict, as in
// the contract suite: its Fails reports whether a violation counts.
type Profile = evidence.Profile

const (
	// ProfileService, the default, counts only what the vendor's doc states or its SDKs rely
	// on with high confidence (level doc, or sdk with confidence H): a real service is not
	// failed on the mock's choices or on guesses.
	ProfileService = evidence.ProfileService
	// ProfileMock counts every violation: the mock must follow the spec to the letter,
	// choices and unannotated constraints included.
	ProfileMock = evidence.ProfileMock
)
