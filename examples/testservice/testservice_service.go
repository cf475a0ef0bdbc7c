// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package testservice

import (
	"context"
)

// TestServiceService implements example.TestService.
//
// This file is yours: write the methods, and give the servicer the fields it needs (a database, clients of other services), set up in NewTestServiceService. It embeds DefaultTestServiceServer, so that methods the proto gains later answer with example values until you write them here.
type TestServiceService struct {
	DefaultTestServiceServer
}

// NewTestServiceService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewTestServiceService() *TestServiceService {
	return &TestServiceService{}
}

// method tells which client called: a request1 of "java-request1" is
// answered with "res1-java-client->py-server" twice, any other request
// with "f1" and "fn1".
//
// This is the SearchService.method of the document's Python server.
func (s *TestServiceService) Method(ctx context.Context, req *Request) (*Result, error) {
	if req.GetRequest1() == JavaRequest1 {
		return &Result{Result1: JavaResult, Result2: JavaResult}, nil
	}
	return &Result{Result1: "f1", Result2: "fn1"}, nil
}

const (
	// JavaRequest1 is the request1 that the document's Java client sends.
	JavaRequest1 = "java-request1"
	// JavaResult is both results of the answer to the Java client.
	JavaResult = "res1-java-client->py-server"
)
