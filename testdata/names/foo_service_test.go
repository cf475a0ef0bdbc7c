// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package names_test

import (
	"context"
	"testing"
	"time"

	namespb "github.com/gotutor/gotutor/testdata/names"
	"github.com/gotutor/gotutor/testdata/names/namestest"
	"google.golang.org/protobuf/proto"
)

// TestFooService_ calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestFooService_(t *testing.T) {
	client := namestest.NewFooClient(t, namespb.NewFooService())
	t.Run("Context", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Context(ctx, namespb.ExampleDefaultFooServer())
		if err != nil {
			t.Fatalf("Context: %v", err)
		}
		if want := namespb.ExampleExampleBar(); !proto.Equal(resp, want) {
			t.Errorf("Context = %v, want %v", resp, want)
		}
	})
	t.Run("Error", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Error(ctx, namespb.ExampleFooService())
		if err != nil {
			t.Fatalf("Error: %v", err)
		}
		if want := namespb.ExampleBar_(); !proto.Equal(resp, want) {
			t.Errorf("Error = %v, want %v", resp, want)
		}
	})
}
