package serve_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/gotutor/gotutor/internal/testkit"
	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/oneport"
	"github.com/gotutor/gotutor/serve/servetest"
)

// tlsConn returns a gRPC connection over TLS to the server of s.
func tlsConn(t *testing.T, s *servetest.Server, pool *x509.CertPool) *grpc.ClientConn {
	t.Helper()
	creds := credentials.NewTLS(&tls.Config{RootCAs: pool, ServerName: "localhost"})
	conn, err := grpc.NewClient("passthrough:///memory", grpc.WithContextDialer(s.Dial), grpc.WithTransportCredentials(creds))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// TestTLS checks that -tls-cert and -tls-key make the server speak TLS
// and only TLS: on the one port, below every protocol; without OnePort,
// through gRPC's credentials.
func TestTLS(t *testing.T) {
	certFile, keyFile, pool := testkit.SelfSigned(t)
	page := []serve.Service{{Name: probeService, Page: "page of the probe"}}
	for _, grpcOnly := range []bool{false, true} {
		name := "one port"
		if grpcOnly {
			name = "native gRPC alone"
		}
		t.Run(name, func(t *testing.T) {
			cfg := serve.Config{OnePort: oneport.Split}
			if grpcOnly {
				cfg.OnePort = nil
			}
			s := servetest.Start(t, cfg, page, registerProbe, "-tls-cert="+certFile, "-tls-key="+keyFile)
			if err := echo(t.Context(), tlsConn(t, s, pool), "x"); err != nil {
				t.Errorf("Echo over TLS: %v", err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			if err := echo(ctx, s.Conn, "x"); status.Code(err) != codes.Unavailable {
				t.Errorf("Echo without TLS: %v, want Unavailable", err)
			}

			// HTTP/1.1, and for the one port HTTP/2 (which a server without OnePort
			// server over net.Pipe would hold up until gRPC's handshake
			// timeout: each side writes its preface before reading).
			for _, h2 := range []bool{false, true}[:map[bool]int{false: 2, true: 1}[grpcOnly]] {
				client := &http.Client{Transport: &http.Transport{
					DialContext:       func(ctx context.Context, _, addr string) (net.Conn, error) { return s.Dial(ctx, addr) },
					TLSClientConfig:   &tls.Config{RootCAs: pool, ServerName: "localhost"},
					ForceAttemptHTTP2: h2,
				}}
				t.Cleanup(client.CloseIdleConnections)
				req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "https://memory/", nil)
				if err != nil {
					t.Fatal(err)
				}
				resp, err := client.Do(req)
				if grpcOnly {
					if err == nil {
						resp.Body.Close()
						t.Errorf("GET / of a server without OnePort over TLS (HTTP/2: %v): %s, want no answer", h2, resp.Status)
					}
					continue
				}
				if err != nil {
					t.Fatalf("GET / over TLS (HTTP/2: %v): %v", h2, err)
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 || string(body) != "page of the probe" {
					t.Errorf("GET / over TLS (HTTP/2: %v): %s %q %v, want the page", h2, resp.Status, body, err)
				}
				if want := map[bool]int{false: 1, true: 2}[h2]; resp.ProtoMajor != want {
					t.Errorf("GET / over TLS (HTTP/2: %v): %s, want HTTP/%d", h2, resp.Proto, want)
				}
				health := connect.NewClient[grpc_health_v1.HealthCheckRequest, grpc_health_v1.HealthCheckResponse](client, "https://memory/grpc.health.v1.Health/Check", connect.WithGRPCWeb())
				answer, err := health.CallUnary(t.Context(), connect.NewRequest(&grpc_health_v1.HealthCheckRequest{}))
				if err != nil || answer.Msg.GetStatus() != grpc_health_v1.HealthCheckResponse_SERVING {
					t.Errorf("gRPC-Web health check over TLS (HTTP/2: %v): %v, %v; want SERVING", h2, answer, err)
				}
			}
		})
	}
}

// TestTLSFileErrors checks that a certificate that cannot be read fails
// NewServer of a server without OnePort, and Serve of the one port.
func TestTLSFileErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.pem")
	logger := slog.New(slog.DiscardHandler)

	grpcOnly := serve.Config{CertFile: missing, KeyFile: missing}
	if _, err := grpcOnly.ServerOptions(); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ServerOptions of a server without OnePort without its certificate: %v, want %v", err, fs.ErrNotExist)
	}
	if server, err := grpcOnly.NewServer(logger, nil); !errors.Is(err, fs.ErrNotExist) || server != nil {
		t.Errorf("NewServer of a server without OnePort without its certificate: %v, %v; want nil, %v", server, err, fs.ErrNotExist)
	}

	onePort := serve.Config{OnePort: oneport.Split, CertFile: missing, KeyFile: missing}
	if opts, err := onePort.ServerOptions(); err != nil || len(opts) != 5 {
		t.Errorf("ServerOptions of the one port: %d options, %v; want 5 (no TLS), nil", len(opts), err)
	}
	server, err := onePort.NewServer(logger, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer server.Stop()
	lis := serve.NewMemListener()
	defer lis.Close()
	before := runtime.NumGoroutine()
	if err := onePort.Serve(t.Context(), lis, server, logger, nil); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("Serve without its certificate: %v, want %v naming %s", err, fs.ErrNotExist, missing)
	}
	// Nothing is left serving.
	for deadline := time.Now().Add(2 * time.Second); runtime.NumGoroutine() > before && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine() - before; n > 0 {
		t.Errorf("Serve failed and left %d goroutines running", n)
	}
}
