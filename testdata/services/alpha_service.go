// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package services

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// AlphaService implements Alpha.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewAlphaService.
// It embeds DefaultAlphaServer, so that methods the proto gains later answer
// with example values until you write them here.
type AlphaService struct {
	DefaultAlphaServer
}

// NewAlphaService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewAlphaService() *AlphaService {
	return &AlphaService{}
}

// Do handles /Alpha/Do.
func (s *AlphaService) Do(ctx context.Context, req *Job) (*Result, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleResult(), nil
}

// Follow handles /Alpha/Follow.
func (s *AlphaService) Follow(req *Job, stream grpc.ServerStreamingServer[Result]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleResult()); err != nil {
			return err
		}
	}
	return nil
}
