// Package oneport serves every protocol on a server main's one port: native
// gRPC, and gRPC-Web, Connect and REST (google.api.http rules) through
// Vanguard, which passes each call on to the same grpc.Server, and the
// services' web pages at /. A main turns it on with
//
//	cfg := serve.Config{OnePort: oneport.Split}
//
// It is apart from package serve so that a main that serves native gRPC
// alone (protoc-gen-gotutor's option http=false) links none of Vanguard,
// Connect or cmux.
package oneport

import (
	"bufio"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/soheilhy/cmux"
	"google.golang.org/grpc"

	"github.com/gotutor/gotutor/serve"
)

// Split is a serve.OnePortFunc: it splits lis between native gRPC, whose
// listener it returns, and an HTTP server for the other protocols, which it
// starts. A connection goes to gRPC when its first request says
// application/grpc, else to HTTP, where Vanguard serves gRPC-Web, Connect
// and REST (google.api.http rules) as calls of server over an in-memory
// connection, and the services' pages at /, to the origins of
// c.CORSOrigins too. With c.CertFile and c.KeyFile, TLS comes first, for
// every protocol. The error is that of reading the certificate, or of a
// service that Vanguard cannot serve.
//
// Over HTTP, what a call may buffer is bounded by the message sizes of
// c: a message, or the body of a request of one message, larger than
// twice the larger of c.MaxRecvMsgSize and c.MaxSendMsgSize (64 KiB at
// least), or a Content-Length or length prefix that claims more, gets
// ResourceExhausted before it is read; gRPC then checks each message's
// binary form against the sizes exactly.
//
// Every stage of a connection is bounded in time by c:
// c.FirstRequestTimeout until its first request begins (cmux's read
// timeout), c.TLSHandshakeTimeout for the TLS handshake,
// c.ReadHeaderTimeout for a request's headers, c.ReadBodyTimeout for the
// body of a request of one message, and c.IdleTimeout between requests.
// When file descriptors run out, accepting connections backs off rather
// than spins.
//
// A call over HTTP is the gRPC call's all the way: a client that goes away
// cancels it, the deadline of its protocol (Connect-Timeout-Ms,
// grpc-timeout, X-Server-Timeout) is its deadline, and when it fails on
// the way (its deadline past, its body too large or too slow, the server
// stopped) the client gets the status of the failure in its protocol, not
// a cut connection or a 502. A request whose message does not decode
// (malformed, of the wrong types, nested too deep, none at all) gets
// InvalidArgument, 400. Each call and each refused request has its line in
// the access log, in the log's format (see serve.Interceptors).
//
// Browsers are kept safe: a request from a page of an origin other than
// the server's and c.CORSOrigins cannot run a method (403), nor one whose
// content type is none of the protocols' (a form, text/plain, none with a
// body: 415), and the pages carry a strict Content-Security-Policy (their
// inline scripts and styles by hash), X-Content-Type-Options,
// Referrer-Policy and X-Frame-Options. A POST of JSON to a unary method's
// path is a Connect call even without Connect-Protocol-Version, as curl
// sends it.
func Split(c *serve.Config, lis net.Listener, server *grpc.Server, logger *slog.Logger, services []serve.Service) (net.Listener, *http.Server, error) {
	lis = backoffListener{Listener: lis, logger: logger, sleep: time.Sleep}
	config, err := c.TLSConfig()
	if err != nil {
		return nil, nil, err
	}
	if config != nil {
		lis = handshakeListener{lis, config, c.TLSHandshakeTimeout}
	}
	handler, proxy, err := httpHandler(c, server, logger, services, lis.Addr())
	if err != nil {
		return nil, nil, err
	}
	conns := cmux.New(lis)
	conns.SetReadTimeout(c.FirstRequestTimeout)
	grpcLis := conns.MatchWithWriters(cmux.HTTP2MatchHeaderFieldSendSettings("content-type", "application/grpc"))
	httpLis := settingsAckListener{conns.Match(httpStarted)}
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	httpServer := &http.Server{
		Handler:           handler,
		Protocols:         &protocols,
		ReadHeaderTimeout: c.ReadHeaderTimeout,
		IdleTimeout:       c.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	// On a stop, the connection to the gRPC server, once idle, closes, so
	// that the gRPC server's graceful stop need not wait for it.
	httpServer.RegisterOnShutdown(proxy.closeIdle)
	go func() { _ = httpServer.Serve(httpLis) }()
	go func() { _ = conns.Serve() }()
	return grpcLis, httpServer, nil
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

// CloseWrite shuts the writing side of the connection down, when the
// connection below cmux's can: the HTTP server does so before it closes a
// connection whose request it left unread, so that the client reads the
// answer rather than a reset.
func (c *settingsAckConn) CloseWrite() error {
	if mc, ok := c.Conn.(*cmux.MuxConn); ok {
		if cw, ok := mc.Conn.(interface{ CloseWrite() error }); ok {
			return cw.CloseWrite()
		}
	}
	return errors.ErrUnsupported
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
