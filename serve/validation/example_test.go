package validation_test

import (
	"fmt"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/status"

	"github.com/gotutor/gotutor/serve/validation"
)

// Check answers a request that breaks its buf.validate rules with
// codes.InvalidArgument and a google.rpc.BadRequest detail naming each
// field. The requests here are messages of rulesFile, whose name must not be
// empty and whose count must be positive.
func ExampleCheck() {
	fmt.Println(validation.Check(newRequest("gopher", 1)))

	st := status.Convert(validation.Check(newRequest("", 0)))
	fmt.Println(st.Code())
	for _, detail := range st.Details() {
		if bad, ok := detail.(*errdetails.BadRequest); ok {
			for _, v := range bad.GetFieldViolations() {
				fmt.Printf("%s: %s\n", v.GetField(), v.GetDescription())
			}
		}
	}
	// Output:
	// <nil>
	// InvalidArgument
	// name: must be at least 1 characters
	// count: must be greater than 0
}
