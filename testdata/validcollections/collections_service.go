// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package validcollections

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// CollectionsService implements gotutor.testdata.validcollections.Collections.
//
// This file is yours: write the methods, and give the servicer the
// fields it needs (a database, clients of other services), set up in
// NewCollectionsService. It embeds DefaultCollectionsServer, so that methods
// the proto gains later answer with example values until you write them here.
type CollectionsService struct {
	DefaultCollectionsServer
}

// NewCollectionsService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewCollectionsService() *CollectionsService {
	return &CollectionsService{}
}

// Check handles /gotutor.testdata.validcollections.Collections/Check.
func (s *CollectionsService) Check(ctx context.Context, req *Lists) (*Choices, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleChoices(), nil
}

// Stream handles /gotutor.testdata.validcollections.Collections/Stream.
func (s *CollectionsService) Stream(req *Choices, stream grpc.ServerStreamingServer[Lists]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleLists()); err != nil {
			return err
		}
	}
	return nil
}

// Collect handles /gotutor.testdata.validcollections.Collections/Collect.
func (s *CollectionsService) Collect(stream grpc.ClientStreamingServer[Lists, Choices]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleChoices())
		}
		if err != nil {
			return err
		}
	}
}

// Echo handles /gotutor.testdata.validcollections.Collections/Echo.
func (s *CollectionsService) Echo(stream grpc.BidiStreamingServer[Choices, Lists]) error {
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
		if err := stream.Send(ExampleLists()); err != nil {
			return err
		}
	}
}
