// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package proto2

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// LegacyService implements gotutor.testdata.proto2.Legacy.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewLegacyService.
// It embeds DefaultLegacyServer, so that methods the proto gains later answer
// with example values until you write them here.
type LegacyService struct {
	DefaultLegacyServer
}

// NewLegacyService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewLegacyService() *LegacyService {
	return &LegacyService{}
}

// Get handles /gotutor.testdata.proto2.Legacy/Get.
func (s *LegacyService) Get(ctx context.Context, req *Request) (*Defaults, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleDefaults(), nil
}

// Watch handles /gotutor.testdata.proto2.Legacy/Watch.
func (s *LegacyService) Watch(req *Request, stream grpc.ServerStreamingServer[Defaults]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleDefaults()); err != nil {
			return err
		}
	}
	return nil
}

// Upload handles /gotutor.testdata.proto2.Legacy/Upload.
func (s *LegacyService) Upload(stream grpc.ClientStreamingServer[Defaults, Request]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleRequest())
		}
		if err != nil {
			return err
		}
	}
}

// Sync handles /gotutor.testdata.proto2.Legacy/Sync.
func (s *LegacyService) Sync(stream grpc.BidiStreamingServer[Request, Request]) error {
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
		if err := stream.Send(ExampleRequest()); err != nil {
			return err
		}
	}
}
