// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package edition2024

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// LibraryService implements gotutor.testdata.edition2024.Library.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewLibraryService.
// It embeds DefaultLibraryServer, so that methods the proto gains later answer
// with example values until you write them here.
type LibraryService struct {
	DefaultLibraryServer
}

// NewLibraryService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewLibraryService() *LibraryService {
	return &LibraryService{}
}

// Lend lends a book.
func (s *LibraryService) Lend(ctx context.Context, req *Loan) (*Loan, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleLoan(), nil
}

// Browse handles /gotutor.testdata.edition2024.Library/Browse.
func (s *LibraryService) Browse(req *Shelf, stream grpc.ServerStreamingServer[Book]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleBook()); err != nil {
			return err
		}
	}
	return nil
}

// Return handles /gotutor.testdata.edition2024.Library/Return.
func (s *LibraryService) Return(stream grpc.ClientStreamingServer[Book, Loan]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleLoan())
		}
		if err != nil {
			return err
		}
	}
}

// Talk handles /gotutor.testdata.edition2024.Library/Talk.
func (s *LibraryService) Talk(stream grpc.BidiStreamingServer[Loan, Shelf]) error {
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
		if err := stream.Send(ExampleShelf()); err != nil {
			return err
		}
	}
}
