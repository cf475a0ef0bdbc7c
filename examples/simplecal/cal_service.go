// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package simplecal

import (
	"context"
)

// CalService implements Cal.
//
// This file is yours: write the methods, and give the servicer the fields it needs (a database, clients of other services), set up in NewCalService. It embeds DefaultCalServer, so that methods the proto gains later answer with example values until you write them here.
type CalService struct {
	DefaultCalServer
}

// NewCalService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewCalService() *CalService {
	return &CalService{}
}

// Add handles /Cal/Add.
func (s *CalService) Add(ctx context.Context, req *AddRequest) (*ResultReply, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleResultReply(), nil
}

// Multiply handles /Cal/Multiply.
func (s *CalService) Multiply(ctx context.Context, req *MultiplyRequest) (*ResultReply, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleResultReply(), nil
}
