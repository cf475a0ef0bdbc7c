package serve

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"

	"github.com/gotutor/gotutor/serve/telemetry"
)

// Interceptors returns the interceptors that every server main uses,
// outermost first: the access log (a line per call: method, peer, status
// code, duration; at info, warn when the call failed, debug for an OK
// health check), which answers
// InvalidArgument to a request whose message NewServer's codec could not
// decode, and panic recovery (a panic becomes codes.Internal, logged with its stack, and the
// server goes on). The calls that a OnePortFunc passes on from HTTP over
// the in-memory connection (ProxyAddr, naming their client in
// ProxiedPeerHeader) it logs itself, with those that it refuses before
// they reach a method, in the same form: the access log leaves them out,
// and names to it the span of each, if tracing is on, in
// ProxiedTraceHeader.
func Interceptors(logger *slog.Logger) ([]grpc.UnaryServerInterceptor, []grpc.StreamServerInterceptor) {
	unary := []grpc.UnaryServerInterceptor{
		func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
			start := time.Now()
			defer func() { logAccess(ctx, logger, info.FullMethod, start, err) }()
			if telemetry.On() {
				if md := proxiedTrace(ctx); md != nil {
					_ = grpc.SetHeader(ctx, md)
				}
			}
			if err := checkDecoded(req); err != nil {
				return nil, err
			}
			return handler(ctx, req)
		},
		func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
			defer func() {
				if r := recover(); r != nil {
					err = recovered(ctx, logger, info.FullMethod, r)
				}
			}()
			return handler(ctx, req)
		},
	}
	stream := []grpc.StreamServerInterceptor{
		func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
			start := time.Now()
			defer func() { logAccess(ss.Context(), logger, info.FullMethod, start, err) }()
			if telemetry.On() {
				if md := proxiedTrace(ss.Context()); md != nil {
					_ = ss.SetHeader(md)
				}
			}
			return handler(srv, decodeChecked{ss})
		},
		func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = recovered(ss.Context(), logger, info.FullMethod, r)
				}
			}()
			return handler(srv, ss)
		},
	}
	return unary, stream
}

// requestCodec is gRPC's proto codec, but for a request whose message does
// not decode: gRPC would answer it Internal before any interceptor runs, so
// that it would reach no access log. requestCodec keeps the error in
// undecodable instead, for the interceptors (checkDecoded) to answer
// InvalidArgument, as the other protocols do, and log.
type requestCodec struct{ encoding.CodecV2 }

// undecodable maps each message that did not decode to the error, from the
// codec's Unmarshal until the interceptors take it, right after.
var undecodable sync.Map

func (c requestCodec) Unmarshal(data mem.BufferSlice, v any) error {
	if err := c.CodecV2.Unmarshal(data, v); err != nil {
		undecodable.Store(v, err)
	}
	return nil
}

// checkDecoded returns InvalidArgument if msg, a request, did not decode.
func checkDecoded(msg any) error {
	if err, ok := undecodable.LoadAndDelete(msg); ok {
		return status.Errorf(codes.InvalidArgument, "the request's message does not decode: %v", err)
	}
	return nil
}

// decodeChecked is a stream whose requests are checked by checkDecoded.
type decodeChecked struct{ grpc.ServerStream }

func (s decodeChecked) RecvMsg(m any) error {
	if err := s.ServerStream.RecvMsg(m); err != nil {
		return err
	}
	return checkDecoded(m)
}

// logAccess logs one call when it ends, as LogCall does.
func logAccess(ctx context.Context, logger *slog.Logger, method string, start time.Time, err error) {
	addr := "unknown"
	if p, ok := peer.FromContext(ctx); ok && p.Addr != nil {
		addr = p.Addr.String()
	}
	if addr == ProxyAddr && proxied(ctx) {
		// A call of another protocol, which the HTTP server passed on over
		// the in-memory connection, naming its client: the HTTP server
		// logs it.
		return
	}
	LogCall(ctx, logger, method, addr, status.Code(err), time.Since(start))
}

