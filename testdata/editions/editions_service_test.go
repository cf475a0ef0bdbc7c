// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package editions_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/testdata/editions"
	"github.com/gotutor/gotutor/testdata/editions/editionstest"
	"google.golang.org/protobuf/proto"
)

// TestEditionsService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestEditionsService(t *testing.T) {
	client := editionstest.NewEditionsClient(t, editions.NewEditionsService())
	t.Run("Get", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Get(ctx, editions.ExampleItem())
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if want := editions.ExampleItem(); !proto.Equal(resp, want) {
			t.Errorf("Get = %v, want %v", resp, want)
		}
	})
	t.Run("List", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.List(ctx, editions.ExampleItem())
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		n := 0
		for {
			resp, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("List: Recv: %v", err)
			}
			n++
			if want := editions.ExampleItem(); !proto.Equal(resp, want) {
				t.Errorf("List response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("List sent %d responses, want 3", n)
		}
	})
	t.Run("Put", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Put(ctx)
		if err != nil {
			t.Fatalf("Put: %v", err)
		}
		for range 3 {
			if err := stream.Send(editions.ExampleItem()); err != nil {
				t.Fatalf("Put: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("Put: CloseAndRecv: %v", err)
		}
		if want := editions.ExampleSummary(); !proto.Equal(resp, want) {
			t.Errorf("Put = %v, want %v", resp, want)
		}
	})
	t.Run("Mirror", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Mirror(ctx)
		if err != nil {
			t.Fatalf("Mirror: %v", err)
		}
		for i := range 3 {
			if err := stream.Send(editions.ExampleSummary()); err != nil {
				t.Fatalf("Mirror: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("Mirror: Recv %d: %v", i, err)
			}
			if want := editions.ExampleSummary(); !proto.Equal(resp, want) {
				t.Errorf("Mirror response %d = %v, want %v", i, resp, want)
			}
		}
		if err := stream.CloseSend(); err != nil {
			t.Fatalf("Mirror: CloseSend: %v", err)
		}
		if _, err := stream.Recv(); err != io.EOF {
			t.Errorf("Mirror: Recv after CloseSend = %v, want io.EOF", err)
		}
	})
}
