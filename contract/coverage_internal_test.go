package contract

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/fcmock/fcmock/internal/spec"
)

// Coverage counts a query parameter as exercised only when the request gave it a value, and an
// enum value only when the query held exactly it.
func TestCoverageCountsWhatTheRequestSent(t *testing.T) {
	router, err := spec.NewRouter()
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("/2016-08-15/services/svc/functions/fn/stateful-async-invocations?limit=5&status=Failed&invocationIdPrefix=")
	req := &http.Request{Method: http.MethodGet, URL: u, Header: http.Header{}}
	route, _, err := router.FindRoute(req)
	if err != nil {
		t.Fatal(err)
	}
	c := newCoverage()
	c.record(route, req, &exchange{status: 200})
	cv := c.report()
	const op = "ListStatefulAsyncInvocations "
	tests := []struct {
		list []string
		item string
		want bool
	}{
		{cv.Parameters.Exercised, op + "query limit", true},
		{cv.Parameters.Exercised, op + "query status", true},
		{cv.Parameters.Exercised, op + "path serviceName", true},
		{cv.Parameters.NotExercised, op + "query invocationIdPrefix", true}, // sent empty
		{cv.Parameters.NotExercised, op + "query nextToken", true},          // not sent
		{cv.Parameters.Exercised, op + "query nextToken", false},
		{cv.EnumValues.Exercised, op + "status=Failed", true},
		{cv.EnumValues.NotExercised, op + "status=Running", true},
		{cv.EnumValues.NotExercised, op + "sortOrderByTime=asc", true},
		{cv.Statuses.Exercised, op + "200", true},
	}
	for _, tt := range tests {
		if got := slices.Contains(tt.list, tt.item); got != tt.want {
			t.Errorf("%q listed: %v, want %v (coverage %+v)", tt.item, got, tt.want, cv)
		}
	}
}
