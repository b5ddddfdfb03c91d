package fc

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// Code is an FC error code, the ErrorCode of an error body.
type Code string

// The error codes the mock can return. Each has one entry in the catalogue (Catalogue).
const (
	CodeInvalidArgument       Code = "InvalidArgument"
	CodeMissingRequiredHeader Code = "MissingRequiredHeader"
	CodeAccessDenied          Code = "AccessDenied"
	CodeSignatureNotMatch     Code = "SignatureNotMatch"
	CodeInvalidAccessKeyID    Code = "InvalidAccessKeyID"
	CodeRequestTimeTooSkewed  Code = "RequestTimeTooSkewed"
	CodeServiceNotFound       Code = "ServiceNotFound"
	CodeFunctionNotFound      Code = "FunctionNotFound"
	CodeAliasNotFound         Code = "AliasNotFound"
	CodeVersionNotFound       Code = "VersionNotFound"
	CodePathNotFound          Code = "PathNotFound"
	CodePathNotSupported      Code = "PathNotSupported"
	CodeClientClosedRequest   Code = "ClientClosedRequest"
	CodeInternalServerError   Code = "InternalServerError"
	CodeServiceUnavailable    Code = "ServiceUnavailable"

	CodeEntityTooLarge                       Code = "EntityTooLarge"
	CodeAsyncConfigNotExists                 Code = "AsyncConfigNotExists"
	CodeStatefulAsyncInvocationNotFound      Code = "StatefulAsyncInvocationNotFound"
	CodeStatefulAsyncInvocationAlreadyExists Code = "StatefulAsyncInvocationAlreadyExists"
	CodeAsyncInvocationStopped               Code = "AsyncInvocationStopped"

	CodeServiceAlreadyExists  Code = "ServiceAlreadyExists"
	CodeServiceNotEmpty       Code = "ServiceNotEmpty"
	CodePreconditionFailed    Code = "PreconditionFailed"
	CodeFunctionAlreadyExists Code = "FunctionAlreadyExists"
	CodeAliasAlreadyExists    Code = "AliasAlreadyExists"
	CodeLimitExceeded         Code = "LimitExceededError"
)

// Entry describes one error of the catalogue.
type Entry struct {
	Code   Code
	Status int
	// Template is the ErrorMessage with fmt verbs; Example is what it reads once filled.
	Template string
	Example  string
	// When says what provokes it, for the README's table.
	When string
}

// Catalogue returns every error the mock can return, in the README's order: a copy, so callers
// may keep or change it. Messages follow FC's own templates where the vendor's error-code pages
// give one.
func Catalogue() []Entry { return slices.Clone(catalogue) }

