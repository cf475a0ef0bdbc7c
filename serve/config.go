package serve

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"google.golang.org/grpc/encoding"
	protoencoding "google.golang.org/grpc/encoding/proto"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/status"

	"github.com/gotutor/gotutor/serve/dial"
	"github.com/gotutor/gotutor/serve/metrics"
	"github.com/gotutor/gotutor/serve/telemetry"
)

// DefaultAddr is the address that -addr listens on by default: gRPC's
// customary port, on loopback only, so that a server started to try
// something is not open to the network.
const DefaultAddr = "localhost:50051"

// Config is what a server main's flags set (see BindFlags, which documents
// each). Its zero value is not ready for use: bind it to a FlagSet and
// parse, or set every field.
type Config struct {
	// Addr is the address to listen on (host:port).
	Addr string
	// CertFile and KeyFile, when set, make the server speak TLS.
	CertFile, KeyFile string
	// ClientCAFile, with CertFile and KeyFile, makes the server require a
	// certificate of each client, signed by one of its CAs (mutual TLS).
	ClientCAFile string
	// Grace bounds the graceful stop: after it, calls still open are ended.
	Grace time.Duration
	// MaxRecvMsgSize and MaxSendMsgSize bound a message, in bytes.
	MaxRecvMsgSize, MaxSendMsgSize int
	// MaxConcurrentStreams bounds the calls open at once on one connection.
	MaxConcurrentStreams uint
	// KeepaliveMinTime and KeepalivePermitWithoutStream are the policy
	// that clients' pings must follow.
	KeepaliveMinTime             time.Duration
	KeepalivePermitWithoutStream bool
	// KeepaliveTime and KeepaliveTimeout are the server's own pings.
	KeepaliveTime, KeepaliveTimeout time.Duration
	// MaxConnectionIdle, MaxConnectionAge and MaxConnectionAgeGrace close
	// connections that are idle or old (0: never).
	MaxConnectionIdle, MaxConnectionAge, MaxConnectionAgeGrace time.Duration
	// LogFormat (text or json) and LogLevel (debug, info, warn or error)
	// shape the logger of NewLogger.
	LogFormat, LogLevel string
	// CORSOrigins are the origins of web pages elsewhere that may call the
	// server (comma-separated, or *), through OnePort.
	CORSOrigins string
	// FirstRequestTimeout bounds how long a new connection may take to
	// start its first request (the TLS handshake included), and
	// TLSHandshakeTimeout its TLS handshake; connections that take longer
	// are closed (0: no bound).
	FirstRequestTimeout, TLSHandshakeTimeout time.Duration
	// ReadHeaderTimeout bounds the reading of an HTTP request's headers,
	// ReadBodyTimeout that of the body of a request of one message (any
	// but a client's stream), and IdleTimeout how long an HTTP connection
	// (keep-alive or HTTP/2) may stay without requests: through OnePort
	// (0: no bound).
	ReadHeaderTimeout, ReadBodyTimeout, IdleTimeout time.Duration
	// MetricsAddr is where Serve serves the calls' Prometheus metrics, at
	// /metrics (package serve/metrics): host:port, or a port alone
	// (":9090") on loopback. Empty: no metrics, and calls pay nothing for
	// them.
	MetricsAddr string

	// OnePort, set by the main before BindFlags rather than by a flag,
	// serves the protocols other than native gRPC on the same port:
	// oneport.Split (package github.com/gotutor/gotutor/serve/oneport)
	// serves gRPC-Web, Connect, REST and the services' pages. Nil serves
	// native gRPC alone, without the flag -cors-origins; mains scaffolded
	// with protoc-gen-gotutor's option http=false leave it nil.
	OnePort OnePortFunc

	// StubsDir and AdminAddr are the flags -stubs and -admin-addr, which
	// exist when Stubs is set: the directory of stub files, and the
	// address of the stubs' HTTP admin API (empty: off).
	StubsDir, AdminAddr string
	// Upstream is -upstream ADDR and its TLS flags (-upstream-tls,
	// -upstream-tls-ca, -upstream-tls-server-name, -upstream-tls-cert,
	// -upstream-tls-key), which exist when Stubs is set: the real server
	// that gets the calls that no stub matches and whose method the
	// servicer has not written (see Unwritten). RecordDir is -record DIR:
	// where each call passed on to the upstream is written as a stub file.
	Upstream  dial.Config
	RecordDir string
	// Stubs, set by the main before BindFlags like OnePort, answers calls
	// with stubs before the servicers when -stubs, -admin-addr, -upstream
	// or -record is given: stubs.New (package
	// github.com/gotutor/gotutor/serve/stubs). Nil, or none of the flags,
	// installs nothing: calls pay nothing for it.
	Stubs StubsFunc
	// stubs is what Stubs returned in NewServer, which Serve starts.
	stubs Stubber
	// tracing and metrics are what NewServer started of them, which Serve
	// serves and stops.
	tracing *telemetry.Tracing
	metrics *metrics.Metrics
	// restoreGC puts back the collector's percent that NewServer raised
	// for tracing (TracingGCPercent), when Serve stops the tracing.
	restoreGC func()
}

