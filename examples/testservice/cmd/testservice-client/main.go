// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

// Command testservice-client calls example.TestService as the Python client
// of the second document does, sending py-request1 and py-request2, and
// prints what it prints:
//
//	开启GO客户端，IP = 127.0.0.1, PORT = 8080
//	GO客户端向服务端发起请求...
//	GO客户端请求服务端成功...
//	GO客户端调用服务端返回结果:
//	result1: "f1"
//	result2: "fn1"
//
// -request1 java-request1 plays the document's Java client. With -method
// method (or -method all) it makes the generated example calls of
// calls_gotutor.go instead and prints the responses as JSON.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/gotutor/gotutor/examples/testservice"
	"github.com/gotutor/gotutor/serve/dial"
	"github.com/gotutor/gotutor/serve/telemetry"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "the server's address (host:port); the document's server listens on 127.0.0.1:8080")
	timeout := flag.Duration("timeout", 10*time.Second, "the deadline of all the calls together")
	request1 := flag.String("request1", "py-request1", "the request's request1 (java-request1 to play the Java client)")
	request2 := flag.String("request2", "py-request2", "the request's request2")
	method := flag.String("method", "", "make the generated example call of this method (method, or all) instead, and print the response as JSON")
	// -tls, -tls-ca, -tls-server-name, and -tls-cert and -tls-key for a
	// server that requires a client certificate.
	var dialer dial.Config
	dialer.BindFlags(flag.CommandLine, "")
	flag.Parse()
	req := &testservice.Request{Request1: *request1, Request2: *request2}
	if err := run(*addr, *timeout, req, *method, dialer); err != nil {
		fmt.Fprintf(os.Stderr, "testservice-client: %v\n", err)
		os.Exit(1)
	}
}

// run connects to addr and sends req, or makes the example calls.
func run(addr string, timeout time.Duration, req *testservice.Request, method string, dialer dial.Config) error {
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
	client := testservice.NewTestServiceClient(conn)
	switch method {
	case "":
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			host, port = addr, ""
		}
		fmt.Printf("开启GO客户端，IP = %s, PORT = %s\n", host, port)
		return call(ctx, client, req, os.Stdout)
	case "all":
		return runCalls(ctx, client, "", os.Stdout)
	default:
		return runCalls(ctx, client, method, os.Stdout)
	}
}

// call makes the call of the document's client and prints the result as
// Python prints a message: one `field: "value"` line per field.
func call(ctx context.Context, client testservice.TestServiceClient, req *testservice.Request, out io.Writer) error {
	fmt.Fprintln(out, "GO客户端向服务端发起请求...")
	resp, err := client.Method(ctx, req)
	if err != nil {
		return fmt.Errorf("method: %w", err)
	}
	if resp.GetResult1() == "" {
		fmt.Fprintln(out, "未找到匹配结果")
		return nil
	}
	fmt.Fprintln(out, "GO客户端请求服务端成功...")
	fmt.Fprintln(out, "GO客户端调用服务端返回结果:")
	fmt.Fprintf(out, "result1: %s\n", strconv.Quote(resp.GetResult1()))
	_, err = fmt.Fprintf(out, "result2: %s\n", strconv.Quote(resp.GetResult2()))
	return err
}
