// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package shopv1_test

import (
	"context"
	"io"
	"testing"
	"time"

	"example.com/shopmod/shop/v1"
	"example.com/shopmod/shop/v1/shopv1test"
	"google.golang.org/protobuf/proto"
)

// TestOrdersService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestOrdersService(t *testing.T) {
	client := shopv1test.NewOrdersClient(t, shopv1.NewOrdersService())
	t.Run("Place", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Place(ctx, shopv1.ExampleOrder())
		if err != nil {
			t.Fatalf("Place: %v", err)
		}
		if want := shopv1.ExampleReceipt(); !proto.Equal(resp, want) {
			t.Errorf("Place = %v, want %v", resp, want)
		}
	})
	t.Run("Watch", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Watch(ctx, shopv1.ExampleOrder())
		if err != nil {
			t.Fatalf("Watch: %v", err)
		}
		n := 0
		for {
			resp, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Watch: Recv: %v", err)
			}
			n++
			if want := shopv1.ExampleReceipt(); !proto.Equal(resp, want) {
				t.Errorf("Watch response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("Watch sent %d responses, want 3", n)
		}
	})
}
