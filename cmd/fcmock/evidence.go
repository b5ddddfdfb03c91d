package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/fcmock/fcmock/contract"
	"github.com/fcmock/fcmock/internal/spec"
)

// evidenceChecker finds the constraints of the spec that carry no evidence level: every
// operation, parameter, header, response, schema and schema property the contract suite can
// fail on needs an `x-fc-evidence: {level, source, confidence}` (docs/contract.md), every
// required field an entry in `x-fc-evidence-required`, and every annotation a known level.
type evidenceChecker struct {
	file     string
	root     *yaml.Node
	problems []string
	seen     map[*openapi3.Schema]bool
}

func checkEvidence(name string, doc *openapi3.T, root *yaml.Node) []string {
	c := &evidenceChecker{file: name, root: root, seen: map[*openapi3.Schema]bool{}}
	if comp := doc.Components; comp != nil {
		for _, n := range slices.Sorted(maps.Keys(comp.Schemas)) {
			c.schema("/components/schemas/"+spec.PointerToken(n), comp.Schemas[n], true)
		}
		for _, n := range slices.Sorted(maps.Keys(comp.Parameters)) {
			if p := comp.Parameters[n]; p.Value != nil {
				c.parameter("/components/parameters/"+spec.PointerToken(n), p.Value)
			}
		}
		for _, n := range slices.Sorted(maps.Keys(comp.Headers)) {
			if h := comp.Headers[n]; h.Value != nil {
				c.need("/components/headers/"+spec.PointerToken(n), h.Value.Extensions)
			}
		}
		for _, n := range slices.Sorted(maps.Keys(comp.Responses)) {
			c.response("/components/responses/"+spec.PointerToken(n), comp.Responses[n], true)
		}
		for _, n := range slices.Sorted(maps.Keys(comp.RequestBodies)) {
			if rb := comp.RequestBodies[n]; rb.Value != nil {
				c.content("/components/requestBodies/"+spec.PointerToken(n)+"/content", rb.Value.Content)
			}
		}
	}
	if doc.Paths == nil {
		return c.problems
	}
	for _, path := range slices.Sorted(maps.Keys(doc.Paths.Map())) {
		item, base := doc.Paths.Value(path), "/paths/"+spec.PointerToken(path)
		for i, p := range item.Parameters {
			if p.Ref == "" && p.Value != nil {
				c.parameter(fmt.Sprintf("%s/parameters/%d", base, i), p.Value)
			}
		}
		ops := item.Operations()
		for _, method := range slices.Sorted(maps.Keys(ops)) {
			op, ptr := ops[method], base+"/"+strings.ToLower(method)
			c.need(ptr, op.Extensions)
			c.annotations(ptr+"/x-fc-rules", op.Extensions["x-fc-rules"])
			for i, p := range op.Parameters {
				if p.Ref == "" && p.Value != nil {
					c.parameter(fmt.Sprintf("%s/parameters/%d", ptr, i), p.Value)
				}
			}
			if rb := op.RequestBody; rb != nil && rb.Ref == "" && rb.Value != nil {
				c.content(ptr+"/requestBody/content", rb.Value.Content)
			}
			if op.Responses != nil {
				for _, code := range slices.Sorted(maps.Keys(op.Responses.Map())) {
					c.response(ptr+"/responses/"+spec.PointerToken(code), op.Responses.Value(code), false)
				}
			}
		}
	}
	return c.problems
}

// need reports ptr when ext has no valid x-fc-evidence.
func (c *evidenceChecker) need(ptr string, ext map[string]any) {
	v, ok := ext["x-fc-evidence"]
	if !ok {
		c.problem(ptr, "no x-fc-evidence: give this constraint its level (doc, sdk, observed or choice), source and confidence")
		return
	}
	c.annotation(ptr+"/x-fc-evidence", v)
}

// annotation reports an evidence object without a known level or with an unknown confidence.
func (c *evidenceChecker) annotation(ptr string, v any) {
	m, ok := v.(map[string]any)
	if !ok {
		c.problem(ptr, "not an evidence object {level, source, confidence}")
		return
	}
	level, _ := m["level"].(string)
	if !slices.Contains(contract.Levels(), level) {
		c.problem(ptr, fmt.Sprintf("level %q is none of %s", level, strings.Join(contract.Levels(), ", ")))
	}
	if conf, ok := m["confidence"]; ok && !slices.Contains([]any{"H", "M", "L"}, conf) {
		c.problem(ptr, fmt.Sprintf("confidence %v is none of H, M, L", conf))
	}
}

