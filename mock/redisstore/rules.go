package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/fcmock/fcmock/mock"
)

// rulesTTL bounds how long a replica serves standing rules it read without reading them again,
// should it miss the message that they changed (a reconnection).
const rulesTTL = time.Second

// rules is mock.RuleStore in Redis: the rules' JSON under one key. The mock reads the rules on
// every request, so each replica caches them; a change is published on a channel that every
// replica's store listens to and drops its cache on, so other replicas see it within a message's
// latency (and within rulesTTL should the message be lost).
type rules struct {
	s      *Store
	cached atomic.Pointer[cachedRules]
	gen    atomic.Uint64 // counts changes heard of; a cache read before the last one is stale
}

type cachedRules struct {
	rules []mock.Rule
	at    time.Time
	gen   uint64
}

func (r *rules) key() string { return r.s.key("rules") }

// listen drops the cache whenever any replica changes the rules, until ctx ends.
func (r *rules) listen(ctx context.Context) {
	ps := r.s.rdb.Subscribe(ctx, r.key())
	defer ps.Close()
	ch := ps.Channel()
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-ch:
			if !ok {
				return
			}
			r.gen.Add(1)
		}
	}
}

func (r *rules) Rules(ctx context.Context) ([]mock.Rule, error) {
	gen, at := r.gen.Load(), time.Now()
	if c := r.cached.Load(); c != nil && c.gen == gen && at.Sub(c.at) < rulesTTL {
		return c.rules, nil
	}
	b, err := r.s.rdb.Get(ctx, r.key()).Bytes()
	var list []mock.Rule
	switch {
	case errors.Is(err, redis.Nil):
	case err != nil:
		// Redis does not answer: the rules last read still apply (rather than every request,
		// fixture reads included, failing); with none read yet, the request fails (503).
		if c := r.cached.Load(); c != nil {
			return c.rules, nil
		}
		return nil, err
	default:
		if err := json.Unmarshal(b, &list); err != nil {
			return nil, err
		}
	}
	r.cached.Store(&cachedRules{list, at, gen})
	return list, nil
}

func (r *rules) SetRules(ctx context.Context, list []mock.Rule) error {
	b, err := json.Marshal(list)
	if err != nil {
		return err
	}
	if _, err := r.s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, r.key(), b, 0)
		p.Publish(ctx, r.key(), "changed")
		return nil
	}); err != nil {
		return err
	}
	r.gen.Add(1)
	return nil
}
