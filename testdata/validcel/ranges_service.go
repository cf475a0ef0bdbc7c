// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package validcel

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// RangesService implements gotutor.testdata.validcel.Ranges.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewRangesService.
// It embeds DefaultRangesServer, so that methods the proto gains later answer
// with example values until you write them here.
type RangesService struct {
	DefaultRangesServer
}

// NewRangesService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewRangesService() *RangesService {
	return &RangesService{}
}

// Check handles /gotutor.testdata.validcel.Ranges/Check.
func (s *RangesService) Check(ctx context.Context, req *Range) (*Range, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleRange(), nil
}

// Split handles /gotutor.testdata.validcel.Ranges/Split.
func (s *RangesService) Split(req *Range, stream grpc.ServerStreamingServer[Range]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleRange()); err != nil {
			return err
		}
	}
	return nil
}

// Join handles /gotutor.testdata.validcel.Ranges/Join.
func (s *RangesService) Join(stream grpc.ClientStreamingServer[Range, Range]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleRange())
		}
		if err != nil {
			return err
		}
	}
}

// Echo handles /gotutor.testdata.validcel.Ranges/Echo.
func (s *RangesService) Echo(stream grpc.BidiStreamingServer[Range, Range]) error {
	// A bidirectional-streaming call: answer each request as it arrives,
	// until the client closes its side (io.EOF). Both sides may send at any
	// time; this loop answers one for one.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := stream.Send(ExampleRange()); err != nil {
			return err
		}
	}
}
