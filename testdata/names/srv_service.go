// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package names

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// ServerService implements gotutor.testdata.names.Server.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewServerService.
// It embeds DefaultServerServer, so that methods the proto gains later answer
// with example values until you write them here.
type ServerService struct {
	DefaultServerServer
}

// NewServerService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewServerService() *ServerService {
	return &ServerService{}
}

// Type handles /gotutor.testdata.names.Server/Type.
func (s *ServerService) Type(ctx context.Context, req *Func) (*Func, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleFunc(), nil
}

// Stream handles /gotutor.testdata.names.Server/Stream.
func (s *ServerService) Stream(req *Func, stream grpc.ServerStreamingServer[Bar]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleBar_()); err != nil {
			return err
		}
	}
	return nil
}

// Recv handles /gotutor.testdata.names.Server/Recv.
func (s *ServerService) Recv(stream grpc.ClientStreamingServer[ExampleBar, DefaultFooServer]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleDefaultFooServer())
		}
		if err != nil {
			return err
		}
	}
}

// Send handles /gotutor.testdata.names.Server/Send.
func (s *ServerService) Send(stream grpc.BidiStreamingServer[Bar, FooService]) error {
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
		if err := stream.Send(ExampleFooService()); err != nil {
			return err
		}
	}
}
