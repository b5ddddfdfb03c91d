package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/mock"
)

// Options says which Redis to use. URL is redis://HOST:PORT/DB or rediss:// (TLS); it must not
// carry a password, which comes in Password (fcmock serve reads FCMOCK_REDIS_PASSWORD), so it
// never shows in a process list or a log line.
type Options struct {
	URL      string
	Password string
	// Prefix starts every key; "" means DefaultPrefix. Stores with different prefixes in one
	// Redis are independent deployments.
	Prefix string
	// Timeout bounds each Redis round trip (dial, read, write, pool wait); 0 means
	// DefaultTimeout. A request needing an unreachable Redis fails within a few of them.
	Timeout time.Duration
}

// DefaultPrefix starts every key of a store whose Options.Prefix is empty.
const DefaultPrefix = "fcmock:"

// DefaultTimeout bounds each Redis round trip.
const DefaultTimeout = time.Second

// Store is mock.SharedState in Redis. Keys (P is the prefix, F "service/function"):
//
//	P fixtures            the fixture set's hash (mock.FixtureHash)
//	P clock               the virtual clock, ms since the epoch
//	P cfg                 hash "service/qualifier/function" -> async config JSON
//	P n                   how many run-time invocations there are
//	P inv:F               hash id -> the invocation's record (record.go), written once
//	P stop:F              hash id -> the stop's time (ms), written once
//	P k:F:Q               sorted set of keys (startedTime, id) of qualifier Q ("" for every one)
//	P fl:F                in-flight keys, scored by the end their plan and stop give
//	P fk:F:Q              in-flight keys of qualifier Q ("" for every one), in list order
//	P st:F:Q:S            keys of the ended invocations of qualifier Q ("" for every one), status S
//	P sd:F                hash id -> the status it was filed under in st (for a stop to undo)
//	P rules               the standing scenario rules' JSON; also the channel announcing changes
//
// Service, function and qualifier names cannot hold '/' or ':' (FC's name rules), so keys do
// not collide.
type Store struct {
	rdb    *redis.Client
	prefix string
	inv    *invocations
	cfg    *configs
	rules  *rules
	stop   context.CancelFunc // ends the rules' listener
	// joined is what Join recorded, to record again when Redis comes back empty (restarted
	// without persistence, flushed): the configs check it (see configs.Get).
	joined atomic.Pointer[[]any]
}

// ErrPasswordInURL refuses a URL carrying a password: it would show in process lists and logs.
var ErrPasswordInURL = errors.New("the Redis URL must not carry a password (it would show in process lists and logs); " +
	"put it in the FCMOCK_REDIS_PASSWORD environment variable")

// CheckURL checks a store URL without connecting: redis:// or rediss://, no password.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("the store URL: %w", err)
	}
	if _, has := u.User.Password(); has {
		return ErrPasswordInURL
	}
	if u.Scheme != "redis" && u.Scheme != "rediss" {
		return fmt.Errorf("the store URL must be redis://HOST:PORT/DB or rediss://HOST:PORT/DB, not %q", u.Redacted())
	}
	if _, err := redis.ParseURL(raw); err != nil {
		return fmt.Errorf("the store URL: %w", err)
	}
	return nil
}

// Open connects to Redis and checks it answers (PING).
func Open(ctx context.Context, opts Options) (*Store, error) {
	if err := CheckURL(opts.URL); err != nil {
		return nil, err
	}
	ro, _ := redis.ParseURL(opts.URL)
	u, _ := url.Parse(opts.URL)
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	ro.Password = opts.Password
	ro.DialTimeout, ro.ReadTimeout, ro.WriteTimeout, ro.PoolTimeout = opts.Timeout, opts.Timeout, opts.Timeout, opts.Timeout
	ro.ContextTimeoutEnabled = true
	// One retry: a connection Redis closed (a restart) is redialled; more would only stretch
	// the time an unreachable Redis takes to become a 503.
	ro.MaxRetries = 1
	ro.DialerRetries, ro.DialerRetryTimeout = 1, 50*time.Millisecond
	ro.DisableIdentity = true
	if opts.Prefix == "" {
		opts.Prefix = DefaultPrefix
	}
	s := &Store{rdb: redis.NewClient(ro), prefix: opts.Prefix}
	s.inv = &invocations{s: s}
	s.cfg = &configs{s: s}
	s.rules = &rules{s: s}
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		s.rdb.Close()
		return nil, fmt.Errorf("redis %s: %w", u.Redacted(), err)
	}
	lctx, stop := context.WithCancel(context.Background())
	s.stop = stop
	go s.rules.listen(lctx)
	return s, nil
}

