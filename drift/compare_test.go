package drift_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fcmock/fcmock/drift"
	"github.com/fcmock/fcmock/internal/spec"
)

const listOp = "ListStatefulAsyncInvocations"

func invocation(mut func(map[string]any)) map[string]any {
	inv := map[string]any{"serviceName": "s", "functionName": "f", "qualifier": "LATEST", "invocationId": "i",
		"requestId": "r", "status": "Running", "startedTime": float64(1), "endTime": float64(0), "alreadyRetriedTimes": float64(0)}
	if mut != nil {
		mut(inv)
	}
	return inv
}

func page(invs ...map[string]any) any {
	items := make([]any, len(invs))
	for i, inv := range invs {
		items[i] = inv
	}
	return map[string]any{"invocations": items}
}

// Compare names each kind of drift once, at its place, and stays quiet about traffic that
// matches the spec.
func TestCompareNamesEachDrift(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	body := doc.Paths.Find("/2016-08-15/services/{serviceName}/functions/{functionName}/stateful-async-invocations").Get.Responses.Status(200).Value.Content.Get("application/json").Schema.Value
	errBody := doc.Components.Schemas["Error"].Value
	tests := []struct {
		name   string
		given  []drift.Exchange
		expect []string // kind + " " + where, each must be in the drift; none means no drift
	}{
		{name: "a conforming page", given: []drift.Exchange{{Status: 200, Body: page(invocation(nil)), Schema: body}}},
		{name: "a type change", given: []drift.Exchange{{Status: 200, Schema: body,
			Body: page(invocation(func(m map[string]any) { m["startedTime"] = "2020-08-20T02:28:21Z" }))}},
			expect: []string{"type /invocations/*/startedTime"}},
		{name: "a required field gone from one of two", given: []drift.Exchange{{Status: 200, Schema: body,
			Body: page(invocation(nil), invocation(func(m map[string]any) { delete(m, "requestId") }))}},
			expect: []string{"missing /invocations/*/requestId"}},
		{name: "an undeclared error code", given: []drift.Exchange{{Status: 404, Schema: errBody,
			Body: map[string]any{"ErrorCode": "NoSuchThing", "ErrorMessage": "x"}}},
			expect: []string{"error-code NoSuchThing"}},
		{name: "a declared error code", given: []drift.Exchange{{Status: 404, Schema: errBody,
			Body: map[string]any{"ErrorCode": "FunctionNotFound", "ErrorMessage": "x"}}}},
		{name: "a path the spec lacks", given: []drift.Exchange{{Operation: "-", Method: "GET", Path: "/2016-08-15/services", Status: 200}},
			expect: []string{"path GET /2016-08-15/services"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr drift.Traffic
			for _, ex := range tt.given {
				if ex.Operation == "" {
					ex.Operation, ex.Method = listOp, http.MethodGet
				} else if ex.Operation == "-" {
					ex.Operation = ""
				}
				ex.Header = http.Header{"X-Fc-Request-Id": {"r"}}
				tr.Add(ex)
			}
			// Through Merge, as `fcmock drift` reads reports.
			var merged drift.Traffic
			merged.Merge(&tr)
			res := drift.Compare(doc, &merged)
			var got []string
			for _, f := range res.Drift {
				got = append(got, f.Kind+" "+f.Where)
			}
			if len(tt.expect) == 0 && len(got) > 0 {
				t.Fatalf("drift in conforming traffic: %q", got)
			}
			for _, want := range tt.expect {
				if !strings.Contains(strings.Join(got, "\n")+"\n", want+"\n") {
					t.Errorf("drift %q lacks %q", got, want)
				}
			}
		})
	}
}
