package mock

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// configsDefaultLimit is ListFunctionAsyncInvokeConfigs' page size when the request gives none
// (the spec's choice: FC 2.0's other lists' default).
const configsDefaultLimit = 20

// ListFunctionAsyncInvokeConfigs serves one page of a function's configs, by qualifier. The
// page token is the page-token machinery's (tamper-evident, bound to the function by its
// fingerprint) with the last qualifier returned as its cursor, so configs put or deleted
// between pages neither repeat nor skip the others.
func (a *api) ListFunctionAsyncInvokeConfigs(ctx context.Context, req fcapi.ListFunctionAsyncInvokeConfigsRequestObject) (fcapi.ListFunctionAsyncInvokeConfigsResponseObject, error) {
	service, _, err := a.target(req.ServiceName, req.FunctionName)
	if err != nil {
		return nil, err
	}
	p := req.Params
	limit := configsDefaultLimit
	if p.Limit != nil {
		limit = int(*p.Limit)
	}
	fp := fc.NewFingerprint("ListFunctionAsyncInvokeConfigs", service, req.FunctionName)
	after := ""
	if p.NextToken != nil && *p.NextToken != "" { // the Node SDK may send nextToken= on a first page
		c, err := a.decodeToken(*p.NextToken, fp)
		if err != nil {
			return nil, fc.Wrap(err, fc.CodeInvalidArgument, `query parameter "nextToken": the token is not valid for this `+
				`function's configs (it was forged, truncated, or issued for another function); pass back the nextToken `+
				`of the previous page unchanged, or leave it out to start over`)
		}
		after = c.InvocationID // the cursor's id is the last qualifier returned
	}
	all, err := a.configs.List(ctx, service, req.FunctionName)
	if err != nil {
		return nil, unavailable(err)
	}
	page := configsPage(all, after, limit)
	out := fcapi.ListFunctionAsyncInvokeConfigsOutput{Configs: page}
	if len(page) > limit {
		out.Configs = page[:limit]
		tok := a.encodeToken(fc.Cursor{InvocationID: page[limit-1].Qualifier}, fp)
		out.NextToken = &tok
	}
	return jsonReply{http.StatusOK, out}, nil
}

// configsPage sorts cfgs by qualifier and returns up to limit+1 of those after the qualifier
// after ("" for the first page): the extra one tells that more follow.
func configsPage(cfgs []fcapi.AsyncConfig, after string, limit int) []fcapi.AsyncConfig {
	slices.SortFunc(cfgs, func(x, y fcapi.AsyncConfig) int { return cmp.Compare(x.Qualifier, y.Qualifier) })
	start := 0
	if after != "" {
		start, _ = slices.BinarySearchFunc(cfgs, after, func(c fcapi.AsyncConfig, q string) int { return cmp.Compare(c.Qualifier, q) })
		if start < len(cfgs) && cfgs[start].Qualifier == after {
			start++
		}
	}
	page := cfgs[start:]
	if len(page) > limit+1 {
		page = page[:limit+1]
	}
	if page == nil {
		page = []fcapi.AsyncConfig{} // [] when empty, never null
	}
	return page
}

func (r jsonReply) VisitListFunctionAsyncInvokeConfigsResponse(w http.ResponseWriter) error {
	return r.write(w)
}

func (c *memConfigs) List(_ context.Context, service, function string) ([]fcapi.AsyncConfig, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []fcapi.AsyncConfig
	for k, cfg := range c.m {
		if (service == "" || k[0] == service) && (function == "" || k[2] == function) {
			out = append(out, cfg)
		}
	}
	return out, nil
}

// ListStatefulAsyncInvocationFunctions serves one page of the (service, qualifier, function)
// whose config turns stateful invocation on, by service, function, qualifier. The token's
// cursor is the last entry returned (refKey).
func (a *api) ListStatefulAsyncInvocationFunctions(ctx context.Context, req fcapi.ListStatefulAsyncInvocationFunctionsRequestObject) (fcapi.ListStatefulAsyncInvocationFunctionsResponseObject, error) {
	p := req.Params
	limit := configsDefaultLimit
	if p.Limit != nil {
		limit = int(*p.Limit)
	}
	fp := fc.NewFingerprint("ListStatefulAsyncInvocationFunctions")
	after := ""
	if p.NextToken != nil && *p.NextToken != "" {
		c, err := a.decodeToken(*p.NextToken, fp)
		if err != nil {
			return nil, fc.Wrap(err, fc.CodeInvalidArgument, `query parameter "nextToken": the token is not valid for this list `+
				`(it was forged or truncated); pass back the nextToken of the previous page unchanged, or leave it out to start over`)
		}
		after = c.InvocationID
	}
	all, err := a.configs.List(ctx, "", "")
	if err != nil {
		return nil, unavailable(err)
	}
	refs, err := a.statefulRefs(all)
	if err != nil {
		return nil, err
	}
	start := 0
	if after != "" {
		start, _ = slices.BinarySearchFunc(refs, after, func(r fcapi.FunctionRef, k string) int { return cmp.Compare(refKey(r), k) })
		if start < len(refs) && refKey(refs[start]) == after {
			start++
		}
	}
	out := fcapi.ListStatefulAsyncInvocationFunctionsOutput{Data: refs[start:]}
	if len(out.Data) > limit {
		out.Data = out.Data[:limit]
		tok := a.encodeToken(fc.Cursor{InvocationID: refKey(out.Data[limit-1])}, fp)
		out.NextToken = &tok
	}
	return jsonReply{http.StatusOK, out}, nil
}

// refKey orders the entries by service, function, qualifier: "," sorts before every character
// a name may hold, so the joined key sorts as the three names do.
func refKey(r fcapi.FunctionRef) string {
	return r.ServiceName + "," + r.FunctionName + "," + r.Qualifier
}

// statefulRefs returns the stateful configs whose function (and version or alias) still exists,
// sorted by refKey; [] when none.
func (a *api) statefulRefs(cfgs []fcapi.AsyncConfig) ([]fcapi.FunctionRef, error) {
	refs := []fcapi.FunctionRef{}
	store := a.store()
	for _, c := range cfgs {
		if !c.StatefulInvocation {
			continue
		}
		q := c.Qualifier
		if q == fc.LatestQualifier {
			q = ""
		}
		if err := store.Resolve(c.Service, q, c.Function); err != nil {
			var fe *fc.Error
			if errors.As(err, &fe) {
				continue // gone since its config was put
			}
			return nil, unavailable(err)
		}
		refs = append(refs, fcapi.FunctionRef{ServiceName: c.Service, FunctionName: c.Function, Qualifier: c.Qualifier})
	}
	slices.SortFunc(refs, func(x, y fcapi.FunctionRef) int { return cmp.Compare(refKey(x), refKey(y)) })
	return refs, nil
}

func (r jsonReply) VisitListStatefulAsyncInvocationFunctionsResponse(w http.ResponseWriter) error {
	return r.write(w)
}
