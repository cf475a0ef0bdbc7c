// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package apilevels

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// OrdersService implements gotutor.testdata.apilevels.Orders.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewOrdersService.
// It embeds DefaultOrdersServer, so that methods the proto gains later answer
// with example values until you write them here.
type OrdersService struct {
	DefaultOrdersServer
}

// NewOrdersService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewOrdersService() *OrdersService {
	return &OrdersService{}
}

// Place handles /gotutor.testdata.apilevels.Orders/Place.
func (s *OrdersService) Place(ctx context.Context, req *Order) (*Receipt, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleReceipt(), nil
}

// Track handles /gotutor.testdata.apilevels.Orders/Track.
func (s *OrdersService) Track(req *Receipt, stream grpc.ServerStreamingServer[Address]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleAddress()); err != nil {
			return err
		}
	}
	return nil
}

// Upload handles /gotutor.testdata.apilevels.Orders/Upload.
func (s *OrdersService) Upload(stream grpc.ClientStreamingServer[Order, Receipt]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleReceipt())
		}
		if err != nil {
			return err
		}
	}
}

// Chat handles /gotutor.testdata.apilevels.Orders/Chat.
func (s *OrdersService) Chat(stream grpc.BidiStreamingServer[Receipt, Order]) error {
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
		if err := stream.Send(ExampleOrder()); err != nil {
			return err
		}
	}
}
