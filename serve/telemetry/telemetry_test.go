package telemetry_test

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/gotutor/gotutor/internal/otlptest"
	"github.com/gotutor/gotutor/serve/telemetry"
)

// envVars are the variables that FromEnv reads, or the exporter and the
// SDK read when it is on.
var envVars = []string{
	"OTEL_SDK_DISABLED", "OTEL_TRACES_EXPORTER",
	"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
	"OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
	"OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG",
	"OTEL_EXPORTER_OTLP_COMPRESSION",
}

// setEnv empties every variable of envVars, then sets env's, for the
// test.
func setEnv(t *testing.T, env map[string]string) {
	t.Helper()
	for _, k := range envVars {
		t.Setenv(k, env[k])
	}
}

// TestFromEnv checks when the environment turns tracing on, with which
// protocol, and the errors of what Start does not support.
func TestFromEnv(t *testing.T) {
	const endpoint = "http://collector:4318"
	for _, c := range []struct {
		name string
		env  map[string]string
		want telemetry.Settings
		err  string
	}{
		{"nothing set", nil, telemetry.Settings{}, ""},
		{"endpoint", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint}, telemetry.Settings{On: true, Protocol: "http/protobuf"}, ""},
		{"traces endpoint", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": endpoint + "/v1/traces"}, telemetry.Settings{On: true, Protocol: "http/protobuf"}, ""},
		{"grpc", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint, "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, telemetry.Settings{On: true, Protocol: "grpc"}, ""},
		{"traces protocol first", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint, "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/protobuf"}, telemetry.Settings{On: true, Protocol: "http/protobuf"}, ""},
		{"otlp without endpoint", map[string]string{"OTEL_TRACES_EXPORTER": "otlp"}, telemetry.Settings{On: true, Protocol: "http/protobuf"}, ""},
		{"exporter none", map[string]string{"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint}, telemetry.Settings{}, ""},
		{"SDK disabled", map[string]string{"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint}, telemetry.Settings{}, ""},
		{"protocol alone", map[string]string{"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, telemetry.Settings{}, ""},
		{"zipkin", map[string]string{"OTEL_TRACES_EXPORTER": "zipkin"}, telemetry.Settings{}, "OTEL_TRACES_EXPORTER=zipkin: only otlp (or none) is supported"},
		{"http/json", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/json"}, telemetry.Settings{}, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/json: want grpc or http/protobuf"},
	} {
		t.Run(c.name, func(t *testing.T) {
			setEnv(t, c.env)
			got, err := telemetry.FromEnv()
			if got != c.want || (err == nil) != (c.err == "") || (err != nil && err.Error() != c.err) {
				t.Errorf("FromEnv() = %+v, %v; want %+v, %q", got, err, c.want, c.err)
			}
		})
	}
}

// TestStartOff checks that without the variables, Start sets nothing: no
// handlers, no global tracer provider.
func TestStartOff(t *testing.T) {
	setEnv(t, nil)
	before := otel.GetTracerProvider()
	tracing, err := telemetry.Start(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if tracing.On() || tracing.ServerHandler() != nil || tracing.ClientHandler() != nil || telemetry.ClientHandler() != nil {
		t.Errorf("Start without OTEL_* variables: on %v, handlers %v %v %v; want off and none", tracing.On(), tracing.ServerHandler(), tracing.ClientHandler(), telemetry.ClientHandler())
	}
	if after := otel.GetTracerProvider(); after != before {
		t.Errorf("Start without OTEL_* variables set the global tracer provider %T", after)
	}
	if err := tracing.Shutdown(t.Context()); err != nil {
		t.Errorf("Shutdown when off: %v", err)
	}
	setEnv(t, map[string]string{"OTEL_TRACES_EXPORTER": "jaeger"})
	if _, err := telemetry.Start(t.Context()); err == nil {
		t.Error("Start with OTEL_TRACES_EXPORTER=jaeger: no error")
	}
}

// TestStartExports checks that Start exports spans over either protocol
// to the endpoint of the environment, with its service name and resource
// attributes, all sent by Shutdown (the batches would wait 5 s), and that
// the SDK reads the sampler of the environment.
func TestStartExports(t *testing.T) {
	for _, c := range []struct {
		name, protocol, compression string
		start                       func(bool) (*otlptest.Receiver, error)
	}{
		{"grpc", "grpc", "", otlptest.StartGRPC},
		// The export codec's bytes, compressed by grpc-go.
		{"grpc gzip", "grpc", "gzip", otlptest.StartGRPC},
		{"http/protobuf", "http/protobuf", "", otlptest.StartHTTP},
	} {
		t.Run(c.name, func(t *testing.T) {
			receiver, err := c.start(true)
			if err != nil {
				t.Fatal(err)
			}
			defer receiver.Stop()
			setEnv(t, map[string]string{
				"OTEL_EXPORTER_OTLP_ENDPOINT":    receiver.Endpoint,
				"OTEL_EXPORTER_OTLP_PROTOCOL":    c.protocol,
				"OTEL_EXPORTER_OTLP_COMPRESSION": c.compression,
				"OTEL_SERVICE_NAME":              "test-service",
				"OTEL_RESOURCE_ATTRIBUTES":       "deployment.environment.name=test",
			})
			tracing, err := telemetry.Start(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if !tracing.On() || tracing.ServerHandler() == nil || telemetry.ClientHandler() != tracing.ClientHandler() {
				t.Fatalf("Start with an endpoint: on %v, server handler %v; want on, and its client handler the program's", tracing.On(), tracing.ServerHandler())
			}
			if _, ok := otel.GetTracerProvider().(*sdktrace.TracerProvider); !ok {
				t.Errorf("the global tracer provider is %T, want the SDK's", otel.GetTracerProvider())
			}
			_, span := otel.Tracer("test").Start(context.Background(), "work")
			span.End()
			if err := tracing.Shutdown(t.Context()); err != nil {
				t.Fatal(err)
			}
			// Shutdown returns once the spans are sent.
			spans := receiver.Spans()
			if len(spans) != 1 || spans[0].GetName() != "work" || spans[0].Resource["service.name"] != "test-service" || spans[0].Resource["deployment.environment.name"] != "test" {
				t.Errorf("received %v; want the span work of test-service in test", spans)
			}
			if telemetry.ClientHandler() != nil {
				t.Error("the program's client handler outlives Shutdown")
			}
			if err := tracing.Shutdown(t.Context()); err != nil {
				t.Errorf("Shutdown again: %v", err)
			}
		})
	}
	t.Run("always_off", func(t *testing.T) {
		receiver, err := otlptest.StartGRPC(true)
		if err != nil {
			t.Fatal(err)
		}
		defer receiver.Stop()
		setEnv(t, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.Endpoint, "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_TRACES_SAMPLER": "always_off"})
		tracing, err := telemetry.Start(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		_, span := otel.Tracer("test").Start(context.Background(), "work")
		span.End()
		if err := tracing.Close(); err != nil {
			t.Fatal(err)
		}
		if n := receiver.Count(); n != 0 {
			t.Errorf("%d spans received with OTEL_TRACES_SAMPLER=always_off, want 0", n)
		}
	})
}

// TestShutdownBounded checks that Shutdown returns by its context's
// deadline when the endpoint does not answer, and says that spans were
// lost.
func TestShutdownBounded(t *testing.T) {
	setEnv(t, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"})
	tracing, err := telemetry.Start(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	_, span := otel.Tracer("test").Start(context.Background(), "work")
	span.End()
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = tracing.Shutdown(ctx)
	if took := time.Since(start); took > 2*time.Second || err == nil {
		t.Errorf("Shutdown with no collector: %v after %v; want an error within about 300ms", err, took)
	}
}

// TestOn checks that On says whether any Tracing started is not shut
// down yet.
func TestOn(t *testing.T) {
	setEnv(t, nil)
	off, err := telemetry.Start(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if telemetry.On() {
		t.Fatal("On after a Start without OTEL_* variables")
	}
	_ = off.Shutdown(t.Context())
	setEnv(t, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"})
	first, err := telemetry.Start(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	second, err := telemetry.Start(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for i, tracing := range []*telemetry.Tracing{second, first} {
		if !telemetry.On() {
			t.Fatalf("not On with %d of 2 Tracings shut down", i)
		}
		if err := tracing.Shutdown(t.Context()); err != nil {
			t.Fatal(err)
		}
		if i == 0 && telemetry.ClientHandler() != nil {
			t.Error("ClientHandler is that of a Tracing shut down")
		}
	}
	if telemetry.On() {
		t.Error("On once every Tracing is shut down")
	}
}
