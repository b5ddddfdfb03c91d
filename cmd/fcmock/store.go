package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/fcmock/fcmock/mock"
	"github.com/fcmock/fcmock/mock/redisstore"
)

// EnvRedisPassword holds the Redis password: never a flag or the URL, which process lists and
// logs show.
const EnvRedisPassword = "FCMOCK_REDIS_PASSWORD"

// checkStore checks --store without connecting: "memory" (the default) or a Redis URL.
func checkStore(store string) error {
	if store == "" || store == "memory" {
		return nil
	}
	if err := redisstore.CheckURL(store); err != nil {
		return fmt.Errorf("--store: %w", err)
	}
	return nil
}

// openStore connects to the --store Redis (when one is given) and puts the run-time state and a
// virtual clock there; the returned func closes it.
func openStore(ctx context.Context, store string, opts *mock.Options) (io.Closer, error) {
	if store == "" || store == "memory" {
		return io.NopCloser(nil), nil
	}
	if opts.Logger != nil {
		redis.SetLogger(redisLog{opts.Logger})
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	st, err := redisstore.Open(ctx, redisstore.Options{URL: store, Password: os.Getenv(EnvRedisPassword)})
	if err != nil {
		return nil, fmt.Errorf("--store: %w", err)
	}
	opts.Shared = st
	if vc, ok := opts.Clock.(*mock.VirtualClock); ok {
		// Its start applies only when the store has no clock yet: replicas join the running one.
		opts.Clock = st.VirtualClock(vc.Now())
	}
	return st, nil
}

// storeKind names the store in the log without the URL's host.
func storeKind(store string) string {
	if store == "" || store == "memory" {
		return "memory"
	}
	return "redis"
}

// redisLog puts go-redis's own lines (a failed dial, a reconnection) into the server's log as
// warnings, in its format, instead of bare lines on stderr.
type redisLog struct{ log *slog.Logger }

func (l redisLog) Printf(_ context.Context, format string, v ...any) {
	l.log.Warn("redis client", "detail", fmt.Sprintf(format, v...))
}
