// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package routeguide_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/examples/routeguide"
	"github.com/gotutor/gotutor/examples/routeguide/routeguidetest"
	"google.golang.org/protobuf/proto"
)

// TestRouteGuideService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestRouteGuideService(t *testing.T) {
	client := routeguidetest.NewRouteGuideClient(t, routeguide.NewRouteGuideService())
	t.Run("GetFeature", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.GetFeature(ctx, routeguide.ExamplePoint())
		if err != nil {
			t.Fatalf("GetFeature: %v", err)
		}
		if want := routeguide.ExampleFeature(); !proto.Equal(resp, want) {
			t.Errorf("GetFeature = %v, want %v", resp, want)
		}
	})
	t.Run("ListFeatures", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.ListFeatures(ctx, routeguide.ExampleRectangle())
		if err != nil {
			t.Fatalf("ListFeatures: %v", err)
		}
		n := 0
		for {
			resp, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("ListFeatures: Recv: %v", err)
			}
			n++
			if want := routeguide.ExampleFeature(); !proto.Equal(resp, want) {
				t.Errorf("ListFeatures response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("ListFeatures sent %d responses, want 3", n)
		}
	})
	t.Run("RecordRoute", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.RecordRoute(ctx)
		if err != nil {
			t.Fatalf("RecordRoute: %v", err)
		}
		for range 3 {
			if err := stream.Send(routeguide.ExamplePoint()); err != nil {
				t.Fatalf("RecordRoute: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("RecordRoute: CloseAndRecv: %v", err)
		}
		if want := routeguide.ExampleRouteSummary(); !proto.Equal(resp, want) {
			t.Errorf("RecordRoute = %v, want %v", resp, want)
		}
	})
	t.Run("RouteChat", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.RouteChat(ctx)
		if err != nil {
			t.Fatalf("RouteChat: %v", err)
		}
		for i := range 3 {
			if err := stream.Send(routeguide.ExampleRouteNote()); err != nil {
				t.Fatalf("RouteChat: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("RouteChat: Recv %d: %v", i, err)
			}
			if want := routeguide.ExampleRouteNote(); !proto.Equal(resp, want) {
				t.Errorf("RouteChat response %d = %v, want %v", i, resp, want)
			}
		}
		if err := stream.CloseSend(); err != nil {
			t.Fatalf("RouteChat: CloseSend: %v", err)
		}
		if _, err := stream.Recv(); err != io.EOF {
			t.Errorf("RouteChat: Recv after CloseSend = %v, want io.EOF", err)
		}
	})
}
