package spec_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fcmock/fcmock/internal/spec"
)

// Each keyword a Rule models, on values at and around its edges: the compiled rule gives
// exactly kin-openapi's issues (pointer and wording).
func TestEachKeywordAgreesWithKinOpenAPI(t *testing.T) {
	for _, tt := range []struct {
		name        string
		givenSchema string
		whenValues  []string
	}{
		{"maxLength alone", `{"type":"string","maxLength":3}`, []string{`"abc"`, `"abcd"`, `"éé"`, `"😀😀"`, `""`}},
		{"maxLength 0", `{"type":"string","maxLength":0}`, []string{`""`, `"a"`}},
		{"minLength", `{"type":"string","minLength":2}`, []string{`"a"`, `"ab"`, `"😀"`}},
		{"pattern not of classes", `{"type":"string","pattern":"^(ab)+$"}`, []string{`"abab"`, `"aba"`}},
		{"pattern unanchored", `{"type":"string","pattern":"[0-9]"}`, []string{`"a1"`, `"ab"`}},
		{"pattern with \\u", `{"type":"string","pattern":"^[\\u0041-\\u0043]+$"}`, []string{`"ABC"`, `"abc"`}},
		{"pattern varying before its end", `{"type":"string","pattern":"^[a-z]{1,3}[a-z]$"}`, []string{`"ab"`, `"abcd"`, `"a"`, `"abcde"`}},
		{"pattern with a class past ASCII", `{"type":"string","pattern":"^[a-\\x{80}]{2}$"}`, []string{`"ab"`, `"a\u0080"`, `"a"`}},
		{"pattern with a star", `{"type":"string","pattern":"^[a-z]*$"}`, []string{`""`, `"a"`, `"abc"`, `"ab1"`}},
		{"pattern with an optional step", `{"type":"string","pattern":"^[a-z]?$"}`, []string{`""`, `"a"`, `"ab"`}},
		{"pattern with a step repeated 0 times", `{"type":"string","pattern":"^a{0}b$"}`, []string{`"b"`, `"ab"`, `"aab"`}},
		{"pattern with a case-folded literal", `{"type":"string","pattern":"(?i)^a$"}`, []string{`"a"`, `"A"`, `"b"`}},
		{"pattern of one literal past ASCII", `{"type":"string","pattern":"^\\x{80}$"}`, []string{`"\u0080"`, `"a"`}},
		{"format date-time", `{"type":"string","format":"date-time"}`, []string{`"2026-12-01T00:00:00Z"`, `"2026-13-01T00:00:00Z"`, `"x"`}},
		{"format binary (unchecked)", `{"type":"string","format":"binary"}`, []string{`"anything"`}},
		{"enum", `{"type":"string","enum":["a","b"]}`, []string{`"a"`, `"c"`, `1`, `true`, `null`, `[]`, `{}`}},
		{"nullable", `{"type":"string","nullable":true}`, []string{`null`, `"a"`, `1`}},
		{"boolean", `{"type":"boolean"}`, []string{`true`, `"true"`, `0`, `null`, `[]`}},
		{"int32", `{"type":"integer","format":"int32"}`, []string{`2147483647`, `2147483648`, `-2147483648`, `-2147483649`, `1.5`, `-9223372036854775808`}},
		{"int64", `{"type":"integer","format":"int64"}`, []string{`9223372036854775807`, `9223372036854775808`, `1e19`, `-1e19`, `-9223372036854775808`}},
		{"minimum and maximum", `{"type":"integer","minimum":1,"maximum":3}`, []string{`0`, `1`, `3`, `4`}},
		{"exclusive bounds", `{"type":"integer","minimum":1,"maximum":3,"exclusiveMinimum":true,"exclusiveMaximum":true}`, []string{`0`, `1`, `2`, `3`, `4`}},
		{"number", `{"type":"number","format":"double","minimum":0.5}`, []string{`0.5`, `0.4`, `1`, `"1"`}},
		{"array bounds", `{"type":"array","minItems":1,"maxItems":2,"items":{"type":"integer"}}`, []string{`[]`, `[1]`, `[1,2]`, `[1,2,3]`, `["a"]`, `{}`, `1`}},
		{"maxItems 0", `{"type":"array","maxItems":0,"items":{"type":"integer"}}`, []string{`[]`, `[1]`}},
		{"closed object", `{"type":"object","required":["a"],"additionalProperties":false,"properties":{"a":{"type":"string"}}}`,
			[]string{`{"a":"x"}`, `{"a":"x","b":1}`, `{}`, `{"a":1}`, `[]`, `"x"`}},
		{"object of a type", `{"type":"object","additionalProperties":{"type":"integer"}}`, []string{`{"a":1}`, `{"a":"x"}`}},
		{"any value", `{}`, []string{`1`, `"x"`, `[]`, `{}`, `null`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var s openapi3.Schema
			if err := json.Unmarshal([]byte(tt.givenSchema), &s); err != nil {
				t.Fatal(err)
			}
			rule, err := spec.Compile(&s)
			if err != nil {
				t.Fatal(err)
			}
			for _, text := range tt.whenValues {
				var v any
				if err := json.Unmarshal([]byte(text), &v); err != nil {
					t.Fatal(err)
				}
				want := summary(spec.Issues(s.VisitJSON(v, openapi3.MultiErrors())))
				if got := summary(rule.Issues(v)); !slices.Equal(got, want) {
					t.Errorf("%s:\n got %q\nwant %q", text, got, want)
				}
			}
		})
	}
}

// The checks the loader and the request fast path call directly agree with Issues.
func TestDirectChecks(t *testing.T) {
	var s openapi3.Schema
	if err := json.Unmarshal([]byte(`{"type":"integer","minimum":1,"maximum":100,"format":"int32"}`), &s); err != nil {
		t.Fatal(err)
	}
	limit, err := spec.Compile(&s)
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]bool{"1": true, "100": true, "0": false, "101": false, "-1": false,
		"01": false, "+1": false, "1.0": false, "": false, "-": false, "1234567890123456": false, "x": false} {
		if got := limit.ValidText(text); got != want {
			t.Errorf("ValidText(%q) = %v, want %v", text, got, want)
		}
	}
	plain, err := spec.Compile(&openapi3.Schema{Type: &openapi3.Types{"integer"}, Format: "int64"})
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]bool{"0": true, "9": true, "-9": true, "999999999999999": true,
		"9999999999999999": false, "00": false, "-0": true, ":": false, "/": false} {
		if got := plain.ValidText(text); got != want {
			t.Errorf("int64 ValidText(%q) = %v, want %v", text, got, want)
		}
	}
	if limit.CheckInt(50) != "" || limit.CheckInt(0) == "" || limit.CheckString("5") == "" || limit.CheckBool() == "" || limit.CheckNull() == "" {
		t.Error("integer rule: wrong verdicts")
	}
	id, err := spec.Compile(&openapi3.Schema{Type: &openapi3.Types{"string"}, Pattern: "^[a-z][a-z0-9-]*$"})
	if err != nil {
		t.Fatal(err)
	}
	if !id.ValidText("job-1") || id.ValidText("job.1") || id.ValidText("") {
		t.Error("string rule: wrong ValidText verdicts")
	}
	flag := &openapi3.Schema{Type: &openapi3.Types{"boolean"}}
	b, err := spec.Compile(flag)
	if err != nil {
		t.Fatal(err)
	}
	if !b.ValidText("true") || !b.ValidText("false") || b.ValidText("TRUE") || b.ValidText("1") || b.CheckBool() != "" {
		t.Error("boolean rule: wrong verdicts")
	}
}
