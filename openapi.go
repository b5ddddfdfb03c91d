// Package fcmock holds the contract, openapi.yaml, as written (comments and key order kept),
// for the mock to serve verbatim; gen/fcapi embeds the same file as JSON for validation.
package fcmock

import (
	"bytes"
	_ "embed"
)

// OpenAPIYAML returns openapi.yaml as written (a copy: callers may change it).
func OpenAPIYAML() []byte { return bytes.Clone(openAPIYAML) }

//go:embed openapi.yaml
var openAPIYAML []byte
