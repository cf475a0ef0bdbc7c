package serve_test

import (
	"testing"

	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/servetest"
)

// BenchmarkTracing measures a unary call of native gRPC through a server
// as a main makes it, in memory, without tracing and with every call
// traced (sampler always_on) to an OTLP receiver in the same process that
// counts the spans: the difference is what tracing costs a call, client
// and server in one process.
func BenchmarkTracing(b *testing.B) {
	receiver := startReceiver(b, false)
	for _, on := range []bool{false, true} {
		name := "off"
		if on {
			name = "always_on"
		}
		b.Run(name, func(b *testing.B) {
			for _, k := range otelVars {
				b.Setenv(k, "")
			}
			if on {
				b.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Endpoint)
				b.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
				b.Setenv("OTEL_TRACES_SAMPLER", "always_on")
			}
			s := servetest.Start(b, serve.Config{}, nil, registerProbe, "-log-format=json")
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := echo(b.Context(), s.Conn, "x"); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
