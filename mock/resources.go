package mock

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
	"github.com/fcmock/fcmock/internal/resources"
)

// withResources makes the run-time resources the authority on which services, qualifiers and
// functions st's lists, gets, stops and invokes find: a service created at run time can be
// invoked and listed, one deleted answers 404 though the fixtures hold its invocations.
func (s *Server) withResources(st *Store) *Store {
	st.resolve = s.res.Resolve
	return st
}

// fixtureServices returns the services of the store's fixtures, in services.yaml's order.
func (s *Store) fixtureServices() []fixtures.Service {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]fixtures.Service, 0, len(s.services))
	for _, svc := range s.services {
		out = append(out, svc.def)
	}
	return out
}

// listQuery is a resource list's query with FC's default limit (20).
func listQuery(limit *int32, next, prefix, startKey *string) resources.ListQuery {
	q := resources.ListQuery{Limit: 20}
	if limit != nil {
		q.Limit = int(*limit)
	}
	for _, p := range [...]struct {
		dst *string
		src *string
	}{{&q.NextToken, next}, {&q.Prefix, prefix}, {&q.StartKey, startKey}} {
		if p.src != nil {
			*p.dst = *p.src
		}
	}
	return q
}

// tokenOf is a list's nextToken: absent on the last page ("" would make the Java SDK loop).
func tokenOf(next string) *string {
	if next == "" {
		return nil
	}
	return &next
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (a *api) ListServices(_ context.Context, req fcapi.ListServicesRequestObject) (fcapi.ListServicesResponseObject, error) {
	p := req.Params
	items, next, err := a.res.ListServices(listQuery(p.Limit, p.NextToken, p.Prefix, p.StartKey))
	if err != nil {
		return nil, err
	}
	out := fcapi.ListServicesOutput{Services: items, NextToken: tokenOf(next)}
	return jsonReply{http.StatusOK, out}, nil
}

func (a *api) GetService(_ context.Context, req fcapi.GetServiceRequestObject) (fcapi.GetServiceResponseObject, error) {
	name, qualifier := fc.SplitServiceSegment(req.ServiceName)
	svc, etag, err := a.res.Service(name, qualifier)
	if err != nil {
		return nil, err
	}
	return etagReply{svc, etag}, nil
}

func (a *api) CreateService(_ context.Context, req fcapi.CreateServiceRequestObject) (fcapi.CreateServiceResponseObject, error) {
	if req.Body == nil {
		return nil, bodyRequired("service")
	}
	svc, etag, err := a.res.CreateService(*req.Body, a.clock.Now())
	if err != nil {
		return nil, err
	}
	return etagReply{svc, etag}, nil
}

func (a *api) UpdateService(_ context.Context, req fcapi.UpdateServiceRequestObject) (fcapi.UpdateServiceResponseObject, error) {
	if req.Body == nil {
		return nil, bodyRequired("service")
	}
	svc, etag, err := a.res.UpdateService(req.ServiceName, deref(req.Params.IfMatch), *req.Body, a.clock.Now())
	if err != nil {
		return nil, err
	}
	return etagReply{svc, etag}, nil
}

func (a *api) DeleteService(_ context.Context, req fcapi.DeleteServiceRequestObject) (fcapi.DeleteServiceResponseObject, error) {
	if err := a.res.DeleteService(req.ServiceName, deref(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return deletedReply{}, nil
}

func bodyRequired(what string) error {
	return fc.Errorf(fc.CodeInvalidArgument, "the request body must be a JSON object of the %s", what)
}

// MaxResourceBody is the largest body a resource operation (a Create, Update or Publish)
// accepts: a base64 code package of about 48 MB (openapi.yaml, CreateFunction, "bounds").
const MaxResourceBody = 64 << 20

// limitResourceBodies refuses, before they are read, the bodies of resource operations larger
// than MaxResourceBody: 400 EntityTooLarge when Content-Length says so, else the read stops
// there and the body does not decode (400 InvalidArgument). Invoke bodies have their own limits.
func limitResourceBodies(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if (r.Method == http.MethodPost || r.Method == http.MethodPut) && !strings.HasSuffix(r.URL.Path, "/invocations") {
			if r.ContentLength > MaxResourceBody {
				return fc.Errorf(fc.CodeEntityTooLarge, "payload size exceeds maximum allowed size (%d bytes) of %s: the body has more bytes",
					MaxResourceBody, "a resource operation's request")
			}
			r.Body = http.MaxBytesReader(c.Response(), r.Body, MaxResourceBody)
		}
		return next(c)
	}
}
