package serve_test

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/gotutor/gotutor/internal/otlptest"
	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/oneport"
	"github.com/gotutor/gotutor/serve/servetest"
)

// otelVars are the environment's variables of tracing.
var otelVars = []string{
	"OTEL_SDK_DISABLED", "OTEL_TRACES_EXPORTER",
	"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
	"OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
	"OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG",
}

// startReceiver starts an OTLP/gRPC receiver (keep: that keeps the spans
// it decodes) until the test ends.
func startReceiver(t testing.TB, keep bool) *otlptest.Receiver {
	t.Helper()
	receiver, err := otlptest.StartGRPC(keep)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(receiver.Stop)
	return receiver
}

// traceTo sets the environment, for the test, to export every span to
// receiver over gRPC as service name; with receiver nil, to no tracing.
func traceTo(t *testing.T, receiver *otlptest.Receiver, name string) {
	t.Helper()
	for _, k := range otelVars {
		t.Setenv(k, "")
	}
	if receiver != nil {
		t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Endpoint)
		t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
		t.Setenv("OTEL_SERVICE_NAME", name)
		t.Setenv("OTEL_TRACES_SAMPLER", "always_on")
	}
}

// callLines returns the access log's lines of JSON (msg call) in log.
func callLines(t *testing.T, log string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for line := range strings.Lines(log) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("a line of the log is not JSON: %v\n%s", err, line)
		}
		if m["msg"] == "call" {
			lines = append(lines, m)
		}
	}
	return lines
}

// TestTracing checks the spans of a server whose environment asks for
// traces: one per call, native gRPC and Connect alike, named by the
// method with OTel's RPC attributes and the service's name; a Connect
// call with a traceparent header continues its caller's trace; each call's
// line in the access log carries its span's trace_id and span_id; and
// every span is sent by the time Serve returns (the batches would wait 5
// s).
func TestTracing(t *testing.T) {
	receiver := startReceiver(t, true)
	traceTo(t, receiver, "probe-server")
	// At debug: the health checks that answer are logged there.
	s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, nil, registerProbe, "-log-format=json", "-log-level=debug", "-grace=5s")

	health := grpc_health_v1.NewHealthClient(s.Conn)
	if _, err := health.Check(t.Context(), &grpc_health_v1.HealthCheckRequest{}); err != nil {
		t.Fatal(err)
	}
	for _, opts := range [][]connect.ClientOption{{connect.WithProtoJSON()}, {connect.WithGRPCWeb()}} {
		client := connect.NewClient[grpc_health_v1.HealthCheckRequest, grpc_health_v1.HealthCheckResponse](s.HTTP, "http://memory/grpc.health.v1.Health/Check", opts...)
		resp, err := client.CallUnary(t.Context(), connect.NewRequest(&grpc_health_v1.HealthCheckRequest{}))
		if err != nil {
			t.Fatal(err)
		}
		if h := resp.Header().Get(serve.ProxiedTraceHeader); h != "" {
			t.Errorf("the client got the header %s: %s", serve.ProxiedTraceHeader, h)
		}
	}
	const callerTrace, callerSpan = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	client := connect.NewClient[grpc_health_v1.HealthCheckRequest, grpc_health_v1.HealthCheckResponse](s.HTTP, "http://memory/grpc.health.v1.Health/Check", connect.WithProtoJSON())
	req := connect.NewRequest(&grpc_health_v1.HealthCheckRequest{})
	req.Header().Set("traceparent", "00-"+callerTrace+"-"+callerSpan+"-01")
	if _, err := client.CallUnary(t.Context(), req); err != nil {
		t.Fatal(err)
	}

	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	// No waiting: Serve has returned, so the spans are sent.
	spans := receiver.Spans()
	if len(spans) != 4 {
		t.Fatalf("%d spans received once Serve returned, want 4: %v", len(spans), spans)
	}
	lines := callLines(t, s.Log.String())
	if len(lines) != 4 {
		t.Fatalf("%d calls logged, want 4:\n%s", len(lines), s.Log)
	}
	for i, span := range spans {
		if span.GetName() != "grpc.health.v1.Health/Check" || span.GetKind() != tracepb.Span_SPAN_KIND_SERVER ||
			span.Attr("rpc.method") != "grpc.health.v1.Health/Check" || span.Attr("rpc.system.name") != "grpc" || span.Resource["service.name"] != "probe-server" {
			t.Errorf("span %d: %s %s %v of %v; want a server span grpc.health.v1.Health/Check of probe-server", i, span.GetName(), span.GetKind(), span.GetAttributes(), span.Resource)
		}
		logged := false
		for _, line := range lines {
			logged = logged || line["trace_id"] == span.TraceID() && line["span_id"] == span.SpanID()
		}
		if !logged {
			t.Errorf("span %d (trace %s, span %s) is in no line of the access log:\n%s", i, span.TraceID(), span.SpanID(), s.Log)
		}
	}
	continued := 0
	for _, span := range spans {
		if span.TraceID() == callerTrace {
			continued++
			if span.ParentID() != callerSpan {
				t.Errorf("the span of the call with a traceparent has the parent %s, want %s", span.ParentID(), callerSpan)
			}
		} else if span.ParentID() != "" {
			t.Errorf("a call without a traceparent has a span with the parent %s, want a root span", span.ParentID())
		}
	}
	if continued != 1 {
		t.Errorf("%d spans in the caller's trace %s, want 1", continued, callerTrace)
	}
}

