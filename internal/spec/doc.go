// Package spec is the one place that knows how openapi.yaml is read at run time: it loads the
// document gen/fcapi embeds, validated, once, prepared for routing and validation, and compiles
// its schemas into rules, so that the mock, the fixture loader, the contract suite and the proxy
// all check against the same contract. (The console serves the file as written,
// fcmock.OpenAPIYAML.)
//
// Two interpreters of the schemas exist, and only two: kin-openapi (the reference: the request
// validator, the contract suite, every message a client sees about a request kin-openapi
// refuses) and the compiled Rule of this package, for the paths that run per request or per
// fixture entry. A Rule is compiled once from an *openapi3.Schema or *openapi3.Parameter: a
// value rule (type, enum, pattern, lengths counted as kin-openapi counts them (code points),
// bounds with their exclusive forms, nullable, format) or an object rule (properties by JSON
// name, required, additionalProperties), arrays of either. Compile refuses a schema using any
// keyword a Rule does not model, so a spec change cannot be silently ignored; rules_fuzz_test.go
// checks on random JSON values that every component schema's Rule and kin-openapi's VisitJSON
// agree. Users: mock/validate.go's request fast path (vouches for a plain request with the
// parameters' rules, else hands it to kin-openapi) and fixtures (decodes and checks each
// invocation with the StatefulAsyncInvocation rule).
//
//   - spec.go: Load (the document, its servers cleared so kin-openapi's router does not match
//     the Host header against the vendor's hosts), Schema (a component schema by name) and
//     NewRouter (a kin-openapi router over it).
//   - issues.go: Issues, flattening kin-openapi's nested validation errors into findings keyed
//     by JSON pointer, each with the schema and keyword that failed (so the contract suite can
//     read the constraint's x-fc-evidence); PointerToken escapes one pointer token.
//   - rules.go: Rule, Object, Compile, CompileSchema, CompileParameter.
//   - check.go: the checks, worded as kin-openapi words them (CheckString, CheckInt, ValidText,
//     Issues on a decoded JSON value).
//   - match.go: patterns; an anchored sequence of ASCII classes byte by byte, others with regexp.
//
// Nothing here is generated: gen/fcapi holds what oapi-codegen makes from the same file.
package spec
