// Package otlptest is an OTLP trace receiver in the same process, on
// loopback, for the tests of tracing and the benchmark of its cost: over
// gRPC (StartGRPC, OTLP's port 4317) or HTTP (StartHTTP, http/protobuf,
// POST /v1/traces). It keeps the spans it receives, with their resource's
// attributes, or only counts them (over gRPC, without decoding them).
package otlptest

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	collectorpb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// A Span is one span received, with the attributes of its resource.
type Span struct {
	*tracepb.Span
	Resource map[string]string
}

// Attr returns the span's attribute key as a string (an int as its decimal
// form), or "" if it has none.
func (s Span) Attr(key string) string { return attrs(s.GetAttributes())[key] }

// TraceID and SpanID are the span's IDs in hex; ParentID its parent's, ""
// for a root span.
func (s Span) TraceID() string { return fmt.Sprintf("%x", s.GetTraceId()) }
func (s Span) SpanID() string  { return fmt.Sprintf("%x", s.GetSpanId()) }
func (s Span) ParentID() string {
	if len(s.GetParentSpanId()) == 0 {
		return ""
	}
	return fmt.Sprintf("%x", s.GetParentSpanId())
}

// attrs returns kvs as strings.
func attrs(kvs []*commonpb.KeyValue) map[string]string {
	m := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		switch v := kv.GetValue().GetValue().(type) {
		case *commonpb.AnyValue_StringValue:
			m[kv.GetKey()] = v.StringValue
		case *commonpb.AnyValue_IntValue:
			m[kv.GetKey()] = fmt.Sprint(v.IntValue)
		case *commonpb.AnyValue_BoolValue:
			m[kv.GetKey()] = fmt.Sprint(v.BoolValue)
		default:
			m[kv.GetKey()] = kv.GetValue().String()
		}
	}
	return m
}

// Receiver receives spans until Stop.
type Receiver struct {
	// Endpoint is its URL, for OTEL_EXPORTER_OTLP_ENDPOINT
	// (http://127.0.0.1:PORT).
	Endpoint string

	keep    bool
	mu      sync.Mutex
	spans   []Span
	count   int
	arrived chan struct{} // closed and replaced at each export
	stop    func()
}

// StartGRPC starts a receiver of OTLP over gRPC. With keep, it keeps the
// spans (Spans); without, it only counts them (Count), reading no more of
// each export than it takes to count its spans (the protobuf wire format's
// lengths): it costs the process that it runs in little, as a collector
// on another machine would.
func StartGRPC(keep bool) (*Receiver, error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := newReceiver(lis, keep)
	var server *grpc.Server
	if keep {
		server = grpc.NewServer()
		collectorpb.RegisterTraceServiceServer(server, traceService{r: r})
	} else {
		server = grpc.NewServer(grpc.ForceServerCodecV2(rawCodec{}))
		server.RegisterService(&countingDesc, r)
	}
	go func() { _ = server.Serve(lis) }()
	r.stop = server.Stop
	return r, nil
}

// countingDesc is OTLP's trace service, whose Export only counts the spans
// of the request's bytes.
var countingDesc = grpc.ServiceDesc{
	ServiceName: "opentelemetry.proto.collector.trace.v1.TraceService",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{MethodName: "Export", Handler: func(srv any, _ context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
		var req []byte
		if err := dec(&req); err != nil {
			return nil, err
		}
		n, err := countSpans(req)
		if err != nil {
			return nil, status.Errorf(codes.InvalidArgument, "not an OTLP export: %v", err)
		}
		r := srv.(*Receiver)
		r.mu.Lock()
		r.count += n
		close(r.arrived)
		r.arrived = make(chan struct{})
		r.mu.Unlock()
		// An empty ExportTraceServiceResponse.
		return &[]byte{}, nil
	}}},
}

// rawCodec passes messages as their bytes (*[]byte) unread.
type rawCodec struct{}

func (rawCodec) Name() string { return "proto" }

func (rawCodec) Marshal(v any) (mem.BufferSlice, error) {
	b, ok := v.(*[]byte)
	if !ok {
		return nil, fmt.Errorf("rawCodec: %T", v)
	}
	return mem.BufferSlice{mem.SliceBuffer(*b)}, nil
}

