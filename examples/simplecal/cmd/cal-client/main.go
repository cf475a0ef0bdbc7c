// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

// Command cal-client adds and multiplies two numbers on a Cal server, as
// cal_client.py of the fifth document does, and prints
//
//	100 + 300 = 400
//	100 * 300 = 30000
//
// Point -addr at nginx (see nginx.conf) to call through the proxy. With
// -method Add, Multiply or all it makes the generated example calls of
// calls_gotutor.go instead and prints the responses as JSON.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gotutor/gotutor/examples/simplecal"
	"github.com/gotutor/gotutor/serve/dial"
	"github.com/gotutor/gotutor/serve/telemetry"
)

func main() {
	addr := flag.String("addr", "localhost:50051", "the server's address (host:port)")
	timeout := flag.Duration("timeout", 10*time.Second, "the deadline of all the calls together")
	n := flag.Int("n", 100, "the first number")
	m := flag.Int("m", 300, "the second number")
	method := flag.String("method", "", "make the generated example call of this method (Add, Multiply, or all) instead, and print the response as JSON")
	// -tls, -tls-ca, -tls-server-name, and -tls-cert and -tls-key for a
	// server that requires a client certificate.
	var dialer dial.Config
	dialer.BindFlags(flag.CommandLine, "")
	flag.Parse()
	if int64(*n) != int64(int32(*n)) || int64(*m) != int64(int32(*m)) {
		fmt.Fprintf(os.Stderr, "cal-client: -n %d and -m %d must fit in an int32\n", *n, *m)
		os.Exit(2)
	}
	if err := run(*addr, *timeout, int32(*n), int32(*m), *method, dialer); err != nil {
		fmt.Fprintf(os.Stderr, "cal-client: %v\n", err)
		os.Exit(1)
	}
}

// run connects to addr and computes n + m and n * m, or makes the example
// calls.
func run(addr string, timeout time.Duration, n, m int32, method string, dialer dial.Config) error {
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
	client := simplecal.NewCalClient(conn)
	switch method {
	case "":
		return calculate(ctx, client, n, m, os.Stdout)
	case "all":
		return runCalls(ctx, client, "", os.Stdout)
	default:
		return runCalls(ctx, client, method, os.Stdout)
	}
}

// calculate makes the two calls of the document's client.
func calculate(ctx context.Context, client simplecal.CalClient, n, m int32, out io.Writer) error {
	sum, err := client.Add(ctx, &simplecal.AddRequest{Number1: n, Number2: m})
	if err != nil {
		return fmt.Errorf("calling Add: %w", err)
	}
	fmt.Fprintf(out, "%d + %d = %d\n", n, m, sum.GetNumber())
	product, err := client.Multiply(ctx, &simplecal.MultiplyRequest{Number1: n, Number2: m})
	if err != nil {
		return fmt.Errorf("calling Multiply: %w", err)
	}
	_, err = fmt.Fprintf(out, "%d * %d = %d\n", n, m, product.GetNumber())
	return err
}
