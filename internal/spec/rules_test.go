package spec_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fcmock/fcmock/internal/spec"
)

// Every component schema compiles: a spec change that uses a keyword the rules do not model
// fails here, naming the schema and the keyword, instead of being ignored by the fast paths.
func TestComponentSchemasCompile(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range slices.Sorted(maps.Keys(doc.Components.Schemas)) {
		if _, err := spec.CompileSchema(name); err != nil {
			t.Error(err)
		}
	}
}

func TestCompileRefusesWhatItDoesNotModel(t *testing.T) {
	one := 1.0
	for name, s := range map[string]*openapi3.Schema{
		"multipleOf":            {Type: &openapi3.Types{"integer"}, MultipleOf: &one},
		"oneOf":                 {OneOf: openapi3.SchemaRefs{openapi3.NewSchemaRef("", openapi3.NewStringSchema())}},
		"uniqueItems":           {Type: &openapi3.Types{"array"}, UniqueItems: true, Items: openapi3.NewSchemaRef("", openapi3.NewStringSchema())},
		"two types":             {Type: &openapi3.Types{"string", "integer"}},
		"int enum":              {Type: &openapi3.Types{"integer"}, Enum: []any{1.0}},
		"pattern on an integer": {Type: &openapi3.Types{"integer"}, Pattern: "^1$"},
		"bad pattern":           {Type: &openapi3.Types{"string"}, Pattern: "(("},
		// Beside a type, so that only the combinator can be the reason.
		"allOf beside a type":     {Type: &openapi3.Types{"string"}, AllOf: openapi3.SchemaRefs{openapi3.NewSchemaRef("", openapi3.NewStringSchema())}},
		"anyOf beside a type":     {Type: &openapi3.Types{"string"}, AnyOf: openapi3.SchemaRefs{openapi3.NewSchemaRef("", openapi3.NewStringSchema())}},
		"oneOf beside a type":     {Type: &openapi3.Types{"string"}, OneOf: openapi3.SchemaRefs{openapi3.NewSchemaRef("", openapi3.NewStringSchema())}},
		"not beside a type":       {Type: &openapi3.Types{"string"}, Not: openapi3.NewSchemaRef("", openapi3.NewIntegerSchema())},
		"3.1 exclusiveMinimum":    {Type: &openapi3.Types{"integer"}, ExclusiveMin: openapi3.ExclusiveBound{Value: &one}},
		"minLength on an integer": {Type: &openapi3.Types{"integer"}, MinLength: 1},
		"minimum on a string":     {Type: &openapi3.Types{"string"}, Min: &one},
		"maximum on a boolean":    {Type: &openapi3.Types{"boolean"}, Max: &one},
		"minItems on a string":    {Type: &openapi3.Types{"string"}, MinItems: 1},
		"items on a string":       {Type: &openapi3.Types{"string"}, Items: openapi3.NewSchemaRef("", openapi3.NewStringSchema())},
		"required on a string":    {Type: &openapi3.Types{"string"}, Required: []string{"a"}},
		"format on a boolean":     {Type: &openapi3.Types{"boolean"}, Format: "flag"},
		"unknown integer format":  {Type: &openapi3.Types{"integer"}, Format: "int16"},
		"array without items":     {Type: &openapi3.Types{"array"}},
	} {
		if _, err := spec.Compile(s); err == nil {
			t.Errorf("%s: compiled", name)
		}
	}
}