// TestTracingServerAddress checks that the span of a call of another
// protocol than gRPC names the one port as its server (server.address,
// server.port), as the span of a native gRPC call does, not the
// in-memory pipe that carries it to the gRPC server.
func TestTracingServerAddress(t *testing.T) {
	receiver := startReceiver(t, true)
	traceTo(t, receiver, "probe-server")
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := serveOn(t, serve.Config{OnePort: oneport.Split}, lis, nil, registerProbe, []string{"-log-format=json"})
	if err := echo(t.Context(), s.conn, "x"); err != nil {
		t.Fatal(err)
	}
	httpClient := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(httpClient.CloseIdleConnections)
	healthCheck(t, httpClient, "http://"+lis.Addr().String())
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	spans := receiver.Spans()
	if len(spans) != 2 {
		t.Fatalf("%d spans, want 2: %v", len(spans), spans)
	}
	host, port, _ := net.SplitHostPort(lis.Addr().String())
	for _, span := range spans {
		if span.Attr("server.address") != host || span.Attr("server.port") != port {
			t.Errorf("the span %s names the server %s port %s, want %s", span.GetName(), span.Attr("server.address"), span.Attr("server.port"), lis.Addr())
		}
	}
}

// installed returns how many stats handlers, unary interceptors and
// stream interceptors server has: grpc.Server keeps them in its opts.
func installed(t *testing.T, server *grpc.Server) (handlers, unary, stream int) {
	t.Helper()
	opts := reflect.ValueOf(server).Elem().FieldByName("opts")
	count := func(name string) int {
		v := opts.FieldByName(name)
		if v.Kind() != reflect.Slice {
			t.Fatalf("grpc.Server has no opts.%s (grpc-go changed): %v", name, v)
		}
		return v.Len()
	}
	return count("statsHandlers"), count("chainUnaryInts"), count("chainStreamInts")
}

// TestInstalled checks what NewServer installs: without the environment's
// variables of tracing no stats handler at all, with them otelgrpc's;
// without -metrics-addr the two interceptors of Interceptors, with it the
// metrics' before them.
func TestInstalled(t *testing.T) {
	receiver := startReceiver(t, true)
	for _, c := range []struct {
		tracing                 bool
		args                    []string
		handlers, unary, stream int
	}{
		{false, nil, 0, 2, 2},
		{true, nil, 1, 2, 2},
		{false, []string{"-metrics-addr=:0"}, 0, 3, 3},
	} {
		if c.tracing {
			traceTo(t, receiver, "probe-server")
		} else {
			traceTo(t, nil, "")
		}
		cfg := serve.Config{}
		fs := flag.NewFlagSet(t.Name(), flag.ContinueOnError)
		cfg.BindFlags(fs)
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		server, err := cfg.NewServer(slog.New(slog.DiscardHandler), nil)
		if err != nil {
			t.Fatal(err)
		}
		if handlers, unary, stream := installed(t, server); handlers != c.handlers || unary != c.unary || stream != c.stream {
			t.Errorf("tracing %v, flags %q: %d stats handlers, %d unary and %d stream interceptors; want %d, %d, %d",
				c.tracing, c.args, handlers, unary, stream, c.handlers, c.unary, c.stream)
		}
	}
}

