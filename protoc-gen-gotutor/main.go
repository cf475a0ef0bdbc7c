// Command protoc-gen-gotutor is a protoc and buf plugin that turns the
// services of a .proto file into a working Go gRPC project: a servicer whose
// every method already answers, runnable server and client programs, and
// tests over an in-memory connection. It runs beside protoc-gen-go and
// protoc-gen-go-grpc:
//
//	protoc --go_out=. --go-grpc_out=. --gotutor_out=. x.proto
//
// See the README of github.com/gotutor/gotutor for the options and for which
// files are regenerated and which are yours.
package main

import (
	"fmt"
	"os"

	"github.com/gotutor/gotutor/generator"
)

func main() {
	if len(os.Args) == 2 && (os.Args[1] == "--version" || os.Args[1] == "-version") {
		fmt.Printf("protoc-gen-gotutor %s\n", generator.Version())
		return
	}
	if len(os.Args) > 1 {
		fmt.Fprintf(os.Stderr, "protoc-gen-gotutor: unknown argument %q: the plugin is run by protoc or buf; options go in --gotutor_opt\n", os.Args[1])
		os.Exit(2)
	}
	if err := generator.RunPlugin(os.Stdin, os.Stdout, generator.DefaultOptions()); err != nil {
		fmt.Fprintf(os.Stderr, "protoc-gen-gotutor: %v\n", err)
		os.Exit(1)
	}
}
