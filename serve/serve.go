package serve

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	"github.com/gotutor/gotutor/serve/metrics"
)

// A Service is one service that a server main serves: the table that
// protoc-gen-gotutor generates beside each main (served, in
// server_gotutor.go) from the service's .proto and its servicer.
type Service struct {
	// Name is the service's full name ("helloworld.Greeter").
	Name string
	// Unwritten are the methods (by full name, "/helloworld.Greeter/SayHello")
	// that the user's servicer did not define when the code was generated;
	// Fallback is the generated servicer that answers them with example
	// values. Serve warns about each at the start.
	Unwritten []string
	Fallback  string
	// Page is the service's web page, served at / (or /services/<Name> when
	// the main serves several) by Config.OnePort.
	Page string
	// Options are server options that the service needs, which NewServer
	// adds after its own interceptors: the check of its requests against
	// their buf.validate rules (package validation), if they have any.
	Options []grpc.ServerOption
}

// Serve serves server's services, with health checks and reflection, on
// lis until ctx is done (a main cancels it on SIGINT or SIGTERM), then
// stops: health answers NOT_SERVING, GracefulStop lets the calls in flight
// finish, and after c.Grace, Stop ends those still open, which get
// Unavailable, over HTTP too. The log says which
// happened, and warns at the start about the methods that services have not
// written yet. It returns nil once stopped, or the error that ended serving
// before ctx was done.
//
// gRPC clients get grpc-go's own transport. With c.OnePort set to
// oneport.Split, every other connection is HTTP/1.1 or HTTP/2, served by
// Vanguard, which turns gRPC-Web, Connect and REST (google.api.http rules)
// into calls of the same server, its interceptors included, and serves the
// services' web pages at /.
//
// With c.Stubs and -stubs or -admin-addr, Serve starts the stubs once the
// servicers are registered (a stub file that is wrong is its error) and
// stops them, their admin API included, when it returns.
//
// With -metrics-addr, Serve serves the calls' Prometheus metrics at
// /metrics on that address (package serve/metrics) until it returns. When
// NewServer started tracing, Serve stops it as it returns: the spans not
// sent yet are sent within what is left of -grace once the servers have
// stopped, and those still unsent then are lost (a warning says so).
func (c *Config) Serve(ctx context.Context, lis net.Listener, server *grpc.Server, logger *slog.Logger, services []Service) error {
	// When serving fails; a stop flushes on its own, within -grace.
	defer func() { c.flush(logger, time.Now().Add(c.Grace)) }()
	// Health checks and reflection let grpcurl, load balancers and
	// orchestrators talk to the server without its .proto.
	healthServer := health.NewServer()
	for name := range server.GetServiceInfo() {
		healthServer.SetServingStatus(name, grpc_health_v1.HealthCheckResponse_SERVING)
	}
	grpc_health_v1.RegisterHealthServer(server, healthServer)
	reflection.Register(server)
	if c.stubs != nil {
		stopStubs, err := c.stubs.Start(server)
		if err != nil {
			return err
		}
		defer stopStubs()
	}
	if c.metrics != nil {
		c.metrics.Initialize(server)
		stopMetrics, err := serveMetrics(c.MetricsAddr, c.metrics, logger)
		if err != nil {
			return err
		}
		defer stopMetrics()
	}

	var names []string
	for _, s := range services {
		names = append(names, s.Name)
		for _, m := range s.Unwritten {
			logger.Warn("not written yet: "+s.Fallback+" answers with example values", "method", m)
		}
	}
	grpcLis, httpServer := lis, (*http.Server)(nil)
	if c.OnePort != nil {
		var err error
		if grpcLis, httpServer, err = c.OnePort(c, lis, server, logger, services); err != nil {
			return err
		}
	}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-ctx.Done()
		flushBy := time.Now().Add(c.Grace)
		c.stop(logger, healthServer, server, httpServer)
		_ = lis.Close()
		c.flush(logger, flushBy)
	}()
	logger.Info("serving", "service", strings.Join(names, ", "), "addr", lis.Addr().String())
	err := server.Serve(grpcLis)
	if ctx.Err() != nil {
		<-stopped
		return nil
	}
	return err
}

// stop stops the servers within c.Grace: health first, so that load
// balancers stop sending calls, then a graceful stop of both servers at
// once (the HTTP server takes no more requests and closes its idle
// connections; the calls in flight may finish), then a hard one, after
// which the HTTP calls that were still open, now ended, have a moment to
// send their status. httpServer may be nil.
func (c *Config) stop(logger *slog.Logger, healthServer *health.Server, server *grpc.Server, httpServer *http.Server) {
	logger.Info("shutting down", "grace", c.Grace)
	healthServer.Shutdown()
	shutdown, cancel := context.WithCancel(context.Background())
	defer cancel()
	httpDone, grpcDone := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(httpDone)
		if httpServer != nil {
			_ = httpServer.Shutdown(shutdown)
		}
	}()
	go func() {
		defer close(grpcDone)
		server.GracefulStop()
	}()
	grace := time.NewTimer(c.Grace)
	defer grace.Stop()
	for httpDone != nil || grpcDone != nil {
		select {
		case <-httpDone:
			httpDone = nil
			continue
		case <-grpcDone:
			grpcDone = nil
			continue
		case <-grace.C:
		}
		logger.Warn("stopped: the grace period ended the calls still open", "grace", c.Grace)
		server.Stop()
		if httpDone != nil {
			// The HTTP calls of gRPC's, just ended, answer their clients.
			select {
			case <-httpDone:
			case <-time.After(answerTime):
			}
			cancel()
			_ = httpServer.Close()
		}
		return
	}
	logger.Info("stopped: every call finished")
}

// flush stops the tracing that NewServer started, if any, sending the
// spans not sent yet by deadline, and puts the collector's percent back.
func (c *Config) flush(logger *slog.Logger, deadline time.Time) {
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	if c.restoreGC != nil {
		defer c.restoreGC() // once, of the two flushes
	}
	if err := c.tracing.Shutdown(ctx); err != nil {
		logger.Warn("tracing: spans lost", "error", err)
	}
}

// serveMetrics serves m at /metrics on addr (loopback, when addr names no
// host), until stop.
func serveMetrics(addr string, m *metrics.Metrics, logger *slog.Logger) (stop func(), err error) {
	lis, err := net.Listen("tcp", Loopback(addr))
	if err != nil {
		return nil, fmt.Errorf("-metrics-addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	metricsServer := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = metricsServer.Serve(lis)
	}()
	logger.Info("metrics", "addr", lis.Addr().String(), "path", "/metrics")
	return func() {
		_ = metricsServer.Close()
		<-done
	}, nil
}

// Loopback is addr with the host localhost when it names none (":9090",
// or "9090"): what a side address serves (the metrics, the stubs' admin
// API) is open to the network only when asked to ("0.0.0.0:9090").
func Loopback(addr string) string {
	if !strings.Contains(addr, ":") {
		addr = ":" + addr
	}
	if host, port, err := net.SplitHostPort(addr); err == nil && host == "" {
		return net.JoinHostPort("localhost", port)
	}
	return addr
}

// answerTime bounds how long the HTTP calls ended by a hard stop have to
// send their status to their clients.
const answerTime = time.Second
