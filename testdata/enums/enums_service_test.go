// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package enums_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/testdata/enums"
	"github.com/gotutor/gotutor/testdata/enums/enumstest"
	"google.golang.org/protobuf/proto"
)

// TestEnumsService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestEnumsService(t *testing.T) {
	client := enumstest.NewEnumsClient(t, enums.NewEnumsService())
	t.Run("Get", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Get(ctx, enums.ExampleLight())
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if want := enums.ExampleLight(); !proto.Equal(resp, want) {
			t.Errorf("Get = %v, want %v", resp, want)
		}
	})
	t.Run("List", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.List(ctx, enums.ExampleLight_Bulb())
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
			if want := enums.ExampleLight_Bulb(); !proto.Equal(resp, want) {
				t.Errorf("List response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("List sent %d responses, want 3", n)
		}
	})
	t.Run("Record", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Record(ctx)
		if err != nil {
			t.Fatalf("Record: %v", err)
		}
		for range 3 {
			if err := stream.Send(enums.ExampleReading()); err != nil {
				t.Fatalf("Record: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("Record: CloseAndRecv: %v", err)
		}
		if want := enums.ExampleLight(); !proto.Equal(resp, want) {
			t.Errorf("Record = %v, want %v", resp, want)
		}
	})
	t.Run("Chat", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Chat(ctx)
		if err != nil {
			t.Fatalf("Chat: %v", err)
		}
		for i := range 3 {
			if err := stream.Send(enums.ExampleReading()); err != nil {
				t.Fatalf("Chat: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("Chat: Recv %d: %v", i, err)
			}
			if want := enums.ExampleReading(); !proto.Equal(resp, want) {
				t.Errorf("Chat response %d = %v, want %v", i, resp, want)
			}
		}
		if err := stream.CloseSend(); err != nil {
			t.Fatalf("Chat: CloseSend: %v", err)
		}
		if _, err := stream.Recv(); err != io.EOF {
			t.Errorf("Chat: Recv after CloseSend = %v, want io.EOF", err)
		}
	})
}
