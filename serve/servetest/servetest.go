// Package servetest serves a server main's services in memory, as the main
// does (package serve), for tests: the generated tests of each main, and
// your own.
package servetest

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/gotutor/gotutor/serve"
)

// A Server is a main's services, served in memory by Start until the test
// ends.
type Server struct {
	// Conn is a native gRPC connection to the server.
	Conn *grpc.ClientConn
	// HTTP is a client whose every request, whatever its URL's host, goes
	// to the server: for Connect, gRPC-Web, REST and the pages
	// ("http://memory/helloworld.Greeter/SayHello").
	HTTP *http.Client
	// Dial makes a new connection to the server.
	Dial func(ctx context.Context, addr string) (net.Conn, error)
	// Log is what the server logged so far.
	Log *Log

	cancel      context.CancelFunc
	served      chan error
	once        sync.Once
	err         error
	startFailed bool // reported by Start, not again when the test ends
}

// Start serves services as a server main does, on an in-memory listener,
// until the test ends: cfg (the main's Config before its flags are parsed:
// serve.Config{OnePort: oneport.Split}, or serve.Config{} for native gRPC
// alone) takes its flags from args, its logger writes to Server.Log,
// serve.Config.NewServer builds the server, register registers the
// servicers on it, and serve.Config.Serve serves. Bad flags or a server
// that does not start fail the test.
func Start(t testing.TB, cfg serve.Config, services []serve.Service, register func(*grpc.Server), args ...string) *Server {
	t.Helper()
	fs := flag.NewFlagSet(t.Name(), flag.ContinueOnError)
	cfg.BindFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	s := &Server{Log: &Log{}, served: make(chan error, 1)}
	logger, err := cfg.NewLogger(s.Log)
	if err != nil {
		t.Fatal(err)
	}
	server, err := cfg.NewServer(logger, services)
	if err != nil {
		t.Fatal(err)
	}
	register(server)
	lis := serve.NewMemListener()
	var ctx context.Context
	ctx, s.cancel = context.WithCancel(context.Background())
	go func() { s.served <- cfg.Serve(ctx, lis, server, logger, services) }()
	s.Dial = lis.Dial
	s.Conn, err = grpc.NewClient("passthrough:///memory", grpc.WithContextDialer(lis.Dial), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	s.HTTP = &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
		return lis.Dial(ctx, addr)
	}}}
	t.Cleanup(func() {
		_ = s.Conn.Close()
		if err := s.Stop(); err != nil && !s.startFailed {
			t.Errorf("serve: %v", err)
		}
	})
	s.waitServing(t)
	return s
}

// startTimeout bounds how long Start waits for the server to answer.
const startTimeout = 10 * time.Second

// waitServing returns once the server accepts connections, so that what
// it does on starting (its warnings in the log, say) is done; a server that
// fails to start, or does not accept within startTimeout, fails the test.
// The connection it makes carries nothing, so the server logs no call.
func (s *Server) waitServing(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	accepted := make(chan error, 1)
	go func() {
		conn, err := s.Dial(ctx, "memory")
		if err == nil {
			err = conn.Close()
		}
		accepted <- err
	}()
	select {
	case err := <-s.served:
		// Stop returns the same, without waiting for Serve again.
		s.once.Do(func() { s.err = err })
		s.startFailed = true
		t.Fatalf("the server did not start: %v%s", err, s.Log.shown())
	case err := <-accepted:
		if err != nil {
			t.Fatalf("the server does not accept connections within %v: %v%s", startTimeout, err, s.Log.shown())
		}
	}
}

// Stop stops the server as SIGTERM stops a main, and returns what Serve
// returned once it has: nil when it stopped as asked. Later calls return
// the same.
func (s *Server) Stop() error {
	s.once.Do(func() {
		s.cancel()
		s.err = <-s.served
	})
	return s.err
}

// Log is a server's log, which its goroutines write while the test reads
// it.
type Log struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p to the log.
func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// shown is the log so far after a line that says so, for an error
// message; nothing if the log is empty.
func (l *Log) shown() string {
	if log := l.String(); log != "" {
		return "\nthe server logged:\n" + log
	}
	return ""
}

// String returns the log so far.
func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Fetch sends an HTTP request to the server (target is a path and query,
// "/v1/things?id=1"), with body as JSON when it is not empty, and returns
// the response's status code and body. No response fails the test.
func (s *Server) Fetch(t testing.TB, method, target, body string) (int, []byte) {
	t.Helper()
	var reader io.Reader
	if body != "" {
		reader = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, "http://memory"+target, reader)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.HTTP.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, target, err)
	}
	return resp.StatusCode, data
}
