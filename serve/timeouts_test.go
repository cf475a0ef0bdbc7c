package serve_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/grpc/health/grpc_health_v1"

	"github.com/gotutor/gotutor/internal/testkit"
	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/oneport"
	"github.com/gotutor/gotutor/serve/servetest"
)

// http2Settings is an HTTP/2 SETTINGS frame without settings.
const http2Settings = "\x00\x00\x00\x04\x00\x00\x00\x00\x00"

// healthCheck checks the health of the server over Connect with client.
func healthCheck(t *testing.T, client connect.HTTPClient, base string) {
	t.Helper()
	health := connect.NewClient[grpc_health_v1.HealthCheckRequest, grpc_health_v1.HealthCheckResponse](client, base+"/grpc.health.v1.Health/Check", connect.WithProtoJSON())
	resp, err := health.CallUnary(t.Context(), connect.NewRequest(&grpc_health_v1.HealthCheckRequest{}))
	if err != nil || resp.Msg.GetStatus() != grpc_health_v1.HealthCheckResponse_SERVING {
		t.Errorf("health check over Connect: %v, %v; want SERVING", resp, err)
	}
}

// TestFirstRequestTimeout checks that -first-request-timeout closes the
// connections that have not begun a request within it, whatever they sent
// of the start of one, while others are served.
func TestFirstRequestTimeout(t *testing.T) {
	s, _ := startWeb(t, "-first-request-timeout=100ms", "-read-header-timeout=1h", "-idle-timeout=1h")
	starts := map[string]string{
		"nothing":                             "",
		"part of an HTTP/1 request line":      "GET / HT",
		"part of the HTTP/2 preface":          "PRI * HTTP/2.0\r\n",
		"the HTTP/2 preface and its SETTINGS": "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + http2Settings,
	}
	conns := map[string]net.Conn{}
	for name, start := range starts {
		for range 10 {
			conn := rawConn(t, s.Dial)
			if _, err := io.WriteString(conn, start); err != nil {
				t.Fatal(err)
			}
			conns[name] = conn
		}
	}
	if err := echo(t.Context(), s.Conn, "x"); err != nil {
		t.Errorf("Echo meanwhile: %v", err)
	}
	healthCheck(t, s.HTTP, "http://memory")
	for name, conn := range conns {
		wantClosed(t, "a connection that sent "+name, conn)
	}

	// Native gRPC alone: gRPC's own bound.
	grpcOnly := servetest.Start(t, serve.Config{}, nil, registerProbe, "-first-request-timeout=100ms")
	silent := rawConn(t, grpcOnly.Dial)
	if err := echo(t.Context(), grpcOnly.Conn, "x"); err != nil {
		t.Errorf("Echo of native gRPC alone: %v", err)
	}
	wantClosed(t, "native gRPC alone, a connection that sent nothing", silent)
}

// TestReadHeaderTimeout checks that -read-header-timeout closes a
// connection whose request headers do not end within it.
func TestReadHeaderTimeout(t *testing.T) {
	s, _ := startWeb(t, "-read-header-timeout=100ms", "-first-request-timeout=1h", "-idle-timeout=1h")
	conn := rawConn(t, s.Dial)
	if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: memory\r\n"); err != nil {
		t.Fatal(err)
	}
	wantClosed(t, "a request without the end of its headers", conn)
	healthCheck(t, s.HTTP, "http://memory")
}

// TestTLSHandshakeTimeout checks that -tls-handshake-timeout closes a
// connection whose TLS handshake does not end within it, and that one
// that ends serves.
func TestTLSHandshakeTimeout(t *testing.T) {
	certFile, keyFile, pool := testkit.SelfSigned(t)
	s, _ := startWeb(t, "-tls-cert="+certFile, "-tls-key="+keyFile, "-tls-handshake-timeout=100ms", "-first-request-timeout=1h")
	silent := rawConn(t, s.Dial)
	hello := rawConn(t, s.Dial)
	if _, err := io.WriteString(hello, "\x16\x03\x01\x02\x00\x01"); err != nil { // part of a ClientHello
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{
		DialContext:     func(ctx context.Context, _, addr string) (net.Conn, error) { return s.Dial(ctx, addr) },
		TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: "localhost"},
	}}
	t.Cleanup(client.CloseIdleConnections)
	healthCheck(t, client, "https://memory")
	wantClosed(t, "a connection that sent nothing", silent)
	wantClosed(t, "a connection that sent part of a ClientHello", hello)
}

