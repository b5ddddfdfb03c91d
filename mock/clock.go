package mock

import (
	"fmt"
	"sync"
	"time"
)

// Clock is the time invocations live by: their plans are drawn from it and their states read at
// it. Signatures are checked against Options.Now instead, the real time clients sign with.
type Clock interface {
	Now() time.Time
}

// RealClock is the machine's clock.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// VirtualClock is a frozen clock that moves only when told to (POST /_fcmock/clock), so a test
// can invoke, advance a day and read the outcome without sleeping. It never moves backwards:
// states are a pure function of the clock, so going back would turn an invocation already seen
// Succeeded into Running again and accept stops that rewrite a history clients have read.
type VirtualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewVirtualClock returns a clock frozen at start, to the millisecond.
func NewVirtualClock(start time.Time) *VirtualClock {
	return &VirtualClock{now: start.Truncate(time.Millisecond)}
}

// Now returns the clock's time.
func (c *VirtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d (whole milliseconds) and returns the new time.
func (c *VirtualClock) Advance(d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, fmt.Errorf("the clock never moves backwards; advance by a positive duration, not %s", d)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.now.Add(d).Truncate(time.Millisecond)
	if t.After(maxVirtual) || t.Before(c.now) {
		return c.now, fmt.Errorf("advancing by %s would take the clock past %s", d, maxVirtual.Format(time.RFC3339))
	}
	c.now = t
	return c.now, nil
}

// Set moves the clock to t, which must not be before the clock's time, and returns it.
func (c *VirtualClock) Set(t time.Time) (time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t = t.Truncate(time.Millisecond)
	if t.After(maxVirtual) {
		return c.now, fmt.Errorf("the clock goes no further than %d (%s)", maxVirtual.UnixMilli(), maxVirtual.Format(time.RFC3339))
	}
	if t.Before(c.now) {
		return c.now, fmt.Errorf("the clock never moves backwards: %d is before the clock's %d", t.UnixMilli(), c.now.UnixMilli())
	}
	c.now = t
	return c.now, nil
}

// maxVirtual is as far as a virtual clock goes (the last ms of year 9999): invocation times
// stay far from int64's end, and every ISO 8601 time has four digits.
var maxVirtual = time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC)

// nowMS returns a clock's time in ms since the epoch.
func nowMS(c Clock) int64 { return c.Now().UnixMilli() }
