package spec

import (
	"context"
	"fmt"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/fcmock/fcmock/gen/fcapi"
)

var load = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := fcapi.GetSpec()
	if err != nil {
		return nil, fmt.Errorf("load embedded openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("embedded openapi.yaml is not valid: %w", err)
	}
	// The servers name the vendor's hosts. Left in, kin-openapi's router would match the Host
	// header against them and every request to the mock would miss its route.
	doc.Servers = nil
	return doc, nil
})

// Load returns the embedded OpenAPI document, validated, with its servers cleared. Every caller
// shares one document: treat it as read-only.
func Load() (*openapi3.T, error) { return load() }

// Schema returns the component schema called name, e.g. "StatefulAsyncInvocation".
func Schema(name string) (*openapi3.Schema, error) {
	doc, err := Load()
	if err != nil {
		return nil, err
	}
	ref, ok := doc.Components.Schemas[name]
	if !ok || ref.Value == nil {
		return nil, fmt.Errorf("openapi.yaml has no schema %q", name)
	}
	return ref.Value, nil
}

// NewRouter returns a kin-openapi router over the document. Routers are safe for concurrent use.
func NewRouter() (routers.Router, error) {
	doc, err := Load()
	if err != nil {
		return nil, err
	}
	return gorillamux.NewRouter(doc)
}
