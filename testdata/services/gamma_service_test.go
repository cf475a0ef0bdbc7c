// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package services_test

import (
	"context"
	"testing"
	"time"

	servicespb "github.com/gotutor/gotutor/testdata/services"
	"github.com/gotutor/gotutor/testdata/services/servicestest"
	"google.golang.org/protobuf/proto"
)

// TestGammaService calls every method of your servicer through a
// real client connection. It starts out expecting the example answers:
// change the expectations as you write the methods.
func TestGammaService(t *testing.T) {
	client := servicestest.NewGammaClient(t, servicespb.NewGammaService())
	t.Run("Do", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		resp, err := client.Do(ctx, servicespb.ExampleJob())
		if err != nil {
			t.Fatalf("Do: %v", err)
		}
		if want := servicespb.ExampleJob(); !proto.Equal(resp, want) {
			t.Errorf("Do = %v, want %v", resp, want)
		}
	})
}
