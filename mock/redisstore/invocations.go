package redisstore

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/fcmock/fcmock/internal/lifecycle"
	"github.com/fcmock/fcmock/mock"
)

// invocations is mock.Invocations in Redis (see Store for the keys).
type invocations struct{ s *Store }

// fnKeys are one function's keys.
type fnKeys struct{ inv, stop, k, fl, fk, st, sd string }

func (m *invocations) keys(service, function string) fnKeys {
	f := service + "/" + function
	p := m.s.prefix
	return fnKeys{inv: p + "inv:" + f, stop: p + "stop:" + f, k: p + "k:" + f + ":", fl: p + "fl:" + f,
		fk: p + "fk:" + f + ":", st: p + "st:" + f + ":", sd: p + "sd:" + f}
}

// sortKey is an invocation's list key as a sorted-set member: startedTime as 16 hex digits
// (order-preserving for negative times too), then the id. Members sort bytewise, as
// (startedTime, id) compares, so ZRANGEBYLEX walks the list order.
func sortKey(started int64, id string) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(started)^1<<63)
	return hex.EncodeToString(b[:]) + id
}

const sortKeyTime = 16 // hex digits before the id

// putScript records an invocation unless its id is taken, and indexes it: every write or none.
var putScript = redis.NewScript(`
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], 0, ARGV[3])
redis.call('ZADD', KEYS[3], 0, ARGV[3])
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[3])
redis.call('INCR', KEYS[5])
redis.call('ZADD', KEYS[6], 0, ARGV[3])
redis.call('ZADD', KEYS[7], 0, ARGV[3])
return 1`)

// putKeys are putScript's keys.
func (m *invocations) putKeys(k fnKeys, qualifier string) []string {
	return []string{k.inv, k.k, k.k + qualifier, k.fl, m.s.key("n"), k.fk, k.fk + qualifier}
}

func (m *invocations) Put(ctx context.Context, inv *mock.Invocation) (bool, error) {
	k := m.keys(inv.Service, inv.Function)
	end := inv.Plan.End(lifecycle.NoStop)
	n, err := putScript.Run(ctx, m.s.rdb, m.putKeys(k, inv.Qualifier),
		inv.ID, appendRecord(nil, inv), sortKey(inv.Plan.Enqueued, inv.ID), end).Int()
	return n == 1, err
}

func (m *invocations) Get(ctx context.Context, service, function, id string) (*mock.Invocation, error) {
	k := m.keys(service, function)
	var rec, stop *redis.StringCmd
	_, err := m.s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		rec, stop = p.HGet(ctx, k.inv, id), p.HGet(ctx, k.stop, id)
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	b, err := rec.Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	st, err := stop.Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	return build(service, function, id, b, st)
}

// build makes an Invocation from its record and its stop ("" when none is recorded).
func build(service, function, id string, rec []byte, stop string) (*mock.Invocation, error) {
	inv := &mock.Invocation{Service: service, Function: function, ID: id}
	if err := decodeRecord(rec, inv); err != nil {
		return nil, err
	}
	inv.SetStopTime(lifecycle.NoStop)
	if stop != "" {
		at, err := strconv.ParseInt(stop, 10, 64)
		if err != nil {
			return nil, errRecord
		}
		inv.SetStopTime(at)
	}
	return inv, nil
}

// stopScript records a stop unless one is, and puts the invocation back in flight at the end the
// stop gives: out of a status index a read filed it under with a clock read after the stop's.
// It answers {1, at} when it recorded at, {0, recorded} otherwise.
var stopScript = redis.NewScript(`
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then
	return {0, redis.call('HGET', KEYS[1], ARGV[1])}
end
local st = redis.call('HGET', KEYS[2], ARGV[1])
if st then
	redis.call('ZREM', KEYS[4] .. ':' .. st, ARGV[3])
	redis.call('ZREM', KEYS[4] .. ARGV[5] .. ':' .. st, ARGV[3])
	redis.call('HDEL', KEYS[2], ARGV[1])
	redis.call('ZADD', KEYS[5], 0, ARGV[3])
	redis.call('ZADD', KEYS[5] .. ARGV[5], 0, ARGV[3])
end
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
return {1, ARGV[2]}`)

