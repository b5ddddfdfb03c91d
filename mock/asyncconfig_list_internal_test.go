package mock

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
)

// memConfigs.List matches service and function, an empty name matching every one
// (mock/redisstore's TestConfigsListMatchesServiceAndFunction holds the shared store to the same).
func TestMemConfigsListMatchesServiceAndFunction(t *testing.T) {
	ctx := context.Background()
	c := &memConfigs{m: map[[3]string]fcapi.AsyncConfig{}}
	for _, k := range [][3]string{{"svc", "LATEST", "fn"}, {"svc", "prod", "fn"}, {"svc", "LATEST", "fn2"}, {"other", "LATEST", "fn"}} {
		if _, err := c.Put(ctx, k[0], k[1], k[2], fcapi.AsyncConfigInput{}, time.UnixMilli(0)); err != nil {
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
		got, _ := c.List(ctx, tt.service, tt.function)
		var keys []string
		for _, cfg := range got {
			keys = append(keys, cfg.Service+"/"+cfg.Qualifier+"/"+cfg.Function)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, tt.want) {
			t.Errorf("List(%q, %q) = %v, want %v", tt.service, tt.function, keys, tt.want)
		}
	}
}