// TestTracingOff checks that without the environment's variables of
// tracing the calls of every protocol are logged without trace_id or
// span_id.
func TestTracingOff(t *testing.T) {
	traceTo(t, nil, "")
	s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, nil, registerProbe, "-log-format=json", "-log-level=debug")
	if err := echo(t.Context(), s.Conn, "x"); err != nil {
		t.Fatal(err)
	}
	client := connect.NewClient[grpc_health_v1.HealthCheckRequest, grpc_health_v1.HealthCheckResponse](s.HTTP, "http://memory/grpc.health.v1.Health/Check", connect.WithProtoJSON())
	if _, err := client.CallUnary(t.Context(), connect.NewRequest(&grpc_health_v1.HealthCheckRequest{})); err != nil {
		t.Fatal(err)
	}
	if log := s.Log.String(); strings.Count(log, `"msg":"call"`) != 2 || strings.Contains(log, "trace_id") || strings.Contains(log, "span_id") {
		t.Errorf("with tracing off, want 2 calls logged without trace_id or span_id:\n%s", log)
	}
}

// metricsAddr returns the address of the metrics that the server of log
// serves, from its line "metrics".
func metricsAddr(t *testing.T, log *servetest.Log) string {
	t.Helper()
	for line := range strings.Lines(log.String()) {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == "metrics" {
			if addr, ok := m["addr"].(string); ok {
				return addr
			}
		}
	}
	t.Fatalf("no metrics line in the log:\n%s", log)
	return ""
}

// scrape fetches the metrics at addr and returns each series (its name
// and labels, as the text format writes them) with its value.
func scrape(t *testing.T, addr string) map[string]float64 {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://"+addr+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET /metrics: %s %s", resp.Status, body)
	}
	series := map[string]float64{}
	lines := bufio.NewScanner(resp.Body)
	for lines.Scan() {
		line := lines.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("a line of /metrics: %q: %v", line, err)
		}
		series[line[:i]] = v
	}
	return series
}

// calls is the series of name for a method of the probe, of grpc_type
// kind, with code (or none for "").
func calls(name, kind, method, code string) string {
	labels := ""
	if code != "" {
		labels = `grpc_code="` + code + `",`
	}
	return fmt.Sprintf(`%s{%sgrpc_method="%s",grpc_service="%s",grpc_type="%s"}`, name, labels, method, probeService, kind)
}

// TestMetrics checks /metrics on -metrics-addr: after N calls of a method
// over every protocol, its counter of calls handled with their code is N
// and its histogram has N; a call held open is in flight (started, not
// handled) until it ends; the methods not called are there at 0; the Go
// runtime's metrics are there too; and the metrics stop with the server.
func TestMetrics(t *testing.T) {
	traceTo(t, nil, "")
	// A port alone: on loopback.
	s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, []serve.Service{{Name: probeService}}, registerProbe, "-log-format=json", "-metrics-addr=:0")
	addr := metricsAddr(t, s.Log)
	if host, _, err := net.SplitHostPort(addr); err != nil || !net.ParseIP(host).IsLoopback() {
		t.Errorf("-metrics-addr=:0 serves on %s, want loopback", addr)
	}

	for range 3 {
		if err := echo(t.Context(), s.Conn, "x"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Conn.Invoke(t.Context(), "/"+probeService+"/Panic", wrapperspb.String("x"), &wrapperspb.StringValue{}); err == nil {
		t.Fatal("Panic answered")
	}
	// A call of another protocol, through the one port, counts too.
	client := connect.NewClient[grpc_health_v1.HealthCheckRequest, grpc_health_v1.HealthCheckResponse](s.HTTP, "http://memory/grpc.health.v1.Health/Check", connect.WithProtoJSON())
	for range 2 {
		if _, err := client.CallUnary(t.Context(), connect.NewRequest(&grpc_health_v1.HealthCheckRequest{})); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := client.CallUnary(t.Context(), connect.NewRequest(&grpc_health_v1.HealthCheckRequest{Service: "no.Such"})); connect.CodeOf(err) != connect.CodeNotFound {
		t.Fatalf("Check of no.Such: %v", err)
	}

	// Hold stays open until its client cancels it.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	hold, err := s.Conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true}, "/"+probeService+"/Hold")
	if err != nil {
		t.Fatal(err)
	}
	if err := hold.SendMsg(wrapperspb.String("x")); err != nil {
		t.Fatal(err)
	}
	if err := hold.CloseSend(); err != nil {
		t.Fatal(err)
	}
	held := func(m map[string]float64) float64 {
		handled := 0.0
		for series, v := range m {
			if strings.HasPrefix(series, "grpc_server_handled_total{") && strings.Contains(series, `grpc_method="Hold"`) {
				handled += v
			}
		}
		return m[calls("grpc_server_started_total", "server_stream", "Hold", "")] - handled
	}

	// Hold sends nothing: the call has started once it is counted.
	m := scrape(t, addr)
	for deadline := time.Now().Add(5 * time.Second); m[calls("grpc_server_started_total", "server_stream", "Hold", "")] != 1; m = scrape(t, addr) {
		if time.Now().After(deadline) {
			t.Fatal("Hold not started 5 s after it was called")
		}
		time.Sleep(10 * time.Millisecond)
	}
	healthCheck := `{grpc_code="%s",grpc_method="Check",grpc_service="grpc.health.v1.Health",grpc_type="unary"}`
	for series, want := range map[string]float64{
		calls("grpc_server_started_total", "unary", "Echo", ""):            3,
		calls("grpc_server_handled_total", "unary", "Echo", "OK"):          3,
		calls("grpc_server_handling_seconds_count", "unary", "Echo", ""):   3,
		calls("grpc_server_handled_total", "unary", "Panic", "Internal"):   1,
		calls("grpc_server_handled_total", "unary", "Panic", "OK"):         0,
		"grpc_server_handled_total" + fmt.Sprintf(healthCheck, "OK"):       2,
		"grpc_server_handled_total" + fmt.Sprintf(healthCheck, "NotFound"): 1,
	} {
		if got, ok := m[series]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", series, got, ok, want)
		}
	}
	if got := held(m); got != 1 {
		t.Errorf("Hold in flight (started - handled): %v, want 1", got)
	}
	bucket := calls("grpc_server_handling_seconds_bucket", "unary", "Echo", "")
	if got := m[strings.TrimSuffix(bucket, "}")+`,le="10"}`]; got != 3 {
		t.Errorf("Echo's histogram: %v calls under 10 s, want 3", got)
	}
	if _, ok := m["go_goroutines"]; !ok {
		t.Error("/metrics lacks the Go runtime's go_goroutines")
	}

	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for held(scrape(t, addr)) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("Hold still in flight 5 s after it was canceled")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://"+addr+"/metrics", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("/metrics still served after the server stopped: %s", resp.Status)
	}
}

