// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

// Command notes-client calls the methods of gotutor.testdata.comments.Notes
// with example requests and prints the responses as JSON.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/gotutor/gotutor/testdata/comments"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

func main() {
	addr := flag.String("addr", "localhost:50051", "the server's address (host:port)")
	timeout := flag.Duration("timeout", 10*time.Second, "the deadline of all the calls together")
	method := flag.String("method", "", "call only this method (Add, List, Old, Sync); all by default")
	useTLS := flag.Bool("tls", false, "connect with TLS, verifying the server with the system's roots")
	caFile := flag.String("tls-ca", "", "a CA certificate file (PEM) to verify the server with; implies -tls")
	serverName := flag.String("tls-server-name", "", "the name to verify in the server's certificate, if not the host of -addr")
	flag.Parse()
	if err := run(*addr, *timeout, *method, *useTLS, *caFile, *serverName); err != nil {
		fmt.Fprintf(os.Stderr, "notes-client: %v\n", err)
		os.Exit(1)
	}
}

// run connects to addr and makes the calls of calls_gotutor.go.
func run(addr string, timeout time.Duration, method string, useTLS bool, caFile, serverName string) error {
	creds := insecure.NewCredentials()
	switch {
	case caFile != "":
		c, err := credentials.NewClientTLSFromFile(caFile, serverName)
		if err != nil {
			return err
		}
		creds = c
	case useTLS:
		creds = credentials.NewClientTLSFromCert(nil, serverName)
	}
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(creds))
	if err != nil {
		return err
	}
	defer conn.Close()

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return runCalls(ctx, comments.NewNotesClient(conn), method, os.Stdout)
}
