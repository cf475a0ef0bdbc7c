package oneport

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"google.golang.org/grpc/codes"

	"github.com/gotutor/gotutor/serve"
)

// callRecord is what is learned of an HTTP request on its way: when it
// began, whether the proxy logged it already, and when its body had to be
// read by (bodies), and whether it was.
type callRecord struct {
	start        time.Time
	logged       bool
	bodyDeadline time.Time
	bodyRead     atomic.Bool
}

type recordKey struct{}

// recordOf returns the callRecord of the request of ctx, or a new one.
func recordOf(ctx context.Context) *callRecord {
	if rec, ok := ctx.Value(recordKey{}).(*callRecord); ok {
		return rec
	}
	return &callRecord{start: time.Now()}
}

// logCall writes the access log's line of a call (serve.LogCall), with the
// trace and span IDs of span (a serve.ProxiedTraceHeader) if it names one,
// and, for a request that did not reach the gRPC server, its HTTP method
// and status.
func logCall(logger *slog.Logger, r *http.Request, span, method string, start time.Time, code codes.Code, httpStatus int) {
	var extra []slog.Attr
	if httpStatus != 0 {
		extra = []slog.Attr{slog.String("http", r.Method), slog.Int("status", httpStatus)}
	}
	ctx := r.Context()
	if span != "" {
		ctx = serve.WithProxiedTrace(ctx, span)
	}
	serve.LogCall(ctx, logger, method, r.RemoteAddr, code, time.Since(start), extra...)
}

// accessLog logs each HTTP request refused before the proxy passed it on
// to the gRPC server (the proxy logs those, as the gRPC server's access
// log would): by Vanguard, or for a browser's safety (not found, bad
// input, too large...). The pages, and the answers to CORS's preflight
// requests, are not calls: it leaves them out.
func accessLog(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &callRecord{start: time.Now()}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), recordKey{}, rec)))
		if code := sw.rpcCode(); !rec.logged && code != codes.OK {
			logCall(logger, r, "", r.URL.Path, rec.start, code, sw.status)
		}
	})
}

// statusWriter remembers the status of a response and its grpc-status
// header, if any (gRPC-Web's answers of trailers only).
type statusWriter struct {
	http.ResponseWriter
	status     int
	grpcStatus string
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status, w.grpcStatus = status, w.Header().Get("Grpc-Status")
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

// Flush flushes the response, if the writer below can.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap returns the writer below, for http.ResponseController.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// rpcCode is the code of the response: its grpc-status, or the code of its
// HTTP status as Connect and REST map codes to statuses.
func (w *statusWriter) rpcCode() codes.Code {
	if w.grpcStatus != "" {
		if n, err := strconv.Atoi(w.grpcStatus); err == nil {
			return codes.Code(n)
		}
		return codes.Unknown
	}
	switch status := w.status; {
	case status == 0 || status < 300:
		return codes.OK
	case status < 400:
		return codes.OK // a redirection
	case status == http.StatusUnauthorized:
		return codes.Unauthenticated
	case status == http.StatusForbidden:
		return codes.PermissionDenied
	case status == http.StatusNotFound:
		return codes.NotFound
	case status == http.StatusMethodNotAllowed, status == http.StatusNotImplemented:
		return codes.Unimplemented
	case status == http.StatusRequestTimeout, status == http.StatusGatewayTimeout:
		return codes.DeadlineExceeded
	case status == http.StatusConflict:
		return codes.Aborted
	case status == http.StatusRequestEntityTooLarge, status == http.StatusTooManyRequests:
		return codes.ResourceExhausted
	case status == 499:
		return codes.Canceled
	case status < 500:
		return codes.InvalidArgument
	case status == http.StatusServiceUnavailable:
		return codes.Unavailable
	}
	return codes.Internal
}
