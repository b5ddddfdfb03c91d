package contract_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/fcmock/fcmock/contract"
	"github.com/fcmock/fcmock/mock"
)

// Run the suite against a server (here the mock, on the bundled fixtures) and read the verdict
// from the report. Seed makes the generated cases the same on every run.
func ExampleRun() {
	srv, err := mock.New(mock.Options{})
	if err != nil {
		panic(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()

	rep, err := contract.Run(context.Background(),
		contract.Target{BaseURL: hs.URL, Service: "demo-svc", Function: "demo-fn"},
		contract.Options{Seed: 1, Cases: 20})
	if err != nil {
		panic(err) // no verdict was possible: the target did not answer
	}
	fmt.Println("ok:", rep.OK(), "violations:", rep.Violations(), "generated cases:", rep.Cases)
	// Output: ok: true violations: 0 generated cases: 20
}

// Test runs the suite from a Go test of your own: each violation fails the test with its
// check, request, expectation and answer. Point the target at staging, at FC itself, or at
// the mock, as in ExampleRun.
func ExampleTest() {
	testAgainstStaging := func(t *testing.T) {
		target := contract.Target{BaseURL: os.Getenv("FC_ENDPOINT"), Service: "svc", Function: "fn"}
		rep := contract.Test(t, target, contract.Options{Seed: 1})
		if r, ok := rep.Result(contract.CheckPaging); ok && r.Cases == 0 {
			t.Error("the listing was too short to check paging")
		}
	}
	_ = testAgainstStaging // func TestAgainstStaging(t *testing.T) in a _test.go file
}
