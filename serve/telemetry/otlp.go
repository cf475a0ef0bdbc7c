package telemetry

import (
	"context"
	"fmt"
	"math"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/grpc/encoding"
	grpcproto "google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// exporter is the span exporter of Start: the OTLP exporter of
// OpenTelemetry's otlptrace, except that it writes the spans' protobuf
// itself, into one buffer it keeps from batch to batch.
//
// Why: a traced server makes a span of every call, and otlptrace's
// exporter turns each into a tree of a dozen generated messages (the span,
// each attribute's KeyValue and AnyValue, its status) before they are
// marshaled, about 1.6 KB in 27 allocations a span (BenchmarkExport),
// garbage at once. At thousands of calls a second that garbage, more than
// the work, is what tracing costs the server (cmd/benchserver -tracing).
//
// The bytes go out through otlptrace's own client (otlptracegrpc's or
// otlptracehttp's), so that every OTEL_EXPORTER_OTLP_* variable keeps its
// meaning: endpoint, headers, TLS, compression, timeout and retries. The
// client takes ResourceSpans messages; each one this exporter hands it is
// empty but for its unknown fields, which hold the encoded ResourceSpans,
// and which protobuf writes out as they are. The encoding is otlptrace's
// (tracetransform's), field for field; TestExporterEncodesAsOTLP decodes
// both and compares them.
type exporter struct {
	client otlptrace.Client

	mu     sync.Mutex
	buf    []byte                   // the batch's encoding, reused
	groups []spanGroup              // the batch's spans by resource and scope, reused
	ends   []int                    // where each resource's encoding ends in buf
	msgs   []*tracepb.ResourceSpans // the messages handed to client, reused
	stop   sync.Once
	err    error
}

// spanGroup is the spans of a batch that share a resource and a scope, in
// the order they came.
type spanGroup struct {
	resource *resource.Resource
	key      attribute.Distinct
	scope    instrumentation.Scope
	spans    []sdktrace.ReadOnlySpan
}

// newExporter starts client and returns the exporter that sends through it.
func newExporter(ctx context.Context, client otlptrace.Client) (*exporter, error) {
	if err := client.Start(ctx); err != nil {
		return nil, err
	}
	return &exporter{client: client}, nil
}

// ExportSpans sends spans, as otlptrace's exporter does.
func (e *exporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	msgs := e.encode(spans)
	if len(msgs) == 0 {
		return nil
	}
	// The client has written the messages out when UploadTraces returns,
	// retries included: buf is free again after it.
	if err := e.client.UploadTraces(ctx, msgs); err != nil {
		return fmt.Errorf("traces export: %w", err)
	}
	return nil
}

// Shutdown stops the client, once.
func (e *exporter) Shutdown(ctx context.Context) error {
	e.stop.Do(func() { e.err = e.client.Stop(ctx) })
	return e.err
}

// encode groups spans as OTLP does, by resource (the first seen first)
// then by scope, and returns one ResourceSpans message for each resource,
// whose unknown fields are its encoding in e.buf.
func (e *exporter) encode(spans []sdktrace.ReadOnlySpan) []*tracepb.ResourceSpans {
	groups := e.groups[:0]
	for _, s := range spans {
		if s == nil {
			continue
		}
		res, scope := s.Resource(), s.InstrumentationScope()
		key := res.Equivalent()
		i := 0
		for i < len(groups) && (groups[i].key != key || groups[i].scope != scope) {
			i++
		}
		if i == len(groups) {
			if i < cap(groups) {
				groups = groups[:i+1]
				groups[i] = spanGroup{resource: res, key: key, scope: scope, spans: groups[i].spans[:0]}
			} else {
				groups = append(groups, spanGroup{resource: res, key: key, scope: scope})
			}
		}
		groups[i].spans = append(groups[i].spans, s)
	}
	b, ends := e.buf[:0], e.ends[:0]
	done := make([]bool, len(groups)) // small: one per resource and scope
	for i := range groups {
		if done[i] {
			continue
		}
		// A ResourceSpans: the resource, then each of its scopes' spans.
		b = appendResource(b, groups[i].resource)
		for j := i; j < len(groups); j++ {
			if done[j] || groups[j].key != groups[i].key {
				continue
			}
			done[j] = true
			b = appendScopeSpans(b, &groups[j])
		}
		if groups[i].resource != nil {
			b = appendString(b, 3, groups[i].resource.SchemaURL())
		}
		ends = append(ends, len(b))
	}
	for i := range groups {
		clear(groups[i].spans) // let the spans go
	}
	e.buf, e.groups, e.ends = b, groups, ends
	for len(e.msgs) < len(ends) {
		e.msgs = append(e.msgs, new(tracepb.ResourceSpans))
	}
	msgs := e.msgs[:len(ends)]
	start := 0
	for i, end := range ends {
		msgs[i].ProtoReflect().SetUnknown(b[start:end:end])
		start = end
	}
	return msgs
}

// appendResource appends a ResourceSpans' resource field: absent for a
// nil resource, as otlptrace has it.
func appendResource(b []byte, res *resource.Resource) []byte {
	if res == nil {
		return b
	}
	b, start := open(b, 1)
	b = appendKeyValues(b, 1, res.Iter())
	return closeAt(b, start)
}

// appendScopeSpans appends a ResourceSpans' scope_spans field for g.
func appendScopeSpans(b []byte, g *spanGroup) []byte {
	b, start := open(b, 2)
	if g.scope != (instrumentation.Scope{}) {
		var scope int
		b, scope = open(b, 1)
		b = appendString(b, 1, g.scope.Name)
		b = appendString(b, 2, g.scope.Version)
		b = appendKeyValues(b, 3, g.scope.Attributes.Iter())
		b = closeAt(b, scope)
	}
	for _, s := range g.spans {
		var span int
		b, span = open(b, 2)
		b = appendSpan(b, s)
		b = closeAt(b, span)
	}
	b = appendString(b, 3, g.scope.SchemaURL)
	return closeAt(b, start)
}

// appendSpan appends the fields of s as an OTLP Span.
func appendSpan(b []byte, s sdktrace.ReadOnlySpan) []byte {
	sc := s.SpanContext()
	tid, sid := sc.TraceID(), sc.SpanID()
	b = appendBytes(b, 1, tid[:])
	b = appendBytes(b, 2, sid[:])
	b = appendString(b, 3, sc.TraceState().String())
	parent := s.Parent()
	if psid := parent.SpanID(); psid.IsValid() {
		b = appendBytes(b, 4, psid[:])
	}
	b = appendString(b, 5, s.Name())
	b = appendVarint(b, 6, uint64(spanKind(s.SpanKind())))
	b = appendFixed64(b, 7, unixNano(s.StartTime().UnixNano()))
	b = appendFixed64(b, 8, unixNano(s.EndTime().UnixNano()))
	b = appendKeyValueSlice(b, 9, s.Attributes())
	b = appendVarint(b, 10, uint64(clampUint32(s.DroppedAttributes())))
	for _, ev := range s.Events() {
		var event int
		b, event = open(b, 11)
		b = appendFixed64(b, 1, unixNano(ev.Time.UnixNano()))
		b = appendString(b, 2, ev.Name)
		b = appendKeyValueSlice(b, 3, ev.Attributes)
		b = appendVarint(b, 4, uint64(clampUint32(ev.DroppedAttributeCount)))
		b = closeAt(b, event)
	}
	b = appendVarint(b, 12, uint64(clampUint32(s.DroppedEvents())))
	for _, l := range s.Links() {
		var link int
		b, link = open(b, 13)
		ltid, lsid := l.SpanContext.TraceID(), l.SpanContext.SpanID()
		b = appendBytes(b, 1, ltid[:])
		b = appendBytes(b, 2, lsid[:])
		b = appendKeyValueSlice(b, 4, l.Attributes)
		b = appendVarint(b, 5, uint64(clampUint32(l.DroppedAttributeCount)))
		b = appendFixed32(b, 6, spanFlags(l.SpanContext.TraceFlags(), l.SpanContext))
		b = closeAt(b, link)
	}
	b = appendVarint(b, 14, uint64(clampUint32(s.DroppedLinks())))
	// The status is always there, if empty.
	st := s.Status()
	b, status := open(b, 15)
	b = appendString(b, 2, st.Description)
	b = appendVarint(b, 3, uint64(statusCode(st.Code)))
	b = closeAt(b, status)
	return appendFixed32(b, 16, spanFlags(sc.TraceFlags(), parent))
}

// appendKeyValues appends a repeated KeyValue field num of the attributes
// of it.
func appendKeyValues(b []byte, num protowire.Number, it attribute.Iterator) []byte {
	for it.Next() {
		b = appendKeyValue(b, num, it.Attribute())
	}
	return b
}

// appendKeyValueSlice is appendKeyValues of a slice.
func appendKeyValueSlice(b []byte, num protowire.Number, kvs []attribute.KeyValue) []byte {
	for _, kv := range kvs {
		b = appendKeyValue(b, num, kv)
	}
	return b
}

// appendKeyValue appends kv as a KeyValue field num.
func appendKeyValue(b []byte, num protowire.Number, kv attribute.KeyValue) []byte {
	b, start := open(b, num)
	b = appendString(b, 1, string(kv.Key))
	b, value := open(b, 2)
	b = appendAnyValue(b, kv.Value)
	b = closeAt(b, value)
	return closeAt(b, start)
}

// appendAnyValue appends the fields of v as an AnyValue: one member of its
// oneof, written even when it is the zero value (an empty value has none).
func appendAnyValue(b []byte, v attribute.Value) []byte {
	const (
		stringValue = 1
		boolValue   = 2
		intValue    = 3
		doubleValue = 4
		arrayValue  = 5
		kvlistValue = 6
		bytesValue  = 7
	)
	switch v.Type() {
	case attribute.EMPTY:
		return b
	case attribute.BOOL:
		return appendBool(b, boolValue, v.AsBool())
	case attribute.INT64:
		b = protowire.AppendTag(b, intValue, protowire.VarintType)
		return protowire.AppendVarint(b, uint64(v.AsInt64()))
	case attribute.FLOAT64:
		b = protowire.AppendTag(b, doubleValue, protowire.Fixed64Type)
		return protowire.AppendFixed64(b, math.Float64bits(v.AsFloat64()))
	case attribute.STRING:
		b = protowire.AppendTag(b, stringValue, protowire.BytesType)
		return protowire.AppendString(b, v.AsString())
	case attribute.BYTESLICE:
		b = protowire.AppendTag(b, bytesValue, protowire.BytesType)
		return protowire.AppendBytes(b, v.AsByteSlice())
	case attribute.MAP:
		b, list := open(b, kvlistValue)
		b = appendKeyValueSlice(b, 1, v.AsMap())
		return closeAt(b, list)
	case attribute.BOOLSLICE, attribute.INT64SLICE, attribute.FLOAT64SLICE, attribute.STRINGSLICE, attribute.SLICE:
		b, array := open(b, arrayValue)
		b = appendArray(b, v)
		return closeAt(b, array)
	}
	// A type this exporter does not know, as otlptrace writes it.
	b = protowire.AppendTag(b, stringValue, protowire.BytesType)
	return protowire.AppendString(b, "INVALID")
}

// appendArray appends the elements of the slice v as the values of an
// ArrayValue.
func appendArray(b []byte, v attribute.Value) []byte {
	switch v.Type() {
	case attribute.BOOLSLICE:
		return appendElements(b, v.AsBoolSlice(), attribute.BoolValue)
	case attribute.INT64SLICE:
		return appendElements(b, v.AsInt64Slice(), attribute.Int64Value)
	case attribute.FLOAT64SLICE:
		return appendElements(b, v.AsFloat64Slice(), attribute.Float64Value)
	case attribute.STRINGSLICE:
		return appendElements(b, v.AsStringSlice(), attribute.StringValue)
	case attribute.SLICE:
		return appendElements(b, v.AsSlice(), func(x attribute.Value) attribute.Value { return x })
	}
	return b
}

// appendElements appends each of xs, as value makes it an attribute
// value, as one of an ArrayValue's values.
func appendElements[T any](b []byte, xs []T, value func(T) attribute.Value) []byte {
	for _, x := range xs {
		b = appendElement(b, value(x))
	}
	return b
}

// appendElement appends v as one of an ArrayValue's values.
func appendElement(b []byte, v attribute.Value) []byte {
	b, start := open(b, 1)
	b = appendAnyValue(b, v)
	return closeAt(b, start)
}

// open appends the tag of the message field num and returns where the
// field's content is to start; closeAt puts its length before it.
func open(b []byte, num protowire.Number) ([]byte, int) {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return b, len(b)
}

// closeAt ends the message field whose content began at start (open):
// it inserts the content's length, as a varint, before the content. The
// content is moved by the length's size, a few bytes; encoding the sizes
// first would walk every span twice.
func closeAt(b []byte, start int) []byte {
	n := len(b) - start
	k := protowire.SizeVarint(uint64(n))
	for range k {
		b = append(b, 0)
	}
	copy(b[start+k:], b[start:start+n])
	protowire.AppendVarint(b[start:start], uint64(n))
	return b
}

// The scalar fields below are left out when they hold the zero value, as
// proto3 marshals them.

func appendString(b []byte, num protowire.Number, s string) []byte {
	return appendNonZero(b, num, protowire.BytesType, s, protowire.AppendString)
}

func appendVarint(b []byte, num protowire.Number, v uint64) []byte {
	return appendNonZero(b, num, protowire.VarintType, v, protowire.AppendVarint)
}

func appendFixed64(b []byte, num protowire.Number, v uint64) []byte {
	return appendNonZero(b, num, protowire.Fixed64Type, v, protowire.AppendFixed64)
}

func appendFixed32(b []byte, num protowire.Number, v uint32) []byte {
	return appendNonZero(b, num, protowire.Fixed32Type, v, protowire.AppendFixed32)
}

// appendNonZero appends the field num of wire type typ holding v, written
// by appendValue, unless v is the zero value.
func appendNonZero[T comparable](b []byte, num protowire.Number, typ protowire.Type, v T, appendValue func([]byte, T) []byte) []byte {
	var zero T
	if v == zero {
		return b
	}
	return appendValue(protowire.AppendTag(b, num, typ), v)
}

func appendBytes(b []byte, num protowire.Number, v []byte) []byte {
	if len(v) == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

// appendBool appends a bool even when false: it is only used for a member
// of AnyValue's oneof.
func appendBool(b []byte, num protowire.Number, v bool) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, protowire.EncodeBool(v))
}

