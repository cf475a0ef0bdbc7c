package oneport

import (
	"fmt"
	"net/http"
	"strconv"

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
