// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package validtime_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/testdata/validtime"
	"github.com/gotutor/gotutor/testdata/validtime/validtimetest"
	"google.golang.org/protobuf/proto"
)

// TestTimesService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestTimesService(t *testing.T) {
	client := validtimetest.NewTimesClient(t, validtime.NewTimesService())
	t.Run("Schedule", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Schedule(ctx, validtime.ExampleSlot())
		if err != nil {
			t.Fatalf("Schedule: %v", err)
		}
		if want := validtime.ExampleSlot(); !proto.Equal(resp, want) {
			t.Errorf("Schedule = %v, want %v", resp, want)
		}
	})
	t.Run("Watch", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Watch(ctx, validtime.ExampleSlot())
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
			if want := validtime.ExampleSlot(); !proto.Equal(resp, want) {
				t.Errorf("Watch response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("Watch sent %d responses, want 3", n)
		}
	})
	t.Run("Upload", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Upload(ctx)
		if err != nil {
			t.Fatalf("Upload: %v", err)
		}
		for range 3 {
			if err := stream.Send(validtime.ExampleSlot()); err != nil {
				t.Fatalf("Upload: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("Upload: CloseAndRecv: %v", err)
		}
		if want := validtime.ExampleSlot(); !proto.Equal(resp, want) {
			t.Errorf("Upload = %v, want %v", resp, want)
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
			if err := stream.Send(validtime.ExampleSlot()); err != nil {
				t.Fatalf("Sync: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("Sync: Recv %d: %v", i, err)
			}
			if want := validtime.ExampleSlot(); !proto.Equal(resp, want) {
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