// proxied says whether the call of ctx is one that a OnePortFunc passed
// on: over the in-memory connection, naming its client.
func proxied(ctx context.Context) bool {
	if p, ok := peer.FromContext(ctx); !ok || p.Addr == nil || p.Addr.String() != ProxyAddr {
		return false
	}
	md, ok := metadata.FromIncomingContext(ctx)
	return ok && len(md.Get(ProxiedPeerHeader)) == 1
}

// ProxiedTraceHeader is the header of its answer in which the gRPC server
// names the span of a call that a OnePortFunc passed on to it (see
// ProxiedPeerHeader), when the call has one (tracing is on): its trace ID
// and span ID in hex, joined by a dash. The OnePortFunc takes it out of
// the answer and logs the call with them (WithProxiedTrace).
const ProxiedTraceHeader = "gotutor-trace"

// proxiedTrace returns the header that names the span of ctx's call to the
// OnePortFunc that passed it on, or nil: for a call without a span, or
// not passed on.
func proxiedTrace(ctx context.Context) metadata.MD {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() || !proxied(ctx) {
		return nil
	}
	return metadata.Pairs(ProxiedTraceHeader, sc.TraceID().String()+"-"+sc.SpanID().String())
}

// WithProxiedTrace returns ctx with the span that value, a
// ProxiedTraceHeader, names, for LogCall to log; ctx itself when value
// names none.
func WithProxiedTrace(ctx context.Context, value string) context.Context {
	traceHex, spanHex, ok := strings.Cut(value, "-")
	if !ok {
		return ctx
	}
	traceID, err := trace.TraceIDFromHex(traceHex)
	if err != nil {
		return ctx
	}
	spanID, err := trace.SpanIDFromHex(spanHex)
	if err != nil {
		return ctx
	}
	return trace.ContextWithSpanContext(ctx, trace.NewSpanContext(trace.SpanContextConfig{TraceID: traceID, SpanID: spanID}))
}

// LogCall writes the access log's line of one call: its method, peer,
// status code and duration, its trace_id and span_id when the program's
// tracing is on (package serve/telemetry) and ctx has a span, then extra.
// The line is at info, or warn when code is not OK; a health check
// (grpc.health.v1.Health/Check) that is OK is at debug. Interceptors
// write it for native gRPC, and a OnePortFunc for the calls it serves, so
// that every protocol logs the same line.
func LogCall(ctx context.Context, logger *slog.Logger, method, peer string, code codes.Code, duration time.Duration, extra ...slog.Attr) {
	level := slog.LevelInfo
	switch {
	case code != codes.OK:
		level = slog.LevelWarn
	case method == grpc_health_v1.Health_Check_FullMethodName:
		// Load balancers and Kubernetes' probes check every few seconds:
		// at info, their lines would bury the calls.
		level = slog.LevelDebug
	}
	if !logger.Enabled(ctx, level) {
		return
	}
	if telemetry.On() {
		if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
			attrs := append([]slog.Attr{
				slog.String("method", method),
				slog.String("peer", peer),
				slog.String("code", code.String()),
				slog.Duration("duration", duration),
				slog.String("trace_id", sc.TraceID().String()),
				slog.String("span_id", sc.SpanID().String()),
			}, extra...)
			logger.LogAttrs(ctx, level, "call", attrs...)
			return
		}
	}
	attrs := append([]slog.Attr{
		slog.String("method", method),
		slog.String("peer", peer),
		slog.String("code", code.String()),
		slog.Duration("duration", duration),
	}, extra...)
	logger.LogAttrs(ctx, level, "call", attrs...)
}

// recovered logs a panic of a method, with its value and stack, and returns
// the error the client gets: codes.Internal, with a plain message that
// shows nothing of the server's insides.
func recovered(ctx context.Context, logger *slog.Logger, method string, r any) error {
	logger.ErrorContext(ctx, "panic", "method", method, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
	return status.Error(codes.Internal, "internal error")
}
