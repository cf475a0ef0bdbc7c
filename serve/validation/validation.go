// Package validation checks the requests of a gRPC service against their
// buf.validate rules (protovalidate), before the servicer sees them. The
// code that protoc-gen-gotutor generates for a service whose requests have
// rules uses it: the server main, through its serve.Service's Options, and
// the test helper, through the service's Validate function.
//
// It is apart from package serve so that servers without rules do not link
// protovalidate and its CEL interpreter, and so that a service's Go package
// can use it without linking the server's plumbing.
package validation

import (
	"context"
	"errors"
	"strings"

	"buf.build/go/protovalidate"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// Check returns nil when req meets its buf.validate rules (or is not a
// protobuf message), else an error with codes.InvalidArgument whose status
// carries each violation (field path and message) in a google.rpc.BadRequest
// detail. A rule that cannot be evaluated gives codes.Internal.
func Check(req any) error {
	msg, ok := req.(proto.Message)
	if !ok {
		return nil
	}
	err := protovalidate.Validate(msg)
	var invalid *protovalidate.ValidationError
	if !errors.As(err, &invalid) {
		if err != nil {
			return status.Errorf(codes.Internal, "checking the request: %v", err)
		}
		return nil
	}
	detail := &errdetails.BadRequest{}
	for _, v := range invalid.Violations {
		detail.FieldViolations = append(detail.FieldViolations, &errdetails.BadRequest_FieldViolation{
			Field:       protovalidate.FieldPathString(v.Proto.GetField()),
			Description: v.Proto.GetMessage(),
		})
	}
	st, detailErr := status.New(codes.InvalidArgument, err.Error()).WithDetails(detail)
	if detailErr != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	return st.Err()
}

// ServerOptions returns the server options that install Interceptors for
// the named service.
func ServerOptions(service string) []grpc.ServerOption {
	unary, stream := Interceptors(service)
	return []grpc.ServerOption{grpc.ChainUnaryInterceptor(unary), grpc.ChainStreamInterceptor(stream)}
}

// Interceptors return the interceptors that check, with Check, each request
// of the named service (its full name, "shop.v1.Orders") that a unary
// method gets and each message that a stream receives. A request that
// breaks a rule is answered with its error; the servicer never sees it.
// Calls of other services pass unchecked.
func Interceptors(service string) (grpc.UnaryServerInterceptor, grpc.StreamServerInterceptor) {
	prefix := "/" + service + "/"
	unary := func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if strings.HasPrefix(info.FullMethod, prefix) {
			if err := Check(req); err != nil {
				return nil, err
			}
		}
		return handler(ctx, req)
	}
	stream := func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		if strings.HasPrefix(info.FullMethod, prefix) {
			ss = checkedStream{ss}
		}
		return handler(srv, ss)
	}
	return unary, stream
}

// checkedStream checks each message that a stream receives.
type checkedStream struct {
	grpc.ServerStream
}

func (s checkedStream) RecvMsg(m any) error {
	if err := s.ServerStream.RecvMsg(m); err != nil {
		return err
	}
	return Check(m)
}