// TestReadBodyTimeout checks that -read-body-timeout answers
// DeadlineExceeded to a call of one message whose body does not arrive
// within it, on every protocol, and spares the streams of clients.
func TestReadBodyTimeout(t *testing.T) {
	s, _ := startWeb(t, "-read-body-timeout=100ms", "-log-format=json")
	for _, c := range []struct{ name, head, body string }{
		{"Connect", "POST /gotutor.test.Web/Echo HTTP/1.1\r\nHost: memory\r\nContent-Type: application/json\r\nConnect-Protocol-Version: 1\r\nContent-Length: 100", `{"name":`},
		{"REST", "POST /v1/things HTTP/1.1\r\nHost: memory\r\nContent-Type: application/json\r\nContent-Length: 100", `{"name":`},
		{"gRPC-Web", "POST /gotutor.test.Web/Echo HTTP/1.1\r\nHost: memory\r\nContent-Type: application/grpc-web+json\r\nContent-Length: 100", "\x00\x00\x00\x00\x5f{\"name\":"},
		{"Connect, a chunked body", "POST /gotutor.test.Web/Echo HTTP/1.1\r\nHost: memory\r\nContent-Type: application/json\r\nConnect-Protocol-Version: 1\r\nTransfer-Encoding: chunked", "8\r\n{\"name\":\r\n"},
	} {
		conn := rawConn(t, s.Dial)
		go func() { _, _ = io.WriteString(conn, c.head+"\r\n\r\n"+c.body) }()
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Errorf("%s, a body that stops: %v", c.name, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		r := reply{code: resp.StatusCode, header: resp.Header, body: body}
		if got := r.rpcCode(); got != "deadline_exceeded" {
			t.Errorf("%s, a body that stops: %d %s %q, want deadline_exceeded", c.name, r.code, got, body)
		}
	}

	// A client's stream may take its time between messages.
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write(envelope(0, []byte(`{"name":"a"}`)))
		time.Sleep(300 * time.Millisecond)
		_, _ = pw.Write(envelope(0, []byte(`{"name":"b"}`)))
		pw.Close()
	}()
	r := do(t, s.HTTP, request(t, http.MethodPost, "http://memory/gotutor.test.Web/Collect", pr, "Content-Type", "application/connect+json", "Connect-Protocol-Version", "1"))
	if got := r.rpcCode(); got != "ok" || !strings.Contains(string(r.body), `"count":2`) {
		t.Errorf("Collect of two messages 300ms apart: %d %s %q, want ok and a count of 2", r.code, got, r.body)
	}
}

// TestIdleTimeout checks that -idle-timeout closes HTTP connections, kept
// alive (HTTP/1.1) or HTTP/2, that have had no request within it.
func TestIdleTimeout(t *testing.T) {
	addr, _, _ := serveTCP(t, "-idle-timeout=100ms")
	var d net.Dialer
	conn, err := d.DialContext(t.Context(), "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: memory\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.Close {
		t.Fatalf("GET / was answered with Connection: close")
	}
	if _, err := io.Copy(io.Discard, br); errors.Is(err, os.ErrDeadlineExceeded) {
		t.Error("an idle HTTP/1.1 connection was kept open")
	}

	// HTTP/2: the client's connection tells when the server closed it.
	closed := make(chan struct{})
	var h2c http.Protocols
	h2c.SetUnencryptedHTTP2(true)
	client := &http.Client{Transport: &http.Transport{
		Protocols: &h2c,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &closeNotingConn{Conn: conn, closed: closed}, nil
		},
	}}
	t.Cleanup(client.CloseIdleConnections)
	healthCheck(t, client, "http://"+addr)
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Error("an idle HTTP/2 connection was kept open")
	}
}

// closeNotingConn closes closed when a read finds the connection closed by
// its other end.
type closeNotingConn struct {
	net.Conn
	closed chan struct{}
	once   atomic.Bool
}

func (c *closeNotingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if err != nil && c.once.CompareAndSwap(false, true) {
		close(c.closed)
	}
	return n, err
}

// emfileListener fails its first Accepts as a process out of file
// descriptors does.
type emfileListener struct {
	net.Listener
	failures atomic.Int32
}

func (l *emfileListener) Accept() (net.Conn, error) {
	if l.failures.Add(-1) >= 0 {
		return nil, &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept", syscall.EMFILE)}
	}
	return l.Listener.Accept()
}

// TestAcceptBackoff checks that the one port goes on serving when
// accepting connections fails for want of file descriptors, and says so.
func TestAcceptBackoff(t *testing.T) {
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lis := &emfileListener{Listener: tcp}
	lis.failures.Store(3)
	s := serveOn(t, serve.Config{OnePort: oneport.Split}, lis, nil, registerProbe, nil)
	if err := echo(t.Context(), s.conn, "x"); err != nil {
		t.Fatalf("Echo after accepting failed: %v", err)
	}
	wantLog(t, s.log, `level=WARN msg="accepting a connection failed; retrying with backoff" error="accept tcp: accept: too many open files"`, `level=INFO msg="accepting connections again"`)
	if n := strings.Count(s.log.String(), "accepting a connection failed"); n != 1 {
		t.Errorf("%d warnings of accepting, want 1 for the run of failures:\n%s", n, s.log)
	}
}
