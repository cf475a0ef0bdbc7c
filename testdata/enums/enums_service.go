// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package enums

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// EnumsService implements gotutor.testdata.enums.Enums.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewEnumsService.
// It embeds DefaultEnumsServer, so that methods the proto gains later answer
// with example values until you write them here.
type EnumsService struct {
	DefaultEnumsServer
}

// NewEnumsService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewEnumsService() *EnumsService {
	return &EnumsService{}
}

// Get handles /gotutor.testdata.enums.Enums/Get.
func (s *EnumsService) Get(ctx context.Context, req *Light) (*Light, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleLight(), nil
}

// List handles /gotutor.testdata.enums.Enums/List.
func (s *EnumsService) List(req *Light_Bulb, stream grpc.ServerStreamingServer[Light_Bulb]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleLight_Bulb()); err != nil {
			return err
		}
	}
	return nil
}

// Record handles /gotutor.testdata.enums.Enums/Record.
func (s *EnumsService) Record(stream grpc.ClientStreamingServer[Reading, Light]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleLight())
		}
		if err != nil {
			return err
		}
	}
}

// Chat handles /gotutor.testdata.enums.Enums/Chat.
func (s *EnumsService) Chat(stream grpc.BidiStreamingServer[Reading, Reading]) error {
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
		if err := stream.Send(ExampleReading()); err != nil {
			return err
		}
	}
}
