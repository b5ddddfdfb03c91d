package mock

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/internal/fc"
)

// HeaderScenario carries a per-request scenario; HeaderScenarioApplied reports what was applied.
const (
	HeaderScenario        = "X-Fcmock-Scenario"
	HeaderScenarioApplied = "X-Fcmock-Scenario-Applied"
)

// maxScenarioDelay bounds a requested delay, so a typo cannot park a connection for hours.
const maxScenarioDelay = 5 * time.Minute

// Scenario is what to do to one request: wait, then fail with a catalogue error or answer an
// empty page. The zero value changes nothing.
type Scenario struct {
	Delay time.Duration
	Error fc.Code // "" for none
	Empty bool
}

func (s Scenario) String() string {
	var parts []string
	if s.Delay > 0 {
		parts = append(parts, "delay="+s.Delay.String())
	}
	if s.Error != "" {
		parts = append(parts, "error="+string(s.Error))
	}
	if s.Empty {
		parts = append(parts, "empty")
	}
	return strings.Join(parts, ";")
}

// ParseScenario parses the X-Fcmock-Scenario header: directives separated by ';' or ',':
// `error=<Code>` (a code of the catalogue), `delay=<duration>` (Go syntax, e.g. 800ms), `empty`.
func ParseScenario(v string) (Scenario, error) {
	var s Scenario
	for _, d := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ',' }) {
		key, val, _ := strings.Cut(strings.TrimSpace(d), "=")
		switch strings.TrimSpace(key) {
		case "error":
			code := fc.Code(strings.TrimSpace(val))
			if _, ok := fc.Lookup(code); !ok {
				return s, fmt.Errorf("error=%q is not a code of the catalogue (one of %v)", val, fc.Codes())
			}
			s.Error = code
		case "delay":
			dur, err := time.ParseDuration(strings.TrimSpace(val))
			if err != nil || dur < 0 || dur > maxScenarioDelay {
				return s, fmt.Errorf("delay=%q is not a duration between 0 and %s (e.g. 800ms)", val, maxScenarioDelay)
			}
			s.Delay = dur
		case "empty":
			s.Empty = true
		case "":
		default:
			return s, fmt.Errorf("unknown directive %q (want error=<Code>, delay=<duration> or empty)", d)
		}
	}
	return s, nil
}

// Latency is a distribution of added response delays.
type Latency struct {
	Kind     string        // "", "fixed", "uniform" or "lognormal"
	Min, Max time.Duration // fixed: Min; uniform: [Min, Max]
	Median   time.Duration // lognormal
	Sigma    float64       // lognormal: the spread of ln(delay)
}

// ParseLatency parses `200ms` (fixed), `uniform:50ms-300ms` or `lognormal:100ms,0.5`
// (median, sigma). An empty string means no latency.
func ParseLatency(s string) (Latency, error) {
	kind, arg, ok := strings.Cut(s, ":")
	if !ok {
		kind, arg = "fixed", s
	}
	switch kind {
	case "fixed":
		if arg == "" {
			return Latency{}, nil
		}
		d, err := time.ParseDuration(arg)
		if err != nil || d < 0 {
			return Latency{}, fmt.Errorf("latency %q: want a duration like 200ms", s)
		}
		return Latency{Kind: kind, Min: d}, nil
	case "uniform":
		lo, hi, _ := strings.Cut(arg, "-")
		a, err1 := time.ParseDuration(lo)
		b, err2 := time.ParseDuration(hi)
		if err1 != nil || err2 != nil || a < 0 || b < a {
			return Latency{}, fmt.Errorf("latency %q: want uniform:MIN-MAX, e.g. uniform:50ms-300ms", s)
		}
		return Latency{Kind: kind, Min: a, Max: b}, nil
	case "lognormal":
		med, sig, _ := strings.Cut(arg, ",")
		m, err1 := time.ParseDuration(med)
		sigma, err2 := strconv.ParseFloat(sig, 64)
		if err1 != nil || err2 != nil || m <= 0 || sigma < 0 || sigma > 5 {
			return Latency{}, fmt.Errorf("latency %q: want lognormal:MEDIAN,SIGMA, e.g. lognormal:100ms,0.5", s)
		}
		return Latency{Kind: kind, Median: m, Sigma: sigma}, nil
	}
	return Latency{}, fmt.Errorf("latency %q: kind must be fixed, uniform or lognormal", s)
}

