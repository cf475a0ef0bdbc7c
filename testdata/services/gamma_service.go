// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package services

import (
	"context"
)

// GammaService implements Gamma.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewGammaService.
// It embeds DefaultGammaServer, so that methods the proto gains later answer
// with example values until you write them here.
type GammaService struct {
	DefaultGammaServer
}

// NewGammaService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewGammaService() *GammaService {
	return &GammaService{}
}

// Do handles /Gamma/Do.
func (s *GammaService) Do(ctx context.Context, req *Job) (*Job, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleJob(), nil
}
