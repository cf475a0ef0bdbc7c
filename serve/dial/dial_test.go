package dial_test

import (
	"context"
	"crypto/tls"
	"flag"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/resolver"
	"google.golang.org/grpc/resolver/manual"
	"google.golang.org/grpc/status"

	"github.com/gotutor/gotutor/internal/otlptest"
	"github.com/gotutor/gotutor/internal/testkit"
	"github.com/gotutor/gotutor/serve/dial"
	"github.com/gotutor/gotutor/serve/telemetry"
)

// server is a gRPC server on a loopback port that counts the calls it
// answers.
type server struct {
	addr  string
	calls atomic.Int64
}

// startServer serves health checks on a loopback port until the test
// ends, with opts (its credentials).
func startServer(t *testing.T, opts ...grpc.ServerOption) *server {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{addr: lis.Addr().String()}
	count := func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		s.calls.Add(1)
		return handler(ctx, req)
	}
	g := grpc.NewServer(append(opts, grpc.UnaryInterceptor(count))...)
	grpc_health_v1.RegisterHealthServer(g, health.NewServer())
	go func() { _ = g.Serve(lis) }()
	t.Cleanup(g.Stop)
	return s
}

// check makes one health check on conn.
func check(t *testing.T, conn *grpc.ClientConn) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, err := grpc_health_v1.NewHealthClient(conn).Check(ctx, &grpc_health_v1.HealthCheckRequest{})
	return err
}

