// Package fcmock holds the contract, openapi.yaml, as written (comments and key order kept),
// for the mock to serve verbatim; gen/fcapi embeds the same file as JSON for validation.
package fcmock

import _ "embed"

// OpenAPIYAML is openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPIYAML []byte
