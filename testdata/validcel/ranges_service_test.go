// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package validcel_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/testdata/validcel"
	"github.com/gotutor/gotutor/testdata/validcel/validceltest"
	"google.golang.org/protobuf/proto"
)

// TestRangesService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestRangesService(t *testing.T) {
	client := validceltest.NewRangesClient(t, validcel.NewRangesService())
	t.Run("Check", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Check(ctx, validcel.ExampleRange())
		if err != nil {
			t.Fatalf("Check: %v", err)
		}
		if want := validcel.ExampleRange(); !proto.Equal(resp, want) {
			t.Errorf("Check = %v, want %v", resp, want)
		}
	})
	t.Run("Split", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Split(ctx, validcel.ExampleRange())
		if err != nil {
			t.Fatalf("Split: %v", err)
		}
		n := 0
		for {
			resp, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Split: Recv: %v", err)
			}
			n++
			if want := validcel.ExampleRange(); !proto.Equal(resp, want) {
				t.Errorf("Split response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("Split sent %d responses, want 3", n)
		}
	})
	t.Run("Join", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Join(ctx)
		if err != nil {
			t.Fatalf("Join: %v", err)
		}
		for range 3 {
			if err := stream.Send(validcel.ExampleRange()); err != nil {
				t.Fatalf("Join: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("Join: CloseAndRecv: %v", err)
		}
		if want := validcel.ExampleRange(); !proto.Equal(resp, want) {
			t.Errorf("Join = %v, want %v", resp, want)
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
			if err := stream.Send(validcel.ExampleRange()); err != nil {
				t.Fatalf("Echo: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("Echo: Recv %d: %v", i, err)
			}
			if want := validcel.ExampleRange(); !proto.Equal(resp, want) {
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
