// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package validcollections_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/testdata/validcollections"
	"github.com/gotutor/gotutor/testdata/validcollections/validcollectionstest"
	"google.golang.org/protobuf/proto"
)

// TestCollectionsService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestCollectionsService(t *testing.T) {
	client := validcollectionstest.NewCollectionsClient(t, validcollections.NewCollectionsService())
	t.Run("Check", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Check(ctx, validcollections.ExampleLists())
		if err != nil {
			t.Fatalf("Check: %v", err)
		}
		if want := validcollections.ExampleChoices(); !proto.Equal(resp, want) {
			t.Errorf("Check = %v, want %v", resp, want)
		}
	})
	t.Run("Stream", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Stream(ctx, validcollections.ExampleChoices())
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
			if want := validcollections.ExampleLists(); !proto.Equal(resp, want) {
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
			if err := stream.Send(validcollections.ExampleLists()); err != nil {
				t.Fatalf("Collect: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("Collect: CloseAndRecv: %v", err)
		}
		if want := validcollections.ExampleChoices(); !proto.Equal(resp, want) {
			t.Errorf("Collect = %v, want %v", resp, want)
		}
	})
	t.Run("Echo", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Echo(ctx)
		if err != nil {
			t.Fatalf("Echo: %v", err)
		}
		for i := range 3 {
			if err := stream.Send(validcollections.ExampleChoices()); err != nil {
				t.Fatalf("Echo: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("Echo: Recv %d: %v", i, err)
			}
			if want := validcollections.ExampleLists(); !proto.Equal(resp, want) {
				t.Errorf("Echo response %d = %v, want %v", i, resp, want)
			}
		}
		if err := stream.CloseSend(); err != nil {
			t.Fatalf("Echo: CloseSend: %v", err)
		}
		if _, err := stream.Recv(); err != io.EOF {
			t.Errorf("Echo: Recv after CloseSend = %v, want io.EOF", err)
		}
	})
}
