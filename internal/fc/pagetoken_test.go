package fc_test

import (
	"errors"
	"testing"

	"github.com/fcmock/fcmock/internal/fc"
)

// TestConfiguredKeyRefusesDefaultKeyTokens: a configured key must replace the public default,
// or anyone could mint tokens for a mock that set its own key.
func TestConfiguredKeyRefusesDefaultKeyTokens(t *testing.T) {
	fp := fc.NewFingerprint("svc", "", "fn")
	c := fc.Cursor{StartedTime: 1700000000000, InvocationID: "job-1"}
	public := fc.NewPageTokens(fc.DefaultPageTokenKey())
	own := fc.NewPageTokens([]byte("a key of our own"))

	if _, err := own.Decode(public.Encode(c, fp), fp); !errors.Is(err, fc.ErrInvalidPageToken) {
		t.Errorf("a token minted with the default key decoded under a configured key: err = %v", err)
	}
	if _, err := public.Decode(own.Encode(c, fp), fp); !errors.Is(err, fc.ErrInvalidPageToken) {
		t.Errorf("a token minted with a configured key decoded under the default key: err = %v", err)
	}
	got, err := own.Decode(own.Encode(c, fp), fp)
	if err != nil || got != c {
		t.Errorf("round trip under the configured key = %+v, %v; want %+v", got, err, c)
	}
	for _, empty := range [][]byte{nil, {}} {
		if tok := fc.NewPageTokens(empty).Encode(c, fp); tok != public.Encode(c, fp) {
			t.Errorf("key %#v should mean the default key: %q != %q", empty, tok, public.Encode(c, fp))
		}
	}
}
