package spec_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fcmock/fcmock/internal/spec"
)

// The repo's openapi.yaml must load and validate, examples included, with nothing to warn about.
func TestOpenAPIFileValidates(t *testing.T) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("../../openapi.yaml")
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi version = %q, want 3.0.3", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		t.Fatalf("openapi.yaml does not validate: %v", err)
	}
}

func TestEmbeddedSpecMatchesFile(t *testing.T) {
	raw, err := os.ReadFile("../../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fileDoc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(embedded.Paths.Map()), len(fileDoc.Paths.Map()); got != want {
		t.Errorf("embedded spec has %d paths, openapi.yaml %d: run make generate", got, want)
	}
	if len(embedded.Servers) != 0 {
		t.Errorf("Load left %d servers; routing would match the Host header", len(embedded.Servers))
	}
	for _, name := range []string{"StatefulAsyncInvocation", "ListStatefulAsyncInvocationsOutput", "Error"} {
		if _, err := spec.Schema(name); err != nil {
			t.Error(err)
		}
	}
}

// The router finds the operation of a request to the mock's host (the spec's servers, which
// name the vendor's hosts, are cleared).
func TestNewRouterRoutesRequestsToAnyHost(t *testing.T) {
	router, err := spec.NewRouter()
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:9999/2016-08-15/services/svc/functions/fn/stateful-async-invocations", nil)
	route, _, err := router.FindRoute(req)
	if err != nil {
		t.Fatal(err)
	}
	if route.Operation == nil || route.Operation.OperationID == "" {
		t.Errorf("route %+v has no operation", route)
	}
}
