// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package grpc

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// DialerService implements gotutor.testdata.gopkgnames.grpc.Dialer.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewDialerService.
// It embeds DefaultDialerServer, so that methods the proto gains later answer
// with example values until you write them here.
type DialerService struct {
	DefaultDialerServer
}

// NewDialerService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewDialerService() *DialerService {
	return &DialerService{}
}

// Dial handles /gotutor.testdata.gopkgnames.grpc.Dialer/Dial.
func (s *DialerService) Dial(ctx context.Context, req *ClientConn) (*ClientConn, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleClientConn(), nil
}

// Watch handles /gotutor.testdata.gopkgnames.grpc.Dialer/Watch.
func (s *DialerService) Watch(req *ClientConn, stream grpc.ServerStreamingServer[ServerStream]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleServerStream()); err != nil {
			return err
		}
	}
	return nil
}

// Push handles /gotutor.testdata.gopkgnames.grpc.Dialer/Push.
func (s *DialerService) Push(stream grpc.ClientStreamingServer[ServerStream, ClientConn]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleClientConn())
		}
		if err != nil {
			return err
		}
	}
}

// Pipe handles /gotutor.testdata.gopkgnames.grpc.Dialer/Pipe.
func (s *DialerService) Pipe(stream grpc.BidiStreamingServer[ServerStream, ServerStream]) error {
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
		if err := stream.Send(ExampleServerStream()); err != nil {
			return err
		}
	}
}
