// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package names

import (
	"context"
)

// FooService_ implements gotutor.testdata.names.Foo.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewFooService.
// It embeds DefaultFooServer_, so that methods the proto gains later answer
// with example values until you write them here.
type FooService_ struct {
	DefaultFooServer_
}

// NewFooService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewFooService() *FooService_ {
	return &FooService_{}
}

// Context handles /gotutor.testdata.names.Foo/Context.
func (s *FooService_) Context(ctx context.Context, req *DefaultFooServer) (*ExampleBar, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleExampleBar(), nil
}

// Error handles /gotutor.testdata.names.Foo/Error.
func (s *FooService_) Error(ctx context.Context, req *FooService) (*Bar, error) {
	// A unary call: one request in, one response out. Return an error made
	// with status.Error to send the client a gRPC status code instead.
	return ExampleBar_(), nil
}
