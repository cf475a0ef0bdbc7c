// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package services

import (
	"io"

	"google.golang.org/grpc"
)

// BetaService implements Beta.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewBetaService.
// It embeds DefaultBetaServer, so that methods the proto gains later answer
// with example values until you write them here.
type BetaService struct {
	DefaultBetaServer
}

// NewBetaService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewBetaService() *BetaService {
	return &BetaService{}
}

// Send handles /Beta/Send.
func (s *BetaService) Send(stream grpc.ClientStreamingServer[Job, Result]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleResult())
		}
		if err != nil {
			return err
		}
	}
}

// Talk handles /Beta/Talk.
func (s *BetaService) Talk(stream grpc.BidiStreamingServer[Job, Result]) error {
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
		if err := stream.Send(ExampleResult()); err != nil {
			return err
		}
	}
}
