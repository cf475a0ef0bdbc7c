// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package validnumbers

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// CheckerService implements gotutor.testdata.validnumbers.Checker.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewCheckerService.
// It embeds DefaultCheckerServer, so that methods the proto gains later answer
// with example values until you write them here.
type CheckerService struct {
	DefaultCheckerServer
}

// NewCheckerService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewCheckerService() *CheckerService {
	return &CheckerService{}
}

// Check handles /gotutor.testdata.validnumbers.Checker/Check.
func (s *CheckerService) Check(ctx context.Context, req *Numbers) (*Others, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleOthers(), nil
}

// Stream handles /gotutor.testdata.validnumbers.Checker/Stream.
func (s *CheckerService) Stream(req *Others, stream grpc.ServerStreamingServer[Numbers]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleNumbers()); err != nil {
			return err
		}
	}
	return nil
}

// Collect handles /gotutor.testdata.validnumbers.Checker/Collect.
func (s *CheckerService) Collect(stream grpc.ClientStreamingServer[Numbers, Others]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleOthers())
		}
		if err != nil {
			return err
		}
	}
}

// Echo handles /gotutor.testdata.validnumbers.Checker/Echo.
func (s *CheckerService) Echo(stream grpc.BidiStreamingServer[Others, Numbers]) error {
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
		if err := stream.Send(ExampleNumbers()); err != nil {
			return err
		}
	}
}
