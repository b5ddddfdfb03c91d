package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/mock"
)

// configs is mock.AsyncConfigs in one Redis hash, field "service/qualifier/function", value the
// config's JSON. A Put is read, apply, write under WATCH, so two replicas' Puts of one config
// never lose one's fields.
type configs struct{ s *Store }

func configField(service, qualifier, function string) string {
	return service + "/" + qualifier + "/" + function
}

// Get reads a config. In the same round trip it checks the fixture hash is there: when Redis
// comes back empty (restarted without persistence), the presets are recorded again, so an
// invoke works at once, as on a fresh start.
func (c *configs) Get(ctx context.Context, service, qualifier, function string) (fcapi.AsyncConfig, bool, error) {
	field := configField(service, qualifier, function)
	var joined *redis.IntCmd
	var got *redis.StringCmd
	_, err := c.s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		joined, got = p.Exists(ctx, c.s.key("fixtures")), p.HGet(ctx, c.s.key("cfg"), field)
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return fcapi.AsyncConfig{}, false, err
	}
	if joined.Val() == 0 {
		if err := c.s.rejoin(ctx); err != nil {
			return fcapi.AsyncConfig{}, false, err
		}
		return c.get(ctx, c.s.rdb, field)
	}
	return decodeConfig(got.Bytes())
}

func (c *configs) get(ctx context.Context, r redis.Cmdable, field string) (fcapi.AsyncConfig, bool, error) {
	return decodeConfig(r.HGet(ctx, c.s.key("cfg"), field).Bytes())
}

func decodeConfig(b []byte, err error) (fcapi.AsyncConfig, bool, error) {
	var cfg fcapi.AsyncConfig
	if errors.Is(err, redis.Nil) {
		return cfg, false, nil
	}
	if err != nil {
		return cfg, false, err
	}
	return cfg, true, json.Unmarshal(b, &cfg)
}

func (c *configs) Put(ctx context.Context, service, qualifier, function string, in fcapi.AsyncConfigInput, now time.Time) (fcapi.AsyncConfig, error) {
	key, field := c.s.key("cfg"), configField(service, qualifier, function)
	var out fcapi.AsyncConfig
	for range 16 { // optimistic: retried when another Put changed the hash meanwhile
		err := c.s.rdb.Watch(ctx, func(tx *redis.Tx) error {
			cfg, ok, err := c.get(ctx, tx, field)
			if err != nil {
				return err
			}
			if !ok {
				cfg = mock.NewAsyncConfig(service, qualifier, function, now)
			}
			out = mock.ApplyAsyncConfig(cfg, in, now)
			b, err := json.Marshal(out)
			if err != nil {
				return err
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error { return p.HSet(ctx, key, field, b).Err() })
			return err
		}, key)
		if !errors.Is(err, redis.TxFailedErr) {
			return out, err
		}
	}
	return out, errors.New("redisstore: the async config kept changing under this Put")
}

func (c *configs) Delete(ctx context.Context, service, qualifier, function string) (bool, error) {
	n, err := c.s.rdb.HDel(ctx, c.s.key("cfg"), configField(service, qualifier, function)).Result()
	return n == 1, err
}

// Reset replaces every config with presets, atomically.
func (c *configs) Reset(ctx context.Context, presets []fcapi.AsyncConfig) error {
	args, err := presetArgs("", presets)
	if err != nil {
		return err
	}
	_, err = c.s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, c.s.key("cfg"))
		if len(args) > 1 {
			p.HSet(ctx, c.s.key("cfg"), args[1:]...)
		}
		return nil
	})
	return err
}

// DropFunction removes the function's configs of every qualifier: the fields service/*/function
// (names hold no glob characters, so the pattern matches exactly those).
func (c *configs) DropFunction(ctx context.Context, service, function string) error {
	key := c.s.key("cfg")
	iter := c.s.rdb.HScan(ctx, key, 0, service+"/*/"+function, 100).Iterator()
	var fields []string
	for iter.Next(ctx) {
		fields = append(fields, iter.Val())
	}
	if err := iter.Err(); err != nil {
		return err
	}
	var drop []string
	for i := 0; i+1 < len(fields); i += 2 { // HSCAN yields field, value, field, value, ...
		drop = append(drop, fields[i])
	}
	if len(drop) == 0 {
		return nil
	}
	return c.s.rdb.HDel(ctx, key, drop...).Err()
}

// List returns the configs whose field matches service/*/function, "*" standing for an empty
// service or function. Like Get, it records the presets again first when Redis lost them.
func (c *configs) List(ctx context.Context, service, function string) ([]fcapi.AsyncConfig, error) {
	if n, err := c.s.rdb.Exists(ctx, c.s.key("fixtures")).Result(); err != nil {
		return nil, err
	} else if n == 0 {
		if err := c.s.rejoin(ctx); err != nil {
			return nil, err
		}
	}
	iter := c.s.rdb.HScan(ctx, c.s.key("cfg"), 0, orAny(service)+"/*/"+orAny(function), 100).Iterator()
	var out []fcapi.AsyncConfig
	seen := map[string]bool{} // HSCAN may yield a field twice while the hash is rehashed
	for iter.Next(ctx) {      // HSCAN yields field, value, field, value, ...
		field := iter.Val()
		if !iter.Next(ctx) {
			break
		}
		if seen[field] {
			continue
		}
		seen[field] = true
		cfg, _, err := decodeConfig([]byte(iter.Val()), nil)
		if err != nil {
			return nil, err
		}
		out = append(out, cfg)
	}
	return out, iter.Err()
}

// orAny is s, or the glob "*" when s is empty (names hold no glob characters).
func orAny(s string) string {
	if s == "" {
		return "*"
	}
	return s
}
