// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package context_test

import (
	contextpb "context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/testdata/gopkgnames/context"
	"github.com/gotutor/gotutor/testdata/gopkgnames/context/contexttest"
	"google.golang.org/protobuf/proto"
)

// TestContextsService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestContextsService(t *testing.T) {
	client := contexttest.NewContextsClient(t, context.NewContextsService())
	t.Run("Background", func(t *testing.T) {
		ctx, cancel := contextpb.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Background(ctx, context.ExampleContext())
		if err != nil {
			t.Fatalf("Background: %v", err)
		}
		if want := context.ExampleContextsClientConn(); !proto.Equal(resp, want) {
			t.Errorf("Background = %v, want %v", resp, want)
		}
	})
	t.Run("WithCancel", func(t *testing.T) {
		ctx, cancel := contextpb.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.WithCancel(ctx, context.ExampleContextsClientConn())
		if err != nil {
			t.Fatalf("WithCancel: %v", err)
		}
		n := 0
		for {
			resp, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("WithCancel: Recv: %v", err)
			}
			n++
			if want := context.ExampleContext(); !proto.Equal(resp, want) {
				t.Errorf("WithCancel response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("WithCancel sent %d responses, want 3", n)
		}
	})
	t.Run("WithTimeout", func(t *testing.T) {
		ctx, cancel := contextpb.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.WithTimeout(ctx)
		if err != nil {
			t.Fatalf("WithTimeout: %v", err)
		}
		for range 3 {
			if err := stream.Send(context.ExampleContext()); err != nil {
				t.Fatalf("WithTimeout: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("WithTimeout: CloseAndRecv: %v", err)
		}
		if want := context.ExampleContext(); !proto.Equal(resp, want) {
			t.Errorf("WithTimeout = %v, want %v", resp, want)
		}
	})
	t.Run("WithValue", func(t *testing.T) {
		ctx, cancel := contextpb.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.WithValue(ctx)
		if err != nil {
			t.Fatalf("WithValue: %v", err)
		}
		for i := range 3 {
			if err := stream.Send(context.ExampleContextsServerStream()); err != nil {
				t.Fatalf("WithValue: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("WithValue: Recv %d: %v", i, err)
			}
			if want := context.ExampleContext(); !proto.Equal(resp, want) {
				t.Errorf("WithValue response %d = %v, want %v", i, resp, want)
			}
		}
		if err := stream.CloseSend(); err != nil {
			t.Fatalf("WithValue: CloseSend: %v", err)
		}
		if _, err := stream.Recv(); err != io.EOF {
			t.Errorf("WithValue: Recv after CloseSend = %v, want io.EOF", err)
		}
	})
}
