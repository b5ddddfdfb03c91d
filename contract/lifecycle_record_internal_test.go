package contract

import (
	"encoding/json"
	"testing"
)

// Two reads' fields are compared as JSON values (key order and blanks aside, numbers as
// written), and shown compacted; text that is not JSON is compared and shown as it is.
func TestFieldsAreComparedAsJSON(t *testing.T) {
	same := []struct {
		a, b string
		want bool
	}{
		{`{"a":1,"b":[2,3]}`, `{ "b": [2, 3], "a": 1 }`, true},
		{`{"a":1}`, `{"a":2}`, false},
		{`1.0`, `1`, false},
		{`not json`, `not json`, true},
		{`not json`, `not JSON`, false},
		{`{"a":1}`, `{"a":1`, false},
	}
	for _, tt := range same {
		if got := sameJSON(json.RawMessage(tt.a), json.RawMessage(tt.b)); got != tt.want {
			t.Errorf("sameJSON(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := sameJSON(json.RawMessage(tt.b), json.RawMessage(tt.a)); got != tt.want {
			t.Errorf("sameJSON(%s, %s) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
	for in, want := range map[string]string{`{ "a" : [1, 2] }`: `{"a":[1,2]}`, `{oops`: `{oops`} {
		if got := compact(json.RawMessage(in)); got != want {
			t.Errorf("compact(%s) = %s, want %s", in, got, want)
		}
	}
}
