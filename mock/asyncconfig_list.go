package mock

import (
	"cmp"
	"context"
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
