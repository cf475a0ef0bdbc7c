// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package oneofs_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/testdata/oneofs"
	"github.com/gotutor/gotutor/testdata/oneofs/oneofstest"
	"google.golang.org/protobuf/proto"
)

// TestOneofsService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestOneofsService(t *testing.T) {
	client := oneofstest.NewOneofsClient(t, oneofs.NewOneofsService())
	t.Run("Pick", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Pick(ctx, oneofs.ExampleChoice())
		if err != nil {
			t.Fatalf("Pick: %v", err)
		}
		if want := oneofs.ExampleChoice(); !proto.Equal(resp, want) {
			t.Errorf("Pick = %v, want %v", resp, want)
		}
	})
	t.Run("Stream", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Stream(ctx, oneofs.ExampleChoice())
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
			if want := oneofs.ExampleMessageFirst(); !proto.Equal(resp, want) {
				t.Errorf("Stream response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("Stream sent %d responses, want 3", n)
		}
	})
	t.Run("Collect", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Collect(ctx)
		if err != nil {
			t.Fatalf("Collect: %v", err)
		}
		for range 3 {
			if err := stream.Send(oneofs.ExampleMessageFirst()); err != nil {
				t.Fatalf("Collect: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("Collect: CloseAndRecv: %v", err)
		}
		if want := oneofs.ExampleChoice(); !proto.Equal(resp, want) {
			t.Errorf("Collect = %v, want %v", resp, want)
		}
	})
	t.Run("Swap", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Swap(ctx)
		if err != nil {
			t.Fatalf("Swap: %v", err)
		}
		for i := range 3 {
			if err := stream.Send(oneofs.ExampleChoice()); err != nil {
				t.Fatalf("Swap: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("Swap: Recv %d: %v", i, err)
			}
			if want := oneofs.ExampleMessageFirst(); !proto.Equal(resp, want) {
				t.Errorf("Swap response %d = %v, want %v", i, resp, want)
			}
		}
		if err := stream.CloseSend(); err != nil {
			t.Fatalf("Swap: CloseSend: %v", err)
		}
		if _, err := stream.Recv(); err != io.EOF {
			t.Errorf("Swap: Recv after CloseSend = %v, want io.EOF", err)
		}
	})
}
