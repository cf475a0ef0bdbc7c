// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package echo

import (
	"context"
)

// EchoService implements echo.Echo.
//
// The echo service definition.
//
// This file is yours: write the methods, and give the servicer the fields it needs (a database, clients of other services), set up in NewEchoService. It embeds DefaultEchoServer, so that methods the proto gains later answer with example values until you write them here.
type EchoService struct {
	DefaultEchoServer
}

// NewEchoService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewEchoService() *EchoService {
	return &EchoService{}
}

// Echo back reply.
//
// It answers "You said: <message>", as the Echoer of the article's
// repository does.
func (s *EchoService) Reply(ctx context.Context, req *EchoRequest) (*EchoReply, error) {
	return &EchoReply{Message: "You said: " + req.GetMessage()}, nil
}
