package telemetry

import (
	"bytes"
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
)

// capture is an otlptrace.Client that keeps what it is asked to upload,
// as the bytes a client would send.
type capture struct{ batches [][][]byte }

func (*capture) Start(context.Context) error { return nil }
func (*capture) Stop(context.Context) error  { return nil }
func (c *capture) UploadTraces(_ context.Context, rs []*tracepb.ResourceSpans) error {
	var batch [][]byte
	for _, m := range rs {
		b, err := proto.Marshal(m)
		if err != nil {
			return err
		}
		batch = append(batch, b)
	}
	c.batches = append(c.batches, batch)
	return nil
}

// decoded is a batch as a receiver reads it, in an order that does not
// depend on the exporter's (otlptrace's comes from a map).
func decoded(t *testing.T, batch [][]byte) []*tracepb.ResourceSpans {
	t.Helper()
	var out []*tracepb.ResourceSpans
	for _, b := range batch {
		m := new(tracepb.ResourceSpans)
		if err := proto.Unmarshal(b, m); err != nil {
			t.Fatalf("the encoding does not decode as a ResourceSpans: %v", err)
		}
		out = append(out, m)
	}
	key := func(m *tracepb.ResourceSpans) []byte {
		b, _ := proto.MarshalOptions{Deterministic: true}.Marshal(m.GetResource())
		return b
	}
	slices.SortFunc(out, func(a, b *tracepb.ResourceSpans) int { return bytes.Compare(key(a), key(b)) })
	return out
}

func text(rs []*tracepb.ResourceSpans) string {
	var b strings.Builder
	for _, m := range rs {
		b.WriteString(prototext.MarshalOptions{Multiline: true}.Format(m))
	}
	return b.String()
}

// everySpanShape is spans with every field of a span and every type of
// attribute set, over two resources and three scopes, one of them empty.
func everySpanShape() []sdktrace.ReadOnlySpan {
	traceID := trace.TraceID{0x4b, 0xf9, 0x2f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}
	state, _ := trace.ParseTraceState("vendor=value,other=x")
	remoteParent := trace.NewSpanContext(trace.SpanContextConfig{TraceID: traceID, SpanID: trace.SpanID{0, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 2, 0xb7}, TraceFlags: trace.FlagsSampled, Remote: true})
	sc := func(id byte) trace.SpanContext {
		return trace.NewSpanContext(trace.SpanContextConfig{TraceID: traceID, SpanID: trace.SpanID{id, 1, 2, 3, 4, 5, 6, 7}, TraceFlags: trace.FlagsSampled, TraceState: state})
	}
	every := []attribute.KeyValue{
		attribute.Bool("bool", true), attribute.Bool("false", false),
		attribute.Int64("int", -42), attribute.Int64("zero", 0),
		attribute.Float64("float", math.Pi), attribute.Float64("nan", math.NaN()),
		attribute.String("string", "héllo"), attribute.String("empty", ""),
		attribute.BoolSlice("bools", []bool{true, false}),
		attribute.Int64Slice("ints", []int64{1, -1, math.MaxInt64}),
		attribute.Float64Slice("floats", []float64{0.5, 0}),
		attribute.StringSlice("strings", []string{"a", ""}),
		attribute.StringSlice("no strings", nil),
		attribute.ByteSlice("bytes", []byte{0, 1, 0xff}),
		attribute.Slice("mixed", attribute.StringValue("x"), attribute.Int64Value(7), attribute.SliceValue(attribute.BoolValue(true))),
		attribute.Map("map", attribute.String("k", "v"), attribute.Map("inner", attribute.Int("n", 1))),
		{Key: "empty value"},
	}
	serverRes := resource.NewWithAttributes("https://opentelemetry.io/schemas/1.26.0", attribute.String("service.name", "tides"), attribute.Int("replica", 2))
	otherRes := resource.NewSchemaless(attribute.String("service.name", "other"))
	grpcScope := instrumentation.Scope{Name: "otelgrpc", Version: "0.72.0", SchemaURL: "https://opentelemetry.io/schemas/1.30.0"}
	userScope := instrumentation.Scope{Name: "mine", Attributes: attribute.NewSet(attribute.String("team", "tides"))}
	start := time.Date(2026, 12, 3, 2, 0, 0, 123456789, time.UTC)
	stubs := []tracetest.SpanStub{
		{
			Name: "harbor.tides.v1.Tides/Predict", SpanContext: sc(1), Parent: remoteParent, SpanKind: trace.SpanKindServer,
			StartTime: start, EndTime: start.Add(1500 * time.Microsecond),
			Attributes: every,
			Events: []sdktrace.Event{
				{Name: "message", Time: start.Add(time.Microsecond), Attributes: []attribute.KeyValue{attribute.Int("message.id", 1)}, DroppedAttributeCount: 2},
				{Name: "", Time: time.Unix(0, 0)},
			},
			Links: []sdktrace.Link{
				{SpanContext: remoteParent, Attributes: []attribute.KeyValue{attribute.String("why", "retry")}, DroppedAttributeCount: 1},
				{SpanContext: sc(9)},
			},
			Status:            sdktrace.Status{Code: codes.Error, Description: "deadline exceeded"},
			DroppedAttributes: 3, DroppedEvents: 4, DroppedLinks: 5,
			Resource: serverRes, InstrumentationScope: grpcScope,
		},
		{Name: "inside", SpanContext: sc(2), Parent: sc(1), SpanKind: trace.SpanKindInternal, StartTime: start, EndTime: start, Status: sdktrace.Status{Code: codes.Ok}, Resource: serverRes, InstrumentationScope: userScope},
		{Name: "second of its scope", SpanContext: sc(3), SpanKind: trace.SpanKindClient, StartTime: start, EndTime: start.Add(time.Second), Resource: serverRes, InstrumentationScope: grpcScope},
		{Name: "other resource", SpanContext: sc(4), SpanKind: trace.SpanKindProducer, Resource: otherRes, InstrumentationScope: grpcScope, DroppedAttributes: -1},
		{Name: "no scope", SpanContext: sc(5), SpanKind: trace.SpanKindConsumer, Resource: serverRes},
		{Name: "no resource", SpanContext: sc(6), StartTime: time.Unix(-5, 0)},
	}
	var spans []sdktrace.ReadOnlySpan
	for _, s := range stubs {
		spans = append(spans, s.Snapshot())
	}
	return spans
}

