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
	fp := fc.NewFingerprint("ListFunctionAsyncInvokeConfigs", service, req.FunctionName)
	after, err := a.keyAfter(req.Params.NextToken, fp, "this function's configs (it was forged, truncated, or issued for another function)")
	if err != nil {
		return nil, err
	}
	all, err := a.configs.List(ctx, service, req.FunctionName)
	if err != nil {
		return nil, unavailable(err)
	}
	qualifier := func(c fcapi.AsyncConfig) string { return c.Qualifier }
	slices.SortFunc(all, func(x, y fcapi.AsyncConfig) int { return cmp.Compare(x.Qualifier, y.Qualifier) })
	out := fcapi.ListFunctionAsyncInvokeConfigsOutput{}
	out.Configs, out.NextToken = pageAfter(a, all, qualifier, after, limitOr(req.Params.Limit), fp)
	return jsonReply{http.StatusOK, out}, nil
}

// limitOr is a config list's page size: the request's, or configsDefaultLimit.
func limitOr(limit *int32) int {
	if limit == nil {
		return configsDefaultLimit
	}
	return int(*limit)
}

// keyAfter reads a config list's nextToken: the key of the last item of the previous page, ""
// for a first page (also when the token is empty: the Node SDK may send nextToken= on one). what
// says which list the token must be for, in the error.
func (a *api) keyAfter(token *string, fp fc.Fingerprint, what string) (string, error) {
	if token == nil || *token == "" {
		return "", nil
	}
	c, err := a.decodeToken(*token, fp)
	if err != nil {
		return "", fc.Wrap(err, fc.CodeInvalidArgument, `query parameter "nextToken": the token is not valid for `+what+
			`; pass back the nextToken of the previous page unchanged, or leave it out to start over`)
	}
	return c.InvocationID, nil // the cursor's id holds the key
}

// pageAfter returns up to limit items of sorted (ascending by key) after the key after, [] when
// none, and the token of the next page when more follow: its cursor holds the page's last key.
func pageAfter[T any](a *api, sorted []T, key func(T) string, after string, limit int, fp fc.Fingerprint) ([]T, *string) {
	start := 0
	if after != "" {
		start, _ = slices.BinarySearchFunc(sorted, after, func(item T, k string) int { return cmp.Compare(key(item), k) })
		if start < len(sorted) && key(sorted[start]) == after {
			start++
		}
	}
	page := append([]T{}, sorted[start:min(len(sorted), start+limit)]...) // [] when empty, never null
	if start+limit >= len(sorted) {
		return page, nil
	}
	tok := a.encodeToken(fc.Cursor{InvocationID: key(page[len(page)-1])}, fp)
	return page, &tok
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
	fp := fc.NewFingerprint("ListStatefulAsyncInvocationFunctions")
	after, err := a.keyAfter(req.Params.NextToken, fp, "this list (it was forged or truncated)")
	if err != nil {
		return nil, err
	}
	all, err := a.configs.List(ctx, "", "")
	if err != nil {
		return nil, unavailable(err)
	}
	refs, err := a.statefulRefs(all)
	if err != nil {
		return nil, err
	}
	out := fcapi.ListStatefulAsyncInvocationFunctionsOutput{}
	out.Data, out.NextToken = pageAfter(a, refs, refKey, after, limitOr(req.Params.Limit), fp)
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
