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

// TestTestServiceService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestTestServiceService(t *testing.T) {
	client := testservicetest.NewTestServiceClient(t, testservice.NewTestServiceService())
	t.Run("method", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Method(ctx, testservice.ExampleRequest())
		if err != nil {
			t.Fatalf("Method: %v", err)
		}
		if want := testservice.ExampleResult(); !proto.Equal(resp, want) {
			t.Errorf("Method = %v, want %v", resp, want)
		}
	})
}
