// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package hybrid

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// CatalogService implements gotutor.testdata.hybrid.Catalog.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewCatalogService.
// It embeds DefaultCatalogServer, so that methods the proto gains later answer
// with example values until you write them here.
type CatalogService struct {
	DefaultCatalogServer
}

// NewCatalogService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewCatalogService() *CatalogService {
	return &CatalogService{}
}

// GetItem handles /gotutor.testdata.hybrid.Catalog/GetItem.
func (s *CatalogService) GetItem(ctx context.Context, req *Item) (*Item, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleItem(), nil
}

// ListItems handles /gotutor.testdata.hybrid.Catalog/ListItems.
func (s *CatalogService) ListItems(req *Query, stream grpc.ServerStreamingServer[Item]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleItem()); err != nil {
			return err
		}
	}
	return nil
}

// AddItems handles /gotutor.testdata.hybrid.Catalog/AddItems.
func (s *CatalogService) AddItems(stream grpc.ClientStreamingServer[Item, Query]) error {
	// A client-streaming call: receive requests until the client closes its
	// side (io.EOF), then answer once with SendAndClose.
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(ExampleQuery())
		}
		if err != nil {
			return err
		}
	}
}

// Sync handles /gotutor.testdata.hybrid.Catalog/Sync.
func (s *CatalogService) Sync(stream grpc.BidiStreamingServer[Query, Item]) error {
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
		if err := stream.Send(ExampleItem()); err != nil {
			return err
		}
	}
}