// The compiled rules word a broken rule as kin-openapi does, and locate it by the same pointer.
func TestIssuesWordedAsKinOpenAPI(t *testing.T) {
	schema, err := spec.Schema("StatefulAsyncInvocation")
	if err != nil {
		t.Fatal(err)
	}
	rule, err := spec.CompileSchema("StatefulAsyncInvocation")
	if err != nil {
		t.Fatal(err)
	}
	good := `"serviceName":"svc","functionName":"fn","qualifier":"LATEST","invocationId":"id","requestId":"r",` +
		`"status":"Running","startedTime":1,"endTime":0,"alreadyRetriedTimes":0`
	for _, tt := range []struct{ name, givenJSON string }{
		{"valid", `{` + good + `}`},
		{"valid with events", `{` + good + `,"events":[{"eventId":1,"status":"Enqueued","timestamp":1,"eventDetail":""}]}`},
		{"string for an integer", `{` + strings.Replace(good, `"startedTime":1`, `"startedTime":"1"`, 1) + `}`},
		{"fraction", `{` + strings.Replace(good, `"startedTime":1`, `"startedTime":1.5`, 1) + `}`},
		{"negative", `{` + strings.Replace(good, `"endTime":0`, `"endTime":-1`, 1) + `}`},
		{"beyond int64", `{` + strings.Replace(good, `"endTime":0`, `"endTime":1e19`, 1) + `}`},
		{"enum", `{` + strings.Replace(good, `"Running"`, `"Done"`, 1) + `}`},
		{"pattern", `{` + strings.Replace(good, `"id"`, `"a.b"`, 1) + `}`},
		{"too long", `{` + strings.Replace(good, `"id"`, `"`+strings.Repeat("é", 129)+`"`, 1) + `}`},
		{"too long in ASCII", `{` + strings.Replace(good, `"id"`, `"`+strings.Repeat("a", 129)+`"`, 1) + `}`},
		{"too short", `{` + strings.Replace(good, `"r"`, `""`, 1) + `}`},
		{"missing", `{` + strings.Replace(good, `"requestId":"r",`, ``, 1) + `}`},
		{"null", `{` + strings.Replace(good, `"requestId":"r"`, `"requestId":null`, 1) + `}`},
		{"null enum", `{` + strings.Replace(good, `"status":"Running"`, `"status":null`, 1) + `}`},
		{"number for a string", `{` + strings.Replace(good, `"r"`, `7`, 1) + `}`},
		{"events not a list", `{` + good + `,"events":{}}`},
		{"event missing a key", `{` + good + `,"events":[{"eventId":1,"status":"Enqueued"}]}`},
		{"not an object", `[1]`},
		{"bool for an enum", `{` + strings.Replace(good, `"Running"`, `true`, 1) + `}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			if err := json.Unmarshal([]byte(tt.givenJSON), &v); err != nil {
				t.Fatal(err)
			}
			want := summary(spec.Issues(schema.VisitJSON(v, openapi3.MultiErrors())))
			if got := summary(rule.Issues(v)); !slices.Equal(got, want) {
				t.Errorf("issues\n got %q\nwant %q", got, want)
			}
		})
	}
}

// A byte that is not UTF-8 fails a pattern of ASCII classes (kin-openapi's regexp reads it as
// U+FFFD), and does not trip the byte-by-byte matcher.
func TestPatternRefusesBrokenUTF8(t *testing.T) {
	rule, err := spec.CompileSchema("StatefulAsyncInvocation")
	if err != nil {
		t.Fatal(err)
	}
	id := rule.Object.Props["invocationId"]
	for _, s := range []string{"a\x80b", "\x80", "a\xffb"} {
		if id.CheckString(s) == "" {
			t.Errorf("invocationId %q passed", s)
		}
	}
	if id.CheckString("a-b_9") != "" {
		t.Error("a plain id failed")
	}
}

func summary(issues []spec.Issue) []string {
	var out []string
	for _, i := range issues {
		out = append(out, i.Pointer()+": "+i.Reason)
	}
	slices.Sort(out)
	return out
}

// The name, id and time patterns of openapi.yaml are anchored sequences of ASCII classes: they
// are matched byte by byte, and MatchesByRegexp says so (the mock remembers verdicts only for
// the costly regexp matches). Any other shape goes to the regexp package.
func TestPatternsOfClassesSkipTheRegexpPackage(t *testing.T) {
	for pattern, wantRegexp := range map[string]bool{
		`^[A-Za-z_][A-Za-z0-9_-]{0,127}$`: false,
		`^[0-9a-f]{32}$`:                  false,
		`^[0-9]{1,20}$`:                   false,
		`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$`:             false,
		`^[A-Za-z_][A-Za-z0-9_-]{0,127}(\.[A-Za-z0-9_][A-Za-z0-9_-]{0,127})?$`: true,
		`^[a-z]{1,3}[a-z]$`: true, // a step that varies before the last
		`[0-9]`:             true, // not anchored
		`^$`:                true,
		`^[a-z]+`:           true,
	} {
		rule, err := spec.Compile(&openapi3.Schema{Type: &openapi3.Types{"string"}, Pattern: pattern})
		if err != nil {
			t.Fatal(err)
		}
		if got := rule.MatchesByRegexp(); got != wantRegexp {
			t.Errorf("%s: MatchesByRegexp = %v, want %v", pattern, got, wantRegexp)
		}
	}
}

// A parameter compiles only when its value is one plain string, integer or boolean: anything
// else (content, another style, a nullable, array, object or number value) is kin-openapi's.
func TestCompileParameterTakesOnlyPlainValues(t *testing.T) {
	param := func(edit func(*openapi3.Parameter)) *openapi3.Parameter {
		p := &openapi3.Parameter{Name: "limit", In: "query", Schema: openapi3.NewSchemaRef("", openapi3.NewIntegerSchema())}
		edit(p)
		return p
	}
	schema := func(s *openapi3.Schema) func(*openapi3.Parameter) {
		return func(p *openapi3.Parameter) { p.Schema = openapi3.NewSchemaRef("", s) }
	}
	for _, tt := range []struct {
		name  string
		given func(*openapi3.Parameter)
		ok    bool
	}{
		{"an integer", func(*openapi3.Parameter) {}, true},
		{"a string in the simple style", func(p *openapi3.Parameter) {
			p.Style, p.Schema = openapi3.SerializationSimple, openapi3.NewSchemaRef("", openapi3.NewStringSchema())
		}, true},
		{"a boolean in the form style", func(p *openapi3.Parameter) {
			p.Style, p.Schema = openapi3.SerializationForm, openapi3.NewSchemaRef("", openapi3.NewBoolSchema())
		}, true},
		{"content", func(p *openapi3.Parameter) { p.Content = openapi3.NewContentWithJSONSchema(openapi3.NewStringSchema()) }, false},
		{"no schema", func(p *openapi3.Parameter) { p.Schema = nil }, false},
		{"an unresolved schema", func(p *openapi3.Parameter) { p.Schema = &openapi3.SchemaRef{Ref: "#/components/schemas/X"} }, false},
		{"allowEmptyValue", func(p *openapi3.Parameter) { p.AllowEmptyValue = true }, false},
		{"the deepObject style", func(p *openapi3.Parameter) { p.Style = openapi3.SerializationDeepObject }, false},
		{"a keyword not modelled", schema(&openapi3.Schema{Type: &openapi3.Types{"integer"}, UniqueItems: true}), false},
		{"a nullable string", schema(openapi3.NewStringSchema().WithNullable()), false},
		{"a number", schema(openapi3.NewFloat64Schema()), false},
		{"an array", schema(openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema())), false},
		{"an object", schema(openapi3.NewObjectSchema()), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := spec.CompileParameter(param(tt.given))
			if tt.ok && (err != nil || r == nil) {
				t.Fatalf("refused: %v", err)
			}
			if !tt.ok && err == nil {
				t.Fatal("compiled")
			}
		})
	}
}

// A length keyword of another type is refused even at zero, where `maxLength: 0` still means
// something to a string: kin-openapi would ignore it on an integer, silently.
func TestCompileRefusesZeroBoundsOfAnotherType(t *testing.T) {
	zero := uint64(0)
	for name, s := range map[string]*openapi3.Schema{
		"maxLength 0 on an integer": {Type: &openapi3.Types{"integer"}, MaxLength: &zero},
		"maxItems 0 on a string":    {Type: &openapi3.Types{"string"}, MaxItems: &zero},
	} {
		if _, err := spec.Compile(s); err == nil {
			t.Errorf("%s: compiled", name)
		}
	}
}
