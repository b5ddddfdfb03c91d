package contract

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/routers"
)

// coverage records what the run exercised of each operation it reached: parameters, enum
// values, response statuses and error codes, against what openapi.yaml declares for them.
type coverage struct {
	declared, seen map[string]map[string]bool // kind -> item -> true
}

// The kinds of item coverage counts.
const (
	covParameter = "parameters"
	covEnum      = "enum values"
	covStatus    = "statuses"
	covErrorCode = "error codes"
)

func newCoverage() *coverage {
	c := &coverage{declared: map[string]map[string]bool{}, seen: map[string]map[string]bool{}}
	for _, k := range []string{covParameter, covEnum, covStatus, covErrorCode} {
		c.declared[k], c.seen[k] = map[string]bool{}, map[string]bool{}
	}
	return c
}

// record notes the declarations of the request's operation and what the exchange used of them.
func (c *coverage) record(route *routers.Route, rel *http.Request, ex *exchange) {
	op := route.Operation
	name := op.OperationID
	query := rel.URL.Query()
	params := append(route.PathItem.Parameters, op.Parameters...)
	for _, ref := range params {
		p := ref.Value
		if p == nil {
			continue
		}
		item := name + " " + p.In + " " + p.Name
		c.declared[covParameter][item] = true
		used := p.In == "path" || p.In == "query" && query.Get(p.Name) != ""
		if used {
			c.seen[covParameter][item] = true
		}
		if p.Schema == nil || p.Schema.Value == nil {
			continue
		}
		for _, v := range p.Schema.Value.Enum {
			str := fmt.Sprint(v)
			c.declared[covEnum][name+" "+p.Name+"="+str] = true
			if p.In == "query" && query.Get(p.Name) == str {
				c.seen[covEnum][name+" "+p.Name+"="+str] = true
			}
		}
	}
	for code, ref := range op.Responses.Map() {
		c.declared[covStatus][name+" "+code] = true
		if ref.Value == nil {
			continue
		}
		if codes, ok := ref.Value.Extensions["x-fc-evidence-codes"].(map[string]any); ok {
			for ec := range codes {
				c.declared[covErrorCode][name+" "+code+" "+ec] = true
			}
		}
	}
	status := strconv.Itoa(ex.status)
	c.seen[covStatus][name+" "+status] = true
	if e, ok := ex.fcError(); ok {
		c.seen[covErrorCode][name+" "+status+" "+e.ErrorCode] = true
	}
}

// Coverage is the report's coverage section: per kind, what was exercised and what was not.
type Coverage struct {
	Parameters Covered `json:"parameters"`
	EnumValues Covered `json:"enumValues"`
	Statuses   Covered `json:"statuses"`
	ErrorCodes Covered `json:"errorCodes"`
}

// Covered lists the items exercised and the declared items not exercised. Exercised items the
// spec does not declare (an undeclared status) are listed as exercised too.
type Covered struct {
	Exercised    []string `json:"exercised"`
	NotExercised []string `json:"notExercised"`
}

func (c *coverage) report() *Coverage {
	kind := func(k string) Covered {
		cv := Covered{Exercised: []string{}, NotExercised: []string{}}
		for _, item := range slices.Sorted(maps.Keys(c.seen[k])) {
			cv.Exercised = append(cv.Exercised, item)
		}
		for _, item := range slices.Sorted(maps.Keys(c.declared[k])) {
			if !c.seen[k][item] {
				cv.NotExercised = append(cv.NotExercised, item)
			}
		}
		return cv
	}
	return &Coverage{Parameters: kind(covParameter), EnumValues: kind(covEnum), Statuses: kind(covStatus), ErrorCodes: kind(covErrorCode)}
}

// writeText writes one line per operation and kind: how many of the declared items were
// exercised, and which were not.
func (c *Coverage) writeText(b *strings.Builder) {
	for _, k := range []struct {
		name string
		cv   Covered
	}{{covParameter, c.Parameters}, {covEnum, c.EnumValues}, {covStatus, c.Statuses}, {covErrorCode, c.ErrorCodes}} {
		byOp := map[string][2][]string{} // operation -> exercised, not exercised (without the operation)
		for i, list := range [][]string{k.cv.Exercised, k.cv.NotExercised} {
			for _, item := range list {
				op, rest, _ := strings.Cut(item, " ")
				e := byOp[op]
				e[i] = append(e[i], rest)
				byOp[op] = e
			}
		}
		for _, op := range slices.Sorted(maps.Keys(byOp)) {
			e := byOp[op]
			fmt.Fprintf(b, "  %s %s: %d exercised (%s)", op, k.name, len(e[0]), strings.Join(e[0], ", "))
			if len(e[1]) > 0 {
				fmt.Fprintf(b, "; not exercised: %s", strings.Join(e[1], ", "))
			}
			b.WriteString("\n")
		}
	}
}
