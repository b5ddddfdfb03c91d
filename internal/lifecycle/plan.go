package lifecycle

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// The timings every plan shares (Mock choices: FC documents none of them).
const (
	StartDelay = 200 * time.Millisecond // Dequeued or Retrying to Running: an instance starts
	RetryDelay = time.Second            // a failed attempt to its retry
	StopDelay  = time.Second            // Stopping to Stopped
)

// The defaults of a function nobody configured: queued 1 s, runs 3 s, succeeds; and of its
// async config (maxAsyncRetryAttempts 3 per DOC-CFG16; the event age a Mock choice).
const (
	DefaultQueueDelay = time.Second
	DefaultRunTime    = 3 * time.Second
	DefaultMaxRetries = 3
	DefaultMaxAge     = 24 * time.Hour
)

// DefaultError is the message of a failure whose rule names none.
const DefaultError = "UnhandledInvocationError"

// Behaviour is how a function behaves when invoked: the fixtures' `behaviour` of a function.
// The zero value is the default function.
type Behaviour struct {
	QueueDelay *time.Duration // nil: DefaultQueueDelay
	RunTime    *Range         // nil: DefaultRunTime
	// Outcomes are tried in order; the first whose Match the payload contains decides. None
	// matching: success.
	Outcomes []Rule
	// Result is the synchronous invoke's result when the deciding rule has none; nil echoes the
	// event.
	Result *string
}

// Range is a run time: fixed when Min == Max, else drawn uniformly from [Min, Max] per attempt.
type Range struct{ Min, Max time.Duration }

// Rule is one outcome rule.
type Rule struct {
	Match string // a substring of the payload; "" matches every payload
	// Error fails the invocation with this message; "" succeeds.
	Error string
	// FailTimes, with Error, fails only the first FailTimes attempts and then succeeds; 0 fails
	// every attempt.
	FailTimes int
	Result    *string // the synchronous result on success; nil: the behaviour's
}

// Config is what a plan takes from the function's async invoke config.
type Config struct {
	MaxRetries           int           // maxAsyncRetryAttempts
	MaxAge               time.Duration // maxAsyncEventAgeInSeconds
	OnSuccess, OnFailure bool          // destinations configured
}

// rule returns the rule deciding payload.
func (b *Behaviour) rule(payload string) Rule {
	for _, r := range b.Outcomes {
		if strings.Contains(payload, r.Match) {
			return r
		}
	}
	return Rule{}
}

// fails reports whether attempt i (0-based) of r fails.
func (r Rule) fails(i int) bool { return r.Error != "" && (r.FailTimes == 0 || i < r.FailTimes) }

// Draw makes the plan of an invocation enqueued at enqueued (ms) with this payload. seed makes
// the drawn run times and instance repeatable: the same arguments give the same plan.
func Draw(b Behaviour, c Config, seed uint64, enqueued int64, payload string) Plan {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	p := Plan{
		Enqueued: enqueued, QueueDelay: ms(DefaultQueueDelay),
		StartDelay: ms(StartDelay), RetryDelay: ms(RetryDelay), StopDelay: ms(StopDelay),
		MaxAge: ms(c.MaxAge), OnSuccess: c.OnSuccess, OnFailure: c.OnFailure,
		InstanceID: fmt.Sprintf("c-%08x-%016x%04x", rng.Uint32(), rng.Uint64(), rng.Uint32()&0xffff),
	}
	if b.QueueDelay != nil {
		p.QueueDelay = ms(*b.QueueDelay)
	}
	run := Range{DefaultRunTime, DefaultRunTime}
	if b.RunTime != nil {
		run = *b.RunTime
	}
	r := b.rule(payload)
	for i := 0; i <= c.MaxRetries; i++ {
		a := Attempt{Run: ms(run.Min)}
		if run.Max > run.Min {
			a.Run += rng.Int64N(ms(run.Max) - ms(run.Min) + 1)
		}
		if r.fails(i) {
			a.Error = r.Error
		}
		p.Attempts = append(p.Attempts, a)
		if a.Error == "" {
			break
		}
	}
	return p
}

// Sync returns what a synchronous invoke with payload answers: the result, or the error message
// of a failed function (its first attempt fails).
func (b *Behaviour) Sync(payload []byte) (result []byte, errMsg string) {
	r := b.rule(string(payload))
	if r.fails(0) {
		return nil, r.Error
	}
	switch {
	case r.Result != nil:
		return []byte(*r.Result), ""
	case b.Result != nil:
		return []byte(*b.Result), ""
	}
	return payload, ""
}

func ms(d time.Duration) int64 { return d.Milliseconds() }

// quote writes s as a JSON string.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
