package mock

import (
	"context"
	"strconv"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// defaultLimit is the page size when the request gives none (the doc's default).
const defaultLimit = 50

// api implements the generated strict server interface over a Store.
type api struct {
	store  func() *Store // the store being served; /_fcmock/reset swaps it
	tokens *fc.PageTokens
}

var _ fcapi.StrictServerInterface = (*api)(nil)

// ListStatefulAsyncInvocations serves one page. Request validation has already run, so the
// parameters are within the spec's ranges and enums here.
func (a *api) ListStatefulAsyncInvocations(ctx context.Context, req fcapi.ListStatefulAsyncInvocationsRequestObject) (fcapi.ListStatefulAsyncInvocationsResponseObject, error) {
	store := a.store()
	q, err := a.query(store, req)
	if err != nil {
		return nil, err
	}
	page, err := store.List(q)
	if err != nil {
		return nil, err
	}
	if scenarioFrom(ctx).Empty {
		page = Page{}
	}
	var body fcapi.ListStatefulAsyncInvocationsOutput
	if len(page.Items) > 0 {
		invs := make([]fcapi.StatefulAsyncInvocation, len(page.Items))
		include := req.Params.IncludePayload != nil && *req.Params.IncludePayload
		for i, inv := range page.Items {
			invs[i] = *inv
			if !include {
				invs[i].InvocationPayload = nil
			}
		}
		body.Invocations = &invs
	}
	if page.Next != nil {
		tok := a.tokens.Encode(*page.Next, fingerprint(q))
		body.NextToken = &tok
	}
	return fcapi.ListStatefulAsyncInvocations200JSONResponse{
		Body:    body,
		Headers: fcapi.ListStatefulAsyncInvocations200ResponseHeaders{XFcRequestId: RequestID(ctx)},
	}, nil
}

// query turns the request into a store query, checking the service, qualifier and function
// exist before the token, so a token for a missing function reports the missing function.
func (a *api) query(store *Store, req fcapi.ListStatefulAsyncInvocationsRequestObject) (Query, error) {
	p := req.Params
	q := Query{Function: req.FunctionName, Limit: defaultLimit, Begin: p.StartedTimeBegin, End: p.StartedTimeEnd}
	q.Service, q.Qualifier = fc.SplitServiceSegment(req.ServiceName)
	if p.Limit != nil {
		q.Limit = int(*p.Limit)
	}
	if p.Status != nil {
		q.Status = *p.Status
	}
	if p.InvocationIdPrefix != nil {
		q.Prefix = *p.InvocationIdPrefix
	}
	q.Desc = p.SortOrderByTime != nil && *p.SortOrderByTime == fcapi.Desc
	if err := store.Resolve(q.Service, q.Qualifier, q.Function); err != nil {
		return q, err
	}
	if p.NextToken != nil {
		c, err := a.tokens.Decode(*p.NextToken, fingerprint(q))
		if err != nil {
			return q, fc.Wrap(err, fc.CodeInvalidArgument, `query parameter "nextToken": the token is not valid for this query `+
				`(it was forged, truncated, or issued for other filters or another sort order); `+
				`pass back the nextToken of the previous page unchanged, with the same filters, or leave it out to start over`)
		}
		q.After = &c
	}
	return q, nil
}

// fingerprint names everything a page token must be reused with: the function and every filter
// and the sort order, but not the limit, which may change from page to page.
func fingerprint(q Query) fc.Fingerprint {
	return fc.NewFingerprint(q.Service, q.Qualifier, q.Function, string(q.Status), q.Prefix,
		optInt(q.Begin), optInt(q.End), strconv.FormatBool(q.Desc))
}

func optInt(v *int64) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatInt(*v, 10)
}
