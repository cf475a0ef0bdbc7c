// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

// Command orders-server serves shop.v1.Orders on -addr, with gRPC health
// checks, reflection, a log line per call, panic recovery and a bounded
// graceful stop (see server_gotutor.go and -help).
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"example.com/shopmod/shop/v1"
	"google.golang.org/grpc"
)

func main() {
	var cfg serverConfig
	cfg.bindFlags(flag.CommandLine)
	flag.Parse()
	logger, err := cfg.newLogger(os.Stderr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "orders-server: %v\n", err)
		os.Exit(2)
	}
	if err := run(&cfg, logger); err != nil {
		logger.Error("orders-server", "error", err)
		os.Exit(1)
	}
}

// run serves shop.v1.Orders until SIGINT or SIGTERM, then stops within
// -grace.
func run(cfg *serverConfig, logger *slog.Logger) error {
	opts, err := cfg.serverOptions()
	if err != nil {
		return err
	}
	// The access log, panic recovery: add
	// interceptors of your own to these lists, or leave some out.
	unary, stream := interceptors(logger)
	opts = append(opts, grpc.ChainUnaryInterceptor(unary...), grpc.ChainStreamInterceptor(stream...))
	server := grpc.NewServer(opts...)
	shopv1.RegisterOrdersServer(server, shopv1.NewOrdersService())

	lis, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return cfg.serve(ctx, lis, server, logger)
}