// A StubsFunc returns the Stubber of c's -stubs, -admin-addr, -upstream
// and -record; NewServer calls it when any is set.
type StubsFunc func(c *Config, logger *slog.Logger) (Stubber, error)

// A Stubber answers calls with stubs (package serve/stubs). NewServer adds
// its ServerOptions (its interceptors) after the services' own; Serve
// calls Start once the servicers are registered, and the stop that Start
// returns once the server has stopped.
type Stubber interface {
	ServerOptions() []grpc.ServerOption
	Start(server *grpc.Server) (stop func(), err error)
}

// A OnePortFunc serves the protocols other than native gRPC on lis beside
// server: it returns the listener of the connections that are native gRPC,
// which Serve serves, and the HTTP server it started for the others, which
// Serve stops with server.
type OnePortFunc func(c *Config, lis net.Listener, server *grpc.Server, logger *slog.Logger, services []Service) (grpcLis net.Listener, httpServer *http.Server, err error)

// ProxiedPeerHeader is the metadata key in which a OnePortFunc names the
// client of a call that it passes on to the gRPC server over an in-memory
// connection whose address is ProxyAddr: the access log of Interceptors
// then leaves the call to the OnePortFunc's own log, which names that
// client. A value that a client sends over a real connection is ignored.
const ProxiedPeerHeader, ProxyAddr = "gotutor-client-addr", "bufconn"

// BindFlags defines in fs the flags that set c, with their defaults.
func (c *Config) BindFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", DefaultAddr, "the address to listen on (host:port; :50051 listens on every interface)")
	fs.StringVar(&c.CertFile, "tls-cert", "", "a TLS certificate file (PEM); with -tls-key, the server speaks TLS")
	fs.StringVar(&c.KeyFile, "tls-key", "", "the TLS private key file (PEM)")
	fs.StringVar(&c.ClientCAFile, "tls-client-ca", "", "with -tls-cert, require a certificate of every client, signed by a CA of this file (PEM): mutual TLS")
	fs.DurationVar(&c.Grace, "grace", 10*time.Second, "on SIGINT or SIGTERM, how long calls in flight may take to finish before they are ended")
	fs.IntVar(&c.MaxRecvMsgSize, "max-recv-msg-size", 4<<20, "the largest request message accepted, in bytes; larger ones get ResourceExhausted")
	fs.IntVar(&c.MaxSendMsgSize, "max-send-msg-size", 4<<20, "the largest response message sent, in bytes; larger ones fail with ResourceExhausted")
	fs.UintVar(&c.MaxConcurrentStreams, "max-concurrent-streams", 1000, "the most calls open at once on one connection")
	fs.DurationVar(&c.KeepaliveMinTime, "keepalive-min-time", 10*time.Second, "clients that ping more often than this are disconnected")
	fs.BoolVar(&c.KeepalivePermitWithoutStream, "keepalive-permit-without-stream", false, "allow client pings on connections without calls")
	fs.DurationVar(&c.KeepaliveTime, "keepalive-time", 2*time.Hour, "ping a client after this long without activity")
	fs.DurationVar(&c.KeepaliveTimeout, "keepalive-timeout", 20*time.Second, "close the connection when a ping gets no answer within this long")
	fs.DurationVar(&c.MaxConnectionIdle, "max-connection-idle", 0, "close connections without calls after this long (0: never)")
	fs.DurationVar(&c.MaxConnectionAge, "max-connection-age", 0, "close connections after this long, so that clients reconnect and rebalance (0: never)")
	fs.DurationVar(&c.MaxConnectionAgeGrace, "max-connection-age-grace", 0, "after -max-connection-age, how long calls may take to finish (0: no bound)")
	fs.StringVar(&c.LogFormat, "log-format", "text", "the log's format: text, or json for log pipelines")
	fs.StringVar(&c.LogLevel, "log-level", "info", "the least level logged: debug, info, warn or error (each call is logged at info, failed calls at warn, health checks that answer at debug)")
	fs.DurationVar(&c.FirstRequestTimeout, "first-request-timeout", 10*time.Second, "close a new connection that has not started its first request (the TLS handshake included) within this long (0: no bound but gRPC's own 2 minutes)")
	fs.DurationVar(&c.TLSHandshakeTimeout, "tls-handshake-timeout", 10*time.Second, "with -tls-cert, close a new connection whose TLS handshake has not ended within this long (0: never)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", "", "the address of the calls' Prometheus metrics, at /metrics (grpc_server_*): host:port, or a port alone (:9090) on loopback; off by default")
	if c.OnePort != nil {
		fs.StringVar(&c.CORSOrigins, "cors-origins", "", "the origins (scheme://host[:port], comma-separated, or *) of web pages elsewhere that may call the server; none by default: a browser's request from any other origin than the server's is refused (403)")
		fs.DurationVar(&c.ReadHeaderTimeout, "read-header-timeout", 10*time.Second, "over HTTP, close a connection whose request headers have not arrived within this long (0: never)")
		fs.DurationVar(&c.ReadBodyTimeout, "read-body-timeout", 30*time.Second, "over HTTP, answer DeadlineExceeded to a call whose request body (of one message: any but a client's stream) has not arrived within this long (0: never)")
		fs.DurationVar(&c.IdleTimeout, "idle-timeout", 2*time.Minute, "over HTTP, close a connection (keep-alive or HTTP/2) that has had no request for this long (0: never)")
	}
	if c.Stubs != nil {
		fs.StringVar(&c.StubsDir, "stubs", "", "a directory of stub files (gripmock's format, .json, .yaml or .yml) that answer matching calls before the servicer; changes are picked up while serving")
		fs.StringVar(&c.AdminAddr, "admin-addr", "", "the address of the stubs' HTTP admin API (gripmock's /api/stubs, /api/history, /api/verify): host:port, or a port alone (:4771) on loopback; off by default")
		fs.StringVar(&c.Upstream.Addr, "upstream", "", "a real server (host:port, or dns:///host:port for every address of a name) that gets each call that no stub matches and whose method the servicer has not written; -upstream-tls and the like connect to it with TLS")
		c.Upstream.BindFlags(fs, "upstream-")
		fs.StringVar(&c.RecordDir, "record", "", "with -upstream, a directory where each call passed on to the upstream is written as a stub file (<service>_<method>_<n>.json), which -stubs then replays")
	}
}

