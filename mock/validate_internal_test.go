package mock

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fcmock/fcmock/internal/spec"
)

// Only a body whose every media type is */* or octet-stream is raw (InvokeFunction's event):
// kin-openapi leaves it alone; a JSON body is validated; an operation without one has none.
func TestRawBodyIsInvokeFunctionsEvent(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	ops := map[string]*openapi3.Operation{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			ops[op.OperationID] = op
		}
	}
	tests := []struct {
		op   string
		want bool
	}{
		{"InvokeFunction", true},
		{"CreateService", false},
		{"ListStatefulAsyncInvocations", false},
	}
	for _, tt := range tests {
		op := ops[tt.op]
		if op == nil {
			t.Fatalf("no operation %s in the spec", tt.op)
		}
		if got := rawBody(op); got != tt.want {
			t.Errorf("rawBody(%s) = %v, want %v", tt.op, got, tt.want)
		}
	}
	if rawBody(&openapi3.Operation{RequestBody: &openapi3.RequestBodyRef{}}) {
		t.Error("a body reference not resolved: raw")
	}
}

// Values quoted in an error are cut after n bytes, and one of exactly n bytes is whole.
func TestTruncateCutsOnlyWhatIsLonger(t *testing.T) {
	for _, tt := range []struct{ s, want string }{{"abc", "abc"}, {"abcd", "abc..."}, {"", ""}} {
		if got := truncate(tt.s, 3); got != tt.want {
			t.Errorf("truncate(%q, 3) = %q, want %q", tt.s, got, tt.want)
		}
	}
}
