package mock

import (
	"context"
	"net/http"

	"github.com/fcmock/fcmock/gen/fcapi"
)

func (a *api) PublishServiceVersion(_ context.Context, req fcapi.PublishServiceVersionRequestObject) (fcapi.PublishServiceVersionResponseObject, error) {
	desc := ""
	if req.Body != nil {
		desc = deref(req.Body.Description)
	}
	v, etag, err := a.res.PublishVersion(req.ServiceName, deref(req.Params.IfMatch), desc, a.clock.Now())
	if err != nil {
		return nil, err
	}
	return etagReply{v, etag}, nil
}

func (a *api) ListServiceVersions(_ context.Context, req fcapi.ListServiceVersionsRequestObject) (fcapi.ListServiceVersionsResponseObject, error) {
	p := req.Params
	dir := fcapi.ListVersionsOutputDirectionBACKWARD
	if p.Direction != nil {
		dir = fcapi.ListVersionsOutputDirection(*p.Direction)
	}
	items, next, err := a.res.ListVersions(req.ServiceName, listQuery(p.Limit, p.NextToken, nil, p.StartKey), dir == fcapi.ListVersionsOutputDirectionBACKWARD)
	if err != nil {
		return nil, err
	}
	out := fcapi.ListVersionsOutput{Versions: items, Direction: dir, NextToken: tokenOf(next)}
	return jsonReply{http.StatusOK, out}, nil
}

func (a *api) DeleteServiceVersion(_ context.Context, req fcapi.DeleteServiceVersionRequestObject) (fcapi.DeleteServiceVersionResponseObject, error) {
	if err := a.res.DeleteVersion(req.ServiceName, req.VersionId); err != nil {
		return nil, err
	}
	return deletedReply{}, nil
}

func (a *api) CreateAlias(_ context.Context, req fcapi.CreateAliasRequestObject) (fcapi.CreateAliasResponseObject, error) {
	if req.Body == nil {
		return nil, bodyRequired("alias")
	}
	al, etag, err := a.res.CreateAlias(req.ServiceName, *req.Body, a.clock.Now())
	if err != nil {
		return nil, err
	}
	return etagReply{al, etag}, nil
}

func (a *api) GetAlias(_ context.Context, req fcapi.GetAliasRequestObject) (fcapi.GetAliasResponseObject, error) {
	al, etag, err := a.res.Alias(req.ServiceName, req.AliasName)
	if err != nil {
		return nil, err
	}
	return etagReply{al, etag}, nil
}

func (a *api) UpdateAlias(_ context.Context, req fcapi.UpdateAliasRequestObject) (fcapi.UpdateAliasResponseObject, error) {
	if req.Body == nil {
		return nil, bodyRequired("alias")
	}
	al, etag, err := a.res.UpdateAlias(req.ServiceName, req.AliasName, deref(req.Params.IfMatch), *req.Body, a.clock.Now())
	if err != nil {
		return nil, err
	}
	return etagReply{al, etag}, nil
}

func (a *api) ListAliases(_ context.Context, req fcapi.ListAliasesRequestObject) (fcapi.ListAliasesResponseObject, error) {
	p := req.Params
	items, next, err := a.res.ListAliases(req.ServiceName, listQuery(p.Limit, p.NextToken, p.Prefix, p.StartKey))
	if err != nil {
		return nil, err
	}
	out := fcapi.ListAliasesOutput{Aliases: items, NextToken: tokenOf(next)}
	return jsonReply{http.StatusOK, out}, nil
}

func (a *api) DeleteAlias(_ context.Context, req fcapi.DeleteAliasRequestObject) (fcapi.DeleteAliasResponseObject, error) {
	if err := a.res.DeleteAlias(req.ServiceName, req.AliasName, deref(req.Params.IfMatch)); err != nil {
		return nil, err
	}
	return deletedReply{}, nil
}
