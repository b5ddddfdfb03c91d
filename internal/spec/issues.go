package spec

import (
	"errors"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Issue is one problem kin-openapi found: where in the value (the JSON pointer's tokens, empty
// when the error names no place) and why.
type Issue struct {
	Path   []string
	Reason string
	// Schema and SchemaField are the schema and its keyword that failed, when known: the
	// contract suite reads the constraint's evidence annotation from them.
	Schema      *openapi3.Schema
	SchemaField string
}

// Pointer returns Path as an RFC 6901 JSON pointer ("/invocations/0/startedTime"), "" for none.
func (i Issue) Pointer() string {
	var b strings.Builder
	for _, tok := range i.Path {
		b.WriteString("/" + PointerToken(tok))
	}
	return b.String()
}

// Issues flattens a kin-openapi validation error (run with MultiError options, errors nest in
// openapi3.MultiError) into one Issue per failure, in order. It returns nil for a nil error.
func Issues(err error) []Issue {
	if err == nil {
		return nil
	}
	var me openapi3.MultiError
	if errors.As(err, &me) {
		var out []Issue
		for _, e := range me {
			out = append(out, Issues(e)...)
		}
		return out
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		return []Issue{{Path: se.JSONPointer(), Reason: se.Reason, Schema: se.Schema, SchemaField: se.SchemaField}}
	}
	return []Issue{{Reason: err.Error()}}
}

// PointerToken escapes one JSON pointer token (RFC 6901): "~" as "~0", "/" as "~1".
func PointerToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
