// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package comments_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/testdata/comments"
	"github.com/gotutor/gotutor/testdata/comments/commentstest"
	"google.golang.org/protobuf/proto"
)

// TestNotesService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestNotesService(t *testing.T) {
	client := commentstest.NewNotesClient(t, comments.NewNotesService())
	t.Run("Add", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Add(ctx, comments.ExampleNote())
		if err != nil {
			t.Fatalf("Add: %v", err)
		}
		if want := comments.ExampleNote(); !proto.Equal(resp, want) {
			t.Errorf("Add = %v, want %v", resp, want)
		}
	})
	t.Run("List", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.List(ctx, comments.ExampleNote())
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
			if want := comments.ExampleNote(); !proto.Equal(resp, want) {
				t.Errorf("List response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("List sent %d responses, want 3", n)
		}
	})
	t.Run("Old", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Old(ctx)
		if err != nil {
			t.Fatalf("Old: %v", err)
		}
		for range 3 {
			if err := stream.Send(comments.ExampleNote()); err != nil {
				t.Fatalf("Old: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("Old: CloseAndRecv: %v", err)
		}
		if want := comments.ExampleNote(); !proto.Equal(resp, want) {
			t.Errorf("Old = %v, want %v", resp, want)
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
			if err := stream.Send(comments.ExampleNote()); err != nil {
				t.Fatalf("Sync: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("Sync: Recv %d: %v", i, err)
			}
			if want := comments.ExampleNote(); !proto.Equal(resp, want) {
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
