package stubs_test

import (
	"context"
	"flag"
	"log"
	"net"
	"os"

	testpb "google.golang.org/grpc/interop/grpc_testing"

	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/oneport"
	"github.com/gotutor/gotutor/serve/stubs"
)

// A server main that answers with stubs when run with -stubs DIR (and
// serves gripmock's admin API with -admin-addr :4771): its Config names
// stubs.New beside oneport.Split, and nothing else changes.
func ExampleNew() {
	cfg := serve.Config{OnePort: oneport.Split, Stubs: stubs.New}
	cfg.BindFlags(flag.CommandLine)
	flag.Parse()
	logger, err := cfg.NewLogger(os.Stderr)
	if err != nil {
		log.Fatal(err)
	}
	server, err := cfg.NewServer(logger, nil)
	if err != nil {
		log.Fatal(err)
	}
	testpb.RegisterTestServiceServer(server, testpb.UnimplementedTestServiceServer{})
	lis, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		log.Fatal(err)
	}
	// A stub file that is wrong is Serve's error: the server does not
	// start.
	if err := cfg.Serve(context.Background(), lis, server, logger, nil); err != nil {
		log.Fatal(err)
	}
}