// TestExporterEncodesAsOTLP checks that the exporter sends what
// otlptrace's exporter sends for the same spans, as a receiver decodes
// them: every field of a span, every type of attribute, spans grouped by
// resource and scope. A second, different batch checks that the reused
// buffers start afresh.
func TestExporterEncodesAsOTLP(t *testing.T) {
	ctx := context.Background()
	spans := everySpanShape()
	batches := [][]sdktrace.ReadOnlySpan{spans, spans[1:3], nil, {nil, spans[0]}}

	want := new(capture)
	official, err := otlptrace.New(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	got := new(capture)
	mine, err := newExporter(ctx, got)
	if err != nil {
		t.Fatal(err)
	}
	for _, batch := range batches {
		if err := official.ExportSpans(ctx, batch); err != nil {
			t.Fatal(err)
		}
		if err := mine.ExportSpans(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	if len(got.batches) != len(want.batches) {
		t.Fatalf("%d uploads, otlptrace made %d", len(got.batches), len(want.batches))
	}
	if len(want.batches) != 3 {
		t.Fatalf("otlptrace made %d uploads of 4 batches, one of them empty; want 3", len(want.batches))
	}
	for i := range want.batches {
		w, g := decoded(t, want.batches[i]), decoded(t, got.batches[i])
		if !slices.EqualFunc(w, g, func(a, b *tracepb.ResourceSpans) bool { return proto.Equal(a, b) }) {
			t.Errorf("upload %d differs from otlptrace's\notlptrace:\n%s\nexporter:\n%s", i, text(w), text(g))
		}
	}
	// The first batch has two resources; the spans of one of them came in
	// three scopes, the empty one included.
	first := decoded(t, got.batches[0])
	if len(first) != 3 {
		t.Errorf("first upload: %d ResourceSpans, want 3 (two resources and none)", len(first))
	}
}

// TestExporterShutdown checks that Shutdown stops the client once.
func TestExporterShutdown(t *testing.T) {
	c := &countingStops{}
	e, err := newExporter(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := e.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if c.stops != 1 {
		t.Errorf("client stopped %d times, want 1", c.stops)
	}
}

type countingStops struct {
	capture
	stops int
}

func (c *countingStops) Stop(context.Context) error { c.stops++; return nil }

// BenchmarkExport compares the exporter with otlptrace's on batches of 512
// spans like a traced server's (otelgrpc's attributes), marshaled as a
// client would: run with -benchmem; the allocations are the point.
func BenchmarkExport(b *testing.B) {
	res := resource.NewSchemaless(attribute.String("service.name", "greeter-server"), attribute.String("telemetry.sdk.language", "go"))
	scope := instrumentation.Scope{Name: "go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc", Version: "0.72.0"}
	start := time.Now()
	spans := make([]sdktrace.ReadOnlySpan, 512)
	for i := range spans {
		spans[i] = tracetest.SpanStub{
			Name:        "helloworld.Greeter/SayHello",
			SpanContext: trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{1, byte(i)}, SpanID: trace.SpanID{2, byte(i)}, TraceFlags: trace.FlagsSampled}),
			SpanKind:    trace.SpanKindServer, StartTime: start, EndTime: start.Add(time.Millisecond),
			Attributes: []attribute.KeyValue{
				attribute.String("rpc.system.name", "grpc"), attribute.String("rpc.method", "helloworld.Greeter/SayHello"),
				attribute.String("server.address", "127.0.0.1"), attribute.Int("server.port", 50051),
				attribute.String("network.peer.address", "127.0.0.1"), attribute.Int("network.peer.port", 40000+i),
				attribute.String("rpc.response.status_code", "OK"),
			},
			Resource: res, InstrumentationScope: scope,
		}.Snapshot()
	}
	ctx := context.Background()
	official, _ := otlptrace.New(ctx, discardClient{})
	mine, _ := newExporter(ctx, discardClient{})
	for _, e := range []struct {
		name string
		sdktrace.SpanExporter
	}{{"otlptrace", official}, {"gotutor", mine}} {
		b.Run(e.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := e.ExportSpans(ctx, spans); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(spans)), "ns/span")
		})
	}
}

