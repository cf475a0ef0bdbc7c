package serve_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health/grpc_health_v1"

	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/oneport"
)

// A main binds its Config to its flags before it parses them; what it does
// not set keeps its default.
func ExampleConfig_BindFlags() {
	cfg := serve.Config{OnePort: oneport.Split}
	fs := flag.NewFlagSet("greeter-server", flag.ContinueOnError)
	cfg.BindFlags(fs)
	if err := fs.Parse([]string{"-addr=:8080", "-grace=30s", "-log-format=json", "-cors-origins=https://example.com"}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Addr, cfg.Grace, cfg.LogFormat, cfg.LogLevel, cfg.CORSOrigins)

	// A server of native gRPC alone has no -cors-origins.
	grpcOnly := serve.Config{}
	fs = flag.NewFlagSet("greeter-server", flag.ContinueOnError)
	grpcOnly.BindFlags(fs)
	fmt.Println(grpcOnly.Addr, fs.Lookup("cors-origins") == nil)
	// Output:
	// :8080 30s json info https://example.com
	// localhost:50051 true
}

// A main serves until its context is done (on SIGINT or SIGTERM), then
// stops gracefully. Here it serves on a MemListener, a client checks its
// health, and a cancel stands for the signal.
func ExampleConfig_Serve() {
	var cfg serve.Config
	cfg.BindFlags(flag.NewFlagSet("example", flag.ContinueOnError)) // the defaults
	logger := slog.New(slog.DiscardHandler)
	services := []serve.Service{{Name: "grpc.health.v1.Health"}}
	server, err := cfg.NewServer(logger, services)
	if err != nil {
		fmt.Println(err)
		return
	}
	// A main registers its servicers here; Serve adds health and reflection.

	lis := serve.NewMemListener()
	conn, err := grpc.NewClient("passthrough:///memory", grpc.WithContextDialer(lis.Dial), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer conn.Close()

	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- cfg.Serve(ctx, lis, server, logger, services) }()
	resp, err := grpc_health_v1.NewHealthClient(conn).Check(ctx, &grpc_health_v1.HealthCheckRequest{})
	fmt.Println(resp.GetStatus(), err)

	cancel()
	fmt.Println(<-served)
	// Output:
	// SERVING <nil>
	// <nil>
}

// A MemListener is a listener in memory: here an HTTP server serves on it,
// and its client's connections are Dial's.
func ExampleMemListener() {
	lis := serve.NewMemListener()
	server := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello from %s", r.Host)
	})}
	go func() { _ = server.Serve(lis) }()
	defer server.Close()

	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) { return lis.Dial(ctx, addr) },
	}}
	resp, err := client.Get("http://memory/")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	fmt.Println(string(body), err)
	fmt.Println(lis.Addr().Network(), lis.Addr())

	// Once closed, it accepts and dials no more.
	lis.Close()
	_, err = lis.Dial(context.Background(), "memory")
	fmt.Println(err)
	// Output:
	// hello from memory <nil>
	// memory memory
	// use of closed network connection
}
