package oneport

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/gotutor/gotutor/serve"
)

// proxy passes each call that Vanguard turned into gRPC on to the gRPC
// server, over an in-memory HTTP/2 connection, and its answer back. The
// call's context is its client's: a client that goes away cancels it. A
// call that fails on the way gets a gRPC status (writeStatus), which
// Vanguard turns into the client's protocol: never a connection cut.
type proxy struct {
	transport http.RoundTripper
	logger    *slog.Logger
}

// newProxy returns a proxy to the gRPC server that serves on lis.
func newProxy(dial func(context.Context) (net.Conn, error), logger *slog.Logger) *proxy {
	var h2c http.Protocols
	h2c.SetUnencryptedHTTP2(true)
	return &proxy{
		transport: &http.Transport{
			Protocols:   &h2c,
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) { return dial(ctx) },
		},
		logger: logger,
	}
}

// closeIdle closes the proxy's connections to the gRPC server that carry
// no call.
func (p *proxy) closeIdle() {
	if t, ok := p.transport.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
}

// bufPool holds the buffers through which responses are copied.
var bufPool = sync.Pool{New: func() any { return new([32 << 10]byte) }}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// gRPC's server ends the call at its deadline (Vanguard turned the
	// protocol's into grpc-timeout); the proxy learns it to tell a call
	// ended by it.
	var deadline time.Time
	if timeout, ok := grpcTimeout(r.Header.Get("Grpc-Timeout")); ok {
		deadline = time.Now().Add(timeout)
	}
	out := r.Clone(r.Context())
	out.URL.Scheme, out.URL.Host, out.Host, out.RequestURI = "http", "in-memory", "", ""
	removeHopHeaders(out.Header)
	out.Header.Set(serve.ProxiedPeerHeader, r.RemoteAddr)
	body := &recordingBody{ReadCloser: r.Body}
	if r.Body != nil && r.Body != http.NoBody {
		out.Body = body
	}
	// The call's line in the access log, once its end is known and before
	// its client learns it.
	rec, code, span := recordOf(r.Context()), codes.Unknown, ""
	defer func() {
		logCall(p.logger, r, span, r.URL.Path, rec.start, code, 0)
		rec.logged = true
	}()
	resp, err := p.transport.RoundTrip(out)
	if err != nil {
		st := p.failed(r, deadline, body.failure(), err)
		code = st.Code()
		writeStatus(w, st)
		return
	}
	defer resp.Body.Close()
	// An answer of trailers only has them in its headers.
	if c, ok := readEnd(resp.Header); ok {
		code = c
	}
	// The call's span, for the log, not for the client.
	span = resp.Header.Get(serve.ProxiedTraceHeader)
	resp.Header.Del(serve.ProxiedTraceHeader)
	h := w.Header()
	for k, v := range resp.Header {
		h[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	buf := bufPool.Get().(*[32 << 10]byte)
	defer bufPool.Put(buf)
	for {
		n, err := resp.Body.Read(buf[:])
		if n > 0 {
			if _, err := w.Write(buf[:n]); err != nil {
				// The client is gone, or Vanguard ended the call.
				if r.Context().Err() != nil {
					code = codes.Canceled
				}
				return
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			// The call broke off: its status in trailers.
			st := p.failed(r, deadline, body.failure(), err)
			code = st.Code()
			h.Set(http.TrailerPrefix+"Grpc-Status", strconv.Itoa(int(st.Code())))
			h.Set(http.TrailerPrefix+"Grpc-Message", percentEncode(st.Message()))
			return
		}
	}
	if c, ok := readEnd(resp.Trailer); ok {
		code = c
	}
	for k, v := range resp.Trailer {
		h[http.TrailerPrefix+k] = v
	}
}

// failed returns the status of call r that broke off with err, reading
// its request body failed with bodyErr (or nil): the body's fault, the
// client gone, the deadline past, or else the server stopped or unable to
// take the call (Unavailable, logged).
func (p *proxy) failed(r *http.Request, deadline time.Time, bodyErr, err error) *status.Status {
	if bodyErr != nil {
		return bodyStatus(bodyErr)
	}
	rec := recordOf(r.Context())
	switch {
	case !rec.bodyDeadline.IsZero() && !rec.bodyRead.Load() && !time.Now().Before(rec.bodyDeadline):
		return bodyStatus(os.ErrDeadlineExceeded)
	case r.Context().Err() != nil:
		return status.New(codes.Canceled, "the client went away")
	case !deadline.IsZero() && !time.Now().Before(deadline):
		return status.New(codes.DeadlineExceeded, "the call's deadline passed")
	}
	p.logger.LogAttrs(r.Context(), slog.LevelWarn, "proxy error", slog.String("method", r.URL.Path), slog.String("peer", r.RemoteAddr), slog.String("error", err.Error()))
	return status.New(codes.Unavailable, "the server could not take the call, or ended it: "+err.Error())
}

// bodyStatus is the status of a call whose request body could not be read
// because of err.
func bodyStatus(err error) *status.Status {
	var tooLarge *http.MaxBytesError
	var connectErr *connect.Error
	switch {
	case errors.As(err, &tooLarge):
		return status.Newf(codes.ResourceExhausted, "the request is larger than %d bytes", tooLarge.Limit)
	case errors.Is(err, os.ErrDeadlineExceeded):
		return status.New(codes.DeadlineExceeded, "the request's body did not arrive in time")
	case errors.As(err, &connectErr):
		// Vanguard's, from reading the request.
		return status.New(codes.Code(connectErr.Code()), connectErr.Message())
	case errors.Is(err, io.ErrUnexpectedEOF):
		return status.New(codes.InvalidArgument, "the request's body ended early")
	}
	return status.New(codes.Canceled, "the request's body could not be read: "+err.Error())
}

// recordingBody is a request body that remembers the first error of its
// reads but io.EOF.
//
// It also hides io.EOF from a read that returned bytes. Vanguard's body of
// a stream of requests returns the envelope of an empty message together
// with io.EOF, though more messages may follow; the HTTP/2 transport would
// end the stream there, and the gRPC server would never see the rest of
// the client's stream. The next read returns io.EOF again if the body has
// truly ended.
type recordingBody struct {
	io.ReadCloser
	mu  sync.Mutex
	err error
}

func (b *recordingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 && err == io.EOF {
		return n, nil
	}
	if err != nil && err != io.EOF {
		b.mu.Lock()
		if b.err == nil {
			b.err = err
		}
		b.mu.Unlock()
	}
	return n, err
}

func (b *recordingBody) failure() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// hopHeaders are the headers of one HTTP connection, which the proxy does
// not pass on.
var hopHeaders = []string{"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Trailer", "Transfer-Encoding", "Upgrade"}

// removeHopHeaders removes from h the headers of one HTTP connection, and
// those that its Connection header names; it keeps "Te: trailers", which
// gRPC wants.
func removeHopHeaders(h http.Header) {
	for _, v := range h["Connection"] {
		for name := range strings.SplitSeq(v, ",") {
			if name = textproto.TrimString(name); name != "" {
				h.Del(name)
			}
		}
	}
	for _, name := range hopHeaders {
		h.Del(name)
	}
	if te := h.Get("Te"); te != "" && te != "trailers" {
		h.Set("Te", "trailers")
	}
}

// grpcTimeout parses a grpc-timeout: at most 8 digits and a unit (H, M, S,
// m, u, n).
func grpcTimeout(v string) (time.Duration, bool) {
	if len(v) < 2 || len(v) > 9 {
		return 0, false
	}
	n, err := strconv.ParseInt(v[:len(v)-1], 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	unit, ok := map[byte]time.Duration{'H': time.Hour, 'M': time.Minute, 'S': time.Second, 'm': time.Millisecond, 'u': time.Microsecond, 'n': time.Nanosecond}[v[len(v)-1]]
	if !ok {
		return 0, false
	}
	return time.Duration(n) * unit, true
}

// Messages of gRPC's server, with codes.Internal, for requests that a
// client's bad input caused: a message that does not decode (through
// Vanguard, a binary one: Vanguard decodes JSON itself), and none at all
// (an empty JSON body).
const (
	undecodable      = "grpc: failed to unmarshal the received message"
	undecodableOlder = "grpc: error unmarshalling request"
	noMessage        = "cardinality violation: received no request message"
)

// readEnd reads the status of a call in h, the trailers of the gRPC
// server's answer (or its headers, for an answer of trailers only), if it
// has one. A status of gRPC's that is Internal but comes of a client's bad
// input becomes InvalidArgument, in h too.
func readEnd(h http.Header) (codes.Code, bool) {
	s := h.Get("Grpc-Status")
	if s == "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return codes.Unknown, true
	}
	code, msg := codes.Code(n), h.Get("Grpc-Message")
	if code == codes.Internal {
		switch {
		case strings.HasPrefix(msg, noMessage):
			code, msg = codes.InvalidArgument, percentEncode("the request has no message: an empty body (send {} for an empty message)")
		case strings.HasPrefix(msg, undecodable), strings.HasPrefix(msg, undecodableOlder):
			code = codes.InvalidArgument
		}
		h.Set("Grpc-Status", strconv.Itoa(int(code)))
		h.Set("Grpc-Message", msg)
	}
	return code, true
}
