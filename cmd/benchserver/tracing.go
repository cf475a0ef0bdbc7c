package main

import (
	"bufio"
	"io"
	"os"
	"strings"

	"github.com/gotutor/gotutor/internal/otlptest"
)

// tracingEnv is what the traced server's environment adds: OTLP over gRPC
// to endpoint, every call sampled.
func tracingEnv(endpoint string) []string {
	return []string{
		"OTEL_EXPORTER_OTLP_ENDPOINT=" + endpoint,
		"OTEL_EXPORTER_OTLP_PROTOCOL=grpc",
		"OTEL_TRACES_SAMPLER=always_on",
		"OTEL_SERVICE_NAME=greeter-server",
	}
}

// withTracing is the pair of -tracing: the generated server main tracing
// every call to an OTLP receiver in this process, against the same main
// with tracing off (no OTEL_* variable).
func withTracing(endpoint string) [2]*server {
	return [2]*server{
		{name: "traced", long: "traced server", pkg: generatedPkg, env: tracingEnv(endpoint), accessLog: true, traced: true, ready: healthy},
		{name: "untraced", long: "same server untraced", pkg: generatedPkg, accessLog: true, ready: healthy},
	}
}

// setUpTracing makes b compare the generated server traced and untraced:
// it starts the receiver of the spans, which counts them without decoding
// them (the cost of a collector is not the server's), until stop.
func (b *bench) setUpTracing() (stop func(), err error) {
	b.receiver, err = otlptest.StartGRPC(false)
	if err != nil {
		return nil, err
	}
	b.servers = withTracing(b.receiver.Endpoint)
	return b.receiver.Stop, nil
}

// serverEnv is the environment of a server: this one's without the
// OTEL_* variables, so that only the traced server traces, then env.
func serverEnv(env []string) []string {
	var all []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OTEL_") {
			all = append(all, kv)
		}
	}
	return append(all, env...)
}

// tracedLines counts the access log lines of method that carry a trace_id
// and a span_id, in a log written with -log-format text.
func tracedLines(r io.Reader, method string) (int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		line := " " + sc.Text() + " "
		if strings.Contains(line, " msg=call ") && strings.Contains(line, " method="+method+" ") &&
			strings.Contains(line, " trace_id=") && strings.Contains(line, " span_id=") {
			n++
		}
	}
	return n, sc.Err()
}
