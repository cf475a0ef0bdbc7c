// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package testservice_test

import (
	"context"
	"testing"
	"time"

	"github.com/gotutor/gotutor/examples/testservice"
	"github.com/gotutor/gotutor/examples/testservice/testservicetest"
	"google.golang.org/protobuf/proto"
)

// TestTestServiceService checks the answers of the document's server: the
// Java client's request1 gets "res1-java-client->py-server" twice, every
// other request "f1" and "fn1".
func TestTestServiceService(t *testing.T) {
	client := testservicetest.NewTestServiceClient(t, testservice.NewTestServiceService())
	java := &testservice.Result{Result1: "res1-java-client->py-server", Result2: "res1-java-client->py-server"}
	other := &testservice.Result{Result1: "f1", Result2: "fn1"}
	for _, tc := range []struct {
		name string
		req  *testservice.Request
		want *testservice.Result
	}{
		{"python client", &testservice.Request{Request1: "py-request1", Request2: "py-request2"}, other},
		{"java client", &testservice.Request{Request1: "java-request1", Request2: "java-request2"}, java},
		{"java request1 alone", &testservice.Request{Request1: "java-request1"}, java},
		{"java request2 alone", &testservice.Request{Request2: "java-request1"}, other},
		{"empty request", &testservice.Request{}, other},
		{"case matters", &testservice.Request{Request1: "Java-request1"}, other},
	} {
		t.Run("method/"+tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			resp, err := client.Method(ctx, tc.req)
			if err != nil {
				t.Fatalf("method(%v): %v", tc.req, err)
			}
			if !proto.Equal(resp, tc.want) {
				t.Errorf("method(%v) = %v, want %v", tc.req, resp, tc.want)
			}
		})
	}
}
