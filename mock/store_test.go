package mock_test

import (
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
)

// TestStoreAloneNamesWhatDoesNotExist: a Store built with NewStore (no server, so no run-time
// resources) is its own authority on services, qualifiers and functions: Resolve, List and Add
// answer FC's code for the first thing missing, and nothing for what the fixtures hold.
func TestStoreAloneNamesWhatDoesNotExist(t *testing.T) {
	set, err := fixtures.Load(fstest.MapFS{
		"services.yaml": {Data: []byte("services:\n  - name: svc\n    functions: [fn]\n    versions: ['1']\n    aliases: {prod: '1'}\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	store := mock.NewStore(set)
	tests := []struct {
		service, qualifier, function string
		want                         fc.Code // "" for no error
	}{
		{"svc", "", "fn", ""},
		{"svc", "LATEST", "fn", ""},
		{"svc", "1", "fn", ""},
		{"svc", "prod", "fn", ""},
		{"nosvc", "", "fn", fc.CodeServiceNotFound},
		{"nosvc", "nope", "nofn", fc.CodeServiceNotFound},
		{"svc", "2", "fn", fc.CodeVersionNotFound},
		{"svc", "2", "nofn", fc.CodeVersionNotFound},
		{"svc", "nope", "fn", fc.CodeAliasNotFound},
		{"svc", "nope", "nofn", fc.CodeAliasNotFound},
		{"svc", "", "nofn", fc.CodeFunctionNotFound},
		{"svc", "LATEST", "nofn", fc.CodeFunctionNotFound},
	}
	for i, tt := range tests {
		got := map[string]fc.Code{"Resolve": fc.CodeOf(store.Resolve(tt.service, tt.qualifier, tt.function))}
		_, err := store.List(mock.Query{Service: tt.service, Qualifier: tt.qualifier, Function: tt.function, Limit: 1})
		got["List"] = fc.CodeOf(err)
		q := tt.qualifier
		if q == "" {
			q = "LATEST"
		}
		got["Add"] = fc.CodeOf(store.Add(fcapi.StatefulAsyncInvocation{ServiceName: tt.service, Qualifier: q, FunctionName: tt.function,
			InvocationId: fmt.Sprint("added-", i), RequestId: "r", Status: fcapi.Running, StartedTime: 1}))
		for op, code := range got {
			if code != tt.want {
				t.Errorf("%s(%q, %q, %q) = %q, want %q", op, tt.service, tt.qualifier, tt.function, code, tt.want)
			}
		}
	}
}