func (m *invocations) Stop(ctx context.Context, inv *mock.Invocation, at int64) (int64, bool, error) {
	k := m.keys(inv.Service, inv.Function)
	res, err := stopScript.Run(ctx, m.s.rdb, []string{k.stop, k.sd, k.fl, k.st, k.fk},
		inv.ID, at, sortKey(inv.Plan.Enqueued, inv.ID), inv.Plan.End(at), inv.Qualifier).Slice()
	if err != nil {
		return 0, false, err
	}
	if len(res) != 2 {
		return 0, false, errRecord
	}
	won, _ := res[0].(int64)
	s, _ := res[1].(string)
	recorded, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false, errRecord
	}
	inv.SetStopTime(recorded)
	return recorded, won == 1, nil
}

// pageScript walks a sorted set of keys from a bound, in either order, keeping the members
// whose id starts with a prefix, up to n; it answers member, record, stop (or false) for each.
// ARGV: from, to (ZRANGEBYLEX bounds in the walk's order), desc, prefix, n.
var pageScript = redis.NewScript(`
local from, to, desc, prefix, n = ARGV[1], ARGV[2], ARGV[3] == '1', ARGV[4], tonumber(ARGV[5])
local batch = math.max(n, 64)
local members, ids = {}, {}
while #members < n do
	local ms
	if desc then ms = redis.call('ZREVRANGEBYLEX', KEYS[1], from, to, 'LIMIT', 0, batch)
	else ms = redis.call('ZRANGEBYLEX', KEYS[1], from, to, 'LIMIT', 0, batch) end
	for _, m in ipairs(ms) do
		local id = string.sub(m, 17)
		if prefix == '' or string.sub(id, 1, #prefix) == prefix then
			members[#members+1] = m
			ids[#ids+1] = id
			if #members == n then break end
		end
	end
	if #ms < batch then break end
	from = '(' .. ms[#ms]
end
if #ids == 0 then return {} end
local recs = redis.call('HMGET', KEYS[2], unpack(ids))
local stops = redis.call('HMGET', KEYS[3], unpack(ids))
local out = {}
for i = 1, #ids do
	out[#out+1] = members[i]
	out[#out+1] = recs[i]
	out[#out+1] = stops[i]
end
return out`)

func (m *invocations) Page(ctx context.Context, q mock.Query, now int64) ([]*mock.Invocation, error) {
	k := m.keys(q.Service, q.Function)
	set := k.k + q.Qualifier
	var live []*mock.Invocation
	if q.Status != "" {
		var err error
		if live, err = m.settle(ctx, k, q, now); err != nil {
			return nil, err
		}
		set = k.st + q.Qualifier + ":" + string(q.Status)
	}
	from, to := bounds(q)
	desc := "0"
	if q.Desc {
		desc = "1"
	}
	var res []any
	var err error
	if q.Prefix == "" {
		res, err = m.rangePage(ctx, k, set, from, to, q)
	} else {
		res, err = pageScript.Run(ctx, m.s.rdb, []string{set, k.inv, k.stop}, from, to, desc, q.Prefix, q.Limit+1).Slice()
	}
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	out := make([]*mock.Invocation, 0, len(res)/3+len(live))
	for i := 0; i+2 < len(res); i += 3 {
		member, _ := res[i].(string)
		rec, _ := res[i+1].(string)
		stop, _ := res[i+2].(string)
		if len(member) <= sortKeyTime || rec == "" {
			continue // dropped by a reset racing with the walk
		}
		inv, err := build(q.Service, q.Function, member[sortKeyTime:], []byte(rec), stop)
		if err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return mock.MergeLive(out, live, q), nil
}

// rangePage is pageScript without a prefix, in plain commands (cheaper than a script, measured):
// the page's keys, then their records and stops in one pipeline. A reset between the two
// drops records, which Page skips.
func (m *invocations) rangePage(ctx context.Context, k fnKeys, set, from, to string, q mock.Query) ([]any, error) {
	by := &redis.ZRangeBy{Min: from, Max: to, Count: int64(q.Limit + 1)}
	var members []string
	var err error
	if q.Desc {
		by.Min, by.Max = to, from
		members, err = m.s.rdb.ZRevRangeByLex(ctx, set, by).Result()
	} else {
		members, err = m.s.rdb.ZRangeByLex(ctx, set, by).Result()
	}
	if err != nil || len(members) == 0 {
		return nil, err
	}
	_, recs, stops, err := m.records(ctx, k, members)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, 3*len(members))
	for i, mb := range members {
		out = append(out, mb, recs[i], stops[i])
	}
	return out, nil
}

