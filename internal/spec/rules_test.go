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
