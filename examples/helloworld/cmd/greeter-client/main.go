// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

// Command greeter-client says hello to a helloworld.Greeter server, as
// greeter_client.py of the first document does, and prints
//
//	Greeter client received: Hello, you!
//
// With -method SayHello (or -method all) it makes the generated example
// calls of calls_gotutor.go instead and prints the responses as JSON.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gotutor/gotutor/examples/helloworld"
	"github.com/gotutor/gotutor/serve/dial"
	"github.com/gotutor/gotutor/serve/telemetry"
)

func main() {
	addr := flag.String("addr", "localhost:50051", "the server's address (host:port)")
	timeout := flag.Duration("timeout", 10*time.Second, "the deadline of all the calls together")
	name := flag.String("name", "you", "the name to greet")
	method := flag.String("method", "", "make the generated example call of this method (SayHello, or all) instead, and print the response as JSON")
	// -tls, -tls-ca, -tls-server-name, and -tls-cert and -tls-key for a
	// server that requires a client certificate.
	var dialer dial.Config
	dialer.BindFlags(flag.CommandLine, "")
	flag.Parse()
	if err := run(*addr, *timeout, *name, *method, dialer); err != nil {
		fmt.Fprintf(os.Stderr, "greeter-client: %v\n", err)
		os.Exit(1)
	}
}

// run connects to addr and greets name, or makes the example calls.
func run(addr string, timeout time.Duration, name, method string, dialer dial.Config) error {
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
	client := helloworld.NewGreeterClient(conn)
	switch method {
	case "":
		return greet(ctx, client, name, os.Stdout)
	case "all":
		return runCalls(ctx, client, "", os.Stdout)
	default:
		return runCalls(ctx, client, method, os.Stdout)
	}
}

// greet makes the call of the document's greeter_client.py.
func greet(ctx context.Context, client helloworld.GreeterClient, name string, out io.Writer) error {
	resp, err := client.SayHello(ctx, &helloworld.HelloRequest{Name: name})
	if err != nil {
		return fmt.Errorf("SayHello: %w", err)
	}
	_, err = fmt.Fprintln(out, "Greeter client received: "+resp.GetMessage())
	return err
}
