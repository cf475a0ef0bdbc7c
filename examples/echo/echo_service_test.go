// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package echo_test

import (
	"context"
	"testing"
	"time"

	"github.com/gotutor/gotutor/examples/echo"
	"github.com/gotutor/gotutor/examples/echo/echotest"
)

// TestEchoService is the article's pytest test_reply, and a few more
// messages: the reply is "You said: " and the message.
func TestEchoService(t *testing.T) {
	client := echotest.NewEchoClient(t, echo.NewEchoService())
	for _, tc := range []struct{ message, want string }{
		{"test-data", "You said: test-data"},       // tests/test_grpc.py
		{"Hello World!", "You said: Hello World!"}, // the article's client
		{"", "You said: "},
		{"你好", "You said: 你好"},
	} {
		t.Run("Reply/"+tc.message, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			resp, err := client.Reply(ctx, &echo.EchoRequest{Message: tc.message})
			if err != nil {
				t.Fatalf("Reply(%q): %v", tc.message, err)
			}
			if got := resp.GetMessage(); got != tc.want {
				t.Errorf("Reply(%q) = %q, want %q", tc.message, got, tc.want)
			}
		})
	}
}