// gcPercent is the collector's percent now.
func gcPercent(t *testing.T) int {
	t.Helper()
	sample := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(sample)
	return int(sample[0].Value.Uint64())
}

// wantGCPercent checks that the collector's percent is want.
func wantGCPercent(t *testing.T, what string, want int) {
	t.Helper()
	if got := gcPercent(t); got != want {
		t.Errorf("%s: GC percent %d, want %d", what, got, want)
	}
}

// TestTracingGC checks the collector's percent of a traced server:
// TracingGCPercent while it serves, when GOGC is unset, and as before once
// Serve has returned (once the last of two has); GOGC's when it is set,
// and Go's when tracing is off.
func TestTracingGC(t *testing.T) {
	receiver := startReceiver(t, false)
	before := gcPercent(t)
	for _, tc := range []struct {
		name    string
		traced  bool
		gogc    string
		serving int
	}{
		{"traced", true, "", serve.TracingGCPercent},
		{"traced with GOGC", true, strconv.Itoa(before), before},
		{"untraced", false, "", before},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.traced {
				traceTo(t, receiver, "probe-server")
			} else {
				traceTo(t, nil, "")
			}
			t.Setenv("GOGC", tc.gogc)
			s := servetest.Start(t, serve.Config{}, nil, registerProbe, "-log-format=json")
			if err := echo(t.Context(), s.Conn, "x"); err != nil {
				t.Fatal(err)
			}
			wantGCPercent(t, "serving", tc.serving)
			stopWantGCPercent(t, s, "stopped", before)
		})
	}
	// Two traced servers in one program: the first to stop leaves the
	// percent to the other, the last puts it back.
	traceTo(t, receiver, "probe-server")
	t.Setenv("GOGC", "")
	first := servetest.Start(t, serve.Config{}, nil, registerProbe, "-log-format=json")
	second := servetest.Start(t, serve.Config{}, nil, registerProbe, "-log-format=json")
	stopWantGCPercent(t, first, "one of two traced servers stopped", serve.TracingGCPercent)
	stopWantGCPercent(t, second, "both traced servers stopped", before)
}

// stopWantGCPercent stops s, then checks that the collector's percent is
// want.
func stopWantGCPercent(t *testing.T, s *servetest.Server, what string, want int) {
	t.Helper()
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	wantGCPercent(t, what, want)
}
