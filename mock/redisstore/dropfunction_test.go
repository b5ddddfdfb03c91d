package redisstore_test

import (
	"context"
	"testing"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/redistest"
	"github.com/fcmock/fcmock/mock/redisstore"
)

// DeleteFunction drops the function's async configs of every qualifier, and no other's, in the
// shared store as in memory.
func TestDropFunctionRemovesEveryQualifiersConfig(t *testing.T) {
	rs := redistest.Start(t)
	st, err := redisstore.Open(context.Background(), redisstore.Options{URL: rs.URL()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	cfgs := st.AsyncConfigs()
	keys := [][3]string{{"svc", "LATEST", "fn"}, {"svc", "prod", "fn"}, {"svc", "1", "fn"}, {"svc", "LATEST", "fn2"}, {"other", "LATEST", "fn"}}
	for _, k := range keys {
		if _, err := cfgs.Put(ctx, k[0], k[1], k[2], fcapi.AsyncConfigInput{}, start); err != nil {
			t.Fatal(err)
		}
	}
	if err := cfgs.DropFunction(ctx, "svc", "fn"); err != nil {
		t.Fatalf("DropFunction: %v", err)
	}
	for i, k := range keys {
		_, ok, err := cfgs.Get(ctx, k[0], k[1], k[2])
		if err != nil {
			t.Fatal(err)
		}
		if want := i >= 3; ok != want {
			t.Errorf("after dropping svc/fn, config %v present = %v, want %v", k, ok, want)
		}
	}
}
