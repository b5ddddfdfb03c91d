package contract

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fcmock/fcmock/internal/spec"
)

// specValues are the ranges and enums the checks draw from, read from openapi.yaml so that a
// change to the spec changes the cases.
type specValues struct {
	limitMin, limitMax int
	prefixMax          int
	sorts              []string
	statuses           []string
}

func loadSpecValues() (specValues, error) {
	doc, err := spec.Load()
	if err != nil {
		return specValues{}, err
	}
	param := func(name string) (*openapi3.Schema, error) {
		p, ok := doc.Components.Parameters[name]
		if !ok || p.Value == nil || p.Value.Schema == nil || p.Value.Schema.Value == nil {
			return nil, fmt.Errorf("contract: openapi.yaml has no parameter %s with a schema", name)
		}
		return p.Value.Schema.Value, nil
	}
	limit, err := param("Limit")
	if err != nil {
		return specValues{}, err
	}
	prefix, err := param("InvocationIdPrefix")
	if err != nil {
		return specValues{}, err
	}
	v := specValues{limitMin: 1, limitMax: 100, prefixMax: 128}
	if limit.Min != nil && limit.Max != nil {
		v.limitMin, v.limitMax = int(*limit.Min), int(*limit.Max)
	}
	if prefix.MaxLength != nil {
		v.prefixMax = int(*prefix.MaxLength)
	}
	if v.sorts, err = enum("SortOrder"); err != nil {
		return v, err
	}
	v.statuses, err = enum("StatefulInvocationStatus")
	return v, err
}

func enum(schema string) ([]string, error) {
	s, err := spec.Schema(schema)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(s.Enum))
	for _, e := range s.Enum {
		if str, ok := e.(string); ok {
			out = append(out, str)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("contract: schema %s has no string enum", schema)
	}
	return out, nil
}

// describe names the query's filters for findings: "status=Failed, invocationIdPrefix=job-".
func (q query) describe() string {
	p := q.params
	var parts []string
	add := func(name, value string) { parts = append(parts, name+"="+value) }
	if p.StartedTimeBegin != nil {
		add("startedTimeBegin", strconv.FormatInt(*p.StartedTimeBegin, 10))
	}
	if p.StartedTimeEnd != nil {
		add("startedTimeEnd", strconv.FormatInt(*p.StartedTimeEnd, 10))
	}
	if p.InvocationIdPrefix != nil {
		add("invocationIdPrefix", strconv.Quote(*p.InvocationIdPrefix))
	}
	if p.Status != nil {
		add("status", string(*p.Status))
	}
	if len(parts) == 0 {
		return "no filter"
	}
	return strings.Join(parts, ", ")
}
