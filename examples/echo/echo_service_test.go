// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package echo_test

import (
	"context"
	"testing"
	"time"

	"github.com/gotutor/gotutor/examples/echo"
	"github.com/gotutor/gotutor/examples/echo/echotest"
	"google.golang.org/protobuf/proto"
)

// TestEchoService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestEchoService(t *testing.T) {
	client := echotest.NewEchoClient(t, echo.NewEchoService())
	t.Run("Reply", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Reply(ctx, echo.ExampleEchoRequest())
		if err != nil {
			t.Fatalf("Reply: %v", err)
		}
		if want := echo.ExampleEchoReply(); !proto.Equal(resp, want) {
			t.Errorf("Reply = %v, want %v", resp, want)
		}
	})
}
