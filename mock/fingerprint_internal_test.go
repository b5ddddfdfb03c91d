package mock

import (
	"encoding/hex"
	"reflect"
	"testing"

	"github.com/fcmock/fcmock/internal/fc"
)

// Tokens handed out before the fingerprint was derived from pageFilters still check: the
// fingerprints of these queries are the ones the first fcmock computed (golden, hex).
func TestFingerprintUnchangedForTokensAlreadyHandedOut(t *testing.T) {
	b, e := int64(1794411600000), int64(1794411700000)
	for _, tc := range []struct {
		given Query
		want  string
	}{
		{Query{Service: "demo-svc", Function: "demo-fn"}, "f7f313733f29584bc83aa5a58524079733e3c11c74e8f166e39088ca77144103"},
		{Query{Service: "demo-svc", Qualifier: "prod", Function: "demo-fn", Status: "Succeeded", Prefix: "job-", Begin: &b, End: &e, Desc: true},
			"2a8ca7a343f2531f6d5e78a9edc95deb4d8ae1583ccaf1d5b462301c5d30c405"},
	} {
		fp := fingerprint(tc.given)
		if got := hex.EncodeToString(fp[:]); got != tc.want {
			t.Errorf("fingerprint(%+v) = %s, want %s", tc.given, got, tc.want)
		}
	}
}

// Every field of pageFilters is part of the fingerprint (a token is bound to it) and of the
// memo's key (a query differing only there gets its own fingerprint), and the limit and the
// cursor are in neither.
func TestEveryPageFilterChangesTheFingerprint(t *testing.T) {
	var a api
	base := Query{Service: "s", Function: "f", Limit: 5}
	want := fingerprint(base)
	if got := a.fingerprint(base); got != want {
		t.Fatal("the remembered fingerprint differs from the computed one")
	}
	seen := map[[32]byte]string{want: "none"}
	typ := reflect.TypeFor[pageFilters]()
	for i := range typ.NumField() {
		f := filtersOf(base)
		v := reflect.ValueOf(&f).Elem().Field(i)
		switch {
		case v.Type() == reflect.TypeFor[bound]():
			v.Set(reflect.ValueOf(bound{true, 1}))
		case v.Kind() == reflect.String:
			v.SetString("x")
		case v.Kind() == reflect.Bool:
			v.SetBool(true)
		default:
			t.Fatalf("pageFilters.%s: the test cannot change a %s", typ.Field(i).Name, v.Type())
		}
		q := queryOf(f)
		if filtersOf(q) != f {
			t.Fatalf("pageFilters.%s: filtersOf or queryOf (below) does not carry it", typ.Field(i).Name)
		}
		fp := a.fingerprint(q) // remembered per filters: a key missing a field would answer base's
		if fp != fingerprint(q) {
			t.Errorf("pageFilters.%s: the memo answered another query's fingerprint", typ.Field(i).Name)
		}
		if other, dup := seen[fp]; dup {
			t.Errorf("pageFilters.%s: the fingerprint is the same as with %s changed", typ.Field(i).Name, other)
		}
		seen[fp] = typ.Field(i).Name
	}
	after := base
	after.Limit, after.After = 100, &fc.Cursor{StartedTime: 1, InvocationID: "x"}
	if fingerprint(after) != want {
		t.Error("the limit or the cursor changed the fingerprint")
	}
}

// queryOf is filtersOf's inverse.
func queryOf(f pageFilters) Query {
	q := Query{Service: f.Service, Qualifier: f.Qualifier, Function: f.Function, Status: f.Status, Prefix: f.Prefix, Desc: f.Desc}
	if f.Begin.set {
		q.Begin = &f.Begin.ms
	}
	if f.End.set {
		q.End = &f.End.ms
	}
	return q
}
