// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package oneofs

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// OneofsService implements gotutor.testdata.oneofs.Oneofs.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewOneofsService.
// It embeds DefaultOneofsServer, so that methods the proto gains later answer
// with example values until you write them here.
type OneofsService struct {
	DefaultOneofsServer
}

// NewOneofsService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewOneofsService() *OneofsService {
	return &OneofsService{}
}

// Pick handles /gotutor.testdata.oneofs.Oneofs/Pick.
func (s *OneofsService) Pick(ctx context.Context, req *Choice) (*Choice, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleChoice(), nil
}

// Stream handles /gotutor.testdata.oneofs.Oneofs/Stream.
func (s *OneofsService) Stream(req *Choice, stream grpc.ServerStreamingServer[MessageFirst]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleMessageFirst()); err != nil {
			return err
		}
	}
	return nil
}

// Collect handles /gotutor.testdata.oneofs.Oneofs/Collect.
func (s *OneofsService) Collect(stream grpc.ClientStreamingServer[MessageFirst, Choice]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleChoice())
		}
		if err != nil {
			return err
		}
	}
}

// Swap handles /gotutor.testdata.oneofs.Oneofs/Swap.
func (s *OneofsService) Swap(stream grpc.BidiStreamingServer[Choice, MessageFirst]) error {
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
		if err := stream.Send(ExampleMessageFirst()); err != nil {
			return err
		}
	}
}
