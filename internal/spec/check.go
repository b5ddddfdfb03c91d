package spec

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
)

// The checks return why a value breaks the rule, worded as kin-openapi words it, or "" when it
// keeps the rule; they do not allocate when it does. A value breaking several keywords gets the
// first reason kin-openapi gives (Issues lists them all).

// CheckString checks a string value.
func (r *Rule) CheckString(s string) string { return first(r.stringReasons(s, nil)) }

// CheckInt checks an integer value. Like kin-openapi, it compares the value with the bounds
// as a float64.
func (r *Rule) CheckInt(n int64) string { return first(r.numberReasons(float64(n), nil)) }

// CheckBool checks a boolean value.
func (r *Rule) CheckBool() string {
	switch {
	case r.enum != nil:
		return r.enumReason()
	case r.Kind != KindBoolean && r.Kind != KindAny:
		return r.expected()
	}
	return ""
}

// CheckNull checks a null value.
func (r *Rule) CheckNull() string {
	switch {
	case r.Nullable:
		return ""
	case r.enum != nil:
		return r.enumReason()
	}
	return "Value is not nullable"
}

func first(reasons []string) string {
	if len(reasons) == 0 {
		return ""
	}
	return reasons[0]
}

func (r *Rule) stringReasons(s string, out []string) []string {
	switch {
	case r.enum != nil && !slices.Contains(r.enum, s):
		return append(out, r.enumReason())
	case r.Kind == KindAny:
		return out
	case r.Kind != KindString:
		return append(out, r.expected())
	}
	if r.minLen != 0 || r.maxLen >= 0 {
		n := strLen(s)
		if n < r.minLen {
			out = append(out, "minimum string length is "+strconv.Itoa(r.minLen))
		}
		if r.maxLen >= 0 && n > r.maxLen {
			out = append(out, "maximum string length is "+strconv.Itoa(r.maxLen))
		}
	}
	if r.match != nil && !r.match(s) {
		out = append(out, `string doesn't match the regular expression "`+r.schema.Pattern+`"`)
	}
	if r.format != "" {
		if f, ok := openapi3.SchemaStringFormats[r.format]; ok {
			if err := f.Validate(s); err != nil {
				out = append(out, fmt.Sprintf("string doesn't match the format %q (%v)", r.format, err))
			}
		}
	}
	return out
}

func (r *Rule) numberReasons(f float64, out []string) []string {
	switch {
	case r.enum != nil:
		return append(out, r.enumReason())
	case r.Kind == KindAny:
		return out
	case r.Kind == KindInteger && math.Trunc(f) != f:
		out = append(out, "value must be an integer")
	case r.Kind != KindInteger && r.Kind != KindNumber:
		return append(out, r.expected())
	}
	if err := r.formatError(f); err != nil {
		kind := "number"
		if r.Kind == KindInteger {
			kind = "integer"
		}
		out = append(out, fmt.Sprintf("%s doesn't match the format %q (%v)", kind, r.format, err))
	}
	if r.exclMin && !(f > *r.min) {
		out = append(out, fmt.Sprintf("number must be more than %g", *r.min))
	}
	if r.exclMax && !(f < *r.max) {
		out = append(out, fmt.Sprintf("number must be less than %g", *r.max))
	}
	if r.min != nil && !(*r.min <= f) {
		out = append(out, fmt.Sprintf("number must be at least %g", *r.min))
	}
	if r.max != nil && !(*r.max >= f) {
		out = append(out, fmt.Sprintf("number must be at most %g", *r.max))
	}
	return out
}

// formatError checks f against the rule's format with kin-openapi's validator for it, converting
// f as kin-openapi does.
func (r *Rule) formatError(f float64) error {
	if r.format == "" {
		return nil
	}
	if r.Kind == KindNumber {
		if v, ok := openapi3.SchemaNumberFormats[r.format]; ok {
			return v.Validate(f)
		}
		return nil
	}
	v, ok := openapi3.SchemaIntegerFormats[r.format]
	switch {
	case !ok:
		return nil
	case f == float64(math.MaxInt64): // 2^63: math.MaxInt64 rounds up to it
		return v.Validate(math.MaxInt64)
	case f >= float64(math.MinInt64) && f < float64(math.MaxInt64):
		return v.Validate(int64(f))
	}
	return fmt.Errorf("value should be between %v and %v", int64(math.MinInt64), int64(math.MaxInt64))
}

