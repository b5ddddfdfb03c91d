package redisstore_test

import (
	"context"
	"slices"
	"testing"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/redistest"
	"github.com/fcmock/fcmock/mock/redisstore"
)

// List matches service/*/function, an empty name matching every one, as the in-memory store's.
func TestConfigsListMatchesServiceAndFunction(t *testing.T) {
	rs := redistest.Start(t)
	st, err := redisstore.Open(context.Background(), redisstore.Options{URL: rs.URL()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	cfgs := st.AsyncConfigs()
	for _, k := range [][3]string{{"svc", "LATEST", "fn"}, {"svc", "prod", "fn"}, {"svc", "LATEST", "fn2"}, {"other", "LATEST", "fn"}} {
		if _, err := cfgs.Put(ctx, k[0], k[1], k[2], fcapi.AsyncConfigInput{}, start); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		service, function string
		want              []string
	}{
		{"svc", "fn", []string{"svc/LATEST/fn", "svc/prod/fn"}},
		{"svc", "", []string{"svc/LATEST/fn", "svc/LATEST/fn2", "svc/prod/fn"}},
		{"", "fn", []string{"other/LATEST/fn", "svc/LATEST/fn", "svc/prod/fn"}},
		{"", "", []string{"other/LATEST/fn", "svc/LATEST/fn", "svc/LATEST/fn2", "svc/prod/fn"}},
		{"svc", "f", nil},
	} {
		got, err := cfgs.List(ctx, tt.service, tt.function)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, c := range got {
			keys = append(keys, c.Service+"/"+c.Qualifier+"/"+c.Function)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, tt.want) {
			t.Errorf("List(%q, %q) = %v, want %v", tt.service, tt.function, keys, tt.want)
		}
	}
}