// NewLogger returns the logger that -log-format and -log-level ask for,
// writing to w.
func (c *Config) NewLogger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("-log-level %q: want debug, info, warn or error", c.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.LogFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("-log-format %q: want text or json", c.LogFormat)
}

// ServerOptions returns the server's transport options: message sizes,
// concurrent streams, keepalive and connection ages, the bound on a new
// connection's start (the first request's and the TLS handshake's
// timeouts together), and without OnePort, TLS (on the one port, OnePort
// speaks TLS below every protocol instead).
// The error is that of TLSConfig.
func (c *Config) ServerOptions() ([]grpc.ServerOption, error) {
	opts := []grpc.ServerOption{
		grpc.MaxRecvMsgSize(c.MaxRecvMsgSize),
		grpc.MaxSendMsgSize(c.MaxSendMsgSize),
		grpc.MaxConcurrentStreams(uint32(min(c.MaxConcurrentStreams, 1<<32-1))),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: c.KeepaliveMinTime, PermitWithoutStream: c.KeepalivePermitWithoutStream}),
		grpc.KeepaliveParams(keepalive.ServerParameters{
			Time:                  c.KeepaliveTime,
			Timeout:               c.KeepaliveTimeout,
			MaxConnectionIdle:     c.MaxConnectionIdle,
			MaxConnectionAge:      c.MaxConnectionAge,
			MaxConnectionAgeGrace: c.MaxConnectionAgeGrace,
		}),
	}
	if start := c.FirstRequestTimeout; start > 0 {
		if c.TLS() {
			start += c.TLSHandshakeTimeout
		}
		opts = append(opts, grpc.ConnectionTimeout(start))
	}
	if c.OnePort == nil {
		config, err := c.TLSConfig()
		if err != nil {
			return nil, err
		}
		if config != nil {
			config.NextProtos = []string{"h2"} // gRPC alone
			opts = append(opts, grpc.Creds(credentials.NewTLS(config)))
		}
	}
	return opts, nil
}

// TLS says whether the server speaks TLS: -tls-cert or -tls-key is set.
func (c *Config) TLS() bool { return c.CertFile != "" || c.KeyFile != "" }

