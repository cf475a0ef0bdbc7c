// Package telemetry is the tracing of gotutor's programs, server mains and
// client mains alike, through OpenTelemetry, as the standard environment
// variables ask for it. Nothing is set by a flag.
//
// Tracing is on when the environment names an OTLP endpoint
// (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), or
// says OTEL_TRACES_EXPORTER=otlp (the endpoint is then the default,
// localhost:4317 for grpc, localhost:4318 for http/protobuf); it is off when
// OTEL_TRACES_EXPORTER=none or OTEL_SDK_DISABLED=true, and whenever no
// such variable is set. Off, Start installs nothing: no stats handler, no
// tracer provider, and calls cost what they cost without this package.
//
// On, Start makes an OpenTelemetry SDK tracer provider whose spans go, in
// batches, to an OTLP exporter, and makes it and the W3C propagator
// (tracecontext and baggage) the global ones of the program:
//   - the protocol is OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, or else
//     OTEL_EXPORTER_OTLP_PROTOCOL: grpc, or http/protobuf (the default, as
//     the specification says);
//   - the exporter's client (otlptracegrpc's or otlptracehttp's) reads
//     the rest of its variables itself (headers, certificates,
//     compression, timeout, insecure: OTEL_EXPORTER_OTLP_*); the spans
//     are encoded by this package, into a buffer it reuses
//     (see exporter in otlp.go),
//     the batches theirs (OTEL_BSP_*) and the sampler its own
//     (OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG; by default
//     parentbased_always_on);
//   - the resource is OTel's default (service.name
//     unknown_service:<program>, the SDK's name and version) with
//     OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES over it.
//
// Tracing.ServerHandler and ClientHandler are otelgrpc's stats handlers,
// which make a span of each call: a server span continues the trace of
// the caller's traceparent (gRPC metadata, or an HTTP header, which the
// one port passes on as metadata), and a client span sends its own in the
// call's metadata. Their attributes follow OTel's semantic conventions for
// RPC as otelgrpc writes them (rpc.system.name=grpc, rpc.method=
// "pkg.Service/Method", rpc.response.status_code; OTEL_SEMCONV_STABILITY_OPT_IN=rpc/old
// gives the older rpc.system, rpc.service and rpc.method=Method instead).
// Package serve installs the server's, and package serve/dial the
// client's, when tracing is on.
//
// Tracing.Shutdown sends the spans not sent yet; a server main calls it
// within -grace as it stops, a client main before it exits (Close).
package telemetry

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/stats"
)

// The protocols of OTLP that Start exports with.
const (
	ProtocolGRPC = "grpc"
	ProtocolHTTP = "http/protobuf"
)

// Settings is what the environment says of tracing (FromEnv).
type Settings struct {
	// On: spans are exported.
	On bool
	// Protocol is ProtocolGRPC or ProtocolHTTP, when On.
	Protocol string
}

// FromEnv reads the environment's variables of tracing: see the package's
// documentation. It fails on an exporter or a protocol that Start does
// not support (OTEL_TRACES_EXPORTER other than otlp or none, a protocol
// other than grpc or http/protobuf), naming the variable.
func FromEnv() (Settings, error) {
	if strings.EqualFold(strings.TrimSpace(os.Getenv("OTEL_SDK_DISABLED")), "true") {
		return Settings{}, nil
	}
	otlp := false
	if v := strings.TrimSpace(os.Getenv("OTEL_TRACES_EXPORTER")); v != "" {
		for name := range strings.SplitSeq(v, ",") {
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "none":
				return Settings{}, nil
			case "otlp":
				otlp = true
			default:
				return Settings{}, fmt.Errorf("OTEL_TRACES_EXPORTER=%s: only otlp (or none) is supported", v)
			}
		}
	}
	if !otlp && os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" && os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == "" {
		return Settings{}, nil
	}
	name, protocol := "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", os.Getenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
	if protocol == "" {
		name, protocol = "OTEL_EXPORTER_OTLP_PROTOCOL", os.Getenv("OTEL_EXPORTER_OTLP_PROTOCOL")
	}
	switch protocol = strings.TrimSpace(protocol); protocol {
	case "":
		protocol = ProtocolHTTP
	case ProtocolGRPC, ProtocolHTTP:
	default:
		return Settings{}, fmt.Errorf("%s=%s: want grpc or http/protobuf", name, protocol)
	}
	return Settings{On: true, Protocol: protocol}, nil
}

