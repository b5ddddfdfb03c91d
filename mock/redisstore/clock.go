package redisstore

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/mock"
)

// Clock is a virtual clock kept in Redis (mock.SharedClock): every replica reads the same
// instant, and a move through one is atomic and seen by all. It has VirtualClock's rules: it
// never moves backwards and stops at the last ms of year 9999.
type Clock struct {
	s *Store
	// last is the last instant read: where the clock starts when the store has none (its
	// start first), and what Now answers when Redis does not.
	last atomic.Int64
}

// VirtualClock returns the store's virtual clock. It starts at start (to the ms) unless the
// store's clock already runs: then it keeps its time, so a replica (re)started later joins it.
func (s *Store) VirtualClock(start time.Time) *Clock {
	c := &Clock{s: s}
	c.last.Store(start.UnixMilli())
	return c
}

var _ mock.SharedClock = (*Clock)(nil)

// maxVirtual is VirtualClock's limit, the last ms of year 9999.
var maxVirtual = time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC).UnixMilli()

// Read returns the clock's time, starting it if the store has none.
func (c *Clock) Read(ctx context.Context) (time.Time, error) {
	ms, err := c.s.rdb.Get(ctx, c.s.key("clock")).Int64()
	if errors.Is(err, redis.Nil) {
		// The last instant this replica read, so a Redis come back empty does not send the
		// clock back to the start.
		if err = c.s.rdb.SetNX(ctx, c.s.key("clock"), c.last.Load(), 0).Err(); err == nil {
			ms, err = c.s.rdb.Get(ctx, c.s.key("clock")).Int64()
		}
	}
	if err != nil {
		return time.Time{}, err
	}
	c.last.Store(ms)
	return time.UnixMilli(ms), nil
}

// Now returns Read's time, or the last time read when Redis does not answer (mock reads the
// clock with Read, and answers 503 then).
func (c *Clock) Now() time.Time {
	ctx, cancel := context.WithTimeout(context.Background(), DefaultTimeout)
	defer cancel()
	if t, err := c.Read(ctx); err == nil {
		return t
	}
	return time.UnixMilli(c.last.Load())
}

// moveScript moves the clock to ARGV[1]+ARGV[2] (ARGV[3]: 1 to add to the clock's time instead
// of ARGV[1]) unless that is backwards or past the limit ARGV[4]. It answers {1, new} or
// {0, current, refused}. The clock starts at ARGV[5] if the store has none.
var moveScript = redis.NewScript(`
local cur = tonumber(redis.call('GET', KEYS[1]) or ARGV[5])
local t = tonumber(ARGV[1]) + tonumber(ARGV[2])
if ARGV[3] == '1' then t = cur + tonumber(ARGV[2]) end
if t > tonumber(ARGV[4]) then return {0, string.format('%d', cur), 'limit'} end
if t < cur then return {0, string.format('%d', cur), 'backwards'} end
redis.call('SET', KEYS[1], string.format('%d', t))
return {1, string.format('%d', t)}`)

// Advance moves the clock forward by d (whole milliseconds).
func (c *Clock) Advance(ctx context.Context, d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, fc.Errorf(fc.CodeInvalidArgument, "the clock never moves backwards; advance by a positive duration, not %s", d)
	}
	return c.move(ctx, 0, d.Milliseconds(), true, func(int64) error {
		return fc.Errorf(fc.CodeInvalidArgument, "advancing by %s would take the clock past %s", d, time.UnixMilli(maxVirtual).UTC().Format(time.RFC3339))
	})
}

// Set moves the clock to t, which must not be before the clock's time.
func (c *Clock) Set(ctx context.Context, t time.Time) (time.Time, error) {
	ms := t.UnixMilli()
	if ms > maxVirtual {
		return time.Time{}, fc.Errorf(fc.CodeInvalidArgument, "the clock goes no further than %d (%s)", maxVirtual, time.UnixMilli(maxVirtual).UTC().Format(time.RFC3339))
	}
	return c.move(ctx, ms, 0, false, func(cur int64) error {
		return fc.Errorf(fc.CodeInvalidArgument, "the clock never moves backwards: %d is before the clock's %d", ms, cur)
	})
}

func (c *Clock) move(ctx context.Context, to, by int64, relative bool, refusal func(cur int64) error) (time.Time, error) {
	rel := "0"
	if relative {
		rel = "1"
	}
	res, err := moveScript.Run(ctx, c.s.rdb, []string{c.s.key("clock")}, to, by, rel, maxVirtual, c.last.Load()).Slice()
	if err != nil {
		return time.Time{}, err
	}
	if len(res) < 2 {
		return time.Time{}, errors.New("redisstore: the clock script answered nothing")
	}
	s, _ := res[1].(string)
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	c.last.Store(ms)
	if ok, _ := res[0].(int64); ok != 1 {
		return time.UnixMilli(ms), refusal(ms)
	}
	return time.UnixMilli(ms), nil
}
