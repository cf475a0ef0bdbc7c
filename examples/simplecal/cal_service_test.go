// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package simplecal_test

import (
	"context"
	"testing"
	"time"

	"github.com/gotutor/gotutor/examples/simplecal"
	"github.com/gotutor/gotutor/examples/simplecal/simplecaltest"
	"google.golang.org/protobuf/proto"
)

// TestCalService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestCalService(t *testing.T) {
	client := simplecaltest.NewCalClient(t, simplecal.NewCalService())
	t.Run("Add", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Add(ctx, simplecal.ExampleAddRequest())
		if err != nil {
			t.Fatalf("Add: %v", err)
		}
		if want := simplecal.ExampleResultReply(); !proto.Equal(resp, want) {
			t.Errorf("Add = %v, want %v", resp, want)
		}
	})
	t.Run("Multiply", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Multiply(ctx, simplecal.ExampleMultiplyRequest())
		if err != nil {
			t.Fatalf("Multiply: %v", err)
		}
		if want := simplecal.ExampleResultReply(); !proto.Equal(resp, want) {
			t.Errorf("Multiply = %v, want %v", resp, want)
		}
	})
}
