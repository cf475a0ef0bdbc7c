package oneport

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"

	"connectrpc.com/connect"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// writeStatus answers a call that Vanguard passed on with st, as the gRPC
// server would: a response of trailers only, which Vanguard turns into the
// client's protocol.
func writeStatus(w http.ResponseWriter, st *status.Status) {
	h := w.Header()
	h.Set("Content-Type", "application/grpc")
	h.Set("Grpc-Status", strconv.Itoa(int(st.Code())))
	h.Set("Grpc-Message", percentEncode(st.Message()))
	w.WriteHeader(http.StatusOK)
}

// percentEncode encodes a grpc-message: each byte that is not printable
// ASCII, and %, as %XX.
func percentEncode(msg string) string {
	var out []byte
	for i := 0; i < len(msg); i++ {
		c := msg[i]
		if c < ' ' || c > '~' || c == '%' {
			out = fmt.Appendf(out, "%%%02X", c)
			continue
		}
		out = append(out, c)
	}
	return string(out)
}

// errorStatus is the status of a call that the proxy could not pass on
// because of err.
func errorStatus(err error) *status.Status {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return status.Newf(codes.ResourceExhausted, "the request is larger than %d bytes", tooLarge.Limit)
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return status.New(codes.DeadlineExceeded, "the request's body did not arrive in time")
	}
	// Vanguard's own errors, from reading the request.
	var connectErr *connect.Error
	if errors.As(err, &connectErr) {
		return status.New(codes.Code(connectErr.Code()), connectErr.Message())
	}
	return status.New(codes.Unavailable, err.Error())
}
