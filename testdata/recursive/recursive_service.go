// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package recursive

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// RecursiveService implements gotutor.testdata.recursive.Recursive.
//
// This file is yours: write the methods, and give the servicer the
// fields it needs (a database, clients of other services), set up in
// NewRecursiveService. It embeds DefaultRecursiveServer, so that methods the
// proto gains later answer with example values until you write them here.
type RecursiveService struct {
	DefaultRecursiveServer
}

// NewRecursiveService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewRecursiveService() *RecursiveService {
	return &RecursiveService{}
}

// Grow handles /gotutor.testdata.recursive.Recursive/Grow.
func (s *RecursiveService) Grow(ctx context.Context, req *Tree) (*Tree, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleTree(), nil
}

// Evaluate handles /gotutor.testdata.recursive.Recursive/Evaluate.
func (s *RecursiveService) Evaluate(req *Expr, stream grpc.ServerStreamingServer[Expr]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleExpr()); err != nil {
			return err
		}
	}
	return nil
}

// Build handles /gotutor.testdata.recursive.Recursive/Build.
func (s *RecursiveService) Build(stream grpc.ClientStreamingServer[Graph_Node, Graph]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleGraph())
		}
		if err != nil {
			return err
		}
	}
}

// Walk handles /gotutor.testdata.recursive.Recursive/Walk.
func (s *RecursiveService) Walk(stream grpc.BidiStreamingServer[Tree, Graph_Node]) error {
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
		if err := stream.Send(ExampleGraph_Node()); err != nil {
			return err
		}
	}
}