// bounds are q's ZRANGEBYLEX bounds in the walk's order (for ZREVRANGEBYLEX, high first):
// the tighter of the time bound and the cursor on each side.
func bounds(q mock.Query) (from, to string) {
	lo, hi := "-", "+"
	if q.Begin != nil {
		lo = "[" + sortKey(*q.Begin, "")
	}
	if q.End != nil && *q.End < 1<<63-1 {
		hi = "(" + sortKey(*q.End+1, "")
	}
	if c := q.After; c != nil {
		after := sortKey(c.StartedTime, c.InvocationID)
		if q.Desc && (hi == "+" || after < hi[1:]) {
			hi = "(" + after
		}
		if !q.Desc && (lo == "-" || after >= lo[1:]) {
			lo = "(" + after
		}
	}
	if q.Desc {
		return hi, lo
	}
	return lo, hi
}

// settleScript files ended invocations under their status, each unless a stop was recorded
// since its status was computed (the stop's end decides then). ARGV: member, the stop seen
// (empty for none), status, qualifier; repeated.
var settleScript = redis.NewScript(`
for i = 1, #ARGV, 4 do
	local m, want, st, q = ARGV[i], ARGV[i+1], ARGV[i+2], ARGV[i+3]
	local id = string.sub(m, 17)
	local got = redis.call('HGET', KEYS[2], id) or ''
	if got == want and redis.call('ZREM', KEYS[1], m) == 1 then
		redis.call('ZADD', KEYS[4] .. ':' .. st, 0, m)
		redis.call('ZADD', KEYS[4] .. q .. ':' .. st, 0, m)
		redis.call('HSET', KEYS[3], id, st)
		redis.call('ZREM', KEYS[5], m)
		redis.call('ZREM', KEYS[5] .. q, m)
	end
end
return 1`)

// settle files the function's invocations that have ended by now under their status, so the
// status index serves them, and, for a status an invocation in flight can have, returns those
// in flight that have q's status at now and match q, to be merged with the index's page. A
// terminal status needs no look at the ones in flight: they have not ended.
func (m *invocations) settle(ctx context.Context, k fnKeys, q mock.Query, now int64) ([]*mock.Invocation, error) {
	nowScore := strconv.FormatInt(now, 10)
	ended, err := m.inFlight(ctx, k, q, "-inf", nowScore)
	if err != nil {
		return nil, err
	}
	var args []any
	for _, e := range ended {
		stop := ""
		if at := e.inv.StopTime(); at != lifecycle.NoStop {
			stop = strconv.FormatInt(at, 10)
		}
		args = append(args, e.member, stop, string(e.inv.State(now).Status), e.inv.Qualifier)
	}
	for len(args) > 0 { // in batches, so one script never holds Redis long
		n := min(len(args), 4*512)
		if err := settleScript.Run(ctx, m.s.rdb, []string{k.fl, k.stop, k.sd, k.st, k.fk}, args[:n]...).Err(); err != nil {
			return nil, err
		}
		args = args[n:]
	}
	if lifecycle.Terminal(q.Status) {
		return nil, nil
	}
	return m.live(ctx, k, q, now)
}

