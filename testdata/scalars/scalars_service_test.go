// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package scalars_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/testdata/scalars"
	"github.com/gotutor/gotutor/testdata/scalars/scalarstest"
	"google.golang.org/protobuf/proto"
)

// TestScalarsService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestScalarsService(t *testing.T) {
	client := scalarstest.NewScalarsClient(t, scalars.NewScalarsService())
	t.Run("Unary", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Unary(ctx, scalars.ExampleSingular())
		if err != nil {
			t.Fatalf("Unary: %v", err)
		}
		if want := scalars.ExampleSingular(); !proto.Equal(resp, want) {
			t.Errorf("Unary = %v, want %v", resp, want)
		}
	})
	t.Run("ServerStream", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.ServerStream(ctx, scalars.ExampleRepeated())
		if err != nil {
			t.Fatalf("ServerStream: %v", err)
		}
		n := 0
		for {
			resp, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("ServerStream: Recv: %v", err)
			}
			n++
			if want := scalars.ExampleRepeated(); !proto.Equal(resp, want) {
				t.Errorf("ServerStream response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("ServerStream sent %d responses, want 3", n)
		}
	})
	t.Run("ClientStream", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.ClientStream(ctx)
		if err != nil {
			t.Fatalf("ClientStream: %v", err)
		}
		for range 3 {
			if err := stream.Send(scalars.ExampleOptional()); err != nil {
				t.Fatalf("ClientStream: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("ClientStream: CloseAndRecv: %v", err)
		}
		if want := scalars.ExampleOptional(); !proto.Equal(resp, want) {
			t.Errorf("ClientStream = %v, want %v", resp, want)
		}
	})
	t.Run("Bidi", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Bidi(ctx)
		if err != nil {
			t.Fatalf("Bidi: %v", err)
		}
		for i := range 3 {
			if err := stream.Send(scalars.ExampleMaps()); err != nil {
				t.Fatalf("Bidi: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("Bidi: Recv %d: %v", i, err)
			}
			if want := scalars.ExampleMaps(); !proto.Equal(resp, want) {
				t.Errorf("Bidi response %d = %v, want %v", i, resp, want)
			}
		}
		if err := stream.CloseSend(); err != nil {
			t.Fatalf("Bidi: CloseSend: %v", err)
		}
		if _, err := stream.Recv(); err != io.EOF {
			t.Errorf("Bidi: Recv after CloseSend = %v, want io.EOF", err)
		}
	})
}
