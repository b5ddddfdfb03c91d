package spec_test

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fcmock/fcmock/internal/spec"
)

// FuzzRulesAgreeWithKinOpenAPI decodes the input as JSON and checks it against every component
// schema, and against every property of every object schema (so that scalars meet the value
// rules directly): the compiled rule and kin-openapi's VisitJSON must agree on whether it is
// valid. The fixture loader and the request fast path rely on that agreement.
func FuzzRulesAgreeWithKinOpenAPI(f *testing.F) {
	for _, seed := range []string{
		`{"serviceName":"svc","functionName":"fn","qualifier":"LATEST","invocationId":"id","requestId":"r","status":"Running","startedTime":1,"endTime":0,"alreadyRetriedTimes":0,"events":[{"eventId":1,"status":"Enqueued","timestamp":1}]}`,
		`{"serviceName":"9svc","status":"Done","startedTime":1.5,"endTime":-1,"events":{}}`,
		`"Succeeded"`, `"a.b"`, `""`, `"é"`, `"😀😀"`, `"2026-12-01T00:00:00Z"`, `"2026-02-30"`,
		`0`, `-1`, `1.5`, `1e19`, `9223372036854775807`, `-9223372036854775808`, `2147483648`, `100`, `101`,
		`null`, `true`, `[]`, `[{"eventId":1}]`, `{}`, `{"invocations":[],"nextToken":null}`,
	} {
		f.Add(seed)
	}
	doc, err := spec.Load()
	if err != nil {
		f.Fatal(err)
	}
	type pair struct {
		name   string
		schema *openapi3.Schema
		rule   *spec.Rule
	}
	var pairs []pair
	for _, name := range slices.Sorted(maps.Keys(doc.Components.Schemas)) {
		s := doc.Components.Schemas[name].Value
		r, err := spec.Compile(s)
		if err != nil {
			f.Fatal(err)
		}
		pairs = append(pairs, pair{name, s, r})
		for prop, ref := range s.Properties {
			pairs = append(pairs, pair{name + "." + prop, ref.Value, r.Object.Props[prop]})
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		var v any
		if json.Unmarshal([]byte(text), &v) != nil {
			return
		}
		for _, p := range pairs {
			kinErr := p.schema.VisitJSON(v, openapi3.MultiErrors())
			issues := p.rule.Issues(v)
			if (kinErr == nil) != (len(issues) == 0) {
				t.Fatalf("%s on %s: kin-openapi says %v, the compiled rule %v", p.name, text, kinErr, issues)
			}
		}
	})
}
