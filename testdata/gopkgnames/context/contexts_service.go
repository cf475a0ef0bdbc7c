// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package context

import (
	"context"
	"io"

	"github.com/gotutor/gotutor/testdata/gopkgnames/grpc"
	grpcpb "google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// ContextsService implements gotutor.testdata.gopkgnames.context.Contexts.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewContextsService.
// It embeds DefaultContextsServer, so that methods the proto gains later
// answer with example values until you write them here.
type ContextsService struct {
	DefaultContextsServer
}

// NewContextsService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewContextsService() *ContextsService {
	return &ContextsService{}
}

// Background handles /gotutor.testdata.gopkgnames.context.Contexts/Background.
func (s *ContextsService) Background(ctx context.Context, req *Context) (*grpc.ClientConn, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleContextsClientConn(), nil
}

// WithCancel handles /gotutor.testdata.gopkgnames.context.Contexts/WithCancel.
func (s *ContextsService) WithCancel(req *grpc.ClientConn, stream grpcpb.ServerStreamingServer[Context]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleContext()); err != nil {
			return err
		}
	}
	return nil
}

// WithTimeout handles
// /gotutor.testdata.gopkgnames.context.Contexts/WithTimeout.
func (s *ContextsService) WithTimeout(stream grpcpb.ClientStreamingServer[Context, Context]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleContext())
		}
		if err != nil {
			return err
		}
	}
}

// WithValue handles /gotutor.testdata.gopkgnames.context.Contexts/WithValue.
func (s *ContextsService) WithValue(stream grpcpb.BidiStreamingServer[grpc.ServerStream, Context]) error {
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
		if err := stream.Send(ExampleContext()); err != nil {
			return err
		}
	}
}
