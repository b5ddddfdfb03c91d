package mock

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/lifecycle"
)

// AsyncConfigs holds the functions' async invoke configs by (service, qualifier, function): the
// fixtures' presets (for LATEST) and what PutFunctionAsyncInvokeConfig stored. In memory by
// default; mock/redisstore shares them between replicas. An error means the store could not
// answer (503 ServiceUnavailable).
type AsyncConfigs interface {
	Get(ctx context.Context, service, qualifier, function string) (fcapi.AsyncConfig, bool, error)
	// Put applies in (see ApplyAsyncConfig) to the config, made at now if there is none.
	Put(ctx context.Context, service, qualifier, function string, in fcapi.AsyncConfigInput, now time.Time) (fcapi.AsyncConfig, error)
	// Delete removes the config and reports whether there was one.
	Delete(ctx context.Context, service, qualifier, function string) (bool, error)
	// Reset replaces every config with presets.
	Reset(ctx context.Context, presets []fcapi.AsyncConfig) error
	// DropFunction removes the function's configs, every qualifier's (DeleteFunction).
	DropFunction(ctx context.Context, service, function string) error
	// List returns the configs of function in service, every qualifier's, in no particular
	// order; an empty service or function matches every one.
	List(ctx context.Context, service, function string) ([]fcapi.AsyncConfig, error)
}

// memConfigs is AsyncConfigs in memory.
type memConfigs struct {
	mu sync.RWMutex
	m  map[[3]string]fcapi.AsyncConfig
}

// isoTime formats a config time as FC does: ISO 8601, UTC, to the second.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// presetConfigs returns the async configs store's fixtures preset (for LATEST), made at now.
func presetConfigs(store *Store, now time.Time) []fcapi.AsyncConfig {
	var out []fcapi.AsyncConfig
	store.presetConfigs(func(service, function string, p *fixtures.AsyncConfig) {
		cfg := NewAsyncConfig(service, fc.LatestQualifier, function, now)
		cfg.StatefulInvocation = p.StatefulInvocation != nil && *p.StatefulInvocation
		if p.MaxAsyncRetryAttempts != nil {
			cfg.MaxAsyncRetryAttempts = *p.MaxAsyncRetryAttempts
		}
		if p.MaxAsyncEventAgeInSeconds != nil {
			cfg.MaxAsyncEventAgeInSeconds = *p.MaxAsyncEventAgeInSeconds
		}
		if p.OnSuccess != nil || p.OnFailure != nil {
			cfg.DestinationConfig = &fcapi.DestinationConfig{}
			if p.OnSuccess != nil {
				cfg.DestinationConfig.OnSuccess = &fcapi.Destination{Destination: p.OnSuccess}
			}
			if p.OnFailure != nil {
				cfg.DestinationConfig.OnFailure = &fcapi.Destination{Destination: p.OnFailure}
			}
		}
		out = append(out, cfg)
	})
	return out
}

func (c *memConfigs) Reset(_ context.Context, presets []fcapi.AsyncConfig) error {
	m := make(map[[3]string]fcapi.AsyncConfig, len(presets))
	for _, cfg := range presets {
		m[[3]string{cfg.Service, cfg.Qualifier, cfg.Function}] = cfg
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = m
	return nil
}

// NewAsyncConfig is the config a first Put makes at now, before its input applies.
func NewAsyncConfig(service, qualifier, function string, now time.Time) fcapi.AsyncConfig {
	return fcapi.AsyncConfig{Service: service, Qualifier: qualifier, Function: function,
		CreatedTime: isoTime(now), LastModifiedTime: isoTime(now),
		MaxAsyncRetryAttempts: lifecycle.DefaultMaxRetries, MaxAsyncEventAgeInSeconds: int64(lifecycle.DefaultMaxAge / time.Second)}
}

func (c *memConfigs) Get(_ context.Context, service, qualifier, function string) (fcapi.AsyncConfig, bool, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	cfg, ok := c.m[[3]string{service, qualifier, function}]
	return cfg, ok, nil
}

// effective is the config an invoke at qualifier uses: its own, else LATEST's.
func (a *api) effectiveConfig(ctx context.Context, service, qualifier, function string) (fcapi.AsyncConfig, bool, error) {
	if cfg, ok, err := a.configs.Get(ctx, service, qualifier, function); ok || err != nil {
		return cfg, ok, err
	}
	return a.configs.Get(ctx, service, fc.LatestQualifier, function)
}

// ApplyAsyncConfig applies in to cfg at now: the fields supplied change (null is not supplied).
func ApplyAsyncConfig(cfg fcapi.AsyncConfig, in fcapi.AsyncConfigInput, now time.Time) fcapi.AsyncConfig {
	cfg.LastModifiedTime = isoTime(now)
	if in.StatefulInvocation != nil {
		cfg.StatefulInvocation = *in.StatefulInvocation
	}
	if in.MaxAsyncRetryAttempts != nil {
		cfg.MaxAsyncRetryAttempts = *in.MaxAsyncRetryAttempts
	}
	if in.MaxAsyncEventAgeInSeconds != nil {
		cfg.MaxAsyncEventAgeInSeconds = *in.MaxAsyncEventAgeInSeconds
	}
	if in.DestinationConfig != nil {
		cfg.DestinationConfig = in.DestinationConfig
	}
	return cfg
}

func (c *memConfigs) Put(_ context.Context, service, qualifier, function string, in fcapi.AsyncConfigInput, now time.Time) (fcapi.AsyncConfig, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := [3]string{service, qualifier, function}
	cfg, ok := c.m[k]
	if !ok {
		cfg = NewAsyncConfig(service, qualifier, function, now)
	}
	cfg = ApplyAsyncConfig(cfg, in, now)
	c.m[k] = cfg
	return cfg, nil
}

func (c *memConfigs) Delete(_ context.Context, service, qualifier, function string) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := [3]string{service, qualifier, function}
	_, ok := c.m[k]
	delete(c.m, k)
	return ok, nil
}