// Close stops listening and closes the connections.
func (s *Store) Close() error {
	s.stop()
	return s.rdb.Close()
}

// Rules returns the standing scenario rules.
func (s *Store) Rules() mock.RuleStore { return s.rules }

// Invocations returns the run-time invocations.
func (s *Store) Invocations() mock.Invocations { return s.inv }

// AsyncConfigs returns the async invoke configs.
func (s *Store) AsyncConfigs() mock.AsyncConfigs { return s.cfg }

func (s *Store) key(name string) string { return s.prefix + name }

// joinScript records the fixture hash and the presets unless a hash is recorded, atomically, so
// replicas starting together agree on one; it returns the recorded hash.
var joinScript = redis.NewScript(`
local h = redis.call('GET', KEYS[1])
if h then return h end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i+1]) end
return ARGV[1]`)

// Join implements mock.SharedState.
func (s *Store) Join(ctx context.Context, fixtureHash string, presets []fcapi.AsyncConfig) error {
	args, err := presetArgs(fixtureHash, presets)
	if err != nil {
		return err
	}
	got, err := joinScript.Run(ctx, s.rdb, []string{s.key("fixtures"), s.key("cfg")}, args...).Text()
	if err != nil {
		return err
	}
	s.joined.Store(&args)
	if got != fixtureHash {
		return fmt.Errorf("%w (its hash %.12s, this replica's %.12s): give every replica the same fixtures, "+
			"or give this one another Redis DB or key prefix", mock.ErrOtherFixtures, got, fixtureHash)
	}
	return nil
}

func presetArgs(fixtureHash string, presets []fcapi.AsyncConfig) ([]any, error) {
	args := []any{fixtureHash}
	for _, cfg := range presets {
		b, err := json.Marshal(cfg)
		if err != nil {
			return nil, err
		}
		args = append(args, configField(cfg.Service, cfg.Qualifier, cfg.Function), b)
	}
	return args, nil
}

// Reset implements mock.SharedState: it deletes every key of the store but the clock's, the
// standing rules' and the fixture hash's (SCAN and UNLINK in batches; requests racing with it may see part of the old
// state), then puts the presets back.
func (s *Store) Reset(ctx context.Context, fixtureHash string, presets []fcapi.AsyncConfig) error {
	got, err := s.rdb.Get(ctx, s.key("fixtures")).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return err
	}
	if err == nil && got != fixtureHash {
		return fmt.Errorf("%w (its hash %.12s, this replica's %.12s)", mock.ErrOtherFixtures, got, fixtureHash)
	}
	// The standing rules stay, as a reset of one process keeps them.
	if err := s.unlink(ctx, func(name string) bool { return name != "fixtures" && name != "clock" && name != "rules" }); err != nil {
		return err
	}
	if err := s.rdb.Del(ctx, s.key("fixtures")).Err(); err != nil {
		return err
	}
	return s.Join(ctx, fixtureHash, presets)
}

// escapeGlob escapes SCAN MATCH's special characters.
func escapeGlob(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?', '[', ']', '\\':
			out = append(out, '\\')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// unlink deletes the store's keys whose name (after the prefix) drop says to, with SCAN and
// UNLINK in batches.
func (s *Store) unlink(ctx context.Context, drop func(name string) bool) error {
	iter := s.rdb.Scan(ctx, 0, escapeGlob(s.prefix)+"*", 1000).Iterator()
	var batch []string
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := s.rdb.Unlink(ctx, batch...).Err()
		batch = batch[:0]
		return err
	}
	for iter.Next(ctx) {
		if k := iter.Val(); drop(strings.TrimPrefix(k, s.prefix)) {
			batch = append(batch, k)
		}
		if len(batch) == 1000 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := iter.Err(); err != nil {
		return err
	}
	return flush()
}

// rejoin records the fixture hash and presets again after Redis lost them.
func (s *Store) rejoin(ctx context.Context) error {
	args := s.joined.Load()
	if args == nil {
		return nil
	}
	return joinScript.Run(ctx, s.rdb, []string{s.key("fixtures"), s.key("cfg")}, (*args)...).Err()
}
