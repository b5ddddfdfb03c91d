// Package fc holds Function Compute's wire conventions that both the mock and the contract suite
// use, so the two sides cannot drift apart:
//
//   - errors.go: the error catalogue (code, HTTP status, message template) and the *Error type
//     every handler returns; StatusFor maps a code to its status.
//   - names.go: the path segment rules, splitting "service.qualifier" into its parts.
//   - pagetoken.go: opaque, HMAC-signed page tokens bound to a query's filters.
//   - headers.go: header names of the FC wire protocol.
//   - signature.go: the "FC" request signature: StringToSign, Sign, and the Verifier the
//     mock runs on each request (Date skew, STS token, signature, each failure a sentinel).
package fc
