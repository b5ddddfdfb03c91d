package proxy

import (
	"context"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

const annotatedSpec = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Status:
      type: string
      enum: [A, B]
      x-fc-evidence: {level: sdk, source: "GO16", confidence: H}
    Page:
      type: object
      required: [items]
      properties:
        items:
          type: array
          items:
            type: object
            required: [status, id]
            properties:
              status:
                $ref: "#/components/schemas/Status"
              id:
                type: string
                x-fc-evidence: {level: choice, source: "mock", confidence: M}
              note:
                type: string
`

// The evidence of a violated constraint is read from the schema at the violation's pointer,
// through $refs and array indexes; where there is none, the level is unknown.
func TestSchemaEvidence(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(annotatedSpec))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	page := doc.Components.Schemas["Page"]
	tests := []struct {
		given  []string
		expect Evidence
	}{
		{given: []string{"items", "3", "status"}, expect: Evidence{Level: "sdk", Source: "GO16", Confidence: "H"}},
		{given: []string{"items", "0", "id"}, expect: Evidence{Level: "choice", Source: "mock", Confidence: "M"}},
		{given: []string{"items", "0", "note"}, expect: Evidence{Level: LevelUnknown}},
		{given: []string{"items", "0", "nothere"}, expect: Evidence{Level: LevelUnknown}},
	}
	for _, tt := range tests {
		if got := schemaEvidence(page, tt.given, nil); got != tt.expect {
			t.Errorf("schemaEvidence(%v) = %+v, want %+v", tt.given, got, tt.expect)
		}
	}
}
