// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package wkt

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// KnownService implements gotutor.testdata.wkt.Known.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewKnownService.
// It embeds DefaultKnownServer, so that methods the proto gains later answer
// with example values until you write them here.
type KnownService struct {
	DefaultKnownServer
}

// NewKnownService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewKnownService() *KnownService {
	return &KnownService{}
}

// Ping handles /gotutor.testdata.wkt.Known/Ping.
func (s *KnownService) Ping(ctx context.Context, req *emptypb.Empty) (*emptypb.Empty, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleKnownEmpty(), nil
}

// Now handles /gotutor.testdata.wkt.Known/Now.
func (s *KnownService) Now(ctx context.Context, req *emptypb.Empty) (*timestamppb.Timestamp, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleKnownTimestamp(), nil
}

// Describe handles /gotutor.testdata.wkt.Known/Describe.
func (s *KnownService) Describe(ctx context.Context, req *Everything) (*Everything, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleEverything(), nil
}

// Watch handles /gotutor.testdata.wkt.Known/Watch.
func (s *KnownService) Watch(req *wrapperspb.StringValue, stream grpc.ServerStreamingServer[structpb.Struct]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleKnownStruct()); err != nil {
			return err
		}
	}
	return nil
}

// Sum handles /gotutor.testdata.wkt.Known/Sum.
func (s *KnownService) Sum(stream grpc.ClientStreamingServer[durationpb.Duration, durationpb.Duration]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleKnownDuration())
		}
		if err != nil {
			return err
		}
	}
}

// Inspect handles /gotutor.testdata.wkt.Known/Inspect.
func (s *KnownService) Inspect(stream grpc.BidiStreamingServer[anypb.Any, structpb.Value]) error {
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
		if err := stream.Send(ExampleKnownValue()); err != nil {
			return err
		}
	}
}

// Mask handles /gotutor.testdata.wkt.Known/Mask.
func (s *KnownService) Mask(ctx context.Context, req *fieldmaskpb.FieldMask) (*structpb.ListValue, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleKnownListValue(), nil
}
