// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package helloworld

import (
	"context"
)

// GreeterService implements helloworld.Greeter.
//
// The greeting service definition.
//
// This file is yours: write the methods, and give the servicer the fields it needs (a database, clients of other services), set up in NewGreeterService. It embeds DefaultGreeterServer, so that methods the proto gains later answer with example values until you write them here.
type GreeterService struct {
	DefaultGreeterServer
}

// NewGreeterService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewGreeterService() *GreeterService {
	return &GreeterService{}
}

// Sends a greeting
//
// It answers "Hello, <name>!", as the official greeter servers do.
func (s *GreeterService) SayHello(ctx context.Context, req *HelloRequest) (*HelloReply, error) {
	return &HelloReply{Message: "Hello, " + req.GetName() + "!"}, nil
}
