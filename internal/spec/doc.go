// Package spec is the one place that knows how openapi.yaml is read: it loads the document
// embedded in gen/fcapi once, prepared for routing and validation, and compiles its schemas into
// rules, so that the mock, the fixture loader and the contract suite all check against the same
// contract.
//
// Two interpreters of the schemas exist, and only two: kin-openapi (the reference: the request
// validator, the contract suite, every message a client sees about a request kin-openapi
// refuses) and the compiled Rule of this package, for the paths that run per request or per
// fixture entry. A Rule is compiled once from an *openapi3.Schema or *openapi3.Parameter: a
// value rule (type, enum, pattern, lengths counted as kin-openapi counts them (code points), bounds with their exclusive forms,
// nullable, format) or an object rule (properties by JSON name, required, additionalProperties),
// arrays of either. Compile refuses a schema using any keyword a Rule does not model, so a spec
// change cannot be silently ignored; rules_fuzz_test.go checks on random JSON values that every
// component schema's Rule and kin-openapi's VisitJSON agree.
//
// Users: mock/validate.go's request fast path (vouches for a plain request with the parameters'
// rules, else hands it to kin-openapi), fixtures (decodes and checks each invocation with the
// StatefulAsyncInvocation rule).
//
// Files: spec.go (Load, Schema, NewRouter), issues.go (kin-openapi's errors as Issues),
// rules.go (Rule, Object, Compile, CompileSchema, CompileParameter), check.go (the checks,
// worded as kin-openapi words them), match.go (patterns: anchored ASCII class sequences byte by
// byte, others with regexp).
package spec
