package mock

import (
	"context"
	"net/http"

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

func (a *api) DeleteFunction(_ context.Context, req fcapi.DeleteFunctionRequestObject) (fcapi.DeleteFunctionResponseObject, error) {
	if err := a.res.DeleteFunction(req.ServiceName, req.FunctionName, deref(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	a.configs.dropFunction(req.ServiceName, req.FunctionName)
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

// dropFunction deletes the function's async invoke configs, every qualifier's: they go with it.
func (c *asyncConfigs) dropFunction(service, function string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.m {
		if k[0] == service && k[2] == function {
			delete(c.m, k)
		}
	}
}

// CodePath is where GetFunctionCode's url points: the admin API serves the code there.
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

// addCodeRoutes serves the stored code packages as OSS would: the bytes, with their CRC-64.
func (s *Server) addCodeRoutes(e *echo.Echo) {
	e.GET(CodePath+":checksum", func(c echo.Context) error {
		b, ok := s.res.CodeBytes(c.Param("checksum"))
		if !ok {
			return fc.Errorf(fc.CodeFunctionNotFound, "no function has code with checksum '%s'", c.Param("checksum"))
		}
		c.Response().Header().Set("X-Oss-Hash-Crc64ecma", resources.Checksum(b))
		return c.Blob(http.StatusOK, "application/zip", b)
	})
}

// memorySize is the function's memorySize at qualifier (MB), which a sync invoke's log tail
// reports; 128 (the default) if it cannot be read.
func (a *api) memorySize(service, qualifier, function string) int32 {
	if fn, _, err := a.res.Function(service, qualifier, function); err == nil && fn.MemorySize > 0 {
		return fn.MemorySize
	}
	return 128
}
