// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package testservice

import (
	"context"
)

// TestServiceService implements example.TestService.
//
// This file is yours: write the methods, and give the servicer the fields it needs (a database, clients of other services), set up in NewTestServiceService. It embeds DefaultTestServiceServer, so that methods the proto gains later answer with example values until you write them here.
type TestServiceService struct {
	DefaultTestServiceServer
}

// NewTestServiceService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewTestServiceService() *TestServiceService {
	return &TestServiceService{}
}

// method tells which client called: a request1 of "java-request1" is
// answered with "res1-java-client->py-server" twice, any other request
// with "f1" and "fn1".
func (s *TestServiceService) Method(ctx context.Context, req *Request) (*Result, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleResult(), nil
}
