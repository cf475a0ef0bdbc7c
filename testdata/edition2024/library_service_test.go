// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package edition2024_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/testdata/edition2024"
	"github.com/gotutor/gotutor/testdata/edition2024/edition2024test"
	"google.golang.org/protobuf/proto"
)

// TestLibraryService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestLibraryService(t *testing.T) {
	client := edition2024test.NewLibraryClient(t, edition2024.NewLibraryService())
	t.Run("Lend", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Lend(ctx, edition2024.ExampleLoan())
		if err != nil {
			t.Fatalf("Lend: %v", err)
		}
		if want := edition2024.ExampleLoan(); !proto.Equal(resp, want) {
			t.Errorf("Lend = %v, want %v", resp, want)
		}
	})
	t.Run("Browse", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Browse(ctx, edition2024.ExampleShelf())
		if err != nil {
			t.Fatalf("Browse: %v", err)
		}
		n := 0
		for {
			resp, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Browse: Recv: %v", err)
			}
			n++
			if want := edition2024.ExampleBook(); !proto.Equal(resp, want) {
				t.Errorf("Browse response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("Browse sent %d responses, want 3", n)
		}
	})
	t.Run("Return", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Return(ctx)
		if err != nil {
			t.Fatalf("Return: %v", err)
		}
		for range 3 {
			if err := stream.Send(edition2024.ExampleBook()); err != nil {
				t.Fatalf("Return: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("Return: CloseAndRecv: %v", err)
		}
		if want := edition2024.ExampleLoan(); !proto.Equal(resp, want) {
			t.Errorf("Return = %v, want %v", resp, want)
		}
	})
	t.Run("Talk", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Talk(ctx)
		if err != nil {
			t.Fatalf("Talk: %v", err)
		}
		for i := range 3 {
			if err := stream.Send(edition2024.ExampleLoan()); err != nil {
				t.Fatalf("Talk: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("Talk: Recv %d: %v", i, err)
			}
			if want := edition2024.ExampleShelf(); !proto.Equal(resp, want) {
				t.Errorf("Talk response %d = %v, want %v", i, resp, want)
			}
		}
		if err := stream.CloseSend(); err != nil {
			t.Fatalf("Talk: CloseSend: %v", err)
		}
		if _, err := stream.Recv(); err != io.EOF {
			t.Errorf("Talk: Recv after CloseSend = %v, want io.EOF", err)
		}
	})
}
