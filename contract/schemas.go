package contract

import (
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/evidence"
)

// schemaPair holds the two readings of openapi.yaml that response bodies are validated
// against, each derived once from the x-fc-evidence annotations:
//
//   - strict: every constraint as written, and no property the spec does not declare; what the
//     mock profile fails on.
//   - relaxed: only the constraints the service profile fails on (doc, and sdk rated H); the
//     others are dropped, and undeclared properties are allowed (the 2021 API adds durationMs
//     and returnPayload). A body valid here but not under strict earns warnings.
//
// relaxed is nil in the mock profile.
type schemaPair struct {
	strict, relaxed routers.Router
}

func loadSchemas(p Profile) (*schemaPair, error) {
	build := func(edit func(*openapi3.Schema)) (routers.Router, error) {
		doc, err := fcapi.GetSpec() // a fresh copy: the edits must not reach the shared document
		if err != nil {
			return nil, err
		}
		doc.Servers = nil // see internal/spec: the vendor's hosts would defeat routing
		eachSchema(doc, edit)
		return gorillamux.NewRouter(doc)
	}
	strict, err := build(closeObject)
	if err != nil {
		return nil, err
	}
	pair := &schemaPair{strict: strict}
	if p == ProfileService {
		if pair.relaxed, err = build(relax(p)); err != nil {
			return nil, err
		}
	}
	return pair, nil
}

// closeObject forbids properties an object schema does not declare.
func closeObject(s *openapi3.Schema) {
	if len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
		s.AdditionalProperties.Has = ptr(false)
	}
}

// relax drops every constraint whose evidence the profile does not fail on: a property's value
// constraints (x-fc-evidence on it) and an object's required fields (x-fc-evidence-required).
func relax(p Profile) func(*openapi3.Schema) {
	return func(s *openapi3.Schema) {
		if ev, ok := evidence.FromExtensions(s.Extensions, "x-fc-evidence"); ok && !p.Fails(ev) {
			s.Type, s.Format, s.Pattern, s.Enum = nil, "", "", nil
			s.MinLength, s.MaxLength, s.Min, s.Max = 0, nil, nil, nil
			s.MinItems, s.MaxItems = 0, nil
		}
		var required []string
		for _, name := range s.Required {
			if ev, ok := evidence.FromExtensionsEntry(s.Extensions, "x-fc-evidence-required", name); !ok || p.Fails(ev) {
				required = append(required, name)
			}
		}
		s.Required = required
	}
}

// eachSchema calls edit once on every schema of doc that a response can reach.
func eachSchema(doc *openapi3.T, edit func(*openapi3.Schema)) {
	seen := map[*openapi3.Schema]bool{}
	var visit func(*openapi3.SchemaRef)
	visit = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		edit(s)
		for _, p := range s.Properties {
			visit(p)
		}
		visit(s.Items)
		visit(s.AdditionalProperties.Schema)
		for _, list := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, sub := range list {
				visit(sub)
			}
		}
	}
	if doc.Components != nil {
		for _, ref := range doc.Components.Schemas {
			visit(ref)
		}
		for _, r := range doc.Components.Responses {
			if r.Value != nil {
				for _, mt := range r.Value.Content {
					visit(mt.Schema)
				}
			}
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.Responses == nil {
				continue
			}
			for _, r := range op.Responses.Map() {
				if r.Value != nil {
					for _, mt := range r.Value.Content {
						visit(mt.Schema)
					}
				}
			}
		}
	}
}
