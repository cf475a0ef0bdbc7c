// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

// Command alpha-client calls the methods of Alpha with example
// requests and prints the responses as JSON.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/gotutor/gotutor/serve/dial"
	"github.com/gotutor/gotutor/serve/telemetry"
	servicespb "github.com/gotutor/gotutor/testdata/services"
)

func main() {
	var server dial.Config
	flag.StringVar(&server.Addr, "addr", "localhost:50051", "the server's address (host:port; dns:///host:port spreads the calls over every address of host)")
	timeout := flag.Duration("timeout", 10*time.Second, "the deadline of all the calls together")
	method := flag.String("method", "", "call only this method (Do, Follow); all by default")
	// -tls, -tls-ca, -tls-server-name, and -tls-cert and -tls-key for a
	// server that requires a client certificate.
	server.BindFlags(flag.CommandLine, "")
	flag.Parse()
	if err := run(server, *timeout, *method); err != nil {
		fmt.Fprintf(os.Stderr, "alpha-client: %v\n", err)
		os.Exit(1)
	}
}

// run connects to the server and makes the calls of calls_gotutor.go.
func run(server dial.Config, timeout time.Duration, method string) error {
	// With OTEL_EXPORTER_OTLP_ENDPOINT (and the other OTEL_* variables),
	// each call is a span that the server's span continues; the spans are
	// sent before run returns.
	tracing, err := telemetry.Start(context.Background())
	if err != nil {
		return err
	}
	defer tracing.Close()

	conn, err := server.Dial(server.Addr)
	if err != nil {
		return err
	}
	defer conn.Close()

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return runCalls(ctx, servicespb.NewAlphaClient(conn), method, os.Stdout)
}
