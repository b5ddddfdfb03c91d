// Package spec is the one place that loads openapi.yaml as a document at run time: the one
// gen/fcapi embeds, loaded and validated once, prepared for routing and validation, so that the
// mock, the fixtures loader, the contract suite and the proxy all check against the same
// contract. (The console serves the file as written, fcmock.OpenAPIYAML.)
//
//   - spec.go: Load (the document, its servers cleared so kin-openapi's router does not match
//     the Host header against the vendor's hosts), Schema (a component schema by name) and
//     NewRouter (a kin-openapi router over it).
//   - issues.go: Issues, flattening kin-openapi's nested validation errors into findings keyed
//     by JSON pointer, each with the schema and keyword that failed (so the contract suite can
//     read the constraint's x-fc-evidence); PointerToken escapes one pointer token.
//
// Nothing here is generated: gen/fcapi holds what oapi-codegen makes from the same file.
package spec
