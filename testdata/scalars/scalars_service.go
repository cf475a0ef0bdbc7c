// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package scalars

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// ScalarsService implements gotutor.testdata.scalars.Scalars.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewScalarsService.
// It embeds DefaultScalarsServer, so that methods the proto gains later answer
// with example values until you write them here.
type ScalarsService struct {
	DefaultScalarsServer
}

// NewScalarsService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewScalarsService() *ScalarsService {
	return &ScalarsService{}
}

// Unary handles /gotutor.testdata.scalars.Scalars/Unary.
func (s *ScalarsService) Unary(ctx context.Context, req *Singular) (*Singular, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleSingular(), nil
}

// ServerStream handles /gotutor.testdata.scalars.Scalars/ServerStream.
func (s *ScalarsService) ServerStream(req *Repeated, stream grpc.ServerStreamingServer[Repeated]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleRepeated()); err != nil {
			return err
		}
	}
	return nil
}

// ClientStream handles /gotutor.testdata.scalars.Scalars/ClientStream.
func (s *ScalarsService) ClientStream(stream grpc.ClientStreamingServer[Optional, Optional]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleOptional())
		}
		if err != nil {
			return err
		}
	}
}

// Bidi handles /gotutor.testdata.scalars.Scalars/Bidi.
func (s *ScalarsService) Bidi(stream grpc.BidiStreamingServer[Maps, Maps]) error {
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
		if err := stream.Send(ExampleMaps()); err != nil {
			return err
		}
	}
}
