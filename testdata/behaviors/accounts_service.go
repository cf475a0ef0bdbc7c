// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package behaviors

import (
	"context"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// AccountsService implements gotutor.testdata.behaviors.Accounts.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewAccountsService.
// It embeds DefaultAccountsServer, so that methods the proto gains later
// answer with example values until you write them here.
type AccountsService struct {
	DefaultAccountsServer
}

// NewAccountsService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewAccountsService() *AccountsService {
	return &AccountsService{}
}

// Create takes an Account and answers with it: the two examples differ.
func (s *AccountsService) Create(ctx context.Context, req *Account) (*Account, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleAccountForResponse(), nil
}

// Watch handles /gotutor.testdata.behaviors.Accounts/Watch.
func (s *AccountsService) Watch(req *Account, stream grpc.ServerStreamingServer[Account]) error {
	// A server-streaming call: send any number of responses, then return nil
	// to end the stream. Stop early when the client has gone away.
	for range 3 {
		if err := stream.Context().Err(); err != nil {
			return status.FromContextError(err).Err()
		}
		if err := stream.Send(ExampleAccountForResponse()); err != nil {
			return err
		}
	}
	return nil
}

// Upload handles /gotutor.testdata.behaviors.Accounts/Upload.
func (s *AccountsService) Upload(stream grpc.ClientStreamingServer[Account, Receipt]) error {
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

// Sync handles /gotutor.testdata.behaviors.Accounts/Sync.
func (s *AccountsService) Sync(stream grpc.BidiStreamingServer[Receipt, Receipt]) error {
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
		if err := stream.Send(ExampleReceipt()); err != nil {
			return err
		}
	}
}
