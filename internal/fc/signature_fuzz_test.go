package fc_test

import (
	"errors"
	"testing"

	"github.com/fcmock/fcmock/internal/fc"
)

// FuzzParseAuthorization checks that ParseAuthorization never panics, fails only with
// ErrMalformedAuthorization, and that whatever it accepts re-formats to a value that
// parses to the same key id and signature.
func FuzzParseAuthorization(f *testing.F) {
	for _, s := range []string{
		"FC AKIDEXAMPLE0001:7ZcB9bP8S8WKJ4vf297k+zpxNQqlFKV8OWBCW8gf9Sw=",
		"FC STS.NUx:ikdh3M2/qkBeOj+Qe3PI9M5rIWecRTdae3XeUtj+nZw=",
		"FC a:b:c",
		"FC :QFdNhz0Dl+onUM/MvpX940WFH3H8OHayZHbby1c01aI=",
		"FC id:QFdNhz0Dl+onUM/MvpX940WFH3H8OHayZHbby1c01aI",
		"FC id:QFdNhz0Dl+onUM/MvpX940WFH3H8OHayZHbby1c01aJ=",
		"FC id:QFdNhz0Dl+onUM/MvpX940WFH3H8\nOHayZHbby1c01aI=",
		"fc id:sig",
		"FC  id:sig",
		"Bearer token",
		"FC",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		id, sig, err := fc.ParseAuthorization(v)
		if err != nil {
			if !errors.Is(err, fc.ErrMalformedAuthorization) {
				t.Fatalf("ParseAuthorization(%q) err = %v, not ErrMalformedAuthorization", v, err)
			}
			return
		}
		again := "FC " + id + ":" + sig
		if again != v {
			t.Fatalf("accepted %q but re-formats as %q", v, again)
		}
		id2, sig2, err := fc.ParseAuthorization(again)
		if err != nil || id2 != id || sig2 != sig {
			t.Fatalf("re-parse of %q = (%q, %q, %v), want (%q, %q)", again, id2, sig2, err, id, sig)
		}
	})
}
