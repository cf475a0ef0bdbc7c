// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package comments

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// NotesService implements gotutor.testdata.comments.Notes.
//
// Notes keeps notes.
//
// It has a list:
//   - one item,
//   - another item, with `code`;
//
// and numbered steps:
//  1. first
//  2. second
//
// and an indented block of code:
//
//	notes := NewNotesClient(conn)
//	notes.Add(ctx, &Note{Text: "hi"})
//
// Characters that matter elsewhere: {{.Name}} {{end}} %v %% `backticks` */ /*
// <b>html</b> & | # * _ é 世界 \ "quotes".
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewNotesService.
// It embeds DefaultNotesServer, so that methods the proto gains later answer
// with example values until you write them here.
//
// Deprecated: Do not use.
type NotesService struct {
	DefaultNotesServer
}

// NewNotesService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewNotesService() *NotesService {
	return &NotesService{}
}

// Add adds a note.
func (s *NotesService) Add(ctx context.Context, req *Note) (*Note, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleNote(), nil
}

// Block comment on List.
// It spans lines,
//
//	with an indented one.
func (s *NotesService) List(req *Note, stream grpc.ServerStreamingServer[Note]) error {
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

// Old is deprecated; use Add.
//
// Deprecated: Do not use.
func (s *NotesService) Old(stream grpc.ClientStreamingServer[Note, Note]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleNote())
		}
		if err != nil {
			return err
		}
	}
}

// Deprecated: Do not use.
func (s *NotesService) Sync(stream grpc.BidiStreamingServer[Note, Note]) error {
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
