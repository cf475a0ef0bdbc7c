// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package imports

import (
	"context"
	"io"

	"github.com/gotutor/gotutor/testdata/imports/sub"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// ImporterService implements gotutor.testdata.imports.Importer.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewImporterService.
// It embeds DefaultImporterServer, so that methods the proto gains later
// answer with example values until you write them here.
type ImporterService struct {
	DefaultImporterServer
}

// NewImporterService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewImporterService() *ImporterService {
	return &ImporterService{}
}

// Locate handles /gotutor.testdata.imports.Importer/Locate.
func (s *ImporterService) Locate(ctx context.Context, req *sub.Point) (*sub.Outer, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleImporterOuter(), nil
}

// Trace handles /gotutor.testdata.imports.Importer/Trace.
func (s *ImporterService) Trace(req *Point, stream grpc.ServerStreamingServer[sub.Outer_Inner]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleImporterOuter_Inner()); err != nil {
			return err
		}
	}
	return nil
}

// Gather handles /gotutor.testdata.imports.Importer/Gather.
func (s *ImporterService) Gather(stream grpc.ClientStreamingServer[sub.Point, Shared]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleImporterShared())
		}
		if err != nil {
			return err
		}
	}
}

// Relay handles /gotutor.testdata.imports.Importer/Relay.
func (s *ImporterService) Relay(stream grpc.BidiStreamingServer[Shared, Point]) error {
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
		if err := stream.Send(ExamplePoint()); err != nil {
			return err
		}
	}
}