func (rawCodec) Unmarshal(data mem.BufferSlice, v any) error {
	b, ok := v.(*[]byte)
	if !ok {
		return fmt.Errorf("rawCodec: %T", v)
	}
	*b = data.Materialize()
	return nil
}

// countSpans counts the spans of an ExportTraceServiceRequest in its wire
// form: resource_spans (1), their scope_spans (2), their spans (2).
func countSpans(b []byte) (int, error) {
	n := 0
	err := fields(b, 1, func(rs []byte) error {
		return fields(rs, 2, func(ss []byte) error {
			return fields(ss, 2, func([]byte) error { n++; return nil })
		})
	})
	return n, err
}

// fields calls f with each field num of the message b, of the type bytes,
// skipping the others.
func fields(b []byte, num protowire.Number, f func([]byte) error) error {
	for len(b) > 0 {
		n, typ, l := protowire.ConsumeTag(b)
		if l < 0 {
			return protowire.ParseError(l)
		}
		b = b[l:]
		if n == num && typ == protowire.BytesType {
			v, l := protowire.ConsumeBytes(b)
			if l < 0 {
				return protowire.ParseError(l)
			}
			if err := f(v); err != nil {
				return err
			}
			b = b[l:]
			continue
		}
		l = protowire.ConsumeFieldValue(n, typ, b)
		if l < 0 {
			return protowire.ParseError(l)
		}
		b = b[l:]
	}
	return nil
}

// StartHTTP starts a receiver of OTLP over HTTP (http/protobuf), like
// StartGRPC.
func StartHTTP(keep bool) (*Receiver, error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := newReceiver(lis, keep)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/traces", func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		var export collectorpb.ExportTraceServiceRequest
		if err == nil {
			err = proto.Unmarshal(body, &export)
		}
		if err != nil || req.Header.Get("Content-Type") != "application/x-protobuf" {
			http.Error(w, fmt.Sprintf("not an OTLP export (%s): %v", req.Header.Get("Content-Type"), err), http.StatusBadRequest)
			return
		}
		r.received(&export)
		resp, _ := proto.Marshal(&collectorpb.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(resp)
	})
	server := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = server.Serve(lis) }()
	r.stop = func() { _ = server.Close() }
	return r, nil
}

func newReceiver(lis net.Listener, keep bool) *Receiver {
	return &Receiver{Endpoint: "http://" + lis.Addr().String(), keep: keep, arrived: make(chan struct{})}
}

// Stop stops the receiver.
func (r *Receiver) Stop() { r.stop() }

type traceService struct {
	collectorpb.UnimplementedTraceServiceServer
	r *Receiver
}

func (s traceService) Export(_ context.Context, req *collectorpb.ExportTraceServiceRequest) (*collectorpb.ExportTraceServiceResponse, error) {
	s.r.received(req)
	return &collectorpb.ExportTraceServiceResponse{}, nil
}

// received keeps or counts the spans of req.
func (r *Receiver) received(req *collectorpb.ExportTraceServiceRequest) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rs := range req.GetResourceSpans() {
		var resource map[string]string
		if r.keep {
			resource = attrs(rs.GetResource().GetAttributes())
		}
		for _, ss := range rs.GetScopeSpans() {
			r.count += len(ss.GetSpans())
			if r.keep {
				for _, span := range ss.GetSpans() {
					r.spans = append(r.spans, Span{Span: span, Resource: resource})
				}
			}
		}
	}
	close(r.arrived)
	r.arrived = make(chan struct{})
}

// Count returns how many spans arrived so far.
func (r *Receiver) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.count
}

// Spans returns the spans kept so far, in the order they arrived.
func (r *Receiver) Spans() []Span {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Span(nil), r.spans...)
}

// Wait waits until n spans have arrived in all, or timeout passes, and
// returns the spans kept (Spans).
func (r *Receiver) Wait(n int, timeout time.Duration) []Span {
	deadline := time.After(timeout)
	for {
		r.mu.Lock()
		count, arrived := r.count, r.arrived
		r.mu.Unlock()
		if count >= n {
			return r.Spans()
		}
		select {
		case <-arrived:
		case <-deadline:
			return r.Spans()
		}
	}
}