// target resolves a path's service segment and function: (service, qualifier or LATEST, function).
func (a *api) target(segment, function string) (service, qualifier string, err error) {
	service, qualifier = fc.SplitServiceSegment(segment)
	if err := a.store().Resolve(service, qualifier, function); err != nil {
		return "", "", err
	}
	if qualifier == "" {
		qualifier = fc.LatestQualifier
	}
	return service, qualifier, nil
}

func configNotFound(service, qualifier, function string) error {
	return fc.Errorf(fc.CodeAsyncConfigNotExists, "AsyncConfig for %s.%s:%s does not exist.", service, qualifier, function)
}

func (a *api) PutFunctionAsyncInvokeConfig(ctx context.Context, req fcapi.PutFunctionAsyncInvokeConfigRequestObject) (fcapi.PutFunctionAsyncInvokeConfigResponseObject, error) {
	service, qualifier, err := a.target(req.ServiceName, req.FunctionName)
	if err != nil {
		return nil, err
	}
	if req.Body == nil {
		return nil, fc.Errorf(fc.CodeInvalidArgument, "the request body must be a JSON object of the async invoke config")
	}
	now, err := a.now(ctx)
	if err != nil {
		return nil, err
	}
	cfg, err := a.configs.Put(ctx, service, qualifier, req.FunctionName, *req.Body, time.UnixMilli(now))
	if err != nil {
		return nil, unavailable(err)
	}
	return jsonReply{http.StatusOK, cfg}, nil
}

func (a *api) GetFunctionAsyncInvokeConfig(ctx context.Context, req fcapi.GetFunctionAsyncInvokeConfigRequestObject) (fcapi.GetFunctionAsyncInvokeConfigResponseObject, error) {
	service, qualifier, err := a.target(req.ServiceName, req.FunctionName)
	if err != nil {
		return nil, err
	}
	cfg, ok, err := a.configs.Get(ctx, service, qualifier, req.FunctionName)
	if err != nil {
		return nil, unavailable(err)
	}
	if !ok {
		return nil, configNotFound(service, qualifier, req.FunctionName)
	}
	return jsonReply{http.StatusOK, cfg}, nil
}

func (a *api) DeleteFunctionAsyncInvokeConfig(ctx context.Context, req fcapi.DeleteFunctionAsyncInvokeConfigRequestObject) (fcapi.DeleteFunctionAsyncInvokeConfigResponseObject, error) {
	service, qualifier, err := a.target(req.ServiceName, req.FunctionName)
	if err != nil {
		return nil, err
	}
	ok, err := a.configs.Delete(ctx, service, qualifier, req.FunctionName)
	if err != nil {
		return nil, unavailable(err)
	}
	if !ok {
		return nil, configNotFound(service, qualifier, req.FunctionName)
	}
	return noContent{}, nil
}

// noContent is DeleteFunctionAsyncInvokeConfig's 204.
type noContent struct{}

func (noContent) VisitDeleteFunctionAsyncInvokeConfigResponse(w http.ResponseWriter) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// DropFunction deletes the function's async invoke configs, every qualifier's: they go with it.
func (c *memConfigs) DropFunction(_ context.Context, service, function string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.m {
		if k[0] == service && k[2] == function {
			delete(c.m, k)
		}
	}
	return nil
}
