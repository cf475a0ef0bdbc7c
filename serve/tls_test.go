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

// TestMutualTLS checks that -tls-client-ca makes the server require a
// client certificate signed by that CA, on the one port (gRPC and HTTP
// alike) and without OnePort: a client with one is served; one without,
// or with a certificate of another CA, is refused.
func TestMutualTLS(t *testing.T) {
	ca, other := testkit.NewCA(t), testkit.NewCA(t)
	certFile, keyFile := ca.Server(t)
	clientCert := loadPair(t)(ca.Client(t, "team-a"))
	strangerCert := loadPair(t)(other.Client(t, "stranger"))
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
			// Over TCP: on an in-memory pipe, which has no buffer, a refused
			// client and the server would each wait on a write to the other.
			lis, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			serveOn(t, cfg, lis, nil, registerProbe, []string{"-tls-cert=" + certFile, "-tls-key=" + keyFile, "-tls-client-ca=" + ca.File})
			addr := lis.Addr().String()
			for _, c := range []struct {
				name  string
				certs []tls.Certificate
				ok    bool
			}{{"the CA's client", []tls.Certificate{clientCert}, true}, {"no certificate", nil, false}, {"another CA's client", []tls.Certificate{strangerCert}, false}} {
				creds := credentials.NewTLS(&tls.Config{RootCAs: ca.Pool, ServerName: "localhost", Certificates: c.certs})
				conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(creds))
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
				err = echo(ctx, conn, "x")
				cancel()
				_ = conn.Close()
				if c.ok && err != nil {
					t.Errorf("gRPC with %s: %v, want served", c.name, err)
				}
				if !c.ok && status.Code(err) != codes.Unavailable {
					t.Errorf("gRPC with %s: %v, want Unavailable (refused in the handshake)", c.name, err)
				}
				if grpcOnly {
					continue
				}
				client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
					TLSClientConfig:   &tls.Config{RootCAs: ca.Pool, ServerName: "localhost", Certificates: c.certs},
					ForceAttemptHTTP2: true,
				}}
				health := connect.NewClient[grpc_health_v1.HealthCheckRequest, grpc_health_v1.HealthCheckResponse](client, "https://"+addr+"/grpc.health.v1.Health/Check")
				_, err = health.CallUnary(t.Context(), connect.NewRequest(&grpc_health_v1.HealthCheckRequest{}))
				client.CloseIdleConnections()
				if c.ok != (err == nil) {
					t.Errorf("Connect with %s: %v, want served: %v", c.name, err, c.ok)
				}
			}
		})
	}
}

// loadPair returns a function that loads a certificate and its key, as
// testkit.CA's methods return their files.
func loadPair(t *testing.T) func(certFile, keyFile string) tls.Certificate {
	return func(certFile, keyFile string) tls.Certificate {
		t.Helper()
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			t.Fatal(err)
		}
		return cert
	}
}

// TestMutualTLSErrors checks the errors of -tls-client-ca given without
// the server's certificate, or with a file that holds no certificate.
func TestMutualTLSErrors(t *testing.T) {
	certFile, keyFile, _ := testkit.SelfSigned(t)
	notPEM := filepath.Join(t.TempDir(), "ca.pem")
	testkit.WriteFile(t, notPEM, "not a certificate")
	for _, c := range []struct {
		cfg  serve.Config
		want string
	}{
		{serve.Config{ClientCAFile: notPEM}, "-tls-client-ca needs -tls-cert and -tls-key: clients are verified over TLS"},
		{serve.Config{CertFile: certFile, KeyFile: keyFile, ClientCAFile: notPEM}, "-tls-client-ca " + notPEM + ": no PEM certificate in it"},
	} {
		if _, err := c.cfg.ServerOptions(); err == nil || err.Error() != c.want {
			t.Errorf("ServerOptions: %v, want %q", err, c.want)
		}
		c.cfg.OnePort = oneport.Split
		if _, _, err := oneport.Split(&c.cfg, serve.NewMemListener(), grpc.NewServer(), slog.New(slog.DiscardHandler), nil); err == nil || err.Error() != c.want {
			t.Errorf("oneport.Split: %v, want %q", err, c.want)
		}
	}
}
