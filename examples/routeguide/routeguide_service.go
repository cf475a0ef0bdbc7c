// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package routeguide

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// RouteGuideService implements routeguide.RouteGuide.
//
// Interface exported by the server.
//
// This file is yours: write the methods, and give the servicer the fields it needs (a database, clients of other services), set up in NewRouteGuideService. It embeds DefaultRouteGuideServer, so that methods the proto gains later answer with example values until you write them here.
type RouteGuideService struct {
	DefaultRouteGuideServer
}

// NewRouteGuideService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewRouteGuideService() *RouteGuideService {
	return &RouteGuideService{}
}

// A simple RPC.
//
// Obtains the feature at a given position.
//
// A feature with an empty name is returned if there's no feature at the given
// position.
func (s *RouteGuideService) GetFeature(ctx context.Context, req *Point) (*Feature, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleFeature(), nil
}

// A server-to-client streaming RPC.
//
// Obtains the Features available within the given Rectangle.  Results are
// streamed rather than returned at once (e.g. in a response message with a
// repeated field), as the rectangle may cover a large area and contain a
// huge number of features.
func (s *RouteGuideService) ListFeatures(req *Rectangle, stream grpc.ServerStreamingServer[Feature]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleFeature()); err != nil {
			return err
		}
	}
	return nil
}

// A client-to-server streaming RPC.
//
// Accepts a stream of Points on a route being traversed, returning a
// RouteSummary when traversal is completed.
func (s *RouteGuideService) RecordRoute(stream grpc.ClientStreamingServer[Point, RouteSummary]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleRouteSummary())
		}
		if err != nil {
			return err
		}
	}
}

// A Bidirectional streaming RPC.
//
// Accepts a stream of RouteNotes sent while a route is being traversed,
// while receiving other RouteNotes (e.g. from other users).
func (s *RouteGuideService) RouteChat(stream grpc.BidiStreamingServer[RouteNote, RouteNote]) error {
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
		if err := stream.Send(ExampleRouteNote()); err != nil {
			return err
		}
	}
}
