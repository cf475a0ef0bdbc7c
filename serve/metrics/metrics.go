// Package metrics is the Prometheus metrics of a server main's calls, which
// package serve serves at /metrics on -metrics-addr. They are
// go-grpc-middleware's (providers/prometheus), under the names that
// Grafana's dashboards for gRPC servers and most alert rules already know:
//
//	grpc_server_started_total{grpc_type, grpc_service, grpc_method}
//	    calls started
//	grpc_server_handled_total{grpc_type, grpc_service, grpc_method, grpc_code}
//	    calls ended, by status code (OK, NotFound, ...)
//	grpc_server_handling_seconds{grpc_type, grpc_service, grpc_method}
//	    a histogram of their durations, from 0.5 ms to 10 s (Buckets)
//	grpc_server_msg_received_total, grpc_server_msg_sent_total
//	    {grpc_type, grpc_service, grpc_method}: the messages of streams
//
// grpc_type is unary, client_stream, server_stream or bidi_stream;
// grpc_service the service's full name (helloworld.Greeter) and
// grpc_method the method's (SayHello). Calls in flight are those started
// and not yet handled:
//
//	sum by (grpc_service, grpc_method) (grpc_server_started_total)
//	  - sum by (grpc_service, grpc_method) (grpc_server_handled_total)
//
// Every call is counted, whatever its protocol: gRPC-Web, Connect and REST
// calls reach the gRPC server too (package oneport). A request that the one
// port refuses before it is a call (an unknown path, a body too large) is
// not counted. Each method is counted from 0 as soon as the server serves
// (Initialize), so that rates exist before its first call.
//
// Beside them, /metrics has those of Prometheus's default registry: the Go
// runtime's (go_*), the process's (process_*), and any of your own that
// you register there (prometheus.MustRegister).
package metrics

import (
	"net/http"

	grpcprom "github.com/grpc-ecosystem/go-grpc-middleware/providers/prometheus"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc"
)

// Buckets are the upper bounds, in seconds, of
// grpc_server_handling_seconds' buckets.
var Buckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// Metrics are one server's metrics, in a registry of their own.
type Metrics struct {
	server   *grpcprom.ServerMetrics
	registry *prometheus.Registry
}

// New returns the metrics of a server that has not served yet.
func New() *Metrics {
	m := &Metrics{
		server:   grpcprom.NewServerMetrics(grpcprom.WithServerHandlingTimeHistogram(grpcprom.WithHistogramBuckets(Buckets))),
		registry: prometheus.NewRegistry(),
	}
	m.registry.MustRegister(m.server)
	return m
}

// ServerOptions are the interceptors that count the calls: a server adds
// them before any other, so that they see each call's final status code.
func (m *Metrics) ServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{
		grpc.ChainUnaryInterceptor(m.server.UnaryServerInterceptor()),
		grpc.ChainStreamInterceptor(m.server.StreamServerInterceptor()),
	}
}

// Initialize sets the counters of each method of server to 0 (handled:
// with every code), once its services are registered.
func (m *Metrics) Initialize(server *grpc.Server) { m.server.InitializeMetrics(server) }

// Handler serves the metrics in Prometheus's formats (the text format, or
// OpenMetrics when the scraper asks for it), with those of Prometheus's
// default registry.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(prometheus.Gatherers{m.registry, prometheus.DefaultGatherer}, promhttp.HandlerOpts{EnableOpenMetrics: true})
}
