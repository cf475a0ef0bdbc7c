// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package resources

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// LibraryService implements gotutor.testdata.resources.v1.Library.
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

// GetBook is also GET /v1/shelves/*/books/* over REST.
func (s *LibraryService) GetBook(ctx context.Context, req *GetBookRequest) (*Book, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleBook(), nil
}

// ListBooks handles /gotutor.testdata.resources.v1.Library/ListBooks.
func (s *LibraryService) ListBooks(req *ListBooksRequest, stream grpc.ServerStreamingServer[Book]) error {
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

// ImportBooks handles /gotutor.testdata.resources.v1.Library/ImportBooks.
func (s *LibraryService) ImportBooks(stream grpc.ClientStreamingServer[Book, Shelf]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleShelf())
		}
		if err != nil {
			return err
		}
	}
}

// MoveBooks handles /gotutor.testdata.resources.v1.Library/MoveBooks.
func (s *LibraryService) MoveBooks(stream grpc.BidiStreamingServer[MoveBookRequest, Book]) error {
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
		if err := stream.Send(ExampleBook()); err != nil {
			return err
		}
	}
}
