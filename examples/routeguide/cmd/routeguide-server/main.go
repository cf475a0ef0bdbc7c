// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

// Command routeguide-server serves routeguide.RouteGuide on -addr, with the
// features of the embedded route_guide_db.json (or of -db FILE), gRPC health
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

	"github.com/gotutor/gotutor/examples/routeguide"
	"google.golang.org/grpc"
)

func main() {
	var cfg serverConfig
	cfg.bindFlags(flag.CommandLine)
	dbFile := flag.String("db", "", "a feature database in the format of route_guide_db.json to serve instead of the embedded one (gRPC's examples ship one of 100 features)")
	flag.Parse()
	logger, err := cfg.newLogger(os.Stderr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "routeguide-server: %v\n", err)
		os.Exit(2)
	}
	if err := run(&cfg, logger, *dbFile); err != nil {
		logger.Error("routeguide-server", "error", err)
		os.Exit(1)
	}
}

// run serves routeguide.RouteGuide until SIGINT or SIGTERM, then stops
// within -grace.
func run(cfg *serverConfig, logger *slog.Logger, dbFile string) error {
	opts, err := cfg.serverOptions()
	if err != nil {
		return err
	}
	// The access log and panic recovery: add interceptors of your own to
	// these lists, or leave some out.
	unary, stream := interceptors(logger)
	opts = append(opts, grpc.ChainUnaryInterceptor(unary...), grpc.ChainStreamInterceptor(stream...))
	server := grpc.NewServer(opts...)
	svc := routeguide.NewRouteGuideService()
	if dbFile != "" {
		data, err := os.ReadFile(dbFile)
		if err != nil {
			return err
		}
		features, err := routeguide.ParseFeatures(data)
		if err != nil {
			return fmt.Errorf("%s: %v", dbFile, err)
		}
		svc = routeguide.NewRouteGuideServiceWith(features)
	}
	routeguide.RegisterRouteGuideServer(server, svc)

	lis, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return cfg.serve(ctx, lis, server, logger)
}
