// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package services_test

import (
	"context"
	"io"
	"testing"
	"time"

	servicespb "github.com/gotutor/gotutor/testdata/services"
	"github.com/gotutor/gotutor/testdata/services/servicestest"
	"google.golang.org/protobuf/proto"
)

// TestBetaService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestBetaService(t *testing.T) {
	client := servicestest.NewBetaClient(t, servicespb.NewBetaService())
	t.Run("Send", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Send(ctx)
		if err != nil {
			t.Fatalf("Send: %v", err)
		}
		for range 3 {
			if err := stream.Send(servicespb.ExampleJob()); err != nil {
				t.Fatalf("Send: Send: %v", err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			t.Fatalf("Send: CloseAndRecv: %v", err)
		}
		if want := servicespb.ExampleResult(); !proto.Equal(resp, want) {
			t.Errorf("Send = %v, want %v", resp, want)
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
			if err := stream.Send(servicespb.ExampleJob()); err != nil {
				t.Fatalf("Talk: Send: %v", err)
			}
			resp, err := stream.Recv()
			if err != nil {
				t.Fatalf("Talk: Recv %d: %v", i, err)
			}
			if want := servicespb.ExampleResult(); !proto.Equal(resp, want) {
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
