// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package apilevels_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/testdata/apilevels"
	"github.com/gotutor/gotutor/testdata/apilevels/apilevelstest"
	"google.golang.org/protobuf/proto"
)

// TestOrdersService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestOrdersService(t *testing.T) {
	client := apilevelstest.NewOrdersClient(t, apilevels.NewOrdersService())
	t.Run("Place", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Place(ctx, apilevels.ExampleOrder())
		if err != nil {
			t.Fatalf("Place: %v", err)
		}
		if want := apilevels.ExampleReceipt(); !proto.Equal(resp, want) {
			t.Errorf("Place = %v, want %v", resp, want)
		}
	})
	t.Run("Track", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Track(ctx, apilevels.ExampleReceipt())
		if err != nil {
			t.Fatalf("Track: %v", err)
		}
		n := 0
		for {
			resp, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Track: Recv: %v", err)
			}
			n++
			if want := apilevels.ExampleAddress(); !proto.Equal(resp, want) {
				t.Errorf("Track response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("Track sent %d responses, want 3", n)
		}
	})
	t.Run("Upload", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Upload(ctx)
		if err != nil {
			t.Fatalf("Upload: %v", err)
		}
		for range 3 {
			if err := stream.Send(apilevels.ExampleOrder()); err != nil {
				t.Fatalf("Upload: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("Upload: CloseAndRecv: %v", err)
		}
		if want := apilevels.ExampleReceipt(); !proto.Equal(resp, want) {
			t.Errorf("Upload = %v, want %v", resp, want)
		}
	})
	t.Run("Chat", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Chat(ctx)
		if err != nil {
			t.Fatalf("Chat: %v", err)
		}
		for i := range 3 {
			if err := stream.Send(apilevels.ExampleReceipt()); err != nil {
				t.Fatalf("Chat: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("Chat: Recv %d: %v", i, err)
			}
			if want := apilevels.ExampleOrder(); !proto.Equal(resp, want) {
				t.Errorf("Chat response %d = %v, want %v", i, resp, want)
			}
		}
		if err := stream.CloseSend(); err != nil {
			t.Fatalf("Chat: CloseSend: %v", err)
		}
		if _, err := stream.Recv(); err != io.EOF {
			t.Errorf("Chat: Recv after CloseSend = %v, want io.EOF", err)
		}
	})
}
