// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package names_test

import (
	"context"
	"io"
	"testing"
	"time"

	namespb "github.com/gotutor/gotutor/testdata/names"
	"github.com/gotutor/gotutor/testdata/names/namestest"
	"google.golang.org/protobuf/proto"
)

// TestServerService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestServerService(t *testing.T) {
	client := namestest.NewServerClient(t, namespb.NewServerService())
	t.Run("Type", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Type(ctx, namespb.ExampleFunc())
		if err != nil {
			t.Fatalf("Type: %v", err)
		}
		if want := namespb.ExampleFunc(); !proto.Equal(resp, want) {
			t.Errorf("Type = %v, want %v", resp, want)
		}
	})
	t.Run("Stream", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Stream(ctx, namespb.ExampleFunc())
		if err != nil {
			t.Fatalf("Stream: %v", err)
		}
		n := 0
		for {
			resp, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Stream: Recv: %v", err)
			}
			n++
			if want := namespb.ExampleBar_(); !proto.Equal(resp, want) {
				t.Errorf("Stream response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("Stream sent %d responses, want 3", n)
		}
	})
	t.Run("Recv", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Recv(ctx)
		if err != nil {
			t.Fatalf("Recv: %v", err)
		}
		for range 3 {
			if err := stream.Send(namespb.ExampleExampleBar()); err != nil {
				t.Fatalf("Recv: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("Recv: CloseAndRecv: %v", err)
		}
		if want := namespb.ExampleDefaultFooServer(); !proto.Equal(resp, want) {
			t.Errorf("Recv = %v, want %v", resp, want)
		}
	})
	t.Run("Send", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Send(ctx)
		if err != nil {
			t.Fatalf("Send: %v", err)
		}
		for i := range 3 {
			if err := stream.Send(namespb.ExampleBar_()); err != nil {
				t.Fatalf("Send: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("Send: Recv %d: %v", i, err)
			}
			if want := namespb.ExampleFooService(); !proto.Equal(resp, want) {
				t.Errorf("Send response %d = %v, want %v", i, resp, want)
			}
		}
		if err := stream.CloseSend(); err != nil {
			t.Fatalf("Send: CloseSend: %v", err)
		}
		if _, err := stream.Recv(); err != io.EOF {
			t.Errorf("Send: Recv after CloseSend = %v, want io.EOF", err)
		}
	})
}
