package mock_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/mock"
)

// A mock with its own page-token key (--page-token-key) refuses tokens minted with the public
// default key, and its own tokens are refused by a mock on the default key: otherwise anyone
// could mint tokens for it.
func TestAConfiguredPageTokenKeyRefusesDefaultKeyTokens(t *testing.T) {
	public := newTarget(t, smallSet())
	srv, err := mock.New(mock.Options{Fixtures: smallSet(), PageTokenKey: []byte("a key of our own")})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	client, err := fcapi.NewClientWithResponses(hs.URL)
	if err != nil {
		t.Fatal(err)
	}
	own := &target{srv: srv, url: hs.URL, client: client}

	page := func(tg *target, token *string) *fcapi.ListStatefulAsyncInvocationsResponse {
		return tg.list(t, "svc", "fn", fcapi.ListStatefulAsyncInvocationsParams{Limit: ptr(int32(4)), NextToken: token})
	}
	publicToken, ownToken := page(public, nil).JSON200.NextToken, page(own, nil).JSON200.NextToken
	if publicToken == nil || ownToken == nil {
		t.Fatal("the first page of 4 has no nextToken")
	}
	if *publicToken == *ownToken {
		t.Errorf("both keys minted the same token %q", *ownToken)
	}
	for _, tt := range []struct {
		name  string
		at    *target
		token *string
	}{
		{"a default-key token at the mock with its own key", own, publicToken},
		{"an own-key token at a mock on the default key", public, ownToken},
	} {
		if res := page(tt.at, tt.token); res.StatusCode() != http.StatusBadRequest || res.JSON400 == nil || res.JSON400.ErrorCode != "InvalidArgument" {
			t.Errorf("%s: status %d, body %s; want 400 InvalidArgument", tt.name, res.StatusCode(), res.Body)
		}
	}
	if got := ids(page(own, ownToken).JSON200.Invocations); !slices.Equal(got, []string{"task-2", "job-d"}) {
		t.Errorf("the own key's next page = %v", got)
	}
}