// unixNano is a time for OTLP: nanoseconds since 1970, none before.
func unixNano(ns int64) uint64 { return uint64(max(0, ns)) }

// clampUint32 is a count for OTLP: none below 0, at most MaxUint32.
func clampUint32(v int) uint32 {
	return uint32(min(max(v, 0), math.MaxUint32))
}

// spanFlags is OTLP's flags of a span or link: the W3C trace flags, the
// bit that says whether the parent is remote is known, and that bit.
func spanFlags(flags trace.TraceFlags, parent trace.SpanContext) uint32 {
	v := uint32(flags) | uint32(tracepb.SpanFlags_SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK)
	if parent.IsRemote() {
		v |= uint32(tracepb.SpanFlags_SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK)
	}
	return v
}

// statusCode is OTLP's code of a span's status.
func statusCode(c codes.Code) tracepb.Status_StatusCode {
	switch c {
	case codes.Ok:
		return tracepb.Status_STATUS_CODE_OK
	case codes.Error:
		return tracepb.Status_STATUS_CODE_ERROR
	}
	return tracepb.Status_STATUS_CODE_UNSET
}

// spanKind is OTLP's kind of a span.
func spanKind(k trace.SpanKind) tracepb.Span_SpanKind {
	switch k {
	case trace.SpanKindInternal:
		return tracepb.Span_SPAN_KIND_INTERNAL
	case trace.SpanKindServer:
		return tracepb.Span_SPAN_KIND_SERVER
	case trace.SpanKindClient:
		return tracepb.Span_SPAN_KIND_CLIENT
	case trace.SpanKindProducer:
		return tracepb.Span_SPAN_KIND_PRODUCER
	case trace.SpanKindConsumer:
		return tracepb.Span_SPAN_KIND_CONSUMER
	}
	return tracepb.Span_SPAN_KIND_UNSPECIFIED
}