// dialed returns cfg's connection to target, closed when the test ends.
func dialed(t *testing.T, cfg *dial.Config, target string, opts ...grpc.DialOption) *grpc.ClientConn {
	t.Helper()
	conn, err := cfg.Dial(target, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// parse binds a Config's flags under prefix and parses args.
func parse(t *testing.T, prefix string, args ...string) *dial.Config {
	t.Helper()
	var cfg dial.Config
	fs := flag.NewFlagSet(t.Name(), flag.ContinueOnError)
	cfg.BindFlags(fs, prefix)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return &cfg
}

// TestFlags checks the flags' names under a prefix and without one, and
// that they set what they name.
func TestFlags(t *testing.T) {
	for _, prefix := range []string{"", "upstream-"} {
		cfg := parse(t, prefix, "-"+prefix+"tls", "-"+prefix+"tls-ca=ca.pem", "-"+prefix+"tls-server-name=api.example.com", "-"+prefix+"tls-cert=c.pem", "-"+prefix+"tls-key=k.pem")
		want := dial.Config{TLS: true, CAFile: "ca.pem", ServerName: "api.example.com", CertFile: "c.pem", KeyFile: "k.pem"}
		if cfg.TLS != want.TLS || cfg.CAFile != want.CAFile || cfg.ServerName != want.ServerName || cfg.CertFile != want.CertFile || cfg.KeyFile != want.KeyFile {
			t.Errorf("prefix %q: the flags set %+v; want %+v", prefix, *cfg, want)
		}
	}
	var names []string
	fs := flag.NewFlagSet("names", flag.ContinueOnError)
	new(dial.Config).BindFlags(fs, "upstream-")
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if got, want := strings.Join(names, " "), "upstream-tls upstream-tls-ca upstream-tls-cert upstream-tls-key upstream-tls-server-name"; got != want {
		t.Errorf("the flags are %s; want %s", got, want)
	}
}

// TestFlagGiven checks that FlagGiven names each flag that sets a
// Config, with its prefix, and none of a Config no flag set.
func TestFlagGiven(t *testing.T) {
	if got := parse(t, "upstream-").FlagGiven(); got != "" {
		t.Errorf("no flags: FlagGiven %q, want none", got)
	}
	for _, name := range []string{"tls", "tls-ca=ca.pem", "tls-server-name=api", "tls-cert=c.pem", "tls-key=k.pem"} {
		flagName, _, _ := strings.Cut(name, "=")
		if got := parse(t, "upstream-", "-upstream-"+name).FlagGiven(); got != "-upstream-"+flagName {
			t.Errorf("-upstream-%s: FlagGiven %q, want -upstream-%s", name, got, flagName)
		}
	}
}

// TestHalfPair checks that a client certificate without its key, or a key
// without its certificate, is an error that names both flags, with their
// prefix.
func TestHalfPair(t *testing.T) {
	ca := testkit.NewCA(t)
	certFile, keyFile := ca.Client(t, "client")
	for _, c := range []struct {
		prefix string
		args   []string
		want   string
	}{
		{"", []string{"-tls-cert=" + certFile}, "-tls-cert is given without -tls-key"},
		{"", []string{"-tls-key=" + keyFile}, "-tls-key is given without -tls-cert"},
		{"upstream-", []string{"-upstream-tls-cert=" + certFile}, "-upstream-tls-cert is given without -upstream-tls-key"},
	} {
		cfg := parse(t, c.prefix, c.args...)
		if _, err := cfg.Dial("localhost:1"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Dial with %v: %v; want an error with %q", c.args, err, c.want)
		}
	}
}

// TestBadCA checks that a CA file without a certificate, or none at all,
// is an error that names the flag and the file.
func TestBadCA(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.pem")
	if err := os.WriteFile(empty, []byte("not a certificate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		empty:                                  "-tls-ca " + empty + ": no PEM certificate in it",
		filepath.Join(t.TempDir(), "none.pem"): "-tls-ca: open ",
	} {
		cfg := parse(t, "", "-tls-ca="+file)
		if _, err := cfg.Credentials(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("-tls-ca=%s: %v; want an error with %q", file, err, want)
		}
	}
}

// TestTLS checks that -tls-ca verifies a server whose certificate the CA
// signed, that -tls alone (the system's roots) refuses it, that a plain
// text connection does not reach it, and that -tls-server-name is the name
// verified.
func TestTLS(t *testing.T) {
	ca := testkit.NewCA(t)
	certFile, keyFile := ca.Server(t)
	creds, err := credentials.NewServerTLSFromFile(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t, grpc.Creds(creds))

	if err := check(t, dialed(t, parse(t, "", "-tls-ca="+ca.File), s.addr)); err != nil {
		t.Errorf("-tls-ca: %v", err)
	}
	if err := check(t, dialed(t, parse(t, "", "-tls-ca="+ca.File, "-tls-server-name=localhost"), s.addr)); err != nil {
		t.Errorf("-tls-ca -tls-server-name=localhost: %v", err)
	}
	if err := check(t, dialed(t, parse(t, "", "-tls-ca="+ca.File, "-tls-server-name=other.example.com"), s.addr)); status.Code(err) != codes.Unavailable {
		t.Errorf("-tls-server-name=other.example.com: %v; want Unavailable: the certificate is not for that name", err)
	}
	if err := check(t, dialed(t, parse(t, "", "-tls"), s.addr)); status.Code(err) != codes.Unavailable || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("-tls without -tls-ca: %v; want Unavailable about the certificate, which the system's roots do not trust", err)
	}
	if err := check(t, dialed(t, parse(t, ""), s.addr)); status.Code(err) != codes.Unavailable {
		t.Errorf("without TLS: %v; want Unavailable", err)
	}
	if s.calls.Load() != 2 {
		t.Errorf("the server answered %d calls; want 2, those with its CA", s.calls.Load())
	}
}

// TestMutualTLS checks that -tls-cert and -tls-key give a server that
// requires a client certificate one that it accepts, and that without
// them, or with a certificate that its CA did not sign, it refuses the
// connection.
func TestMutualTLS(t *testing.T) {
	ca := testkit.NewCA(t)
	certFile, keyFile := ca.Server(t)
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t, grpc.Creds(credentials.NewTLS(&tls.Config{
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    ca.Pool,
	})))
	clientCert, clientKey := ca.Client(t, "client")
	otherCert, otherKey := testkit.NewCA(t).Client(t, "stranger")

	if err := check(t, dialed(t, parse(t, "", "-tls-ca="+ca.File, "-tls-cert="+clientCert, "-tls-key="+clientKey), s.addr)); err != nil {
		t.Errorf("with the client certificate: %v", err)
	}
	if err := check(t, dialed(t, parse(t, "", "-tls-ca="+ca.File), s.addr)); status.Code(err) != codes.Unavailable {
		t.Errorf("without a client certificate: %v; want Unavailable", err)
	}
	if err := check(t, dialed(t, parse(t, "", "-tls-ca="+ca.File, "-tls-cert="+otherCert, "-tls-key="+otherKey), s.addr)); status.Code(err) != codes.Unavailable {
		t.Errorf("with a certificate of another CA: %v; want Unavailable", err)
	}
	if s.calls.Load() != 1 {
		t.Errorf("the server answered %d calls; want 1, the one with the client certificate", s.calls.Load())
	}
}

// TestRoundRobin checks that a target that resolves to two servers gets
// calls to both, where gRPC's default (pick_first, without Dial's service
// configuration) sends them all to one.
func TestRoundRobin(t *testing.T) {
	a, b := startServer(t), startServer(t)
	resolved := func() *manual.Resolver {
		r := manual.NewBuilderWithScheme("pods")
		r.InitialState(resolver.State{Addresses: []resolver.Address{{Addr: a.addr}, {Addr: b.addr}}})
		return r
	}

	r := resolved()
	plain, err := grpc.NewClient(r.Scheme()+":///greeter", grpc.WithResolvers(r), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	for range 20 {
		if err := check(t, plain); err != nil {
			t.Fatal(err)
		}
	}
	if a.calls.Load() != 20 && b.calls.Load() != 20 {
		t.Fatalf("without the service configuration, the servers answered %d and %d calls; want all 20 by one (pick_first), so that the test shows what round_robin changes", a.calls.Load(), b.calls.Load())
	}

	a.calls.Store(0)
	b.calls.Store(0)
	r = resolved()
	conn := dialed(t, &dial.Config{}, r.Scheme()+":///greeter", grpc.WithResolvers(r))
	// round_robin takes the addresses that are connected in turn: the
	// first calls may find one of them still connecting.
	deadline := time.Now().Add(10 * time.Second)
	n := 0
	for a.calls.Load() == 0 || b.calls.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("after %d calls, the servers answered %d and %d; want both some", n, a.calls.Load(), b.calls.Load())
		}
		if err := check(t, conn); err != nil {
			t.Fatal(err)
		}
		n++
	}
	// Once both are connected, they take turns.
	a.calls.Store(0)
	b.calls.Store(0)
	for range 10 {
		if err := check(t, conn); err != nil {
			t.Fatal(err)
		}
	}
	if a.calls.Load() != 5 || b.calls.Load() != 5 {
		t.Errorf("10 calls once both servers were connected: %d and %d; want 5 each", a.calls.Load(), b.calls.Load())
	}
}

