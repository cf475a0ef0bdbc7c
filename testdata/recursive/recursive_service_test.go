// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package recursive_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/testdata/recursive"
	"github.com/gotutor/gotutor/testdata/recursive/recursivetest"
	"google.golang.org/protobuf/proto"
)

// TestRecursiveService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestRecursiveService(t *testing.T) {
	client := recursivetest.NewRecursiveClient(t, recursive.NewRecursiveService())
	t.Run("Grow", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Grow(ctx, recursive.ExampleTree())
		if err != nil {
			t.Fatalf("Grow: %v", err)
		}
		if want := recursive.ExampleTree(); !proto.Equal(resp, want) {
			t.Errorf("Grow = %v, want %v", resp, want)
		}
	})
	t.Run("Evaluate", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Evaluate(ctx, recursive.ExampleExpr())
		if err != nil {
			t.Fatalf("Evaluate: %v", err)
		}
		n := 0
		for {
			resp, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Evaluate: Recv: %v", err)
			}
			n++
			if want := recursive.ExampleExpr(); !proto.Equal(resp, want) {
				t.Errorf("Evaluate response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("Evaluate sent %d responses, want 3", n)
		}
	})
	t.Run("Build", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Build(ctx)
		if err != nil {
			t.Fatalf("Build: %v", err)
		}
		for range 3 {
			if err := stream.Send(recursive.ExampleGraph_Node()); err != nil {
				t.Fatalf("Build: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("Build: CloseAndRecv: %v", err)
		}
		if want := recursive.ExampleGraph(); !proto.Equal(resp, want) {
			t.Errorf("Build = %v, want %v", resp, want)
		}
	})
	t.Run("Walk", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Walk(ctx)
		if err != nil {
			t.Fatalf("Walk: %v", err)
		}
		for i := range 3 {
			if err := stream.Send(recursive.ExampleTree()); err != nil {
				t.Fatalf("Walk: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("Walk: Recv %d: %v", i, err)
			}
			if want := recursive.ExampleGraph_Node(); !proto.Equal(resp, want) {
				t.Errorf("Walk response %d = %v, want %v", i, resp, want)
			}
		}
		if err := stream.CloseSend(); err != nil {
			t.Fatalf("Walk: CloseSend: %v", err)
		}
		if _, err := stream.Recv(); err != io.EOF {
			t.Errorf("Walk: Recv after CloseSend = %v, want io.EOF", err)
		}
	})
}
