// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package validstrings

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// StringsService implements gotutor.testdata.validstrings.Strings.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewStringsService.
// It embeds DefaultStringsServer, so that methods the proto gains later answer
// with example values until you write them here.
type StringsService struct {
	DefaultStringsServer
}

// NewStringsService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewStringsService() *StringsService {
	return &StringsService{}
}

// Check handles /gotutor.testdata.validstrings.Strings/Check.
func (s *StringsService) Check(ctx context.Context, req *Texts) (*Formats, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleFormats(), nil
}

// Stream handles /gotutor.testdata.validstrings.Strings/Stream.
func (s *StringsService) Stream(req *Formats, stream grpc.ServerStreamingServer[Texts]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleTexts()); err != nil {
			return err
		}
	}
	return nil
}

// Collect handles /gotutor.testdata.validstrings.Strings/Collect.
func (s *StringsService) Collect(stream grpc.ClientStreamingServer[Texts, Formats]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleFormats())
		}
		if err != nil {
			return err
		}
	}
}

// Echo handles /gotutor.testdata.validstrings.Strings/Echo.
func (s *StringsService) Echo(stream grpc.BidiStreamingServer[Formats, Texts]) error {
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
		if err := stream.Send(ExampleTexts()); err != nil {
			return err
		}
	}
}