// Tracing is a program's tracing, from Start. A nil or off Tracing does
// nothing.
type Tracing struct {
	provider *sdktrace.TracerProvider // nil when off
	server   stats.Handler
	client   stats.Handler
	shutdown sync.Once
	err      error
}

// current is the Tracing of the last Start that turned tracing on, until
// its Shutdown: ClientHandler's.
var current atomic.Pointer[Tracing]

// active counts the Tracings on: started and not shut down.
var active atomic.Int32

// Start turns tracing on as the environment asks (FromEnv) and returns
// it; when the environment does not ask for it, it returns a Tracing that
// is off and sets nothing. On, its tracer provider and the W3C propagator
// become the program's global ones (otel.SetTracerProvider,
// otel.SetTextMapPropagator), so that spans of your own (otel.Tracer)
// join the calls' traces. The exporter does not connect yet: an endpoint
// that cannot be reached loses spans, with a line on stderr from OTel's
// error handler, but fails nothing. It fails when FromEnv does, or the
// exporter cannot be made of the environment's variables.
func Start(ctx context.Context) (*Tracing, error) {
	settings, err := FromEnv()
	if err != nil || !settings.On {
		return &Tracing{}, err
	}
	var client otlptrace.Client
	switch settings.Protocol {
	case ProtocolGRPC:
		codec := grpc.WithDefaultCallOptions(grpc.ForceCodecV2(newExportCodec()))
		client = otlptracegrpc.NewClient(otlptracegrpc.WithDialOption(codec))
	default:
		client = otlptracehttp.NewClient()
	}
	exporter, err := newExporter(ctx, client)
	if err != nil {
		return nil, fmt.Errorf("tracing: the OTLP exporter: %w", err)
	}
	// resource.Default() is read once per program; the environment's
	// attributes are read again, over it.
	res, err := resource.Merge(resource.Default(), resource.Environment())
	if err != nil {
		res = resource.Default()
	}
	provider := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter), sdktrace.WithResource(res))
	propagator := propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	otel.SetTracerProvider(provider)
	otel.SetTextMapPropagator(propagator)
	// The calls' metrics are Prometheus's (package serve/metrics): otelgrpc
	// records none.
	opts := []otelgrpc.Option{
		otelgrpc.WithTracerProvider(provider),
		otelgrpc.WithPropagators(propagator),
		otelgrpc.WithMeterProvider(noop.NewMeterProvider()),
	}
	t := &Tracing{provider: provider, server: otelgrpc.NewServerHandler(opts...), client: otelgrpc.NewClientHandler(opts...)}
	active.Add(1)
	current.Store(t)
	return t, nil
}

// On says whether t exports spans.
func (t *Tracing) On() bool { return t != nil && t.provider != nil }

// ServerHandler returns the stats handler that makes a span of each call
// that a gRPC server serves (grpc.StatsHandler), or nil when t is off.
func (t *Tracing) ServerHandler() stats.Handler {
	if !t.On() {
		return nil
	}
	return t.server
}

// ClientHandler returns the stats handler that makes a span of each call
// of a gRPC client and sends its trace context in the call's metadata
// (grpc.WithStatsHandler), or nil when t is off.
func (t *Tracing) ClientHandler() stats.Handler {
	if !t.On() {
		return nil
	}
	return t.client
}

// On says whether the program's tracing is on: a Start turned it on, and
// its Shutdown has not come yet. The access log of package serve asks it
// before it looks for a span, so that a program without tracing pays
// nothing for it.
func On() bool { return active.Load() > 0 }

// ClientHandler returns the client stats handler of the program's tracing,
// that of the last Start that turned it on, or nil when it is off or shut
// down: package serve/dial adds it to every connection it makes.
func ClientHandler() stats.Handler { return current.Load().ClientHandler() }

// Shutdown sends the spans that are not sent yet and stops t, within ctx:
// the spans still unsent when ctx is done are lost, and the error says so.
// Later calls return the same. It does nothing when t is off.
func (t *Tracing) Shutdown(ctx context.Context) error {
	if !t.On() {
		return nil
	}
	t.shutdown.Do(func() {
		current.CompareAndSwap(t, nil)
		active.Add(-1)
		if err := t.provider.Shutdown(ctx); err != nil {
			t.err = fmt.Errorf("tracing: sending the last spans: %w", err)
		}
	})
	return t.err
}

// CloseTimeout bounds Close.
const CloseTimeout = 5 * time.Second

// Close is Shutdown within CloseTimeout, for a program about to exit: a
// client main defers it.
func (t *Tracing) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), CloseTimeout)
	defer cancel()
	return t.Shutdown(ctx)
}
