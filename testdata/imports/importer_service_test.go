// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package imports_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/testdata/imports"
	"github.com/gotutor/gotutor/testdata/imports/importstest"
	"google.golang.org/protobuf/proto"
)

// TestImporterService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestImporterService(t *testing.T) {
	client := importstest.NewImporterClient(t, imports.NewImporterService())
	t.Run("Locate", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Locate(ctx, imports.ExampleImporterPoint())
		if err != nil {
			t.Fatalf("Locate: %v", err)
		}
		if want := imports.ExampleImporterOuter(); !proto.Equal(resp, want) {
			t.Errorf("Locate = %v, want %v", resp, want)
		}
	})
	t.Run("Trace", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Trace(ctx, imports.ExamplePoint())
		if err != nil {
			t.Fatalf("Trace: %v", err)
		}
		n := 0
		for {
			resp, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Trace: Recv: %v", err)
			}
			n++
			if want := imports.ExampleImporterOuter_Inner(); !proto.Equal(resp, want) {
				t.Errorf("Trace response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("Trace sent %d responses, want 3", n)
		}
	})
	t.Run("Gather", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Gather(ctx)
		if err != nil {
			t.Fatalf("Gather: %v", err)
		}
		for range 3 {
			if err := stream.Send(imports.ExampleImporterPoint()); err != nil {
				t.Fatalf("Gather: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("Gather: CloseAndRecv: %v", err)
		}
		if want := imports.ExampleImporterShared(); !proto.Equal(resp, want) {
			t.Errorf("Gather = %v, want %v", resp, want)
		}
	})
	t.Run("Relay", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Relay(ctx)
		if err != nil {
			t.Fatalf("Relay: %v", err)
		}
		for i := range 3 {
			if err := stream.Send(imports.ExampleImporterShared()); err != nil {
				t.Fatalf("Relay: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("Relay: Recv %d: %v", i, err)
			}
			if want := imports.ExamplePoint(); !proto.Equal(resp, want) {
				t.Errorf("Relay response %d = %v, want %v", i, resp, want)
			}
		}
		if err := stream.CloseSend(); err != nil {
			t.Fatalf("Relay: CloseSend: %v", err)
		}
		if _, err := stream.Recv(); err != io.EOF {
			t.Errorf("Relay: Recv after CloseSend = %v, want io.EOF", err)
		}
	})
}
