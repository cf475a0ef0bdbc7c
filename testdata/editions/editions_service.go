// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package editions

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// EditionsService implements gotutor.testdata.editions.Editions.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewEditionsService.
// It embeds DefaultEditionsServer, so that methods the proto gains later
// answer with example values until you write them here.
type EditionsService struct {
	DefaultEditionsServer
}

// NewEditionsService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewEditionsService() *EditionsService {
	return &EditionsService{}
}

// Get handles /gotutor.testdata.editions.Editions/Get.
func (s *EditionsService) Get(ctx context.Context, req *Item) (*Item, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleItem(), nil
}

// List handles /gotutor.testdata.editions.Editions/List.
func (s *EditionsService) List(req *Item, stream grpc.ServerStreamingServer[Item]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleItem()); err != nil {
			return err
		}
	}
	return nil
}

// Put handles /gotutor.testdata.editions.Editions/Put.
func (s *EditionsService) Put(stream grpc.ClientStreamingServer[Item, Summary]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleSummary())
		}
		if err != nil {
			return err
		}
	}
}

// Mirror handles /gotutor.testdata.editions.Editions/Mirror.
func (s *EditionsService) Mirror(stream grpc.BidiStreamingServer[Summary, Summary]) error {
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
		if err := stream.Send(ExampleSummary()); err != nil {
			return err
		}
	}
}
