// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

// Command echo-client sends a message to an echo.Echo server, as the client
// of the third document does, and prints
//
//	Echo client received: You said: Hello World!
//
// With -method Reply (or -method all) it makes the generated example calls
// of calls_gotutor.go instead and prints the responses as JSON.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gotutor/gotutor/examples/echo"
	"github.com/gotutor/gotutor/serve/dial"
	"github.com/gotutor/gotutor/serve/telemetry"
)

func main() {
	addr := flag.String("addr", "localhost:50051", "the server's address (host:port)")
	timeout := flag.Duration("timeout", 10*time.Second, "the deadline of all the calls together")
	message := flag.String("message", "Hello World!", "the message to send")
	method := flag.String("method", "", "make the generated example call of this method (Reply, or all) instead, and print the response as JSON")
	// -tls, -tls-ca, -tls-server-name, and -tls-cert and -tls-key for a
	// server that requires a client certificate.
	var dialer dial.Config
	dialer.BindFlags(flag.CommandLine, "")
	flag.Parse()
	if err := run(*addr, *timeout, *message, *method, dialer); err != nil {
		fmt.Fprintf(os.Stderr, "echo-client: %v\n", err)
		os.Exit(1)
	}
}

// run connects to addr and sends message, or makes the example calls.
func run(addr string, timeout time.Duration, message, method string, dialer dial.Config) error {
	// With OTEL_EXPORTER_OTLP_ENDPOINT (and the other OTEL_* variables),
	// each call is a span that the server's span continues; the spans are
	// sent before run returns.
	tracing, err := telemetry.Start(context.Background())
	if err != nil {
		return err
	}
	defer tracing.Close()

	conn, err := dialer.Dial(addr)
	if err != nil {
		return err
	}
	defer conn.Close()

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	client := echo.NewEchoClient(conn)
	switch method {
	case "":
		return reply(ctx, client, message, os.Stdout)
	case "all":
		return runCalls(ctx, client, "", os.Stdout)
	default:
		return runCalls(ctx, client, method, os.Stdout)
	}
}

// reply makes the call of the document's client.
func reply(ctx context.Context, client echo.EchoClient, message string, out io.Writer) error {
	resp, err := client.Reply(ctx, &echo.EchoRequest{Message: message})
	if err != nil {
		return fmt.Errorf("calling Reply: %w", err)
	}
	_, err = fmt.Fprintln(out, "Echo client received: "+resp.GetMessage())
	return err
}
