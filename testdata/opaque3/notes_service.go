// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package opaque3

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// NotesService implements gotutor.testdata.opaque3.Notes.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewNotesService.
// It embeds DefaultNotesServer, so that methods the proto gains later answer
// with example values until you write them here.
type NotesService struct {
	DefaultNotesServer
}

// NewNotesService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewNotesService() *NotesService {
	return &NotesService{}
}

// Write handles /gotutor.testdata.opaque3.Notes/Write.
func (s *NotesService) Write(ctx context.Context, req *Note) (*Note, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleNote(), nil
}

// Read handles /gotutor.testdata.opaque3.Notes/Read.
func (s *NotesService) Read(req *Filter, stream grpc.ServerStreamingServer[Note]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleNote()); err != nil {
			return err
		}
	}
	return nil
}

// Import handles /gotutor.testdata.opaque3.Notes/Import.
func (s *NotesService) Import(stream grpc.ClientStreamingServer[Note, Filter]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleFilter())
		}
		if err != nil {
			return err
		}
	}
}

// Edit handles /gotutor.testdata.opaque3.Notes/Edit.
func (s *NotesService) Edit(stream grpc.BidiStreamingServer[Note, Note]) error {
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
		if err := stream.Send(ExampleNote()); err != nil {
			return err
		}
	}
}
