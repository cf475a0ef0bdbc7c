package oneport

import (
	"io"
	"math"
	"mime"
	"net/http"
	"strings"
	"time"

	"google.golang.org/grpc"

	"github.com/gotutor/gotutor/serve"
)

// bufferLimit is the most that Vanguard buffers of one message, in bytes,
// and the most that a request of one message may send: twice the larger
// of -max-recv-msg-size and -max-send-msg-size, since the JSON of a
// message is larger than its binary form, but no less than 64 KiB. gRPC
// checks the limits exactly once a message is binary.
func bufferLimit(c *serve.Config) int64 {
	return min(max(2*int64(max(c.MaxRecvMsgSize, c.MaxSendMsgSize)), 64<<10), math.MaxUint32)
}

// envelopeLen is the length of the prefix of each message of gRPC-Web and
// of Connect's streams: a flag byte and the length of the message.
const envelopeLen = 5

// clientStreams returns the paths ("/pkg.Service/Method") of the methods
// of server whose client streams: their requests may carry any number of
// messages, and no bound on a body fits them.
func clientStreams(server *grpc.Server) map[string]bool {
	streams := map[string]bool{}
	for name, info := range server.GetServiceInfo() {
		for _, m := range info.Methods {
			if m.IsClientStream {
				streams["/"+name+"/"+m.Name] = true
			}
		}
	}
	return streams
}

// enveloped reports whether the content type of r is that of a protocol
// whose body is a stream of enveloped messages (Connect's streams, gRPC-Web
// and gRPC); the others' body (Connect's unary calls, REST) is one
// message.
func enveloped(r *http.Request) bool {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return strings.HasPrefix(mediaType, "application/connect+") || strings.HasPrefix(mediaType, "application/grpc")
}

// oneMessage reports whether the body of r carries one message at most:
// anything but a call of a method of streams (clientStreams) in an
// enveloped protocol.
func oneMessage(r *http.Request, streams map[string]bool) bool {
	return !enveloped(r) || !streams[r.URL.Path]
}

// hasBody reports whether r has a body, which may still turn out empty
// when its length is unknown.
func hasBody(r *http.Request) bool {
	return r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0
}

// bodies bounds the body of each request of one message (oneMessage): in
// size, to limit and its envelope (reading past it, or a body whose
// Content-Length says more, fails with *http.MaxBytesError, which the proxy
// answers with ResourceExhausted), and in time, to timeout (0: none; past
// it, reading fails with os.ErrDeadlineExceeded, answered with
// DeadlineExceeded). Vanguard bounds each message of the other requests.
func bodies(limit int64, timeout time.Duration, streams map[string]bool, next http.Handler) http.Handler {
	limit += envelopeLen
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hasBody(r) && oneMessage(r, streams) {
			if r.ContentLength > limit {
				r.Body = tooLarge{r.Body, limit}
			} else {
				// The server's own writer, which learns from the reader when
				// the body is too large: it then closes the connection once
				// the client has read the answer.
				r.Body = http.MaxBytesReader(innermost(w), r.Body, limit)
			}
			if timeout > 0 {
				rc, deadline := http.NewResponseController(w), time.Now().Add(timeout)
				if rc.SetReadDeadline(deadline) == nil {
					rec := recordOf(r.Context())
					rec.bodyDeadline = deadline
					r.Body = &deadlineBody{r.Body, rc, rec}
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// deadlineBody is a body read under a deadline, which it clears once read
// whole (and records so in rec): over HTTP/1, the server goes on reading
// the connection to learn whether the client goes away, and a deadline
// past would pass for that. (Over HTTP/1, a read past the deadline
// cancels the request's context, as a client gone away does: rec tells
// the two apart.)
type deadlineBody struct {
	io.ReadCloser
	rc  *http.ResponseController
	rec *callRecord
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.rec.bodyRead.Store(true)
		_ = b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

// innermost returns the writer below w and the writers that wrap it.
func innermost(w http.ResponseWriter) http.ResponseWriter {
	for {
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return w
		}
		w = u.Unwrap()
	}
}

// tooLarge is a body whose Content-Length is over the limit: it fails
// without reading, so that nothing waits for bytes that will be refused.
type tooLarge struct {
	io.ReadCloser
	limit int64
}

func (b tooLarge) Read([]byte) (int, error) { return 0, &http.MaxBytesError{Limit: b.limit} }