// annotations checks a map annotation (x-fc-rules, x-fc-evidence-enum, -codes, -required).
func (c *evidenceChecker) annotations(ptr string, v any) {
	if v == nil {
		return
	}
	m, ok := v.(map[string]any)
	if !ok {
		c.problem(ptr, "not a map of evidence objects")
		return
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		c.annotation(ptr+"/"+spec.PointerToken(k), m[k])
	}
}

func (c *evidenceChecker) parameter(ptr string, p *openapi3.Parameter) {
	c.need(ptr, p.Extensions)
	for _, k := range []string{"x-fc-evidence-error", "x-fc-evidence-default"} {
		if v, ok := p.Extensions[k]; ok {
			c.annotation(ptr+"/"+k, v)
		}
	}
	if p.Schema != nil && p.Schema.Ref == "" && p.Schema.Value != nil && constrains(p.Schema.Value) {
		c.schema(ptr+"/schema", p.Schema, false)
	}
	c.content(ptr+"/content", p.Content)
}

func (c *evidenceChecker) response(ptr string, ref *openapi3.ResponseRef, defined bool) {
	if ref == nil || ref.Value == nil || ref.Ref != "" && !defined {
		return
	}
	r := ref.Value
	c.need(ptr, r.Extensions)
	c.annotations(ptr+"/x-fc-evidence-codes", r.Extensions["x-fc-evidence-codes"])
	for _, n := range slices.Sorted(maps.Keys(r.Headers)) {
		if h := r.Headers[n]; h.Ref == "" && h.Value != nil {
			c.need(ptr+"/headers/"+spec.PointerToken(n), h.Value.Extensions)
		}
	}
	c.content(ptr+"/content", r.Content)
}

func (c *evidenceChecker) content(ptr string, content openapi3.Content) {
	for _, mt := range slices.Sorted(maps.Keys(content)) {
		if m := content[mt]; m != nil && m.Schema != nil && m.Schema.Ref == "" {
			c.schema(ptr+"/"+spec.PointerToken(mt)+"/schema", m.Schema, false)
		}
	}
}

// schema checks a schema, its required fields and its properties; a $ref is checked where it
// is defined.
func (c *evidenceChecker) schema(ptr string, ref *openapi3.SchemaRef, defined bool) {
	if ref == nil || ref.Value == nil || ref.Ref != "" && !defined || c.seen[ref.Value] {
		return
	}
	s := ref.Value
	c.seen[s] = true
	c.need(ptr, s.Extensions)
	c.annotations(ptr+"/x-fc-evidence-required", s.Extensions["x-fc-evidence-required"])
	c.annotations(ptr+"/x-fc-evidence-enum", s.Extensions["x-fc-evidence-enum"])
	if len(s.Required) > 0 {
		req, _ := s.Extensions["x-fc-evidence-required"].(map[string]any)
		for _, name := range s.Required {
			if _, ok := req[name]; !ok {
				c.problem(ptr+"/required", fmt.Sprintf("required field %q has no entry in x-fc-evidence-required", name))
			}
		}
	}
	if ev, ok := s.Extensions["x-fc-evidence-enum"].(map[string]any); ok {
		for k := range ev {
			if !slices.Contains(s.Enum, any(k)) {
				c.problem(ptr+"/x-fc-evidence-enum/"+spec.PointerToken(k), "not a value of the enum")
			}
		}
	}
	for _, n := range slices.Sorted(maps.Keys(s.Properties)) {
		c.schema(ptr+"/properties/"+spec.PointerToken(n), s.Properties[n], false)
	}
	c.schema(ptr+"/items", s.Items, false)
	for kw, list := range map[string]openapi3.SchemaRefs{"allOf": s.AllOf, "anyOf": s.AnyOf, "oneOf": s.OneOf} {
		for i, sub := range list {
			c.schema(fmt.Sprintf("%s/%s/%d", ptr, kw, i), sub, false)
		}
	}
}

// constrains reports whether a parameter's inline schema restricts values beyond what the
// parameter's own x-fc-evidence covers (its presence and type).
func constrains(s *openapi3.Schema) bool {
	return s.Pattern != "" || s.MinLength > 0 || s.MaxLength != nil || s.Min != nil || s.Max != nil ||
		len(s.Enum) > 0 || s.MultipleOf != nil || s.Format != "" && s.Format != "int32" && s.Format != "int64"
}

func (c *evidenceChecker) problem(ptr, reason string) {
	where := c.file
	if at := pointerLine(c.root, ptr); at > 0 {
		where = fmt.Sprintf("%s:%d", c.file, at)
	}
	c.problems = append(c.problems, fmt.Sprintf("%s: %s: %s", where, ptr, reason))
}
