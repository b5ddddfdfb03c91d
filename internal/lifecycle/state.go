package lifecycle

import "github.com/fcmock/fcmock/gen/fcapi"

// Plan is everything about an invocation that is decided when it is invoked. Times are ms since
// the Unix epoch, durations ms.
type Plan struct {
	Enqueued   int64 // the invoke's time, the invocation's startedTime
	QueueDelay int64 // Enqueued to Dequeued
	StartDelay int64 // Dequeued (or Retrying) to Running
	RetryDelay int64 // a failed attempt's end to Retrying's end (the next Running is StartDelay after)
	StopDelay  int64 // Stopping to Stopped
	// MaxAge is maxAsyncEventAgeInSeconds in ms: an event queued longer expires unrun. 0: none.
	MaxAge int64
	// Attempts are the runs, in order: every one but the last failed, the last decides the
	// outcome (an empty Error is success). At most maxAsyncRetryAttempts+1.
	Attempts []Attempt
	// InstanceID is the instance the attempts run on.
	InstanceID string
	// Destination is what destinationStatus reads once the invocation ends with the outcome the
	// config has a destination for (onSuccess, onFailure): the delivery is taken to succeed.
	OnSuccess, OnFailure bool
}

// Attempt is one run of the function.
type Attempt struct {
	Run   int64  // how long it runs
	Error string // why it failed; "" when it succeeded
}

// Event is one entry of an invocation's history.
type Event struct {
	ID     int64
	Status fcapi.StatefulInvocationStatus
	Time   int64
	Detail string
}

// State is an invocation as seen at one instant.
type State struct {
	Status       fcapi.StatefulInvocationStatus
	Events       []Event
	End          int64 // 0 until a terminal status
	Retried      int64
	InstanceID   string // "" until the first Running
	ErrorMessage string // the error of a Failed invocation
	Destination  string // destinationStatus: "Succeeded" once delivered, "" otherwise
}

// Terminal reports whether an invocation in status s has ended.
func Terminal(s fcapi.StatefulInvocationStatus) bool {
	switch s {
	case fcapi.Succeeded, fcapi.Failed, fcapi.Stopped, fcapi.Expired, fcapi.Invalid:
		return true
	}
	return false
}

// NoStop is the stop time of an invocation nobody asked to stop.
const NoStop = 0

// natural is the invocation's whole history if nobody stops it.
func (p *Plan) natural() []Event {
	evs := make([]Event, 0, 3+3*len(p.Attempts))
	add := func(s fcapi.StatefulInvocationStatus, t int64, detail string) {
		evs = append(evs, Event{ID: int64(len(evs) + 1), Status: s, Time: t, Detail: detail})
	}
	t := p.Enqueued
	add(fcapi.Enqueued, t, "")
	t += p.QueueDelay
	add(fcapi.Dequeued, t, "")
	if p.MaxAge > 0 && p.QueueDelay > p.MaxAge {
		add(fcapi.Expired, t, `{"Error":"the event was queued longer than maxAsyncEventAgeInSeconds"}`)
		return evs
	}
	for i, a := range p.Attempts {
		t += p.StartDelay
		add(fcapi.Running, t, "")
		t += a.Run
		switch {
		case a.Error == "":
			add(fcapi.Succeeded, t, "")
		case i == len(p.Attempts)-1:
			add(fcapi.Failed, t, errorDetail(a.Error))
		default:
			add(fcapi.Retrying, t, errorDetail(a.Error))
			t += p.RetryDelay
		}
	}
	if len(p.Attempts) == 0 { // a plan drawn by Draw always has one; be total anyway
		add(fcapi.Succeeded, t, "")
	}
	return evs
}

func errorDetail(msg string) string {
	return `{"Error":` + quote(msg) + `}`
}

// NaturalEnd is when the invocation ends if nobody stops it.
func (p *Plan) NaturalEnd() int64 {
	evs := p.natural()
	return evs[len(evs)-1].Time
}

// CanStop reports whether a stop asked at time at is accepted: the invocation has not ended by
// then (a stop at the very instant it ends is too late).
func (p *Plan) CanStop(at int64) bool { return at < p.NaturalEnd() }

// End is when the invocation ends, given its stop time (NoStop for none).
func (p *Plan) End(stop int64) int64 {
	if stop != NoStop && p.CanStop(stop) {
		return stop + p.StopDelay
	}
	return p.NaturalEnd()
}

// At returns the invocation's state at now, given the time a stop was asked (NoStop for none).
// A stop the plan could not accept (at or after its natural end) is ignored. Events after now
// are not shown; at an instant before Enqueued the invocation shows Enqueued (it exists from
// the invoke on, whatever the clock says).
func (p *Plan) At(stop, now int64) State {
	evs := p.natural()
	if stop != NoStop && p.CanStop(stop) {
		n := 0
		for n < len(evs) && evs[n].Time <= stop {
			n++
		}
		evs = append(evs[:n:n],
			Event{ID: int64(n + 1), Status: fcapi.Stopping, Time: stop},
			Event{ID: int64(n + 2), Status: fcapi.Stopped, Time: stop + p.StopDelay})
	}
	n := 1
	for n < len(evs) && evs[n].Time <= now {
		n++
	}
	st := State{Events: evs[:n:n]}
	last := st.Events[n-1]
	st.Status = last.Status
	running := 0
	for _, e := range st.Events {
		if e.Status == fcapi.Running {
			running++
		}
	}
	if running > 0 {
		st.InstanceID = p.InstanceID
		st.Retried = int64(running - 1)
	}
	if Terminal(last.Status) {
		st.End = last.Time
		switch last.Status {
		case fcapi.Failed:
			st.ErrorMessage = p.Attempts[len(p.Attempts)-1].Error
			if p.OnFailure {
				st.Destination = "Succeeded"
			}
		case fcapi.Succeeded:
			if p.OnSuccess {
				st.Destination = "Succeeded"
			}
		}
	}
	return st
}