// TestTracing checks that once the program's tracing is on, each call of
// a connection of Dial is a client span whose trace the server's span of
// it continues (the traceparent went with the call), and that without it
// the call carries no trace context.
func TestTracing(t *testing.T) {
	receiver, err := otlptest.StartGRPC(true)
	if err != nil {
		t.Fatal(err)
	}
	defer receiver.Stop()
	for _, k := range []string{"OTEL_SDK_DISABLED", "OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_TRACES_SAMPLER"} {
		t.Setenv(k, "")
	}
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Endpoint)
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
	tracing, err := telemetry.Start(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// The server sees the traceparent of each call.
	var mu sync.Mutex
	var traceparents []string
	seen := func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		md, _ := metadata.FromIncomingContext(ctx)
		mu.Lock()
		traceparents = append(traceparents, strings.Join(md.Get("traceparent"), ","))
		mu.Unlock()
		return handler(ctx, req)
	}
	s := startServer(t, grpc.StatsHandler(tracing.ServerHandler()), grpc.ChainUnaryInterceptor(seen))
	var cfg dial.Config
	if err := check(t, dialed(t, &cfg, s.addr)); err != nil {
		t.Fatal(err)
	}
	if err := tracing.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	spans := receiver.Spans()
	var client, server otlptest.Span
	for _, span := range spans {
		switch span.GetKind() {
		case tracepb.Span_SPAN_KIND_CLIENT:
			client = span
		case tracepb.Span_SPAN_KIND_SERVER:
			server = span
		}
	}
	if len(spans) != 2 || client.Span == nil || server.Span == nil {
		t.Fatalf("spans %v; want a client span and a server span", spans)
	}
	if client.GetName() != "grpc.health.v1.Health/Check" || server.TraceID() != client.TraceID() || server.ParentID() != client.SpanID() {
		t.Errorf("client span %s %s/%s, server span %s/%s parent %s; want the server's the child of the client's",
			client.GetName(), client.TraceID(), client.SpanID(), server.TraceID(), server.SpanID(), server.ParentID())
	}
	mu.Lock()
	defer mu.Unlock()
	if want := "00-" + client.TraceID() + "-" + client.SpanID() + "-01"; len(traceparents) != 1 || traceparents[0] != want {
		t.Errorf("traceparent %q, want %q", traceparents, want)
	}

	// Tracing off (shut down): no handler, no trace context.
	traceparents = nil
	mu.Unlock()
	err = check(t, dialed(t, &cfg, s.addr))
	mu.Lock()
	if err != nil {
		t.Fatal(err)
	}
	if len(traceparents) != 1 || traceparents[0] != "" {
		t.Errorf("traceparent %q with tracing off, want none", traceparents)
	}
}
