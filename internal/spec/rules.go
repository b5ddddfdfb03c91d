package spec

import (
	"fmt"
	"maps"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// Kind is the JSON type a Rule accepts.
type Kind uint8

// The kinds a Rule can be compiled to. KindAny is the empty schema `{}` (any value but null).
const (
	KindAny Kind = iota + 1
	KindString
	KindInteger
	KindNumber
	KindBoolean
	KindArray
	KindObject
)

var kindNames = map[string]Kind{
	openapi3.TypeString: KindString, openapi3.TypeInteger: KindInteger, openapi3.TypeNumber: KindNumber, openapi3.TypeBoolean: KindBoolean,
	openapi3.TypeArray: KindArray, openapi3.TypeObject: KindObject,
}

// Rule is one schema of openapi.yaml, compiled once: the request fast path checks parameter
// values with it, the fixture loader each field of an invocation. It knows the keywords
// openapi.yaml uses on those schemas (type, enum, pattern, min/maxLength counted as
// kin-openapi counts them, minimum/maximum with their exclusive forms, nullable, format, items, min/maxItems,
// properties, required, additionalProperties) and reaches kin-openapi's verdict on every value
// (rules_fuzz_test.go checks that); Compile refuses a schema with any other keyword, so a spec
// change can never be silently ignored here.
type Rule struct {
	Kind     Kind
	Nullable bool
	// Object is the object's rule (KindObject); Items the items' rule (KindArray).
	Object *Object
	Items  *Rule

	schema         *openapi3.Schema
	minLen, maxLen int // code points, as kin-openapi counts (strLen); maxLen < 0: none
	match          func(string) bool
	regexp         bool     // match is the regexp package's
	enum           []string // KindString
	min, max       *float64
	exclMin        bool
	exclMax        bool
	format         string // an integer format (int32, int64) or a string format kin-openapi knows
	minItems       int
	maxItems       int // < 0: none
}

// Object is an object schema's rule: its properties by JSON name, the required ones, and what
// it says of other keys.
type Object struct {
	Props    map[string]*Rule
	Required []string
	// Additional reports whether keys that are not properties are allowed (additionalProperties
	// absent or true); AdditionalRule, when set, is the rule their values must keep.
	Additional     bool
	AdditionalRule *Rule
}

// MatchesByRegexp reports whether checking a string runs the regexp package (a pattern that is
// not an anchored sequence of ASCII classes): the one check costly enough that a caller may
// remember its verdicts.
func (r *Rule) MatchesByRegexp() bool { return r.regexp }

// Names returns the object's property names, sorted.
func (o *Object) Names() []string { return slices.Sorted(maps.Keys(o.Props)) }

// CompileSchema compiles the component schema called name ("StatefulAsyncInvocation").
func CompileSchema(name string) (*Rule, error) {
	s, err := Schema(name)
	if err != nil {
		return nil, err
	}
	r, err := Compile(s)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml's %s: %w", name, err)
	}
	return r, nil
}

// Compile compiles s. It returns an error naming the keyword when s uses one Rule does not
// model (allOf, oneOf, not, multipleOf, uniqueItems, a number type, ...).
func Compile(s *openapi3.Schema) (*Rule, error) {
	if s == nil {
		return nil, fmt.Errorf("no schema")
	}
	switch {
	case len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) > 0 || s.Not != nil:
		return nil, fmt.Errorf("allOf, anyOf, oneOf or not")
	case s.MultipleOf != nil || s.Const != nil || s.UniqueItems || s.MinProps != 0 || s.MaxProps != nil ||
		s.Discriminator != nil || s.ReadOnly || s.WriteOnly || s.AllowEmptyValue || s.Always != nil ||
		len(s.PrefixItems) > 0 || s.Contains != nil:
		return nil, fmt.Errorf("a keyword the compiled rules do not model")
	case s.ExclusiveMin.Value != nil || s.ExclusiveMax.Value != nil:
		return nil, fmt.Errorf("OpenAPI 3.1 exclusive bounds")
	}
	if s.IsEmpty() {
		return &Rule{Kind: KindAny, schema: s, maxLen: -1, maxItems: -1}, nil
	}
	if s.Type == nil || len(*s.Type) != 1 || kindNames[(*s.Type)[0]] == 0 {
		return nil, fmt.Errorf("type %v", s.Type.Slice())
	}
	r := &Rule{Kind: kindNames[(*s.Type)[0]], Nullable: s.Nullable, schema: s, minLen: int(s.MinLength), maxLen: -1,
		min: s.Min, max: s.Max, minItems: int(s.MinItems), maxItems: -1}
	r.exclMin = s.ExclusiveMin.Bool != nil && *s.ExclusiveMin.Bool && s.Min != nil
	r.exclMax = s.ExclusiveMax.Bool != nil && *s.ExclusiveMax.Bool && s.Max != nil
	if s.MaxLength != nil {
		r.maxLen = int(*s.MaxLength)
	}
	if s.MaxItems != nil {
		r.maxItems = int(*s.MaxItems)
	}
	if err := r.compileKind(s); err != nil {
		return nil, err
	}
	// Keywords of another type are ignored by kin-openapi; a schema carrying them is a mistake
	// this package would rather hear of.
	if r.Kind != KindString && (r.minLen != 0 || r.maxLen >= 0 || s.Pattern != "") ||
		r.Kind != KindInteger && r.Kind != KindNumber && (r.min != nil || r.max != nil) ||
		r.Kind != KindArray && (r.minItems != 0 || r.maxItems >= 0 || s.Items != nil) ||
		r.Kind != KindObject && (len(s.Properties) > 0 || len(s.Required) > 0) ||
		(len(s.Enum) > 0 && r.Kind != KindString) {
		return nil, fmt.Errorf("keywords of another type than %s", (*s.Type)[0])
	}
	return r, nil
}

