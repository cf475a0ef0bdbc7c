// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package validtime

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// TimesService implements gotutor.testdata.validtime.Times.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewTimesService.
// It embeds DefaultTimesServer, so that methods the proto gains later answer
// with example values until you write them here.
type TimesService struct {
	DefaultTimesServer
}

// NewTimesService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewTimesService() *TimesService {
	return &TimesService{}
}

// Schedule handles /gotutor.testdata.validtime.Times/Schedule.
func (s *TimesService) Schedule(ctx context.Context, req *Slot) (*Slot, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleSlot(), nil
}

// Watch handles /gotutor.testdata.validtime.Times/Watch.
func (s *TimesService) Watch(req *Slot, stream grpc.ServerStreamingServer[Slot]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleSlot()); err != nil {
			return err
		}
	}
	return nil
}

// Upload handles /gotutor.testdata.validtime.Times/Upload.
func (s *TimesService) Upload(stream grpc.ClientStreamingServer[Slot, Slot]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleSlot())
		}
		if err != nil {
			return err
		}
	}
}

// Sync handles /gotutor.testdata.validtime.Times/Sync.
func (s *TimesService) Sync(stream grpc.BidiStreamingServer[Slot, Slot]) error {
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
		if err := stream.Send(ExampleSlot()); err != nil {
			return err
		}
	}
}
