// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package helloworld_test

import (
	"context"
	"testing"
	"time"

	"github.com/gotutor/gotutor/examples/helloworld"
	"github.com/gotutor/gotutor/examples/helloworld/helloworldtest"
	"google.golang.org/protobuf/proto"
)

// TestGreeterService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestGreeterService(t *testing.T) {
	client := helloworldtest.NewGreeterClient(t, helloworld.NewGreeterService())
	t.Run("SayHello", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.SayHello(ctx, helloworld.ExampleHelloRequest())
		if err != nil {
			t.Fatalf("SayHello: %v", err)
		}
		if want := helloworld.ExampleHelloReply(); !proto.Equal(resp, want) {
			t.Errorf("SayHello = %v, want %v", resp, want)
		}
	})
}
