package mock_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/fcmock/fcmock/fixtures"
	"github.com/fcmock/fcmock/mock"
)

// A function's preset async config (services.yaml's asyncConfig) is what
// GetFunctionAsyncInvokeConfig answers before any Put: each destination the fixture gives, and
// no other.
func TestPresetDestinationsAreServedAsGiven(t *testing.T) {
	const queue = "acs:mns:cn-hangzhou:1:/queues/q/messages"
	services := `services:
  - name: svc
    functions:
      - name: none
        asyncConfig: {statefulInvocation: true}
      - name: on-success
        asyncConfig: {destinationConfig: {onSuccess: {destination: "` + queue + `"}}}
      - name: on-failure
        asyncConfig: {destinationConfig: {onFailure: {destination: "` + queue + `"}}}
      - name: both
        asyncConfig: {destinationConfig: {onSuccess: {destination: "` + queue + `"}, onFailure: {destination: "` + queue + `"}}}
`
	srv, err := mock.New(mock.Options{Fixtures: fstest.MapFS{fixtures.ServicesFile: {Data: []byte(services)}}})
	if err != nil {
		t.Fatal(err)
	}
	dest := `{"destination":"` + queue + `"}`
	tests := []struct {
		function          string
		expectDestination string // destinationConfig as JSON, "" when absent
	}{
		{"none", ""},
		{"on-success", `{"onSuccess":` + dest + `}`},
		{"on-failure", `{"onFailure":` + dest + `}`},
		{"both", `{"onFailure":` + dest + `,"onSuccess":` + dest + `}`},
	}
	for _, tt := range tests {
		t.Run(tt.function, func(t *testing.T) {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/2016-08-15/services/svc/functions/"+tt.function+"/async-invoke-config", nil))
			var got struct {
				DestinationConfig json.RawMessage `json:"destinationConfig"`
			}
			if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &got) != nil {
				t.Fatalf("status %d %s", rec.Code, rec.Body)
			}
			if string(got.DestinationConfig) != tt.expectDestination {
				t.Errorf("destinationConfig %s, want %q", got.DestinationConfig, tt.expectDestination)
			}
		})
	}
}