// catalogue is the one list Catalogue, StatusFor and the README's table derive from.
var catalogue = []Entry{
	{CodeInvalidArgument, http.StatusBadRequest, "%s", `query parameter "limit": number must be at most 100, got 101`,
		"a parameter breaks its rule (range, type, enum, pattern) or nextToken is not valid for the query"},
	{CodeMissingRequiredHeader, http.StatusBadRequest, "required HTTP header %s was not specified", "required HTTP header Date was not specified",
		"a signed request lacks a header the signature needs"},
	{CodeAccessDenied, http.StatusForbidden, "%s", "the Authorization header is missing or is not of the form 'FC <AccessKeyID>:<Signature>'",
		"signature checking is on and the request is not signed"},
	{CodeSignatureNotMatch, http.StatusForbidden, "%s", "The request signature we calculated does not match the signature you provided. Check your access key secret and signing method (string to sign: '...')",
		"the signature does not match the request"},
	{CodeInvalidAccessKeyID, http.StatusForbidden, "invalid access key ID '%s'", "invalid access key ID 'AKIDUNKNOWN'",
		"the access key id is not one the mock knows"},
	{CodeRequestTimeTooSkewed, http.StatusForbidden, "the difference between the request time '%s' and the current time '%s' is too large", "the difference between the request time 'Mon, 09 Nov 2020 09:46:33 GMT' and the current time 'Mon, 30 Nov 2026 03:42:17 GMT' is too large",
		"the Date header is more than 15 minutes off the server's clock"},
	{CodeServiceNotFound, http.StatusNotFound, "service '%s' does not exist", "service 'no-such-svc' does not exist",
		"the service is not in the fixtures"},
	{CodeFunctionNotFound, http.StatusNotFound, "function '%s' does not exist in service '%s'", "function 'no-such-fn' does not exist in service 'demo-svc'",
		"the function is not in the service"},
	{CodeAliasNotFound, http.StatusNotFound, "alias '%s' of service '%s' does not exist", "alias 'nope' of service 'demo-svc' does not exist",
		"the qualifier is a name that is not an alias of the service"},
	{CodeVersionNotFound, http.StatusNotFound, "version '%s' of service '%s' does not exist", "version '99' of service 'demo-svc' does not exist",
		"the qualifier is a number that is not a version of the service"},
	{CodePathNotFound, http.StatusNotFound, "'%s' is not a path of the FC API", "'/2016-08-15/nothing' is not a path of the FC API",
		"no operation has this path (a code of the mock's own)"},
	{CodePathNotSupported, http.StatusBadRequest, "'%s' against '%s' is not supported", "'DELETE' against '/2016-08-15/services/demo-svc/functions/demo-fn/stateful-async-invocations' is not supported",
		"the path exists but not with this method (FC answers 400; the Allow header lists the path's methods)"},
	{CodeEntityTooLarge, http.StatusBadRequest, "payload size exceeds maximum allowed size (%d bytes) of %s: the body has more bytes", "payload size exceeds maximum allowed size (131072 bytes) of an asynchronous invocation: the body has more bytes",
		"an InvokeFunction body over 128 KB (async) or 32 MB (sync)"},
	{CodeAsyncConfigNotExists, http.StatusNotFound, "AsyncConfig for %s:%s does not exist.", "AsyncConfig for demo-svc.LATEST:demo-fn does not exist.",
		"Get or Delete of an async invoke config the function does not have"},
	{CodeStatefulAsyncInvocationNotFound, http.StatusNotFound, "stateful async invocation '%s' of function '%s' in service '%s' does not exist", "stateful async invocation 'job-0404' of function 'demo-fn' in service 'demo-svc' does not exist",
		"Get or Stop with an id the function has no invocation for (or of another qualifier)"},
	{CodeStatefulAsyncInvocationAlreadyExists, http.StatusConflict, "stateful async invocation '%s' of function '%s' in service '%s' already exists", "stateful async invocation 'job-0001' of function 'demo-fn' in service 'demo-svc' already exists",
		"an async invoke reuses the id of one of the function's invocations (fixtures included)"},
	{CodeAsyncInvocationStopped, 412, "The async invocation for %s:%s:%s has been stopped", "The async invocation for demo-svc:demo-fn:job-0001 has been stopped",
		"Stop of an invocation already Stopping or Stopped (a mock choice of trigger)"},
	{CodeServiceAlreadyExists, http.StatusConflict, "service '%s' already exists", "service 'demo-svc' already exists",
		"CreateService with the name of an existing service"},
	{CodeServiceNotEmpty, http.StatusConflict, "service '%s' has active '%s'", "service 'demo-svc' has active 'functions'",
		"DeleteService of a service that still has functions, versions or aliases (FC's text; the code is the mock's)"},
	{CodePreconditionFailed, http.StatusPreconditionFailed, "the resource being modified has been changed", "the resource being modified has been changed",
		"If-Match is not the resource's current Etag"},
	{CodeFunctionAlreadyExists, http.StatusConflict, "function '%s' already exists in service '%s'", "function 'demo-fn' already exists in service 'demo-svc'",
		"CreateFunction with the name of a function the service has (FC's text; 409 is the mock's choice)"},
	{CodeAliasAlreadyExists, http.StatusConflict, "alias %s of service %s already exists", "alias prod of service demo-svc already exists",
		"CreateAlias with the name of an alias the service has"},
	{CodeLimitExceeded, http.StatusBadRequest, "%s", "the mock holds at most 100000 services, functions, versions and aliases (it holds 100000): delete some, or POST /_fcmock/reset",
		"a create would pass the mock's bound on resources or code bytes (FC's quota code, DOC-ERR)"},
	{CodeClientClosedRequest, 499, "the client closed the request before the response was sent", "the client closed the request before the response was sent",
		"the caller went away, e.g. during a scenario delay (logged; the caller never sees it)"},
	{CodeInternalServerError, http.StatusInternalServerError, "an internal error has occurred. Please retry.", "an internal error has occurred. Please retry.",
		"a bug in the mock; the cause is logged, not shown"},
	{CodeServiceUnavailable, http.StatusServiceUnavailable, "%s", "the server is at its limit of concurrent requests; retry later",
		"the mock is overloaded or shutting down"},
}

var statusByCode = func() map[Code]int {
	m := make(map[Code]int, len(catalogue))
	for _, e := range catalogue {
		m[e.Code] = e.Status
	}
	return m
}()

// StatusFor returns the HTTP status of code, or 500 for a code not in the catalogue.
func StatusFor(code Code) int {
	if s, ok := statusByCode[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Lookup returns the catalogue entry of code.
func Lookup(code Code) (Entry, bool) {
	for _, e := range catalogue {
		if e.Code == code {
			return e, true
		}
	}
	return Entry{}, false
}

// Codes returns every code of the catalogue, sorted.
func Codes() []Code {
	out := make([]Code, 0, len(catalogue))
	for _, e := range catalogue {
		out = append(out, e.Code)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Error is an FC error: what a handler returns and what the error handler renders as
// {"ErrorCode": Code, "ErrorMessage": Message} with StatusFor(Code).
type Error struct {
	Code    Code
	Message string
	// Err is the cause, kept for errors.Is/As and logs; it is never shown to the caller.
	Err error
}

// Errorf returns an *Error with the message formatted from format and args.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error with code and message that unwraps to cause.
func Wrap(cause error, code Code, message string) *Error {
	return &Error{Code: code, Message: message, Err: cause}
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Status returns the HTTP status of the error's code.
func (e *Error) Status() int { return StatusFor(e.Code) }

// CodeOf returns the code of the first *Error in err's chain, or "" when there is none.
func CodeOf(err error) Code {
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Code
	}
	return ""
}

// CatalogueMarkdown renders the catalogue as the README's error table.
func CatalogueMarkdown() string {
	var b strings.Builder
	b.WriteString("| HTTP | ErrorCode | When | Example ErrorMessage |\n| --- | --- | --- | --- |\n")
	for _, e := range catalogue {
		fmt.Fprintf(&b, "| %d | `%s` | %s | %s |\n", e.Status, e.Code, e.When, strings.ReplaceAll(e.Example, "|", `\|`))
	}
	return b.String()
}
