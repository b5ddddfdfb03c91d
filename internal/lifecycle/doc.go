// Package lifecycle is the stateful asynchronous invocation's state machine as a pure function.
//
// An invocation made at run time is stored as its Plan, drawn once when it is invoked (plan.go:
// the function's Behaviour, its async config and a seed give the queue delay and each attempt's
// run time and outcome), plus the time a stop was asked for, if any. Its status, events, endTime,
// alreadyRetriedTimes and instanceId at any instant are Plan.At(stop, now) (state.go): nothing
// moves invocations along in the background, the same plan and clock always give the same
// answer, and the stored facts never change once written, so replicas can share them.
package lifecycle
