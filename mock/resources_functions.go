package mock

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/resources"
)

func (a *api) ListFunctions(_ context.Context, req fcapi.ListFunctionsRequestObject) (fcapi.ListFunctionsResponseObject, error) {
	p := req.Params
	service, qualifier := fc.SplitServiceSegment(req.ServiceName)
	items, next, err := a.res.ListFunctions(service, qualifier, listQuery(p.Limit, p.NextToken, p.Prefix, p.StartKey))
	if err != nil {
		return nil, err
	}
	out := fcapi.ListFunctionsOutput{Functions: items, NextToken: tokenOf(next)}
	return jsonReply{http.StatusOK, out}, nil
}

func (a *api) GetFunction(_ context.Context, req fcapi.GetFunctionRequestObject) (fcapi.GetFunctionResponseObject, error) {
	service, qualifier := fc.SplitServiceSegment(req.ServiceName)
	fn, etag, err := a.res.Function(service, qualifier, req.FunctionName)
	if err != nil {
		return nil, err
	}
	return etagReply{fn, etag}, nil
}

func (a *api) CreateFunction(_ context.Context, req fcapi.CreateFunctionRequestObject) (fcapi.CreateFunctionResponseObject, error) {
	if req.Body == nil {
		return nil, bodyRequired("function")
	}
	code, err := resources.NewCode(req.Body.Code, deref(req.Params.XFcCodeChecksum))
	if err != nil {
		return nil, err
	}
	fn, etag, err := a.res.CreateFunction(req.ServiceName, *req.Body, code, a.clock.Now())
	if err != nil {
		return nil, err
	}
	return etagReply{fn, etag}, nil
}

func (a *api) UpdateFunction(_ context.Context, req fcapi.UpdateFunctionRequestObject) (fcapi.UpdateFunctionResponseObject, error) {
	if req.Body == nil {
		return nil, bodyRequired("function")
	}
	code, err := resources.NewCode(req.Body.Code, deref(req.Params.XFcCodeChecksum))
	if err != nil {
		return nil, err
	}
	fn, etag, err := a.res.UpdateFunction(req.ServiceName, req.FunctionName, deref(req.Params.IfMatch), *req.Body, code, a.clock.Now())
	if err != nil {
		return nil, err
	}
	return etagReply{fn, etag}, nil
}

func (a *api) DeleteFunction(ctx context.Context, req fcapi.DeleteFunctionRequestObject) (fcapi.DeleteFunctionResponseObject, error) {
	if err := a.res.DeleteFunction(req.ServiceName, req.FunctionName, deref(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	if err := a.configs.DropFunction(ctx, req.ServiceName, req.FunctionName); err != nil {
		return nil, unavailable(err) // the function is gone; its configs go with the next delete or reset
	}
	return deletedReply{}, nil
}

func (a *api) GetFunctionCode(ctx context.Context, req fcapi.GetFunctionCodeRequestObject) (fcapi.GetFunctionCodeResponseObject, error) {
	service, qualifier := fc.SplitServiceSegment(req.ServiceName)
	fn, _, err := a.res.Function(service, qualifier, req.FunctionName)
	if err != nil {
		return nil, err
	}
	origin, _ := ctx.Value(originKey{}).(string)
	return jsonReply{http.StatusOK, fcapi.FunctionCode{Url: origin + CodePath + fn.CodeChecksum, Checksum: fn.CodeChecksum}}, nil
}

// CodePath is where GetFunctionCode's url points. It stands for the pre-signed OSS URL FC
// answers: anyone with the URL may GET it, so it is served outside the admin API's guard and
// the FC API's signature check (see ServeHTTP).
const CodePath = AdminPrefix + "code/"

type originKey struct{}

// withOrigin gives GetFunctionCode the scheme and host the request came to, for its url. Other
// operations pass through untouched (no allocation on the list path).
func withOrigin(f fcapi.StrictHandlerFunc, operationID string) fcapi.StrictHandlerFunc {
	if operationID != "GetFunctionCode" {
		return f
	}
	return func(c echo.Context, req any) (any, error) {
		r := c.Request()
		c.SetRequest(r.WithContext(context.WithValue(r.Context(), originKey{}, c.Scheme()+"://"+r.Host)))
		return f(c, req)
	}
}

// serveCode serves a stored code package as OSS would: the bytes, with their CRC-64.
func (s *Server) serveCode(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		WriteError(w, fc.CodePathNotSupported, fmt.Sprintf("'%s' against '%s' is not supported", r.Method, r.URL.Path))
		return
	}
	sum := strings.TrimPrefix(r.URL.Path, CodePath)
	b, ok := s.res.CodeBytes(sum)
	if !ok {
		WriteError(w, fc.CodePathNotFound, fmt.Sprintf("'%s' is not a path of the FC API: no code package has checksum '%s'", r.URL.Path, sum))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("X-Oss-Hash-Crc64ecma", resources.Checksum(b))
	if r.Method == http.MethodGet {
		_, _ = w.Write(b)
	}
}

// memorySize is the function's memorySize at qualifier (MB), which a sync invoke's log tail
// reports; 128 (the default) if it cannot be read.
func (a *api) memorySize(service, qualifier, function string) int32 {
	if fn, _, err := a.res.Function(service, qualifier, function); err == nil && fn.MemorySize > 0 {
		return fn.MemorySize
	}
	return 128
}