// discardClient marshals what it is given into a buffer it reuses, as a
// client's codec does, and sends nothing.
type discardClient struct{}

var discardBuf []byte

func (discardClient) Start(context.Context) error { return nil }
func (discardClient) Stop(context.Context) error  { return nil }
func (discardClient) UploadTraces(_ context.Context, rs []*tracepb.ResourceSpans) error {
	var err error
	for _, m := range rs {
		discardBuf, err = proto.MarshalOptions{}.MarshalAppend(discardBuf[:0], m)
	}
	return err
}

// TestExportCodec checks that the codec's requests are protobuf's bytes,
// that a buffer freed by grpc is reused for the next, written over whole,
// and that what it sends decodes.
func TestExportCodec(t *testing.T) {
	codec := newExportCodec()
	big := &tracepb.Span{Name: strings.Repeat("long name ", 500)}
	small := &tracepb.Span{Name: "short"}
	var first *byte
	for i, m := range []*tracepb.Span{big, small, big} {
		data, err := codec.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := proto.Marshal(m)
		got := data.Materialize()
		if !bytes.Equal(got, want) {
			t.Fatalf("message %d: marshaled as %d bytes unlike protobuf's %d", i, len(got), len(want))
		}
		back := new(tracepb.Span)
		if err := codec.Unmarshal(data, back); err != nil || !proto.Equal(back, m) {
			t.Fatalf("message %d does not decode back: %v", i, err)
		}
		if i == 0 {
			first = &data[0].ReadOnlyData()[0]
		} else if p := &data[0].ReadOnlyData()[0]; p != first {
			t.Errorf("message %d: a new buffer, not the first one's", i)
		}
		data.Free()
	}
	if _, err := codec.Marshal("not a message"); err == nil || err.Error() != "proto: cannot marshal a string, which is not a proto.Message" {
		t.Errorf("Marshal of a string: %v", err)
	}
}
