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

// TestAlphaService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestAlphaService(t *testing.T) {
	client := servicestest.NewAlphaClient(t, servicespb.NewAlphaService())
	t.Run("Do", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Do(ctx, servicespb.ExampleJob())
		if err != nil {
			t.Fatalf("Do: %v", err)
		}
		if want := servicespb.ExampleResult(); !proto.Equal(resp, want) {
			t.Errorf("Do = %v, want %v", resp, want)
		}
	})
	t.Run("Follow", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		stream, err := client.Follow(ctx, servicespb.ExampleJob())
		if err != nil {
			t.Fatalf("Follow: %v", err)
		}
		n := 0
		for {
			resp, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Follow: Recv: %v", err)
			}
			n++
			if want := servicespb.ExampleResult(); !proto.Equal(resp, want) {
				t.Errorf("Follow response %d = %v, want %v", n, resp, want)
			}
		}
		if n != 3 {
			t.Errorf("Follow sent %d responses, want 3", n)
		}
	})
}
