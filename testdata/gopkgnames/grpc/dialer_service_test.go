// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package grpc_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/testdata/gopkgnames/grpc"
	"github.com/gotutor/gotutor/testdata/gopkgnames/grpc/grpctest"
	"google.golang.org/protobuf/proto"
)

// TestDialerService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestDialerService(t *testing.T) {
	client := grpctest.NewDialerClient(t, grpc.NewDialerService())
	t.Run("Dial", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Dial(ctx, grpc.ExampleClientConn())
		if err != nil {
			t.Fatalf("Dial: %v", err)
		}
		if want := grpc.ExampleClientConn(); !proto.Equal(resp, want) {
			t.Errorf("Dial = %v, want %v", resp, want)
		}
	})
	t.Run("Watch", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Watch(ctx, grpc.ExampleClientConn())
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
			if want := grpc.ExampleServerStream(); !proto.Equal(resp, want) {
				t.Errorf("Watch response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("Watch sent %d responses, want 3", n)
		}
	})
	t.Run("Push", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Push(ctx)
		if err != nil {
			t.Fatalf("Push: %v", err)
		}
		for range 3 {
			if err := stream.Send(grpc.ExampleServerStream()); err != nil {
				t.Fatalf("Push: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("Push: CloseAndRecv: %v", err)
		}
		if want := grpc.ExampleClientConn(); !proto.Equal(resp, want) {
			t.Errorf("Push = %v, want %v", resp, want)
		}
	})
	t.Run("Pipe", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Pipe(ctx)
		if err != nil {
			t.Fatalf("Pipe: %v", err)
		}
		for i := range 3 {
			if err := stream.Send(grpc.ExampleServerStream()); err != nil {
				t.Fatalf("Pipe: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("Pipe: Recv %d: %v", i, err)
			}
			if want := grpc.ExampleServerStream(); !proto.Equal(resp, want) {
				t.Errorf("Pipe response %d = %v, want %v", i, resp, want)
			}
		}
		if err := stream.CloseSend(); err != nil {
			t.Fatalf("Pipe: CloseSend: %v", err)
		}
		if _, err := stream.Recv(); err != io.EOF {
			t.Errorf("Pipe: Recv after CloseSend = %v, want io.EOF", err)
		}
	})
}
