// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

// Command accounts-server serves gotutor.testdata.behaviors.Accounts
// on -addr, with gRPC health checks, reflection, a log line per call,
// panic recovery and a bounded graceful stop: see the runtime, package
// github.com/gotutor/gotutor/serve, and -help.
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

	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/oneport"
	"github.com/gotutor/gotutor/serve/stubs"
	"github.com/gotutor/gotutor/testdata/behaviors"
)

func main() {
	// Stubs: with -stubs DIR or -admin-addr, calls that a stub in
	// gripmock's format matches are answered before the servicer; with
	// -upstream ADDR, calls of the methods that the servicer does not
	// define go to that server (and -record DIR writes them as stubs).
	cfg := serve.Config{OnePort: oneport.Split, Stubs: stubs.New}
	cfg.BindFlags(flag.CommandLine)
	flag.Parse()
	logger, err := cfg.NewLogger(os.Stderr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "accounts-server: %v\n", err)
		os.Exit(2)
	}
	if err := run(&cfg, logger); err != nil {
		logger.Error("accounts-server", "error", err)
		os.Exit(1)
	}
}

// run serves gotutor.testdata.behaviors.Accounts on -addr until SIGINT or
// SIGTERM, then stops within -grace.
func run(cfg *serve.Config, logger *slog.Logger) error {
	// NewServer applies the flags' limits and the interceptors: the access
	// log and panic recovery. Add your own after served, as
	// grpc.ChainUnaryInterceptor(...).
	server, err := cfg.NewServer(logger, served)
	if err != nil {
		return err
	}
	behaviors.RegisterAccountsServer(server, behaviors.NewAccountsService())

	lis, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return cfg.Serve(ctx, lis, server, logger, served)
}
