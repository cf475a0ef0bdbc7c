package otlptest_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel"

	"github.com/gotutor/gotutor/internal/otlptest"
	"github.com/gotutor/gotutor/serve/telemetry"
)

// TestReceivers checks that each receiver counts every span that an
// OTLP exporter sends it, over gRPC (keeping them, or counting them in
// their wire form) and HTTP.
func TestReceivers(t *testing.T) {
	for _, c := range []struct {
		name, protocol string
		start          func(bool) (*otlptest.Receiver, error)
		keep           bool
	}{
		{"grpc keep", "grpc", otlptest.StartGRPC, true},
		{"grpc count", "grpc", otlptest.StartGRPC, false},
		{"http keep", "http/protobuf", otlptest.StartHTTP, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := c.start(c.keep)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Stop()
			for _, k := range []string{"OTEL_SDK_DISABLED", "OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_TRACES_SAMPLER"} {
				t.Setenv(k, "")
			}
			t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", r.Endpoint)
			t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", c.protocol)
			tracing, err := telemetry.Start(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			ctx, parent := otel.Tracer("test").Start(context.Background(), "parent")
			for range 2 {
				_, child := otel.Tracer("test").Start(ctx, "child")
				child.End()
			}
			parent.End()
			if err := tracing.Shutdown(t.Context()); err != nil {
				t.Fatal(err)
			}
			if n := r.Count(); n != 3 {
				t.Errorf("%d spans counted, want 3", n)
			}
			spans := r.Spans()
			if want := map[bool]int{true: 3, false: 0}[c.keep]; len(spans) != want {
				t.Fatalf("%d spans kept, want %d", len(spans), want)
			}
			if c.keep && (spans[0].GetName() != "child" || spans[0].ParentID() != spans[2].SpanID() || spans[2].ParentID() != "") {
				t.Errorf("spans %v: want two children of a root span", spans)
			}
		})
	}
}
