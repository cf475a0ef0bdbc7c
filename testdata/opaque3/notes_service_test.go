// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package opaque3_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/testdata/opaque3"
	"github.com/gotutor/gotutor/testdata/opaque3/opaque3test"
	"google.golang.org/protobuf/proto"
)

// TestNotesService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestNotesService(t *testing.T) {
	client := opaque3test.NewNotesClient(t, opaque3.NewNotesService())
	t.Run("Write", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Write(ctx, opaque3.ExampleNote())
		if err != nil {
			t.Fatalf("Write: %v", err)
		}
		if want := opaque3.ExampleNote(); !proto.Equal(resp, want) {
			t.Errorf("Write = %v, want %v", resp, want)
		}
	})
	t.Run("Read", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Read(ctx, opaque3.ExampleFilter())
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		n := 0
		for {
			resp, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Read: Recv: %v", err)
			}
			n++
			if want := opaque3.ExampleNote(); !proto.Equal(resp, want) {
				t.Errorf("Read response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("Read sent %d responses, want 3", n)
		}
	})
	t.Run("Import", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Import(ctx)
		if err != nil {
			t.Fatalf("Import: %v", err)
		}
		for range 3 {
			if err := stream.Send(opaque3.ExampleNote()); err != nil {
				t.Fatalf("Import: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("Import: CloseAndRecv: %v", err)
		}
		if want := opaque3.ExampleFilter(); !proto.Equal(resp, want) {
			t.Errorf("Import = %v, want %v", resp, want)
		}
	})
	t.Run("Edit", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Edit(ctx)
		if err != nil {
			t.Fatalf("Edit: %v", err)
		}
		for i := range 3 {
			if err := stream.Send(opaque3.ExampleNote()); err != nil {
				t.Fatalf("Edit: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("Edit: Recv %d: %v", i, err)
			}
			if want := opaque3.ExampleNote(); !proto.Equal(resp, want) {
				t.Errorf("Edit response %d = %v, want %v", i, resp, want)
			}
		}
		if err := stream.CloseSend(); err != nil {
			t.Fatalf("Edit: CloseSend: %v", err)
		}
		if _, err := stream.Recv(); err != io.EOF {
			t.Errorf("Edit: Recv after CloseSend = %v, want io.EOF", err)
		}
	})
}
