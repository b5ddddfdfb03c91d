package mock

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
)

// TestPrefixPagesMatchAReference walks whole listings with prefix filters on a set large
// enough for List to pick among the ids with the prefix (the id index) rather than walk the
// time index, and compares every walk with a brute-force filter and sort of the function.
func TestPrefixPagesMatchAReference(t *testing.T) {
	set := benchSet(20_000)
	store := NewStore(set)
	svc, fn := set.Services[0].Name, set.Services[0].Functions[0]
	all := store.function(svc, fn).indexes[indexKey{}]
	mid := store.recs[all[len(all)/2]].started
	day := "job-" + time.UnixMilli(mid).UTC().Format("20060102") + "-"
	quals := []string{""}
	quals = append(quals, set.Services[0].Versions...)
	for a := range set.Services[0].Aliases {
		quals = append(quals, a)
	}
	for _, prefix := range []string{day, day + "00", "task-a", "task-", "a", "f0", "zzz", "job-2026"} {
		for _, qual := range quals {
			for _, status := range []fcapi.StatefulInvocationStatus{"", fcapi.Succeeded, fcapi.Failed} {
				for _, desc := range []bool{false, true} {
					for _, bounds := range [][2]*int64{{nil, nil}, {&mid, nil}, {nil, &mid}} {
						q := Query{Service: svc, Function: fn, Qualifier: qual, Status: status, Prefix: prefix, Desc: desc,
							Begin: bounds[0], End: bounds[1], Limit: 7}
						got := walkIDs(t, store, q)
						want := referenceIDs(store, all, q)
						if !slices.Equal(got, want) {
							t.Fatalf("%+v: walk %d ids, reference %d; first difference at %d", q, len(got), len(want), firstDifference(got, want))
						}
					}
				}
			}
		}
	}
	// Invocations added once the id index exists go into it too.
	for i := range 50 {
		err := store.Add(fcapi.StatefulAsyncInvocation{ServiceName: svc, FunctionName: fn, Qualifier: "LATEST",
			InvocationId: fmt.Sprintf("%sadded-%02d", day, 49-i), RequestId: "r", Status: fcapi.Running, StartedTime: mid + int64(i%5-2)})
		if err != nil {
			t.Fatal(err)
		}
	}
	all = store.function(svc, fn).indexes[indexKey{}]
	for _, desc := range []bool{false, true} {
		q := Query{Service: svc, Function: fn, Prefix: day, Desc: desc, Limit: 3}
		if got, want := walkIDs(t, store, q), referenceIDs(store, all, q); !slices.Equal(got, want) {
			t.Fatalf("after Add, desc %v: walk %d ids, reference %d; first difference at %d", desc, len(got), len(want), firstDifference(got, want))
		}
	}
}

func walkIDs(t *testing.T, store *Store, q Query) []string {
	t.Helper()
	var ids []string
	for {
		page, err := store.List(q)
		if err != nil {
			t.Fatal(err)
		}
		for _, inv := range page.Items {
			ids = append(ids, inv.InvocationId)
		}
		if page.Next == nil {
			return ids
		}
		q.After = page.Next
	}
}

func referenceIDs(store *Store, all []uint32, q Query) []string {
	var ids []string
	for _, n := range all {
		r := &store.recs[n]
		switch {
		case q.Qualifier != "" && store.strs.str(r.qualifier) != q.Qualifier, q.Status != "" && store.strs.str(r.status) != string(q.Status),
			!strings.HasPrefix(r.id, q.Prefix), q.Begin != nil && r.started < *q.Begin, q.End != nil && r.started > *q.End:
			continue
		}
		ids = append(ids, r.id)
	}
	if q.Desc {
		slices.Reverse(ids)
	}
	return ids
}

func firstDifference(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