// TLSConfig returns the server's TLS configuration: its certificate, and
// with ClientCAFile, the CAs that must sign every client's certificate.
// It offers HTTP/2 (h2) and HTTP/1.1 through ALPN. It fails when a file
// cannot be read, or ClientCAFile holds no certificate, or is given
// without the server's certificate.
func (c *Config) TLSConfig() (*tls.Config, error) {
	if !c.TLS() {
		if c.ClientCAFile != "" {
			return nil, errors.New("-tls-client-ca needs -tls-cert and -tls-key: clients are verified over TLS")
		}
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("-tls-cert and -tls-key: %w", err)
	}
	config := &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2", "http/1.1"}}
	if c.ClientCAFile != "" {
		pool, err := dial.CertPool("-tls-client-ca", c.ClientCAFile)
		if err != nil {
			return nil, err
		}
		config.ClientCAs, config.ClientAuth = pool, tls.RequireAndVerifyClientCert
	}
	return config, nil
}

// NewServer returns a grpc.Server with the options of ServerOptions and the
// interceptors, outermost first, of the Prometheus metrics when
// -metrics-addr is set (package serve/metrics), then of Interceptors (the
// access log and panic recovery), which also answer a request whose message
// does not decode (InvalidArgument) and log a call of a method the server
// lacks, then those of each service's Options (such as the check of its
// requests against their rules), then those of c.Stubs when -stubs,
// -admin-addr, -upstream or -record is set, then opts: add interceptors of
// your own there with grpc.ChainUnaryInterceptor and
// grpc.ChainStreamInterceptor.
//
// When the environment asks for traces (OTEL_EXPORTER_OTLP_ENDPOINT and
// the like: package serve/telemetry), NewServer starts tracing, which Serve
// stops, and the server makes a span of every call, on every protocol,
// with otelgrpc's stats handler; otherwise it has no stats handler at all.
// Tracing on and GOGC unset, the collector's percent is TracingGCPercent
// until Serve stops.
//
// It fails when the TLS certificate of a server without OnePort cannot be
// read, the environment's tracing is wrong, or c.Stubs fails.
func (c *Config) NewServer(logger *slog.Logger, services []Service, opts ...grpc.ServerOption) (*grpc.Server, error) {
	all, err := c.ServerOptions()
	if err != nil {
		return nil, err
	}
	if c.tracing, err = telemetry.Start(context.Background()); err != nil {
		return nil, err
	}
	if h := c.tracing.ServerHandler(); h != nil {
		all = append(all, grpc.StatsHandler(h))
	}
	if c.MetricsAddr != "" {
		c.metrics = metrics.New()
		all = append(all, c.metrics.ServerOptions()...)
	}
	unary, stream := Interceptors(logger)
	var server *grpc.Server
	all = append(all, grpc.ChainUnaryInterceptor(unary...), grpc.ChainStreamInterceptor(stream...),
		grpc.ForceServerCodecV2(requestCodec{encoding.GetCodecV2(protoencoding.Name)}),
		// Through the interceptors, so that the call is logged.
		grpc.UnknownServiceHandler(func(_ any, stream grpc.ServerStream) error { return unknownMethod(server, stream) }))
	for _, s := range services {
		all = append(all, s.Options...)
	}
	if c.Stubs != nil && (c.StubsDir != "" || c.AdminAddr != "" || c.Upstream.Addr != "" || c.Upstream.FlagGiven() != "" || c.RecordDir != "") {
		if c.stubs, err = c.Stubs(c, logger); err != nil {
			return nil, err
		}
		all = append(all, c.stubs.ServerOptions()...)
	}
	server = grpc.NewServer(append(all, opts...)...)
	// Last, so that a NewServer that fails leaves the collector alone.
	c.restoreGC = tracingGC(c.tracing.On())
	return server, nil
}

// unknownMethod answers a call of a method that server lacks as gRPC does
// by default: Unimplemented, naming the method or the service it lacks.
func unknownMethod(server *grpc.Server, stream grpc.ServerStream) error {
	method, _ := grpc.MethodFromServerStream(stream)
	i := strings.LastIndex(method, "/")
	service, name := strings.TrimPrefix(method[:max(i, 0)], "/"), method[i+1:]
	if _, ok := server.GetServiceInfo()[service]; ok {
		return status.Errorf(codes.Unimplemented, "unknown method %s for service %s", name, service)
	}
	return status.Errorf(codes.Unimplemented, "unknown service %s", service)
}
