// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package wkt_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/testdata/wkt"
	"github.com/gotutor/gotutor/testdata/wkt/wkttest"
	"google.golang.org/protobuf/proto"
)

// TestKnownService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestKnownService(t *testing.T) {
	client := wkttest.NewKnownClient(t, wkt.NewKnownService())
	t.Run("Ping", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Ping(ctx, wkt.ExampleKnownEmpty())
		if err != nil {
			t.Fatalf("Ping: %v", err)
		}
		if want := wkt.ExampleKnownEmpty(); !proto.Equal(resp, want) {
			t.Errorf("Ping = %v, want %v", resp, want)
		}
	})
	t.Run("Now", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Now(ctx, wkt.ExampleKnownEmpty())
		if err != nil {
			t.Fatalf("Now: %v", err)
		}
		if want := wkt.ExampleKnownTimestamp(); !proto.Equal(resp, want) {
			t.Errorf("Now = %v, want %v", resp, want)
		}
	})
	t.Run("Describe", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Describe(ctx, wkt.ExampleEverything())
		if err != nil {
			t.Fatalf("Describe: %v", err)
		}
		if want := wkt.ExampleEverything(); !proto.Equal(resp, want) {
			t.Errorf("Describe = %v, want %v", resp, want)
		}
	})
	t.Run("Watch", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Watch(ctx, wkt.ExampleKnownStringValue())
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
			if want := wkt.ExampleKnownStruct(); !proto.Equal(resp, want) {
				t.Errorf("Watch response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("Watch sent %d responses, want 3", n)
		}
	})
	t.Run("Sum", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Sum(ctx)
		if err != nil {
			t.Fatalf("Sum: %v", err)
		}
		for range 3 {
			if err := stream.Send(wkt.ExampleKnownDuration()); err != nil {
				t.Fatalf("Sum: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("Sum: CloseAndRecv: %v", err)
		}
		if want := wkt.ExampleKnownDuration(); !proto.Equal(resp, want) {
			t.Errorf("Sum = %v, want %v", resp, want)
		}
	})
	t.Run("Inspect", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Inspect(ctx)
		if err != nil {
			t.Fatalf("Inspect: %v", err)
		}
		for i := range 3 {
			if err := stream.Send(wkt.ExampleKnownAny()); err != nil {
				t.Fatalf("Inspect: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("Inspect: Recv %d: %v", i, err)
			}
			if want := wkt.ExampleKnownValue(); !proto.Equal(resp, want) {
				t.Errorf("Inspect response %d = %v, want %v", i, resp, want)
			}
		}
		if err := stream.CloseSend(); err != nil {
			t.Fatalf("Inspect: CloseSend: %v", err)
		}
		if _, err := stream.Recv(); err != io.EOF {
			t.Errorf("Inspect: Recv after CloseSend = %v, want io.EOF", err)
		}
	})
	t.Run("Mask", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Mask(ctx, wkt.ExampleKnownFieldMask())
		if err != nil {
			t.Fatalf("Mask: %v", err)
		}
		if want := wkt.ExampleKnownListValue(); !proto.Equal(resp, want) {
			t.Errorf("Mask = %v, want %v", resp, want)
		}
	})
}
