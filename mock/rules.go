package mock

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/spec"
)

// Rule is a standing scenario: every FC API request it matches gets its effect, as if it had
// sent the X-Fcmock-Scenario header, until the rule is removed. Empty match fields match any.
type Rule struct {
	Service   string `json:"service,omitempty"`
	Function  string `json:"function,omitempty"`
	Operation string `json:"operation,omitempty"` // an operationId of openapi.yaml
	Error     string `json:"error,omitempty"`     // a code of the catalogue
	Delay     string `json:"delay,omitempty"`     // Go duration syntax, at most 5m
	Empty     bool   `json:"empty,omitempty"`
}

// MaxRules bounds how many standing rules the admin API accepts at once.
const MaxRules = 100

// RuleStore keeps the standing rules. The mock reads them on every request, so an
// implementation must be safe for concurrent use and cheap to read (a shared one, e.g. in
// Redis, would cache). Rules it returns are already validated.
type RuleStore interface {
	Rules(ctx context.Context) ([]Rule, error)
	SetRules(ctx context.Context, rules []Rule) error
}

// MemoryRules is the default RuleStore: rules held in this process. The zero value is empty
// and ready.
type MemoryRules struct{ rules atomic.Pointer[[]Rule] }

// Rules returns the rules in force, in the order they were set.
func (m *MemoryRules) Rules(context.Context) ([]Rule, error) {
	if p := m.rules.Load(); p != nil {
		return *p, nil
	}
	return nil, nil
}

// SetRules replaces every rule.
func (m *MemoryRules) SetRules(_ context.Context, rules []Rule) error {
	rules = slices.Clone(rules)
	m.rules.Store(&rules)
	return nil
}

// scenario is the rule's effect; the rule must have been validated.
func (r Rule) scenario() Scenario {
	s := Scenario{Error: fc.Code(r.Error), Empty: r.Empty}
	s.Delay, _ = time.ParseDuration(r.Delay)
	return s
}

func (r Rule) matches(service, function, operation string) bool {
	return (r.Service == "" || r.Service == service) &&
		(r.Function == "" || r.Function == function) &&
		(r.Operation == "" || r.Operation == operation)
}

// ValidateRules checks rules as PUT /_fcmock/scenarios does, naming the rule and the field at
// fault.
func ValidateRules(rules []Rule) error {
	doc, err := spec.Load()
	if err != nil {
		return err
	}
	return validateRules(rules, newOperations(doc).ids())
}

// validateRules checks rules against the operationIds of the spec.
func validateRules(rules []Rule, operations []string) error {
	if len(rules) > MaxRules {
		return fmt.Errorf("at most %d rules, got %d", MaxRules, len(rules))
	}
	for i, r := range rules {
		at := fmt.Sprintf("rules[%d]", i)
		if r.Operation != "" && !slices.Contains(operations, r.Operation) {
			return fmt.Errorf("%s.operation %q is not an operation of the API (one of %v)", at, r.Operation, operations)
		}
		if r.Error != "" {
			if _, ok := fc.Lookup(fc.Code(r.Error)); !ok {
				return fmt.Errorf("%s.error %q is not a code of the catalogue (one of %v)", at, r.Error, fc.Codes())
			}
		}
		if r.Delay != "" {
			d, err := time.ParseDuration(r.Delay)
			if err != nil || d < 0 || d > maxScenarioDelay {
				return fmt.Errorf("%s.delay %q is not a duration between 0 and %s (e.g. 800ms)", at, r.Delay, maxScenarioDelay)
			}
		}
		if r.scenario() == (Scenario{}) {
			return fmt.Errorf("%s has no effect: set error, delay or empty", at)
		}
	}
	return nil
}

// standingScenario returns the effect of the first rule matching the request, if any.
func standingScenario(c echo.Context, rules RuleStore, ops operations) (Scenario, error) {
	list, err := rules.Rules(c.Request().Context())
	if err != nil || len(list) == 0 {
		return Scenario{}, err
	}
	svc, _ := fc.SplitServiceSegment(c.Param("serviceName"))
	fn, op := c.Param("functionName"), ops.of(c)
	for _, r := range list {
		if r.matches(svc, fn, op) {
			return r.scenario(), nil
		}
	}
	return Scenario{}, nil
}

// operations maps a routed request (method and echo's route path) to its operationId.
type operations map[string]string

func newOperations(doc *openapi3.T) operations {
	ops := operations{}
	for path, item := range doc.Paths.Map() {
		// The generated router registers {name} as :name.
		route := path
		for strings.Contains(route, "{") {
			i, j := strings.Index(route, "{"), strings.Index(route, "}")
			if j < i {
				break
			}
			route = route[:i] + ":" + route[i+1:j] + route[j+1:]
		}
		for method, op := range item.Operations() {
			ops[method+" "+route] = op.OperationID
		}
	}
	return ops
}

func (ops operations) of(c echo.Context) string { return ops[c.Request().Method+" "+c.Path()] }

// ids returns the operationIds, sorted.
func (ops operations) ids() []string {
	var out []string
	for _, id := range ops {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// rulesBody is the JSON of GET and PUT /_fcmock/scenarios.
type rulesBody struct {
	Rules []Rule `json:"rules"`
}

// maxRulesBody bounds a PUT /_fcmock/scenarios body.
const maxRulesBody = 64 << 10

// mountRules adds the standing-rules endpoints to the admin API:
//
//	GET    /_fcmock/scenarios  {"rules": [...], "header": <is X-Fcmock-Scenario honoured>,
//	                            "operations": [...], "codes": [...]} (what a rule may name)
//	PUT    /_fcmock/scenarios  replace every rule with {"rules": [...]}
//	DELETE /_fcmock/scenarios  remove every rule
func (s *Server) mountRules(e *echo.Echo) {
	e.GET(AdminPrefix+"scenarios", func(c echo.Context) error {
		rules, err := s.opts.Rules.Rules(c.Request().Context())
		if err != nil {
			return unavailable(err)
		}
		return c.JSON(http.StatusOK, map[string]any{"rules": nonNil(rules), "header": s.opts.Scenarios,
			"operations": s.ops.ids(), "codes": fc.Codes()})
	})
	e.PUT(AdminPrefix+"scenarios", func(c echo.Context) error {
		var body rulesBody
		dec := json.NewDecoder(http.MaxBytesReader(c.Response(), c.Request().Body, maxRulesBody))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&body); err != nil {
			return fc.Errorf(fc.CodeInvalidArgument, "body: want {\"rules\": [{\"service\", \"function\", \"operation\", \"error\", \"delay\", \"empty\"}, ...]}: %v", err)
		}
		if err := validateRules(body.Rules, s.ops.ids()); err != nil {
			return fc.Errorf(fc.CodeInvalidArgument, "body: %v", err)
		}
		if err := s.opts.Rules.SetRules(c.Request().Context(), body.Rules); err != nil {
			return unavailable(err)
		}
		return c.JSON(http.StatusOK, rulesBody{Rules: nonNil(body.Rules)})
	})
	e.DELETE(AdminPrefix+"scenarios", func(c echo.Context) error {
		if err := s.opts.Rules.SetRules(c.Request().Context(), nil); err != nil {
			return unavailable(err)
		}
		return c.NoContent(http.StatusNoContent)
	})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
