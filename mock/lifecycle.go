package mock

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/lifecycle"
)

// The largest InvokeFunction bodies FC 2.0 accepts (its "Limits" page: request payload of a
// synchronous invocation 32 MB, of an asynchronous one 128 KB).
const (
	MaxAsyncPayload = 128 << 10
	MaxSyncPayload  = 32 << 20
)

// InvokeFunction runs a function: asynchronously (202, recorded as a stateful invocation when
// the function's async config says so) or synchronously (200, the behaviour's result).
func (a *api) InvokeFunction(ctx context.Context, req fcapi.InvokeFunctionRequestObject) (fcapi.InvokeFunctionResponseObject, error) {
	service, qualifier, err := a.target(req.ServiceName, req.FunctionName)
	if err != nil {
		return nil, err
	}
	p := req.Params
	id := ""
	if p.XFcStatefulAsyncInvocationId != nil {
		id = *p.XFcStatefulAsyncInvocationId
	}
	async := p.XFcInvocationType != nil && *p.XFcInvocationType == fcapi.InvokeFunctionParamsXFcInvocationTypeAsync
	if id != "" && p.XFcInvocationType != nil && !async {
		return nil, fc.Errorf(fc.CodeInvalidArgument, "header %s: a stateful invocation id needs %s: Async (or no %s), not Sync",
			fc.HeaderStatefulInvocationID, fc.HeaderInvocationType, fc.HeaderInvocationType)
	}
	async = async || id != ""
	if err := checkLogType(p.XFcLogType, async); err != nil {
		return nil, err
	}
	limit, kind := MaxSyncPayload, "a synchronous invocation"
	if async {
		limit, kind = MaxAsyncPayload, "an asynchronous invocation"
	}
	var payload []byte
	if req.Body != nil {
		if payload, err = io.ReadAll(io.LimitReader(req.Body, int64(limit)+1)); err != nil {
			return nil, fc.Wrap(err, fc.CodeInvalidArgument, "the request body could not be read: "+err.Error())
		}
	}
	if len(payload) > limit {
		return nil, fc.Errorf(fc.CodeEntityTooLarge, "payload size exceeds maximum allowed size (%d bytes) of %s: the body has more bytes", limit, kind)
	}
	def := a.store().FunctionDef(service, req.FunctionName)
	if !async {
		return a.invokeSync(ctx, def.Behaviour, payload, p.XFcLogType, a.memorySize(service, qualifier, req.FunctionName))
	}
	cfg, ok, err := a.effectiveConfig(ctx, service, qualifier, req.FunctionName)
	if err != nil {
		return nil, unavailable(err)
	}
	if !ok || !cfg.StatefulInvocation {
		if id != "" {
			return nil, fc.Errorf(fc.CodeInvalidArgument, "function '%s' of service '%s' is not in stateful invocation mode: its async invoke config (%s) "+
				`does not set statefulInvocation to true; PUT .../async-invoke-config with {"statefulInvocation": true} first, or invoke without %s`,
				req.FunctionName, service, qualifier, fc.HeaderStatefulInvocationID)
		}
		return acceptedReply{}, nil // a plain asynchronous invoke: nothing to record
	}
	if id == "" {
		id = "inv-" + uuid.NewString()
	}
	if a.store().Find(service, req.FunctionName, id) != nil {
		return nil, alreadyExists(service, req.FunctionName, id)
	}
	now, err := a.now(ctx)
	if err != nil {
		return nil, err
	}
	lc := lifecycle.Config{MaxRetries: int(cfg.MaxAsyncRetryAttempts), MaxAge: time.Duration(cfg.MaxAsyncEventAgeInSeconds) * time.Second}
	if d := cfg.DestinationConfig; d != nil {
		lc.OnSuccess = d.OnSuccess != nil && d.OnSuccess.Destination != nil
		lc.OnFailure = d.OnFailure != nil && d.OnFailure.Destination != nil
	}
	inv := &Invocation{Service: service, Function: req.FunctionName, Qualifier: qualifier,
		ID: id, RequestID: RequestID(ctx), Payload: string(payload),
		Plan: lifecycle.Draw(def.Behaviour, lc, seedOf(service, req.FunctionName, id), now, string(payload))}
	if ok, err := a.runtime.Put(ctx, inv); err != nil {
		return nil, unavailable(err)
	} else if !ok {
		return nil, alreadyExists(service, req.FunctionName, id)
	}
	return acceptedReply{id: id}, nil
}

// seedOf is an invocation's seed: its run times and instance depend on its id alone, so the
// same invocation replays the same on every run and every replica.
func seedOf(service, function, id string) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%s\x00%s", service, function, id)
	return h.Sum64()
}

func alreadyExists(service, function, id string) error {
	return fc.Errorf(fc.CodeStatefulAsyncInvocationAlreadyExists,
		"stateful async invocation '%s' of function '%s' in service '%s' already exists", id, function, service)
}

// checkLogType checks X-Fc-Log-Type with FC's exact messages (the vendor's Java tests compare them).
func checkLogType(v *string, async bool) error {
	switch {
	case v == nil || *v == "None":
		return nil
	case *v == "Tail" && async:
		return fc.Errorf(fc.CodeInvalidArgument, "LogType is set to an invalid value (allowed: None, actual: 'Tail')")
	case *v == "Tail":
		return nil
	}
	return fc.Errorf(fc.CodeInvalidArgument, "LogType is set to an invalid value (allowed: Tail | None, actual: '%s')", *v)
}

