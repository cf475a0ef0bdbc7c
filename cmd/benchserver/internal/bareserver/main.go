// Command bareserver serves helloworld.Greeter with the example's servicer
// (helloworld.NewGreeterService) on a bare grpc.NewServer(): no options, no
// interceptors, no log, no health, no reflection. benchserver uses it as the
// baseline that the generated server main is measured against.
//
// It serves on -addr until SIGINT or SIGTERM, then stops at once.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/gotutor/gotutor/examples/helloworld"
	"google.golang.org/grpc"
)

func main() {
	addr := flag.String("addr", "localhost:50051", "the address to listen on")
	flag.Parse()
	lis, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bareserver:", err)
		os.Exit(1)
	}
	server := grpc.NewServer()
	helloworld.RegisterGreeterServer(server, helloworld.NewGreeterService())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		server.Stop()
	}()
	if err := server.Serve(lis); err != nil {
		fmt.Fprintln(os.Stderr, "bareserver:", err)
		os.Exit(1)
	}
}
