package mock

import (
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/fcmock/fcmock/gen/fcapi"
)

// bindList is the List route's parameter binding for plain requests, ahead of the generated
// one (fcapi.ServerInterfaceWrapper.ListStatefulAsyncInvocations), which parses the query into
// a url.Values and allocates a value per optional parameter through reflect, given or not:
// together about half the allocations of a list request and a tenth of its CPU.
//
// It binds only what it is sure to bind as the generated code does: path segments and query
// values with nothing to unescape, each query parameter known and given once with a value. At
// anything else (an escape, a '+', a ';', a repeated, empty or unknown parameter, a number that
// does not parse) it hands the request to the generated binding, whose answers and error
// messages are therefore unchanged. TestListBindingMatchesGenerated holds the two to the same
// results.
func bindList(si fcapi.ServerInterface, generated echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		svc, fn := c.Param("serviceName"), c.Param("functionName")
		if c.Request().URL.RawPath != "" || !plainSegment(svc) || !plainSegment(fn) {
			return generated(c)
		}
		params, ok := bindListQuery(c.Request().URL.RawQuery)
		if !ok {
			return generated(c)
		}
		return si.ListStatefulAsyncInvocations(c, svc, fn, params)
	}
}

// listPath is the List operation's route, as the generated code registers it.
const listPath = "/2016-08-15/services/:serviceName/functions/:functionName/stateful-async-invocations"

func plainSegment(s string) bool { return s != "" && !strings.ContainsAny(s, "%,") }

// listValues holds the bound values the parameters point to: one allocation for them all.
type listValues struct {
	limit          int32
	begin, end     int64
	includePayload bool
	order          fcapi.SortOrderByTime
	status         fcapi.StatefulInvocationStatus
	token, prefix  string
}

// listQueryKeys are the List operation's query parameters, in ListStatefulAsyncInvocationsParams.
var listQueryKeys = [...]string{"nextToken", "limit", "startedTimeBegin", "startedTimeEnd", "sortOrderByTime",
	"invocationIdPrefix", "includePayload", "status"}

func bindListQuery(raw string) (fcapi.ListStatefulAsyncInvocationsParams, bool) {
	var p fcapi.ListStatefulAsyncInvocationsParams
	if strings.ContainsAny(raw, "%+;") {
		return p, false
	}
	var v *listValues
	var seen [len(listQueryKeys)]bool
	for part := range strings.SplitSeq(raw, "&") {
		if raw == "" {
			break
		}
		key, val, _ := strings.Cut(part, "=")
		i := indexOf(listQueryKeys[:], key)
		if val == "" || i < 0 || seen[i] {
			return p, false
		}
		seen[i] = true
		if v == nil {
			v = new(listValues)
		}
		var err error
		switch key {
		case "nextToken":
			v.token, p.NextToken = val, &v.token
		case "limit":
			var n int64
			n, err = strconv.ParseInt(val, 10, 32)
			v.limit, p.Limit = int32(n), &v.limit
		case "startedTimeBegin":
			v.begin, err = strconv.ParseInt(val, 10, 64)
			p.StartedTimeBegin = &v.begin
		case "startedTimeEnd":
			v.end, err = strconv.ParseInt(val, 10, 64)
			p.StartedTimeEnd = &v.end
		case "sortOrderByTime":
			v.order, p.SortOrderByTime = fcapi.SortOrderByTime(val), &v.order
		case "invocationIdPrefix":
			v.prefix, p.InvocationIdPrefix = val, &v.prefix
		case "includePayload":
			v.includePayload, err = strconv.ParseBool(val)
			p.IncludePayload = &v.includePayload
		case "status":
			v.status, p.Status = fcapi.StatefulInvocationStatus(val), &v.status
		}
		if err != nil {
			return p, false
		}
	}
	return p, true
}

func indexOf(keys []string, key string) int {
	for i, k := range keys {
		if k == key {
			return i
		}
	}
	return -1
}