// invokeSync answers a synchronous invoke: 200 with the result as octet-stream, or, when the
// function fails, 200 with X-Fc-Error-Type and FC's error JSON of a function.
func (a *api) invokeSync(ctx context.Context, b lifecycle.Behaviour, payload []byte, logType *string, memoryMB int32) (fcapi.InvokeFunctionResponseObject, error) {
	result, errMsg := b.Sync(payload)
	r := rawReply{body: result, contentType: "application/octet-stream", header: map[string]string{}}
	if errMsg != "" {
		body, _ := json.Marshal(fcapi.FunctionError{ErrorMessage: errMsg, ErrorType: ptr("Error")})
		r.body, r.contentType = body, "application/json"
		r.header[fc.HeaderErrorType] = "UnhandledInvocationError"
	}
	if logType != nil && *logType == "Tail" {
		rid := RequestID(ctx)
		run := lifecycle.DefaultRunTime
		if b.RunTime != nil {
			run = b.RunTime.Min
		}
		ms := float64(run.Microseconds()) / 1000
		log := fmt.Sprintf("FC Invoke Start RequestId: %s\nFC Invoke End RequestId: %s\n"+
			"Duration: %.2f ms, Billed Duration: %d ms, Memory Size: %d MB, Max Memory Used: 16.00 MB\n",
			rid, rid, ms, int64(ms+0.999), memoryMB)
		r.header[fc.HeaderLogResult] = base64.StdEncoding.EncodeToString([]byte(log))
	}
	return r, nil
}

// find returns the invocation with this id as the API shows it at now: made at run time or in
// the fixtures. A qualified path finds only an invocation of that qualifier (as List filters).
func (a *api) find(ctx context.Context, segment, function, id string) (*Invocation, *fcapi.StatefulAsyncInvocation, error) {
	service, qualifier := fc.SplitServiceSegment(segment)
	store := a.store()
	if err := store.Resolve(service, qualifier, function); err != nil {
		return nil, nil, err
	}
	inv, err := a.runtime.Get(ctx, service, function, id)
	if err != nil {
		return nil, nil, unavailable(err)
	}
	if inv != nil && (qualifier == "" || inv.Qualifier == qualifier) {
		return inv, nil, nil
	}
	if rec := store.Find(service, function, id); rec != nil && (qualifier == "" || rec.Qualifier == qualifier) {
		return nil, rec, nil
	}
	return nil, nil, fc.Errorf(fc.CodeStatefulAsyncInvocationNotFound,
		"stateful async invocation '%s' of function '%s' in service '%s' does not exist", id, function, service)
}

func (a *api) GetStatefulAsyncInvocation(ctx context.Context, req fcapi.GetStatefulAsyncInvocationRequestObject) (fcapi.GetStatefulAsyncInvocationResponseObject, error) {
	inv, rec, err := a.find(ctx, req.ServiceName, req.FunctionName, req.InvocationId)
	if err != nil {
		return nil, err
	}
	if inv != nil {
		now, err := a.now(ctx)
		if err != nil {
			return nil, err
		}
		return jsonReply{http.StatusOK, inv.API(now, true)}, nil
	}
	return jsonReply{http.StatusOK, rec}, nil
}

func (a *api) StopStatefulAsyncInvocation(ctx context.Context, req fcapi.StopStatefulAsyncInvocationRequestObject) (fcapi.StopStatefulAsyncInvocationResponseObject, error) {
	inv, rec, err := a.find(ctx, req.ServiceName, req.FunctionName, req.InvocationId)
	if err != nil {
		return nil, err
	}
	if rec != nil {
		return nil, stopRefused(rec.ServiceName, rec.FunctionName, rec.InvocationId, rec.Status, true)
	}
	if inv.StopTime() != lifecycle.NoStop {
		return nil, stopRefused(inv.Service, inv.Function, inv.ID, fcapi.Stopping, false)
	}
	at, err := a.now(ctx)
	if err != nil {
		return nil, err
	}
	if !inv.Plan.CanStop(at) {
		return nil, stopRefused(inv.Service, inv.Function, inv.ID, inv.State(at).Status, false)
	}
	if _, won, err := a.runtime.Stop(ctx, inv, at); err != nil {
		return nil, unavailable(err)
	} else if !won {
		return nil, stopRefused(inv.Service, inv.Function, inv.ID, fcapi.Stopping, false)
	}
	return jsonReply{http.StatusOK, struct{}{}}, nil
}

// stopRefused is the error of a stop that cannot be: 412 AsyncInvocationStopped for one already
// stopping or stopped, 400 InvalidArgument for one that ended otherwise or is a live fixture.
func stopRefused(service, function, id string, status fcapi.StatefulInvocationStatus, fixture bool) error {
	switch {
	case status == fcapi.Stopping || status == fcapi.Stopped:
		return fc.Errorf(fc.CodeAsyncInvocationStopped, "The async invocation for %s:%s:%s has been stopped", service, function, id)
	case lifecycle.Terminal(status):
		return fc.Errorf(fc.CodeInvalidArgument, "invocation '%s' of function '%s' has already ended (%s) and cannot be stopped", id, function, status)
	case fixture:
		return fc.Errorf(fc.CodeInvalidArgument, "invocation '%s' of function '%s' is fixture data (%s), a snapshot that never changes, "+
			"and cannot be stopped; stop an invocation made with InvokeFunction instead", id, function, status)
	}
	return fc.Errorf(fc.CodeInvalidArgument, "invocation '%s' of function '%s' cannot be stopped in status %s", id, function, status)
}