func (r *Rule) expected() string {
	switch r.Kind {
	case KindInteger:
		return "value must be an integer"
	case KindNumber:
		return "value must be a number"
	case KindArray:
		return "value must be an array"
	case KindObject:
		return "value must be an object"
	case KindBoolean:
		return "value must be a boolean"
	}
	return "value must be a string"
}

func (r *Rule) enumReason() string {
	allowed, _ := json.Marshal(r.enum)
	return "value is not one of the allowed values " + string(allowed)
}

// ValidText reports whether v, a parameter's text as sent in a path or query, is valid by the
// rule. It is cautious: an integer must be a plain decimal of at most 15 digits (exact as the
// float64 kin-openapi reads it), a boolean `true` or `false`. false means "not sure", not
// "invalid".
func (r *Rule) ValidText(v string) bool {
	switch r.Kind {
	case KindString:
		return r.CheckString(v) == ""
	case KindInteger:
		digits := strings.TrimPrefix(v, "-")
		if digits == "" || len(digits) > 15 || (digits[0] == '0' && len(digits) > 1) {
			return false
		}
		for i := 0; i < len(digits); i++ {
			if digits[i] < '0' || digits[i] > '9' {
				return false
			}
		}
		n, err := strconv.ParseInt(v, 10, 64)
		return err == nil && r.CheckInt(n) == ""
	case KindBoolean:
		return v == "true" || v == "false"
	}
	return false
}

// CheckLen checks the length of an array (KindArray).
func (r *Rule) CheckLen(n int) string {
	if r.Kind != KindArray {
		return r.expected()
	}
	if n < r.minItems {
		return "minimum number of items is " + strconv.Itoa(r.minItems)
	}
	if r.maxItems >= 0 && n > r.maxItems {
		return "maximum number of items is " + strconv.Itoa(r.maxItems)
	}
	return ""
}

// strLen counts s as kin-openapi counts string lengths: in code points. (Its comment says UTF-16
// units, as JSON Schema would, but it adds 2 only for a rune that is a surrogate, which no rune
// decoded from a Go string is; so an emoji counts 1. The rules follow kin-openapi, the reference.)
func strLen(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return utf8.RuneCountInString(s)
		}
	}
	return len(s)
}

// Issues checks a decoded JSON value (nil, bool, float64, string, []any, map[string]any, as
// encoding/json makes them) against the rule, as kin-openapi's VisitJSON does, and returns one
// Issue per failure (nil when v keeps the rule).
func (r *Rule) Issues(v any) []Issue {
	var out []Issue
	r.visit(v, nil, &out)
	return out
}

func (r *Rule) visit(v any, path []string, out *[]Issue) {
	add := func(reasons ...string) {
		for _, reason := range reasons {
			if reason != "" {
				*out = append(*out, Issue{Path: slices.Clone(path), Reason: reason, Schema: r.schema})
			}
		}
	}
	if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
		add("NaN or Inf is not a JSON number")
		return
	}
	switch v := v.(type) {
	case nil:
		add(r.CheckNull())
	case bool:
		add(r.CheckBool())
	case float64:
		add(r.numberReasons(v, nil)...)
	case string:
		add(r.stringReasons(v, nil)...)
	case []any, map[string]any:
		switch {
		case r.Kind == KindAny:
		case r.enum != nil:
			add(r.enumReason())
		case r.Kind == KindArray && isArray(v):
			add(r.CheckLen(len(v.([]any))))
			for i, item := range v.([]any) {
				r.Items.visit(item, append(path, strconv.Itoa(i)), out)
			}
		case r.Kind == KindObject && !isArray(v):
			r.visitObject(v.(map[string]any), path, out, add)
		default:
			add(r.expected())
		}
	default:
		add(fmt.Sprintf("unhandled value of type %T", v))
	}
}

func isArray(v any) bool {
	_, ok := v.([]any)
	return ok
}

func (r *Rule) visitObject(v map[string]any, path []string, out *[]Issue, add func(...string)) {
	o := r.Object
	for _, k := range slices.Sorted(maps.Keys(v)) {
		switch p := o.Props[k]; {
		case p != nil:
			p.visit(v[k], append(path, k), out)
		case !o.Additional:
			add(fmt.Sprintf("property %q is unsupported", k))
		case o.AdditionalRule != nil:
			o.AdditionalRule.visit(v[k], append(path, k), out)
		}
	}
	for _, k := range o.Required {
		if _, ok := v[k]; !ok {
			*out = append(*out, Issue{Path: append(slices.Clone(path), k), Reason: fmt.Sprintf("property %q is missing", k), Schema: r.schema})
		}
	}
}
