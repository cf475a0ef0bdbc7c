// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package simplecal_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/gotutor/gotutor/examples/simplecal"
	"github.com/gotutor/gotutor/examples/simplecal/simplecaltest"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// TestCalService checks the sums and products of the document's calculator,
// 100 and 300 first, and that a result too large for an int32 is an error
// rather than a wrapped number.
func TestCalService(t *testing.T) {
	client := simplecaltest.NewCalClient(t, simplecal.NewCalService())
	cases := []struct {
		a, b           int32
		sum, product   int32
		sumErr, mulErr codes.Code
	}{
		{a: 100, b: 300, sum: 400, product: 30000},
		{a: 0, b: 0, sum: 0, product: 0},
		{a: -7, b: 6, sum: -1, product: -42},
		{a: math.MaxInt32, b: 0, sum: math.MaxInt32, product: 0},
		{a: math.MaxInt32, b: 1, sumErr: codes.OutOfRange, product: math.MaxInt32},
		{a: math.MinInt32, b: -1, sumErr: codes.OutOfRange, mulErr: codes.OutOfRange},
		{a: 65536, b: 32768, sum: 98304, mulErr: codes.OutOfRange},
		{a: -65536, b: 32768, sum: -32768, product: math.MinInt32},
	}
	for _, tc := range cases {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		sum, err := client.Add(ctx, &simplecal.AddRequest{Number1: tc.a, Number2: tc.b})
		switch {
		case status.Code(err) != tc.sumErr:
			t.Errorf("Add(%d, %d): error %v, want code %v", tc.a, tc.b, err, tc.sumErr)
		case err == nil && sum.GetNumber() != tc.sum:
			t.Errorf("Add(%d, %d) = %d, want %d", tc.a, tc.b, sum.GetNumber(), tc.sum)
		}
		product, err := client.Multiply(ctx, &simplecal.MultiplyRequest{Number1: tc.a, Number2: tc.b})
		switch {
		case status.Code(err) != tc.mulErr:
			t.Errorf("Multiply(%d, %d): error %v, want code %v", tc.a, tc.b, err, tc.mulErr)
		case err == nil && product.GetNumber() != tc.product:
			t.Errorf("Multiply(%d, %d) = %d, want %d", tc.a, tc.b, product.GetNumber(), tc.product)
		}
		cancel()
	}
}

// TestCalService_OverflowMessage checks the message of OutOfRange.
func TestCalService_OverflowMessage(t *testing.T) {
	client := simplecaltest.NewCalClient(t, simplecal.NewCalService())
	_, err := client.Multiply(t.Context(), &simplecal.MultiplyRequest{Number1: 65536, Number2: 32768})
	const want = "65536 * 32768 = 2147483648 does not fit in an int32"
	if got := status.Convert(err).Message(); got != want {
		t.Errorf("Multiply(65536, 32768): message %q, want %q", got, want)
	}
}
