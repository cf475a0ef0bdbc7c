// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package hybrid_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/testdata/hybrid"
	"github.com/gotutor/gotutor/testdata/hybrid/hybridtest"
	"google.golang.org/protobuf/proto"
)

// TestCatalogService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestCatalogService(t *testing.T) {
	client := hybridtest.NewCatalogClient(t, hybrid.NewCatalogService())
	t.Run("GetItem", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.GetItem(ctx, hybrid.ExampleItem())
		if err != nil {
			t.Fatalf("GetItem: %v", err)
		}
		if want := hybrid.ExampleItem(); !proto.Equal(resp, want) {
			t.Errorf("GetItem = %v, want %v", resp, want)
		}
	})
	t.Run("ListItems", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.ListItems(ctx, hybrid.ExampleQuery())
		if err != nil {
			t.Fatalf("ListItems: %v", err)
		}
		n := 0
		for {
			resp, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("ListItems: Recv: %v", err)
			}
			n++
			if want := hybrid.ExampleItem(); !proto.Equal(resp, want) {
				t.Errorf("ListItems response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("ListItems sent %d responses, want 3", n)
		}
	})
	t.Run("AddItems", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.AddItems(ctx)
		if err != nil {
			t.Fatalf("AddItems: %v", err)
		}
		for range 3 {
			if err := stream.Send(hybrid.ExampleItem()); err != nil {
				t.Fatalf("AddItems: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("AddItems: CloseAndRecv: %v", err)
		}
		if want := hybrid.ExampleQuery(); !proto.Equal(resp, want) {
			t.Errorf("AddItems = %v, want %v", resp, want)
		}
	})
	t.Run("Sync", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Sync(ctx)
		if err != nil {
			t.Fatalf("Sync: %v", err)
		}
		for i := range 3 {
			if err := stream.Send(hybrid.ExampleQuery()); err != nil {
				t.Fatalf("Sync: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("Sync: Recv %d: %v", i, err)
			}
			if want := hybrid.ExampleItem(); !proto.Equal(resp, want) {
				t.Errorf("Sync response %d = %v, want %v", i, resp, want)
			}
		}
		if err := stream.CloseSend(); err != nil {
			t.Fatalf("Sync: CloseSend: %v", err)
		}
		if _, err := stream.Recv(); err != io.EOF {
			t.Errorf("Sync: Recv after CloseSend = %v, want io.EOF", err)
		}
	})
}
