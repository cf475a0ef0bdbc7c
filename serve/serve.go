package serve

import (
	"bufio"
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/soheilhy/cmux"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"
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
	// the main serves several); none with Config.GRPCOnly.
	Page string
	// Options are server options that the service needs, which NewServer
	// adds after its own interceptors: the check of its requests against
	// their buf.validate rules (package validation), if they have any.
	Options []grpc.ServerOption
}

// Serve serves server's services, with health checks and reflection, on
// lis until ctx is done (a main cancels it on SIGINT or SIGTERM), then
// stops: health answers NOT_SERVING, GracefulStop lets the calls in flight
// finish, and after c.Grace, Stop ends those still open. The log says which
// happened, and warns at the start about the methods that services have not
// written yet. It returns nil once stopped, or the error that ended serving
// before ctx was done.
//
// gRPC clients get grpc-go's own transport. Unless c.GRPCOnly, every other
// connection is HTTP/1.1 or h2c (HTTP/2 with TLS, with -tls-cert and
// -tls-key), served by Vanguard, which turns gRPC-Web, Connect and REST
// (google.api.http rules) into calls of the same server, its interceptors
// included, and serves the services' web pages at /.
func (c *Config) Serve(ctx context.Context, lis net.Listener, server *grpc.Server, logger *slog.Logger, services []Service) error {
	// Health checks and reflection let grpcurl, load balancers and
	// orchestrators talk to the server without its .proto.
	healthServer := health.NewServer()
	for name := range server.GetServiceInfo() {
		healthServer.SetServingStatus(name, grpc_health_v1.HealthCheckResponse_SERVING)
	}
	grpc_health_v1.RegisterHealthServer(server, healthServer)
	reflection.Register(server)

	var names []string
	for _, s := range services {
		names = append(names, s.Name)
		for _, m := range s.Unwritten {
			logger.Warn("not written yet: "+s.Fallback+" answers with example values", "method", m)
		}
	}
	grpcLis, httpServer, err := c.onePort(lis, server, logger, services)
	if err != nil {
		return err
	}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-ctx.Done()
		c.stop(logger, healthServer, server, httpServer)
		_ = lis.Close()
	}()
	logger.Info("serving", "service", strings.Join(names, ", "), "addr", lis.Addr().String())
	err = server.Serve(grpcLis)
	if ctx.Err() != nil {
		<-stopped
		return nil
	}
	return err
}

// onePort splits lis between native gRPC, whose listener it returns, and
// an HTTP server for the other protocols, which it starts. With c.GRPCOnly
// it returns lis as it is, and no HTTP server.
func (c *Config) onePort(lis net.Listener, server *grpc.Server, logger *slog.Logger, services []Service) (net.Listener, *http.Server, error) {
	if c.GRPCOnly {
		return lis, nil, nil
	}
	if c.CertFile != "" || c.KeyFile != "" {
		cert, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
		if err != nil {
			return nil, nil, err
		}
		lis = tls.NewListener(lis, &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2", "http/1.1"}})
	}
	handler, err := c.httpHandler(server, logger, services)
	if err != nil {
		return nil, nil, err
	}
	// A connection goes to gRPC when its first request says
	// application/grpc, else to HTTP.
	conns := cmux.New(lis)
	grpcLis := conns.MatchWithWriters(cmux.HTTP2MatchHeaderFieldSendSettings("content-type", "application/grpc"))
	httpLis := settingsAckListener{conns.Match(cmux.Any())}
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	httpServer := &http.Server{
		Handler:           handler,
		Protocols:         &protocols,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	go func() { _ = httpServer.Serve(httpLis) }()
	go func() { _ = conns.Serve() }()
	return grpcLis, httpServer, nil
}

// stop stops the servers within c.Grace: health first, so that load
// balancers stop sending calls, then a graceful stop, then a hard one.
// httpServer may be nil.
func (c *Config) stop(logger *slog.Logger, healthServer *health.Server, server *grpc.Server, httpServer *http.Server) {
	logger.Info("shutting down", "grace", c.Grace)
	healthServer.Shutdown()
	graceful := make(chan struct{})
	go func() {
		server.GracefulStop()
		if httpServer != nil {
			graceCtx, cancel := context.WithTimeout(context.Background(), c.Grace)
			defer cancel()
			_ = httpServer.Shutdown(graceCtx)
		}
		close(graceful)
	}()
	select {
	case <-graceful:
		logger.Info("stopped: every call finished")
	case <-time.After(c.Grace):
		logger.Warn("stopped: the grace period ended the calls still open", "grace", c.Grace)
		server.Stop()
		if httpServer != nil {
			_ = httpServer.Close()
		}
	}
}

// settingsAckListener passes on the HTTP connections of cmux. To learn
// whether an HTTP/2 connection is gRPC, cmux's matcher answers each SETTINGS
// frame of the client that precedes its first HEADERS with SETTINGS of its
// own (gRPC clients wait for the server's before they send a call), which
// the client then acknowledges. When the connection goes to the HTTP server
// instead, that server, which sent no such SETTINGS, would take the extra
// acknowledgement for a protocol error and close the connection: so each
// connection drops it.
type settingsAckListener struct{ net.Listener }

func (l settingsAckListener) Accept() (net.Conn, error) {
	conn, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &settingsAckConn{Conn: conn, r: bufio.NewReader(conn)}, nil
}

// http2Preface begins every HTTP/2 connection without TLS or once TLS is
// set up.
const http2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

// settingsAckConn reads an HTTP/2 connection frame by frame until it has
// dropped the acknowledgements of the SETTINGS that cmux sent; it reads
// any other connection as it is.
type settingsAckConn struct {
	net.Conn
	r *bufio.Reader
	// through: no more to drop, the rest is read as it is.
	through bool
	// preface is how much of http2Preface was read.
	preface int
	// unacked counts the SETTINGS that cmux sent and the client has not
	// acknowledged yet; headers, whether the first HEADERS frame was read
	// (after it, cmux sent no more).
	unacked int
	headers bool
	// left is what is left to read of the current frame.
	left int
}

func (c *settingsAckConn) Read(p []byte) (int, error) {
	for {
		switch {
		case c.through || len(p) == 0:
			return c.r.Read(p)
		case c.preface < len(http2Preface):
			n, err := c.r.Read(p[:min(len(p), len(http2Preface)-c.preface)])
			if string(p[:n]) != http2Preface[c.preface:c.preface+n] {
				c.through = true
			}
			c.preface += n
			return n, err
		case c.left > 0:
			n, err := c.r.Read(p[:min(len(p), c.left)])
			c.left -= n
			return n, err
		case c.headers && c.unacked == 0:
			c.through = true
			continue
		}
		// The header of the next frame: length (3 bytes), type, flags.
		h, err := c.r.Peek(9)
		if err != nil {
			c.through = true
			continue
		}
		const settings, headers, ack = 0x4, 0x1, 0x1
		length := int(h[0])<<16 | int(h[1])<<8 | int(h[2])
		switch {
		case h[3] == settings && h[4]&ack != 0 && c.unacked > 0:
			c.unacked--
			if _, err := c.r.Discard(9 + length); err != nil {
				return 0, err
			}
			continue
		case h[3] == settings && h[4]&ack == 0 && !c.headers:
			c.unacked++
		case h[3] == headers:
			c.headers = true
		}
		c.left = 9 + length
	}
}
