package main

import (
	"slices"
	"strings"
	"testing"
)

// TestTracedLines checks that only the access lines of the method with
// both a trace_id and a span_id count.
func TestTracedLines(t *testing.T) {
	log := `time=2026-12-02T21:54:03Z level=INFO msg=call method=/helloworld.Greeter/SayHello peer=127.0.0.1:1 code=OK duration=6.2µs trace_id=ee7c74038bf24b04473554dee2ae9b75 span_id=2c1fcc4d917ada49
time=2026-12-02T21:54:03Z level=INFO msg=call method=/helloworld.Greeter/SayHello peer=127.0.0.1:1 code=OK duration=6.2µs
time=2026-12-02T21:54:03Z level=INFO msg=call method=/grpc.health.v1.Health/Check peer=127.0.0.1:1 code=OK duration=6.2µs trace_id=ee7c74038bf24b04473554dee2ae9b75 span_id=2c1fcc4d917ada48
time=2026-12-02T21:54:03Z level=WARN msg=call method=/helloworld.Greeter/SayHello peer=127.0.0.1:1 code=Internal duration=6.2µs trace_id=ee7c74038bf24b04473554dee2ae9b76 span_id=2c1fcc4d917ada47
time=2026-12-02T21:54:03Z level=INFO msg=call method=/helloworld.Greeter/SayHello peer=127.0.0.1:1 code=OK duration=6.2µs trace_id=ee7c74038bf24b04473554dee2ae9b77
`
	n, err := tracedLines(strings.NewReader(log), method)
	if err != nil || n != 2 {
		t.Errorf("tracedLines: %d, %v; want 2", n, err)
	}
}

// TestServerEnv checks that a server gets none of benchserver's OTEL_*
// variables, and its own.
func TestServerEnv(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://elsewhere:4317")
	t.Setenv("BENCHSERVER_TEST", "kept")
	env := serverEnv(tracingEnv("http://127.0.0.1:1"))
	if !slices.Contains(env, "BENCHSERVER_TEST=kept") || !slices.Contains(env, "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:1") || slices.Contains(env, "OTEL_EXPORTER_OTLP_ENDPOINT=http://elsewhere:4317") {
		t.Errorf("serverEnv: %q", env)
	}
	for _, kv := range serverEnv(nil) {
		if strings.HasPrefix(kv, "OTEL_") {
			t.Errorf("an untraced server's environment has %s", kv)
		}
	}
}