// Chaos is the server-wide scenario: a latency for every request and a rate of forced errors.
type Chaos struct {
	Latency    Latency
	ErrorRate  float64   // 0..1
	ErrorCodes []fc.Code // drawn uniformly; empty means InternalServerError
	Seed       uint64    // the same seed gives the same sequence of draws
}

// chaos draws from Chaos with a seeded generator shared by all requests.
type chaos struct {
	cfg Chaos
	mu  sync.Mutex
	rnd *rand.Rand
}

func newChaos(cfg Chaos) *chaos {
	return &chaos{cfg: cfg, rnd: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))}
}

// draw returns the scenario chaos imposes on the next request.
func (c *chaos) draw() Scenario {
	c.mu.Lock()
	defer c.mu.Unlock()
	var s Scenario
	switch l := c.cfg.Latency; l.Kind {
	case "fixed":
		s.Delay = l.Min
	case "uniform":
		s.Delay = l.Min + time.Duration(c.rnd.Int64N(int64(l.Max-l.Min)+1))
	case "lognormal":
		// The tail is capped like a requested delay, so a wide sigma cannot park a connection.
		s.Delay = min(time.Duration(float64(l.Median)*math.Exp(l.Sigma*c.rnd.NormFloat64())), maxScenarioDelay)
	}
	if c.cfg.ErrorRate > 0 && c.rnd.Float64() < c.cfg.ErrorRate {
		s.Error = fc.CodeInternalServerError
		if n := len(c.cfg.ErrorCodes); n > 0 {
			s.Error = c.cfg.ErrorCodes[c.rnd.IntN(n)]
		}
	}
	return s
}

type scenarioKey struct{}

// scenarioFrom returns the scenario applied to the request whose context is ctx.
func scenarioFrom(ctx context.Context) Scenario {
	s, _ := ctx.Value(scenarioKey{}).(Scenario)
	return s
}

// applyScenarios merges the global chaos (nil: none), the first standing rule matching the
// request, and the request's own header (when header is on), each winning over the one
// before; then it waits out the delay within the delay budget and answers a forced error.
// `empty` is left to the handler.
func applyScenarios(global *chaos, header bool, rules RuleStore, ops operations, budget *delays) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			var s Scenario
			if global != nil {
				s = global.draw()
			}
			standing, err := standingScenario(c, rules, ops)
			if err != nil {
				return unavailable(err)
			}
			s = mergeScenario(s, standing)
			if h := c.Request().Header.Get(HeaderScenario); header && h != "" {
				own, err := ParseScenario(h)
				if err != nil {
					return fc.Errorf(fc.CodeInvalidArgument, "header %s: %v", HeaderScenario, err)
				}
				s = mergeScenario(s, own)
			}
			if s == (Scenario{}) {
				return next(c)
			}
			c.Response().Header().Set(HeaderScenarioApplied, s.String())
			req := c.Request()
			c.SetRequest(req.WithContext(context.WithValue(req.Context(), scenarioKey{}, s)))
			if err := budget.wait(c, s.Delay); err != nil {
				return err
			}
			if s.Error != "" {
				return fc.Errorf(s.Error, "%s", forcedMessage(s.Error, c))
			}
			return next(c)
		}
	}
}

// forcedMessage words a forced error as the real one would read for this request: a forced
// FunctionNotFound names the function asked for. Codes whose message needs no names, or requests
// off the FC paths, get the catalogue's example.
func forcedMessage(code fc.Code, c echo.Context) string {
	e, _ := fc.Lookup(code)
	svc, qual := fc.SplitServiceSegment(c.Param("serviceName"))
	fn := c.Param("functionName")
	if svc == "" || fn == "" {
		return e.Example
	}
	if qual == "" {
		qual = "prod"
	}
	switch code {
	case fc.CodeServiceNotFound:
		return fmt.Sprintf(e.Template, svc)
	case fc.CodeFunctionNotFound:
		return fmt.Sprintf(e.Template, fn, svc)
	case fc.CodeAliasNotFound, fc.CodeVersionNotFound:
		return fmt.Sprintf(e.Template, qual, svc)
	}
	return e.Example
}

func mergeScenario(global, own Scenario) Scenario {
	if own.Delay > 0 {
		global.Delay = own.Delay
	}
	if own.Error != "" {
		global.Error = own.Error
	}
	global.Empty = global.Empty || own.Empty
	return global
}