// live returns, in q's order, up to q.Limit+1 of the in-flight invocations that have q's status
// at now and match q: it walks the in-flight keys of q's qualifier from q's bound in q's order
// and stops once it has enough, since the page can hold no later one. So a page costs
// O(log n + the in-flight entries walked), the walk being short when in-flight invocations
// have the status asked for (Enqueued on a frozen clock) and the function's in-flight count at
// worst (a status none has).
func (m *invocations) live(ctx context.Context, k fnKeys, q mock.Query, now int64) ([]*mock.Invocation, error) {
	from, to := bounds(q)
	batch := int64(max(q.Limit+1, 64))
	var out []*mock.Invocation
	for len(out) <= q.Limit {
		by := &redis.ZRangeBy{Min: from, Max: to, Count: batch}
		var members []string
		var err error
		if q.Desc {
			by.Min, by.Max = to, from
			members, err = m.s.rdb.ZRevRangeByLex(ctx, k.fk+q.Qualifier, by).Result()
		} else {
			members, err = m.s.rdb.ZRangeByLex(ctx, k.fk+q.Qualifier, by).Result()
		}
		if err != nil || len(members) == 0 {
			return out, err
		}
		ids, recs, stops, err := m.records(ctx, k, members)
		if err != nil {
			return nil, err
		}
		for i := range members {
			rec, _ := recs[i].(string)
			stop, _ := stops[i].(string)
			if rec == "" || !strings.HasPrefix(ids[i], q.Prefix) {
				continue
			}
			inv, err := build(q.Service, q.Function, ids[i], []byte(rec), stop)
			if err != nil {
				return nil, err
			}
			if inv.State(now).Status == q.Status && len(out) <= q.Limit {
				out = append(out, inv)
			}
		}
		if int64(len(members)) < batch {
			break
		}
		from = "(" + members[len(members)-1]
	}
	return out, nil
}

type flight struct {
	member string
	inv    *mock.Invocation
}

// records reads the records and stops of sorted-set members in one round trip: nil where
// there is none.
func (m *invocations) records(ctx context.Context, k fnKeys, members []string) (ids []string, recs, stops []any, err error) {
	ids = make([]string, len(members))
	for i, mb := range members {
		ids[i] = mb[sortKeyTime:]
	}
	var r, st *redis.SliceCmd
	_, err = m.s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		r, st = p.HMGet(ctx, k.inv, ids...), p.HMGet(ctx, k.stop, ids...)
		return nil
	})
	return ids, r.Val(), st.Val(), err
}

// inFlight reads the in-flight invocations whose end is within [min, max] (ZRANGEBYSCORE
// bounds), with their records and stops.
func (m *invocations) inFlight(ctx context.Context, k fnKeys, q mock.Query, min, max string) ([]flight, error) {
	members, err := m.s.rdb.ZRangeByScore(ctx, k.fl, &redis.ZRangeBy{Min: min, Max: max}).Result()
	if err != nil || len(members) == 0 {
		return nil, err
	}
	ids, recs, stops, err := m.records(ctx, k, members)
	if err != nil {
		return nil, err
	}
	out := make([]flight, 0, len(members))
	for i, mb := range members {
		rec, _ := recs[i].(string)
		stop, _ := stops[i].(string)
		if rec == "" {
			continue // dropped by a reset meanwhile
		}
		inv, err := build(q.Service, q.Function, ids[i], []byte(rec), stop)
		if err != nil {
			return nil, err
		}
		out = append(out, flight{mb, inv})
	}
	return out, nil
}

func (m *invocations) Len(ctx context.Context) (int, error) {
	n, err := m.s.rdb.Get(ctx, m.s.key("n")).Int()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	return n, err
}

// Reset drops every invocation (Store.Reset, which mock calls, drops the configs too).
func (m *invocations) Reset(ctx context.Context) error {
	return m.s.unlink(ctx, func(name string) bool {
		if name == "n" {
			return true
		}
		kind, _, _ := strings.Cut(name, ":")
		switch kind {
		case "inv", "stop", "k", "fl", "fk", "st", "sd":
			return true
		}
		return false
	})
}
