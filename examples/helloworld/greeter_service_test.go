// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package helloworld_test

import (
	"context"
	"testing"
	"time"

	"github.com/gotutor/gotutor/examples/helloworld"
	"github.com/gotutor/gotutor/examples/helloworld/helloworldtest"
)

// TestGreeterService calls GreeterService through a real client connection
// and checks the greeting of the official helloworld example.
func TestGreeterService(t *testing.T) {
	client := helloworldtest.NewGreeterClient(t, helloworld.NewGreeterService())
	for _, tc := range []struct{ name, want string }{
		{"you", "Hello, you!"},     // what greeter_client.py sends
		{"world", "Hello, world!"}, // what the Go greeter_client sends
		{"", "Hello, !"},
		{"世界", "Hello, 世界!"},
	} {
		t.Run("SayHello/"+tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			resp, err := client.SayHello(ctx, &helloworld.HelloRequest{Name: tc.name})
			if err != nil {
				t.Fatalf("SayHello(%q): %v", tc.name, err)
			}
			if got := resp.GetMessage(); got != tc.want {
				t.Errorf("SayHello(%q) = %q, want %q", tc.name, got, tc.want)
			}
		})
	}
}
