// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package simplecal

import (
	"context"
	"fmt"
	"math"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// CalService implements Cal: the CalServicer of the fifth document's
// cal_server.py, which adds and multiplies two numbers.
//
// This file is yours: write the methods, and give the servicer the fields it needs (a database, clients of other services), set up in NewCalService. It embeds DefaultCalServer, so that methods the proto gains later answer with example values until you write them here.
type CalService struct {
	DefaultCalServer
}

// NewCalService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewCalService() *CalService {
	return &CalService{}
}

// Add handles /Cal/Add: number1 + number2.
func (s *CalService) Add(ctx context.Context, req *AddRequest) (*ResultReply, error) {
	return result(int64(req.GetNumber1())+int64(req.GetNumber2()), "%d + %d", req.GetNumber1(), req.GetNumber2())
}

// Multiply handles /Cal/Multiply: number1 * number2.
func (s *CalService) Multiply(ctx context.Context, req *MultiplyRequest) (*ResultReply, error) {
	return result(int64(req.GetNumber1())*int64(req.GetNumber2()), "%d * %d", req.GetNumber1(), req.GetNumber2())
}

// result answers n, or OutOfRange when n does not fit ResultReply's int32
// (where the document's Python server fails with UNKNOWN, as protobuf
// refuses to serialize the number).
func result(n int64, format string, a, b int32) (*ResultReply, error) {
	if n < math.MinInt32 || n > math.MaxInt32 {
		return nil, status.Errorf(codes.OutOfRange, "%s = %d does not fit in an int32", fmt.Sprintf(format, a, b), n)
	}
	return &ResultReply{Number: int32(n)}, nil
}
