// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

// Command collections-server serves gotutor.testdata.validcollections.Collections on -addr, with gRPC health
// checks, reflection and a log line per call.
package main

import (
	"context"
	"flag"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gotutor/gotutor/testdata/validcollections"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"
	"google.golang.org/grpc/status"
)

func main() {
	addr := flag.String("addr", "localhost:50051", "the address to listen on (host:port; :50051 listens on every interface)")
	certFile := flag.String("tls-cert", "", "a TLS certificate file (PEM); with -tls-key, the server speaks TLS")
	keyFile := flag.String("tls-key", "", "the TLS private key file (PEM)")
	flag.Parse()
	if err := run(*addr, *certFile, *keyFile); err != nil {
		slog.Error("collections-server", "error", err)
		os.Exit(1)
	}
}

// run serves gotutor.testdata.validcollections.Collections until SIGINT or SIGTERM, then stops gracefully:
// calls in flight finish, new ones are refused.
func run(addr, certFile, keyFile string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	opts := []grpc.ServerOption{
		grpc.ChainUnaryInterceptor(logUnary),
		grpc.ChainStreamInterceptor(logStream),
	}
	// Requests that break their buf.validate rules are answered with
	// InvalidArgument before they reach the servicer.
	opts = append(opts, validcollections.ValidateCollectionsRequests()...)
	if certFile != "" || keyFile != "" {
		creds, err := credentials.NewServerTLSFromFile(certFile, keyFile)
		if err != nil {
			return err
		}
		opts = append(opts, grpc.Creds(creds))
	}
	server := grpc.NewServer(opts...)
	validcollections.RegisterCollectionsServer(server, validcollections.NewCollectionsService())

	// Health checks and reflection let grpcurl, load balancers and
	// orchestrators talk to the server without its .proto.
	healthServer := health.NewServer()
	healthServer.SetServingStatus("gotutor.testdata.validcollections.Collections", grpc_health_v1.HealthCheckResponse_SERVING)
	grpc_health_v1.RegisterHealthServer(server, healthServer)
	reflection.Register(server)

	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	go func() {
		<-ctx.Done()
		slog.Info("shutting down")
		healthServer.Shutdown()
		server.GracefulStop()
	}()
	slog.Info("serving", "service", "gotutor.testdata.validcollections.Collections", "addr", lis.Addr().String())
	return server.Serve(lis)
}

// logUnary logs each unary call: its method, status code and duration.
func logUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	start := time.Now()
	resp, err := handler(ctx, req)
	logCall(ctx, info.FullMethod, start, err)
	return resp, err
}

// logStream logs each streaming call when it ends.
func logStream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	start := time.Now()
	err := handler(srv, ss)
	logCall(ss.Context(), info.FullMethod, start, err)
	return err
}

func logCall(ctx context.Context, method string, start time.Time, err error) {
	level := slog.LevelInfo
	if err != nil {
		level = slog.LevelWarn
	}
	slog.Log(ctx, level, "call", "method", method, "code", status.Code(err).String(), "duration", time.Since(start))
}
