package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/fcmock/fcmock/mock"
)

// Serve the mock over the bundled fixtures (the zero Options) and list the doc page's sample
// invocation, as an FC client would.
func ExampleNew() {
	srv, err := mock.New(mock.Options{})
	if err != nil {
		panic(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()

	res, err := http.Get(hs.URL + "/2016-08-15/services/service_name.alias/functions/function_name/stateful-async-invocations?limit=1")
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	var page struct {
		Invocations []struct {
			InvocationID string `json:"invocationId"`
			Status       string `json:"status"`
		} `json:"invocations"`
		NextToken string `json:"nextToken"`
	}
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil {
		panic(err)
	}
	fmt.Println(res.Status, res.Header.Get("Content-Type"), "request id set:", res.Header.Get("X-Fc-Request-Id") != "")
	for _, inv := range page.Invocations {
		fmt.Println(inv.InvocationID, inv.Status)
	}
	fmt.Println("more pages:", page.NextToken != "")
	// Output:
	// 200 OK application/json request id set: true
	// e026ae92-61e5-472f-b32d-1c9e3c4e0000 Succeeded
	// more pages: false
}
