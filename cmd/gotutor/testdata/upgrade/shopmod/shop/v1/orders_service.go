// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package shopv1

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// OrdersService implements shop.v1.Orders.
//
// Orders takes orders.
//
// This file is yours: write the methods, and give the servicer the fields it needs (a database, clients of other services), set up in NewOrdersService. It embeds DefaultOrdersServer, so that methods the proto gains later answer with example values until you write them here.
type OrdersService struct {
	DefaultOrdersServer
}

// NewOrdersService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewOrdersService() *OrdersService {
	return &OrdersService{}
}

// Place places an order.
func (s *OrdersService) Place(ctx context.Context, req *Order) (*Receipt, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleReceipt(), nil
}

// Watch streams the order's receipts.
func (s *OrdersService) Watch(req *Order, stream grpc.ServerStreamingServer[Receipt]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleReceipt()); err != nil {
			return err
		}
	}
	return nil
}