func (r *Rule) compileKind(s *openapi3.Schema) error {
	switch r.Kind {
	case KindString:
		if s.Format != "" {
			if _, known := openapi3.SchemaStringFormats[s.Format]; known {
				r.format = s.Format
			} // an unknown format (binary) is not checked by kin-openapi either
		}
		if s.Pattern != "" {
			m, isRegexp, err := compileMatcher(s.Pattern)
			if err != nil {
				return err
			}
			r.match, r.regexp = m, isRegexp
		}
		for _, v := range s.Enum {
			str, ok := v.(string)
			if !ok {
				return fmt.Errorf("an enum of non-strings")
			}
			r.enum = append(r.enum, str)
		}
	case KindInteger:
		switch s.Format {
		case "", "int32", "int64":
			r.format = s.Format
		default:
			return fmt.Errorf("integer format %q", s.Format)
		}
	case KindNumber:
		if _, known := openapi3.SchemaNumberFormats[s.Format]; known {
			r.format = s.Format
		} // kin-openapi checks no number format (float, double) unless one is registered
	case KindBoolean:
		if s.Format != "" {
			return fmt.Errorf("boolean format %q", s.Format)
		}
	case KindArray:
		if s.Items == nil || s.Items.Value == nil {
			return fmt.Errorf("an array without items")
		}
		items, err := Compile(s.Items.Value)
		if err != nil {
			return fmt.Errorf("items: %w", err)
		}
		r.Items = items
	case KindObject:
		o, err := compileObject(s)
		if err != nil {
			return err
		}
		r.Object = o
	}
	return nil
}

func compileObject(s *openapi3.Schema) (*Object, error) {
	o := &Object{Props: make(map[string]*Rule, len(s.Properties)), Required: s.Required,
		Additional: s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has}
	for name, ref := range s.Properties {
		if ref == nil || ref.Value == nil {
			return nil, fmt.Errorf("property %q: unresolved", name)
		}
		p, err := Compile(ref.Value)
		if err != nil {
			return nil, fmt.Errorf("property %q: %w", name, err)
		}
		o.Props[name] = p
	}
	if ap := s.AdditionalProperties.Schema; ap != nil && o.Additional {
		if ap.Value == nil {
			return nil, fmt.Errorf("additionalProperties: unresolved")
		}
		r, err := Compile(ap.Value)
		if err != nil {
			return nil, fmt.Errorf("additionalProperties: %w", err)
		}
		o.AdditionalRule = r
	}
	return o, nil
}

// CompileParameter compiles a path, query or header parameter whose value is one string,
// integer or boolean in the simple or form style. It returns an error for anything else
// (content, other styles, arrays and objects): such parameters are kin-openapi's alone.
func CompileParameter(p *openapi3.Parameter) (*Rule, error) {
	if p.Content != nil || p.Schema == nil || p.Schema.Value == nil || p.AllowEmptyValue ||
		(p.Style != "" && p.Style != openapi3.SerializationSimple && p.Style != openapi3.SerializationForm) {
		return nil, fmt.Errorf("parameter %q: not a plain value", p.Name)
	}
	r, err := Compile(p.Schema.Value)
	if err != nil {
		return nil, fmt.Errorf("parameter %q: %w", p.Name, err)
	}
	if r.Kind != KindString && r.Kind != KindInteger && r.Kind != KindBoolean || r.Nullable {
		return nil, fmt.Errorf("parameter %q: not a plain value", p.Name)
	}
	return r, nil
}
