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

// asyncConfigs holds the functions' async invoke configs by (service, qualifier, function): the
// fixtures' presets (for LATEST) and what PutFunctionAsyncInvokeConfig stored.
type asyncConfigs struct {
	mu sync.RWMutex
	m  map[[3]string]fcapi.AsyncConfig
}

// isoTime formats a config time as FC does: ISO 8601, UTC, to the second.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// reset replaces every config with the presets of store's fixtures, created at now.
func (c *asyncConfigs) reset(store *Store, now time.Time) {
	m := map[[3]string]fcapi.AsyncConfig{}
	store.presetConfigs(func(service, function string, p *fixtures.AsyncConfig) {
		cfg := newConfig(service, fc.LatestQualifier, function, now)
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
		m[[3]string{service, fc.LatestQualifier, function}] = cfg
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = m
}

func newConfig(service, qualifier, function string, now time.Time) fcapi.AsyncConfig {
	return fcapi.AsyncConfig{Service: service, Qualifier: qualifier, Function: function,
		CreatedTime: isoTime(now), LastModifiedTime: isoTime(now),
		MaxAsyncRetryAttempts: lifecycle.DefaultMaxRetries, MaxAsyncEventAgeInSeconds: int64(lifecycle.DefaultMaxAge / time.Second)}
}

func (c *asyncConfigs) get(service, qualifier, function string) (fcapi.AsyncConfig, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	cfg, ok := c.m[[3]string{service, qualifier, function}]
	return cfg, ok
}

// effective is the config an invoke at qualifier uses: its own, else LATEST's.
func (c *asyncConfigs) effective(service, qualifier, function string) (fcapi.AsyncConfig, bool) {
	if cfg, ok := c.get(service, qualifier, function); ok {
		return cfg, true
	}
	return c.get(service, fc.LatestQualifier, function)
}

// put applies in: creates the config or changes the fields supplied (null is not supplied).
func (c *asyncConfigs) put(service, qualifier, function string, in fcapi.AsyncConfigInput, now time.Time) fcapi.AsyncConfig {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := [3]string{service, qualifier, function}
	cfg, ok := c.m[k]
	if !ok {
		cfg = newConfig(service, qualifier, function, now)
	}
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
	c.m[k] = cfg
	return cfg
}

func (c *asyncConfigs) delete(service, qualifier, function string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := [3]string{service, qualifier, function}
	_, ok := c.m[k]
	delete(c.m, k)
	return ok
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

func (a *api) PutFunctionAsyncInvokeConfig(_ context.Context, req fcapi.PutFunctionAsyncInvokeConfigRequestObject) (fcapi.PutFunctionAsyncInvokeConfigResponseObject, error) {
	service, qualifier, err := a.target(req.ServiceName, req.FunctionName)
	if err != nil {
		return nil, err
	}
	if req.Body == nil {
		return nil, fc.Errorf(fc.CodeInvalidArgument, "the request body must be a JSON object of the async invoke config")
	}
	cfg := a.configs.put(service, qualifier, req.FunctionName, *req.Body, a.clock.Now())
	return jsonReply{http.StatusOK, cfg}, nil
}

func (a *api) GetFunctionAsyncInvokeConfig(_ context.Context, req fcapi.GetFunctionAsyncInvokeConfigRequestObject) (fcapi.GetFunctionAsyncInvokeConfigResponseObject, error) {
	service, qualifier, err := a.target(req.ServiceName, req.FunctionName)
	if err != nil {
		return nil, err
	}
	cfg, ok := a.configs.get(service, qualifier, req.FunctionName)
	if !ok {
		return nil, configNotFound(service, qualifier, req.FunctionName)
	}
	return jsonReply{http.StatusOK, cfg}, nil
}

func (a *api) DeleteFunctionAsyncInvokeConfig(_ context.Context, req fcapi.DeleteFunctionAsyncInvokeConfigRequestObject) (fcapi.DeleteFunctionAsyncInvokeConfigResponseObject, error) {
	service, qualifier, err := a.target(req.ServiceName, req.FunctionName)
	if err != nil {
		return nil, err
	}
	if !a.configs.delete(service, qualifier, req.FunctionName) {
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
