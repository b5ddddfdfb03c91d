package fcmocktest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/fcmock/fcmock/fcmocktest"
	"github.com/fcmock/fcmock/gen/fcapi"
)

// A mock with the bundled fixtures, driven with the client generated from openapi.yaml: add an
// invocation, list it, force an error, and read the journal. In a test, use
// fcmocktest.Start(t), which stops the mock when the test ends.
func Example() {
	m, err := fcmocktest.New()
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	client, err := fcapi.NewClientWithResponses(m.URL)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	err = m.Store().Add(fcapi.StatefulAsyncInvocation{
		ServiceName: "demo-svc", FunctionName: "demo-fn", Qualifier: "LATEST",
		InvocationId: "example-0001", RequestId: "req-0001", Status: fcapi.Running,
		StartedTime: 1794400000000,
	})
	if err != nil {
		log.Fatal(err)
	}
	prefix := "example-"
	res, err := client.ListStatefulAsyncInvocationsWithResponse(ctx, "demo-svc", "demo-fn",
		&fcapi.ListStatefulAsyncInvocationsParams{InvocationIdPrefix: &prefix})
	if err != nil {
		log.Fatal(err)
	}
	for _, inv := range *res.JSON200.Invocations {
		fmt.Println(inv.InvocationId, inv.Status)
	}

	m.Fail("demo-svc", "demo-fn", "ServiceUnavailable")
	res, err = client.ListStatefulAsyncInvocationsWithResponse(ctx, "demo-svc", "demo-fn", nil)
	if err != nil {
		log.Fatal(err)
	}
	var e fcapi.Error
	_ = json.Unmarshal(res.Body, &e)
	fmt.Println(res.StatusCode(), e.ErrorCode)

	for _, r := range m.Requests() {
		fmt.Printf("%s %d %q\n", r.Method, r.Status, r.Scenario)
	}
	// Output:
	// example-0001 Running
	// 503 ServiceUnavailable
	// GET 200 ""
	// GET 503 "error=ServiceUnavailable"
}