// exportCodec is the codec of the OTLP/gRPC exporter's connection
// (otlptracegrpc.WithDialOption): grpc's proto codec, except that a
// request is marshaled into a buffer that the codec keeps for the next
// one. grpc's own takes a buffer of the request's size from grpc's pool,
// which clears it first, and which the garbage collector empties: a batch
// of 512 spans is about 100 KB, so that each export cleared, and often
// allocated, 128 KB anew. Its Name and Unmarshal are grpc's codec's.
type exportCodec struct {
	encoding.CodecV2
	buffers *keptBuffers
}

func newExportCodec() exportCodec {
	return exportCodec{CodecV2: encoding.GetCodecV2(grpcproto.Name), buffers: new(keptBuffers)}
}

func (c exportCodec) Marshal(v any) (mem.BufferSlice, error) {
	m, ok := v.(proto.Message)
	if !ok {
		return nil, fmt.Errorf("proto: cannot marshal a %T, which is not a proto.Message", v)
	}
	buf := c.buffers.Get(0)
	b, err := proto.MarshalOptions{}.MarshalAppend((*buf)[:0], m)
	if err != nil {
		c.buffers.Put(buf)
		return nil, err
	}
	*buf = b
	return mem.BufferSlice{mem.NewBuffer(buf, c.buffers)}, nil
}

// keptBuffers is a mem.BufferPool of the few buffers of exportCodec. They
// are not cleared: each is written over from its start, and only what is
// written is sent.
type keptBuffers struct {
	mu   sync.Mutex
	free []*[]byte
}

// maxKeptBuffers is how many free buffers keptBuffers keeps: the exporter
// sends one request at a time, and grpc may hold one while it retries.
const maxKeptBuffers = 2

func (p *keptBuffers) Get(n int) *[]byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.free) > 0 {
		buf := p.free[len(p.free)-1]
		p.free = p.free[:len(p.free)-1]
		if cap(*buf) >= n {
			*buf = (*buf)[:n]
			return buf
		}
	}
	buf := make([]byte, n)
	return &buf
}

func (p *keptBuffers) Put(buf *[]byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) < maxKeptBuffers {
		p.free = append(p.free, buf)
	}
}
