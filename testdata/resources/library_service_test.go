// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package resources_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/testdata/resources"
	"github.com/gotutor/gotutor/testdata/resources/resourcestest"
	"google.golang.org/protobuf/proto"
)

// TestLibraryService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestLibraryService(t *testing.T) {
	client := resourcestest.NewLibraryClient(t, resources.NewLibraryService())
	t.Run("GetBook", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.GetBook(ctx, resources.ExampleGetBookRequest())
		if err != nil {
			t.Fatalf("GetBook: %v", err)
		}
		if want := resources.ExampleBook(); !proto.Equal(resp, want) {
			t.Errorf("GetBook = %v, want %v", resp, want)
		}
	})
	t.Run("ListBooks", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.ListBooks(ctx, resources.ExampleListBooksRequest())
		if err != nil {
			t.Fatalf("ListBooks: %v", err)
		}
		n := 0
		for {
			resp, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("ListBooks: Recv: %v", err)
			}
			n++
			if want := resources.ExampleBook(); !proto.Equal(resp, want) {
				t.Errorf("ListBooks response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("ListBooks sent %d responses, want 3", n)
		}
	})
	t.Run("ImportBooks", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.ImportBooks(ctx)
		if err != nil {
			t.Fatalf("ImportBooks: %v", err)
		}
		for range 3 {
			if err := stream.Send(resources.ExampleBook()); err != nil {
				t.Fatalf("ImportBooks: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("ImportBooks: CloseAndRecv: %v", err)
		}
		if want := resources.ExampleShelf(); !proto.Equal(resp, want) {
			t.Errorf("ImportBooks = %v, want %v", resp, want)
		}
	})
	t.Run("MoveBooks", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.MoveBooks(ctx)
		if err != nil {
			t.Fatalf("MoveBooks: %v", err)
		}
		for i := range 3 {
			if err := stream.Send(resources.ExampleMoveBookRequest()); err != nil {
				t.Fatalf("MoveBooks: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("MoveBooks: Recv %d: %v", i, err)
			}
			if want := resources.ExampleBook(); !proto.Equal(resp, want) {
				t.Errorf("MoveBooks response %d = %v, want %v", i, resp, want)
			}
		}
		if err := stream.CloseSend(); err != nil {
			t.Fatalf("MoveBooks: CloseSend: %v", err)
		}
		if _, err := stream.Recv(); err != io.EOF {
			t.Errorf("MoveBooks: Recv after CloseSend = %v, want io.EOF", err)
		}
	})
}
