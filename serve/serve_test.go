package serve_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/oneport"
	"github.com/gotutor/gotutor/serve/servetest"
)

// probeService is the service that the tests call: Echo answers its
// request, Panic panics as a nil dereference in a method would, and Hold
// (a stream) returns only when the call ends. It is declared by hand, so
// no descriptor of it is registered: Vanguard serves it over gRPC only.
const probeService = "gotutor.test.Probe"

var probeDesc = grpc.ServiceDesc{
	ServiceName: probeService,
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{
		{MethodName: "Echo", Handler: probeUnary("Echo", func(req *wrapperspb.StringValue) *wrapperspb.StringValue { return req })},
		{MethodName: "Panic", Handler: probeUnary("Panic", func(*wrapperspb.StringValue) *wrapperspb.StringValue { panic("boom") })},
	},
	Streams: []grpc.StreamDesc{{StreamName: "Hold", ServerStreams: true, Handler: func(_ any, stream grpc.ServerStream) error {
		<-stream.Context().Done()
		return stream.Context().Err()
	}}},
}

// probeUnary makes the handler of the unary method name of f, through the
// server's interceptors.
func probeUnary(name string, f func(*wrapperspb.StringValue) *wrapperspb.StringValue) func(any, context.Context, func(any) error, grpc.UnaryServerInterceptor) (any, error) {
	return func(srv any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
		req := &wrapperspb.StringValue{}
		if err := dec(req); err != nil {
			return nil, err
		}
		handler := func(_ context.Context, req any) (any, error) { return f(req.(*wrapperspb.StringValue)), nil }
		if interceptor == nil {
			return handler(ctx, req)
		}
		return interceptor(ctx, req, &grpc.UnaryServerInfo{Server: srv, FullMethod: "/" + probeService + "/" + name}, handler)
	}
}

// registerProbe registers the probe on server.
func registerProbe(server *grpc.Server) { server.RegisterService(&probeDesc, nil) }

// echo calls the probe's Echo with value over conn and checks the answer.
func echo(ctx context.Context, conn grpc.ClientConnInterface, value string) error {
	resp := &wrapperspb.StringValue{}
	if err := conn.Invoke(ctx, "/"+probeService+"/Echo", wrapperspb.String(value), resp); err != nil {
		return err
	}
	if resp.GetValue() != value {
		return fmt.Errorf("Echo(%q) answered %q", value, resp.GetValue())
	}
	return nil
}

// logger is a log that tests read while the server writes it.
type logger interface{ String() string }

// wantLog fails the test unless the log holds each of want.
func wantLog(t *testing.T, log logger, want ...string) {
	t.Helper()
	got := log.String()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("the log lacks %s:\n%s", w, got)
		}
	}
}

// get fetches url with client and returns the status code and body.
func get(t *testing.T, client *http.Client, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// served is a server of serveOn.
type served struct {
	conn *grpc.ClientConn
	log  *servetest.Log
	stop func() error
}

// serveOn serves services as a main does, with cfg configured by the flags
// args, on lis, with the server that cfg.NewServer makes with opts, until
// the test ends or stop is called. It is servetest.Start on any listener.
func serveOn(t *testing.T, cfg serve.Config, lis net.Listener, services []serve.Service, register func(*grpc.Server), args []string, opts ...grpc.ServerOption) *served {
	t.Helper()
	fs := flag.NewFlagSet(t.Name(), flag.ContinueOnError)
	cfg.BindFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	s := &served{log: &servetest.Log{}}
	logger, err := cfg.NewLogger(s.log)
	if err != nil {
		t.Fatal(err)
	}
	server, err := cfg.NewServer(logger, services, opts...)
	if err != nil {
		t.Fatal(err)
	}
	register(server)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cfg.Serve(ctx, lis, server, logger, services) }()
	dial := func(ctx context.Context, _ string) (net.Conn, error) {
		if mem, ok := lis.(*serve.MemListener); ok {
			return mem.Dial(ctx, "")
		}
		var d net.Dialer
		return d.DialContext(ctx, "tcp", lis.Addr().String())
	}
	s.conn, err = grpc.NewClient("passthrough:///"+lis.Addr().String(), grpc.WithContextDialer(dial), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	var stopped bool
	var serveErr error
	s.stop = func() error {
		if !stopped {
			stopped = true
			cancel()
			serveErr = <-done
		}
		return serveErr
	}
	t.Cleanup(func() {
		_ = s.conn.Close()
		if err := s.stop(); err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return s
}

// allFlags sets every flag of BindFlags.
var allFlags = []string{"-addr=:8080", "-tls-cert=cert.pem", "-tls-key=key.pem", "-grace=3s", "-max-recv-msg-size=100", "-max-send-msg-size=200", "-max-concurrent-streams=7", "-keepalive-min-time=1m", "-keepalive-permit-without-stream", "-keepalive-time=1h", "-keepalive-timeout=5s", "-max-connection-idle=2m", "-max-connection-age=3m", "-max-connection-age-grace=4s", "-log-format=json", "-log-level=debug", "-first-request-timeout=5s", "-tls-handshake-timeout=6s", "-metrics-addr=:9090"}

// allSet is the Config that allFlags sets.
var allSet = serve.Config{Addr: ":8080", CertFile: "cert.pem", KeyFile: "key.pem", Grace: 3 * time.Second, MaxRecvMsgSize: 100, MaxSendMsgSize: 200, MaxConcurrentStreams: 7,
	KeepaliveMinTime: time.Minute, KeepalivePermitWithoutStream: true, KeepaliveTime: time.Hour, KeepaliveTimeout: 5 * time.Second,
	MaxConnectionIdle: 2 * time.Minute, MaxConnectionAge: 3 * time.Minute, MaxConnectionAgeGrace: 4 * time.Second, LogFormat: "json", LogLevel: "debug",
	FirstRequestTimeout: 5 * time.Second, TLSHandshakeTimeout: 6 * time.Second, MetricsAddr: ":9090"}

// httpFlags sets the flags of BindFlags that only a server with OnePort
// has, to what httpSet says.
var httpFlags = []string{"-cors-origins=https://example.com", "-read-header-timeout=7s", "-read-body-timeout=8s", "-idle-timeout=9s"}

// httpSet sets in c what httpFlags set.
func httpSet(c serve.Config) serve.Config {
	c.CORSOrigins, c.ReadHeaderTimeout, c.ReadBodyTimeout, c.IdleTimeout = "https://example.com", 7*time.Second, 8*time.Second, 9*time.Second
	return c
}

// TestFlags checks the flags' defaults, that each sets what it names, and
// the errors of bad values.
func TestFlags(t *testing.T) {
	cfg := serve.Config{OnePort: oneport.Split}
	fs := flag.NewFlagSet("test-server", flag.ContinueOnError)
	cfg.BindFlags(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	defaults := serve.Config{Addr: serve.DefaultAddr, Grace: 10 * time.Second, MaxRecvMsgSize: 4 << 20, MaxSendMsgSize: 4 << 20, MaxConcurrentStreams: 1000,
		KeepaliveMinTime: 10 * time.Second, KeepaliveTime: 2 * time.Hour, KeepaliveTimeout: 20 * time.Second, LogFormat: "text", LogLevel: "info",
		FirstRequestTimeout: 10 * time.Second, TLSHandshakeTimeout: 10 * time.Second, ReadHeaderTimeout: 10 * time.Second, ReadBodyTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	if got := withoutOnePort(cfg); !reflect.DeepEqual(got, defaults) {
		t.Errorf("defaults %+v, want %+v", got, defaults)
	}
	if serve.DefaultAddr != "localhost:50051" {
		t.Errorf("DefaultAddr %q, want localhost:50051", serve.DefaultAddr)
	}
	if err := fs.Parse(append(allFlags, httpFlags...)); err != nil {
		t.Fatal(err)
	}
	want := httpSet(allSet)
	if got := withoutOnePort(cfg); !reflect.DeepEqual(got, want) {
		t.Errorf("flags set %+v, want %+v", got, want)
	}
	for _, c := range []struct{ format, level, err string }{
		{"yaml", "info", `-log-format "yaml": want text or json`},
		{"text", "loud", `-log-level "loud": want debug, info, warn or error`},
	} {
		cfg.LogFormat, cfg.LogLevel = c.format, c.level
		if _, err := cfg.NewLogger(io.Discard); err == nil || err.Error() != c.err {
			t.Errorf("NewLogger with -log-format=%s -log-level=%s: %v, want %s", c.format, c.level, err, c.err)
		}
	}
}

// withoutOnePort is c with OnePort nil: reflect.DeepEqual finds no two
// funcs equal but nil ones.
func withoutOnePort(c serve.Config) serve.Config {
	c.OnePort = nil
	return c
}

// TestFlagsGRPCOnly checks that a server without OnePort has every flag but
// those of HTTP (-cors-origins and HTTP's timeouts), and that no flag
// chooses the protocols.
func TestFlagsGRPCOnly(t *testing.T) {
	cfg := serve.Config{}
	fs := flag.NewFlagSet("test-server", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg.BindFlags(fs)
	for _, f := range httpFlags {
		name, _, _ := strings.Cut(strings.TrimPrefix(f, "-"), "=")
		if fs.Lookup(name) != nil {
			t.Errorf("a server without OnePort has -%s", name)
		}
	}
	for _, name := range []string{"grpc-only", "grpconly"} {
		if fs.Lookup(name) != nil {
			t.Errorf("the flag -%s chooses the protocols", name)
		}
	}
	if err := fs.Parse(allFlags); err != nil {
		t.Fatal(err)
	}
	if want := allSet; !reflect.DeepEqual(cfg, want) {
		t.Errorf("flags set %+v, want %+v", cfg, want)
	}
	err := fs.Parse([]string{"-cors-origins=https://example.com"})
	if want := "flag provided but not defined: -cors-origins"; err == nil || err.Error() != want {
		t.Errorf("-cors-origins on a server without OnePort: %v, want %s", err, want)
	}
}

// TestRecoversPanics checks that a method that panics answers
// codes.Internal with a plain message, that the panic is logged with its
// method and stack, and that the server goes on serving.
func TestRecoversPanics(t *testing.T) {
	s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, nil, registerProbe, "-log-format=json")
	for i := range 2 {
		err := s.Conn.Invoke(t.Context(), "/"+probeService+"/Panic", wrapperspb.String("x"), &wrapperspb.StringValue{})
		if st := status.Convert(err); st.Code() != codes.Internal || st.Message() != "internal error" {
			t.Fatalf("call %d of Panic: %v, want Internal: internal error", i, err)
		}
	}
	resp, err := grpc_health_v1.NewHealthClient(s.Conn).Check(t.Context(), &grpc_health_v1.HealthCheckRequest{Service: probeService})
	if err != nil || resp.GetStatus() != grpc_health_v1.HealthCheckResponse_SERVING {
		t.Errorf("health after the panics: %v, %v; want SERVING", resp, err)
	}
	if err := echo(t.Context(), s.Conn, "after"); err != nil {
		t.Errorf("Echo after the panics: %v", err)
	}
	wantLog(t, s.Log, `"msg":"panic","method":"/gotutor.test.Probe/Panic","panic":"boom","stack":"goroutine `, `"msg":"call","method":"/gotutor.test.Probe/Panic","peer":"pipe","code":"Internal"`)
}

// TestGraceBound checks that a call that never ends does not hold up the
// server's stop past -grace, and that the log says so.
func TestGraceBound(t *testing.T) {
	s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, nil, registerProbe, "-grace=200ms")
	stream, err := s.Conn.NewStream(t.Context(), &probeDesc.Streams[0], "/"+probeService+"/Hold")
	if err == nil {
		err = stream.SendMsg(wrapperspb.String("x"))
	}
	if err != nil {
		t.Fatal(err)
	}
	// A call after it on the same connection makes sure that it reached
	// the server.
	if err := echo(t.Context(), s.Conn, "x"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := s.Stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	if took := time.Since(start); took < 200*time.Millisecond || took > 200*time.Millisecond+2*time.Second {
		t.Errorf("the server took %v to stop, with a grace of 200ms", took)
	}
	if err := stream.RecvMsg(&wrapperspb.StringValue{}); status.Code(err) != codes.Unavailable {
		t.Errorf("the call held past the grace: %v, want Unavailable", err)
	}
	wantLog(t, s.Log, `msg="shutting down" grace=200ms`, `level=WARN msg="stopped: the grace period ended the calls still open" grace=200ms`)
	if strings.Contains(s.Log.String(), "stopped: every call finished") {
		t.Errorf("the log says that every call finished:\n%s", s.Log)
	}
}

// TestStopsGracefully checks that a server without calls in flight stops
// at once, says so, and answers health checks NOT_SERVING meanwhile.
func TestStopsGracefully(t *testing.T) {
	s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, nil, registerProbe, "-grace=1m")
	if err := echo(t.Context(), s.Conn, "x"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := s.Stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the server took %v to stop without calls", took)
	}
	wantLog(t, s.Log, `msg="shutting down" grace=1m0s`, `msg="stopped: every call finished"`)
	if err := echo(t.Context(), s.Conn, "x"); status.Code(err) != codes.Unavailable {
		t.Errorf("Echo after the stop: %v, want Unavailable", err)
	}
}

// TestMaxRecvMsgSize checks that -max-recv-msg-size takes effect: a request
// one byte over it gets codes.ResourceExhausted, one at it goes through.
func TestMaxRecvMsgSize(t *testing.T) {
	req := wrapperspb.String("a request of some size")
	s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, nil, registerProbe, fmt.Sprintf("-max-recv-msg-size=%d", proto.Size(req)))
	if err := echo(t.Context(), s.Conn, req.Value); err != nil {
		t.Errorf("a request at -max-recv-msg-size: %v", err)
	}
	err := echo(t.Context(), s.Conn, req.Value+"!")
	if got := status.Code(err); got != codes.ResourceExhausted {
		t.Errorf("a request over -max-recv-msg-size: code %v (%v), want ResourceExhausted", got, err)
	}
}

// TestLogsRefusedCalls checks that native gRPC calls refused before they
// reach a method have their access-log line too: a request that does not
// decode (InvalidArgument, as over the other protocols, where gRPC alone
// would answer Internal before any interceptor), and a method or a service
// that the server lacks (Unimplemented), for both kinds of port.
func TestLogsRefusedCalls(t *testing.T) {
	undecodable := &emptypb.Empty{}
	undecodable.ProtoReflect().SetUnknown([]byte{0x0a, 0xff}) // field 1, a length cut short
	for _, cfg := range []serve.Config{{OnePort: oneport.Split}, {}} {
		s := servetest.Start(t, cfg, nil, registerProbe, "-log-format=json")
		for _, c := range []struct {
			method string
			code   codes.Code
			msg    string
		}{
			{"/" + probeService + "/Echo", codes.InvalidArgument, "the request's message does not decode: "},
			{"/" + probeService + "/Nope", codes.Unimplemented, "unknown method Nope for service gotutor.test.Probe"},
			{"/no.Such/Method", codes.Unimplemented, "unknown service no.Such"},
		} {
			err := s.Conn.Invoke(t.Context(), c.method, undecodable, &emptypb.Empty{})
			// (protobuf's errors vary their text on purpose: only the
			// start of the message is compared.)
			if st := status.Convert(err); st.Code() != c.code || !strings.HasPrefix(st.Message(), c.msg) {
				t.Errorf("%s: %v, want %v: %s", c.method, err, c.code, c.msg)
			}
			want := fmt.Sprintf(`"level":"WARN","msg":"call","method":%q,"peer":"pipe","code":%q,"duration":`, c.method, c.code.String())
			waitLog(t, s.Log, want)
		}
		if n := strings.Count(s.Log.String(), `"msg":"call"`); n != 3 {
			t.Errorf("%d calls logged, want 3:\n%s", n, s.Log)
		}
	}
}

// TestWarnsUnwritten checks that the log names the methods not written yet
// when the server starts.
func TestWarnsUnwritten(t *testing.T) {
	s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, []serve.Service{
		{Name: probeService, Unwritten: []string{"/" + probeService + "/Echo", "/" + probeService + "/Panic"}, Fallback: "DefaultProbeServer"},
		{Name: "a.A"},
	}, registerProbe)
	if err := s.Stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	wantLog(t, s.Log,
		`level=WARN msg="not written yet: DefaultProbeServer answers with example values" method=/gotutor.test.Probe/Echo`,
		`level=WARN msg="not written yet: DefaultProbeServer answers with example values" method=/gotutor.test.Probe/Panic`,
		`level=INFO msg=serving service="gotutor.test.Probe, a.A" addr=memory`)
	if n := strings.Count(s.Log.String(), "not written yet"); n != 2 {
		t.Errorf("%d warnings of methods not written, want 2:\n%s", n, s.Log)
	}
}

// TestProtocols checks that the one port answers Connect (JSON and binary)
// and gRPC-Web, here on the health service, through the interceptors.
func TestProtocols(t *testing.T) {
	// At debug: the health checks that answer are logged there.
	s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, nil, registerProbe, "-log-format=json", "-log-level=debug")
	for name, opts := range map[string][]connect.ClientOption{
		"Connect JSON":   {connect.WithProtoJSON()},
		"Connect binary": nil,
		"gRPC-Web":       {connect.WithGRPCWeb()},
	} {
		client := connect.NewClient[grpc_health_v1.HealthCheckRequest, grpc_health_v1.HealthCheckResponse](s.HTTP, "http://memory/grpc.health.v1.Health/Check", opts...)
		resp, err := client.CallUnary(t.Context(), connect.NewRequest(&grpc_health_v1.HealthCheckRequest{}))
		if err != nil || resp.Msg.GetStatus() != grpc_health_v1.HealthCheckResponse_SERVING {
			t.Errorf("%s: health check: %v, %v; want SERVING", name, resp, err)
		}
		// A service that does not exist: the error comes back in the
		// protocol's own way.
		client = connect.NewClient[grpc_health_v1.HealthCheckRequest, grpc_health_v1.HealthCheckResponse](s.HTTP, "http://memory/grpc.health.v1.Health/Check", opts...)
		_, err = client.CallUnary(t.Context(), connect.NewRequest(&grpc_health_v1.HealthCheckRequest{Service: "no.Such"}))
		if connect.CodeOf(err) != connect.CodeNotFound {
			t.Errorf("%s: health check of no.Such: %v, want NotFound", name, err)
		}
	}
	if n := strings.Count(s.Log.String(), `"msg":"call","method":"/grpc.health.v1.Health/Check"`); n != 6 {
		t.Errorf("%d calls of Check logged, want 6:\n%s", n, s.Log)
	}
	wantLog(t, s.Log, `"level":"WARN","msg":"served over gRPC only: no descriptor registered","service":"gotutor.test.Probe"`)
}

// TestH2C checks that the one port serves HTTP/2 without TLS (h2c), as
// Connect clients speak to a server in a cluster: several calls of every
// protocol and the page on one connection. (A real listener: over
// MemListener's net.Pipe, which has no buffer, the HTTP/2 client and the
// server would each wait for the other to read.)
func TestH2C(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := serveOn(t, serve.Config{OnePort: oneport.Split}, lis, []serve.Service{{Name: probeService, Page: "page of the probe"}}, registerProbe, []string{"-log-format=json", "-log-level=debug"})
	var h2c http.Protocols
	h2c.SetUnencryptedHTTP2(true)
	var dials atomic.Int32
	client := &http.Client{Transport: &http.Transport{
		Protocols: &h2c,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}}
	t.Cleanup(client.CloseIdleConnections)
	for range 2 {
		for _, opts := range [][]connect.ClientOption{{connect.WithProtoJSON()}, {connect.WithGRPCWeb()}, nil} {
			health := connect.NewClient[grpc_health_v1.HealthCheckRequest, grpc_health_v1.HealthCheckResponse](client, "http://"+lis.Addr().String()+"/grpc.health.v1.Health/Check", opts...)
			resp, err := health.CallUnary(t.Context(), connect.NewRequest(&grpc_health_v1.HealthCheckRequest{}))
			if err != nil || resp.Msg.GetStatus() != grpc_health_v1.HealthCheckResponse_SERVING {
				t.Errorf("health check over h2c: %v, %v; want SERVING", resp, err)
			}
		}
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://"+lis.Addr().String()+"/", nil)
		if err != nil {
			t.Fatal(err)
		}
		page, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(page.Body)
		page.Body.Close()
		if err != nil || page.StatusCode != http.StatusOK || page.ProtoMajor != 2 || string(body) != "page of the probe" {
			t.Errorf("GET / over h2c: %s %s %q %v, want the page over HTTP/2", page.Proto, page.Status, body, err)
		}
	}
	if n := dials.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
	if n := strings.Count(s.log.String(), `"msg":"call","method":"/grpc.health.v1.Health/Check","peer":"127.0.0.1:`); n != 6 {
		t.Errorf("%d calls of Check logged, want 6:\n%s", n, s.log)
	}
}

// TestHealthChecksAtDebug checks the access log of health checks, which
// Kubernetes' probes make every few seconds: at info, those that answer
// are left out, while those that fail are warnings and other calls are
// logged as ever; at debug, they are there too, on every protocol.
func TestHealthChecksAtDebug(t *testing.T) {
	for _, level := range []string{"info", "debug"} {
		t.Run(level, func(t *testing.T) {
			s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, nil, registerProbe, "-log-format=json", "-log-level="+level)
			health := grpc_health_v1.NewHealthClient(s.Conn)
			if _, err := health.Check(t.Context(), &grpc_health_v1.HealthCheckRequest{}); err != nil {
				t.Fatal(err)
			}
			healthCheck(t, s.HTTP, "http://memory")
			if _, err := health.Check(t.Context(), &grpc_health_v1.HealthCheckRequest{Service: "no.Such"}); status.Code(err) != codes.NotFound {
				t.Fatalf("health check of no.Such: %v, want NotFound", err)
			}
			if err := echo(t.Context(), s.Conn, "x"); err != nil {
				t.Fatal(err)
			}
			okChecks := 0
			if level == "debug" {
				okChecks = 2
			}
			log := s.Log.String()
			if n := strings.Count(log, `"level":"DEBUG","msg":"call","method":"/grpc.health.v1.Health/Check"`); n != okChecks {
				t.Errorf("%d health checks that answered logged at debug, want %d:\n%s", n, okChecks, log)
			}
			if n := strings.Count(log, `"msg":"call","method":"/grpc.health.v1.Health/Check"`); n != okChecks+1 {
				t.Errorf("%d health checks logged, want %d:\n%s", n, okChecks+1, log)
			}
			wantLog(t, s.Log, `"level":"WARN","msg":"call","method":"/grpc.health.v1.Health/Check","peer":"pipe","code":"NotFound"`,
				`"level":"INFO","msg":"call","method":"/gotutor.test.Probe/Echo"`)
		})
	}
}

// TestAccessLogPeer checks that the access log names the client of a call
// of another protocol over a real TCP listener, not the in-memory
// connection that carries it to the gRPC server, and that a client cannot
// name itself.
func TestAccessLogPeer(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := serveOn(t, serve.Config{OnePort: oneport.Split}, lis, nil, registerProbe, []string{"-log-format=json", "-log-level=debug"})
	httpClient := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(httpClient.CloseIdleConnections)
	client := connect.NewClient[grpc_health_v1.HealthCheckRequest, grpc_health_v1.HealthCheckResponse](httpClient, "http://"+lis.Addr().String()+"/grpc.health.v1.Health/Check", connect.WithProtoJSON())
	req := connect.NewRequest(&grpc_health_v1.HealthCheckRequest{})
	req.Header().Set("Gotutor-Client-Addr", "203.0.113.1:1")
	if _, err := client.CallUnary(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	// Native gRPC, with the same header.
	ctx := metadata.AppendToOutgoingContext(t.Context(), "gotutor-client-addr", "203.0.113.1:1")
	if err := echo(ctx, s.conn, "x"); err != nil {
		t.Fatal(err)
	}
	wantLog(t, s.log, `"msg":"call","method":"/grpc.health.v1.Health/Check","peer":"127.0.0.1:`, `"msg":"call","method":"/gotutor.test.Probe/Echo","peer":"127.0.0.1:`)
	for _, bad := range []string{"203.0.113.1", "bufconn"} {
		if strings.Contains(s.log.String(), bad) {
			t.Errorf("the log names %s as a peer:\n%s", bad, s.log)
		}
	}
}

// TestPages checks that / shows the page of the only service, or a list
// of the services, each page at /services/<name>.
func TestPages(t *testing.T) {
	t.Run("one", func(t *testing.T) {
		s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, []serve.Service{{Name: "a.A", Page: "page of a.A"}}, registerProbe)
		if code, body := get(t, s.HTTP, "http://memory/"); code != 200 || body != "page of a.A" {
			t.Errorf("GET /: %d %q, want the page of a.A", code, body)
		}
		if code, body := get(t, s.HTTP, "http://memory/services/a.A"); code != 200 || body != "page of a.A" {
			t.Errorf("GET /services/a.A: %d %q, want the page of a.A", code, body)
		}
	})
	t.Run("several", func(t *testing.T) {
		s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, []serve.Service{{Name: "b.B", Page: "page of b.B"}, {Name: "a.A", Page: "page of a.A"}}, registerProbe)
		want := "<!DOCTYPE html>\n" +
			`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Services</title></head><body><h1>Services</h1><ul>` + "\n" +
			`<li><a href="/services/a.A">a.A</a></li>` + "\n" +
			`<li><a href="/services/b.B">b.B</a></li>` + "\n" +
			"</ul></body></html>\n"
		if code, body := get(t, s.HTTP, "http://memory/"); code != 200 || body != want {
			t.Errorf("GET /: %d, not the sorted list of services:\n%s", code, body)
		}
		if code, body := get(t, s.HTTP, "http://memory/services/b.B"); code != 200 || body != "page of b.B" {
			t.Errorf("GET /services/b.B: %d %q, want the page of b.B", code, body)
		}
		if code, _ := get(t, s.HTTP, "http://memory/services/c.C"); code != http.StatusNotFound {
			t.Errorf("GET /services/c.C: %d, want 404", code)
		}
	})
}

// TestCORS checks that pages of the -cors-origins may call the server from
// a browser (the preflight request is answered, and the call's response
// names the origin), and that others may not: their preflight requests
// and calls are refused, 403, before any method runs; and that the
// server's own pages (its origin) may.
func TestCORS(t *testing.T) {
	for _, c := range []struct {
		flag, origin, want string
	}{
		{"https://example.com, https://other.example", "https://example.com", "https://example.com"},
		{"https://example.com, https://other.example", "https://other.example", "https://other.example"},
		{"https://example.com", "https://elsewhere.example", ""},
		{"*", "https://elsewhere.example", "https://elsewhere.example"},
		{"", "https://example.com", ""},
		{"", "http://memory", ""},
		{"https://example.com", "http://MEMORY:80", ""},
	} {
		// The server's own origin, whatever -cors-origins says.
		own := strings.EqualFold(strings.TrimSuffix(c.origin, ":80"), "http://memory")
		s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, nil, registerProbe, "-cors-origins="+c.flag)
		req, err := http.NewRequestWithContext(t.Context(), http.MethodOptions, "http://memory/grpc.health.v1.Health/Check", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Origin", c.origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		resp, err := s.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != c.want {
			t.Errorf("-cors-origins=%s: preflight from %s: Access-Control-Allow-Origin %q, want %q", c.flag, c.origin, got, c.want)
		}
		if c.want != "" && (resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Methods") != "GET, POST, PUT, PATCH, DELETE") {
			t.Errorf("-cors-origins=%s: preflight from %s: %s, methods %q", c.flag, c.origin, resp.Status, resp.Header.Get("Access-Control-Allow-Methods"))
		}
		if c.want == "" && !own && resp.StatusCode != http.StatusForbidden {
			t.Errorf("-cors-origins=%s: preflight from %s: %s, want 403", c.flag, c.origin, resp.Status)
		}

		client := connect.NewClient[grpc_health_v1.HealthCheckRequest, grpc_health_v1.HealthCheckResponse](s.HTTP, "http://memory/grpc.health.v1.Health/Check", connect.WithProtoJSON())
		call := connect.NewRequest(&grpc_health_v1.HealthCheckRequest{})
		call.Header().Set("Origin", c.origin)
		answer, err := client.CallUnary(t.Context(), call)
		if c.want == "" && !own {
			if connect.CodeOf(err) != connect.CodePermissionDenied {
				t.Errorf("-cors-origins=%s: call from %s: %v, want permission_denied", c.flag, c.origin, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("-cors-origins=%s: call from %s: %v", c.flag, c.origin, err)
		}
		if got := answer.Header().Get("Access-Control-Allow-Origin"); got != c.want {
			t.Errorf("-cors-origins=%s: call from %s: Access-Control-Allow-Origin %q, want %q", c.flag, c.origin, got, c.want)
		}
	}
}

// TestGRPCOnly checks that a server without OnePort serves native gRPC, and
// nothing over HTTP/1.1: no page, no Connect.
func TestGRPCOnly(t *testing.T) {
	s := servetest.Start(t, serve.Config{}, []serve.Service{{Name: probeService, Page: "page of the probe"}}, registerProbe)
	if err := echo(t.Context(), s.Conn, "x"); err != nil {
		t.Errorf("Echo: %v", err)
	}
	resp, err := grpc_health_v1.NewHealthClient(s.Conn).Check(t.Context(), &grpc_health_v1.HealthCheckRequest{Service: probeService})
	if err != nil || resp.GetStatus() != grpc_health_v1.HealthCheckResponse_SERVING {
		t.Errorf("health: %v, %v; want SERVING", resp, err)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://memory/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if page, err := s.HTTP.Do(req); err == nil {
		body, _ := io.ReadAll(page.Body)
		page.Body.Close()
		t.Errorf("GET / of a server without OnePort: %s %q, want no HTTP/1.1 answer", page.Status, body)
	}
	if err := s.Stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	if strings.Contains(s.Log.String(), "served over gRPC only") {
		t.Errorf("a server without OnePort set up the other protocols:\n%s", s.Log)
	}
}

// TestNewServer checks the order of the interceptors of NewServer: the
// access log and panic recovery outermost, then each Service's Options,
// then its own options.
func TestNewServer(t *testing.T) {
	// Each interceptor logs on its way in and out, through the server's
	// logger (set once the server has one).
	var logTo func(msg string)
	mark := func(name string) grpc.ServerOption {
		return grpc.ChainUnaryInterceptor(func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
			logTo("in " + name)
			switch req.(*wrapperspb.StringValue).GetValue() {
			case "deny " + name:
				logTo("out " + name)
				return nil, status.Error(codes.PermissionDenied, "denied by "+name)
			case "panic " + name:
				panic("panic in " + name)
			}
			resp, err := handler(ctx, req)
			logTo("out " + name)
			return resp, err
		})
	}
	services := []serve.Service{{Name: probeService, Options: []grpc.ServerOption{mark("service")}}, {Name: "a.A", Options: []grpc.ServerOption{mark("other service")}}}
	s := serveOn(t, serve.Config{OnePort: oneport.Split}, serve.NewMemListener(), services, registerProbe, nil, mark("opts"))
	logTo = func(msg string) { _, _ = fmt.Fprintf(s.log, "msg=%q\n", msg) }
	if err := echo(t.Context(), s.conn, "x"); err != nil {
		t.Fatal(err)
	}
	want := `msg="in service"` + "\n" + `msg="in other service"` + "\n" + `msg="in opts"` + "\n" +
		`msg="out opts"` + "\n" + `msg="out other service"` + "\n" + `msg="out service"` + "\n" +
		`time=`
	wantLog(t, s.log, want, `level=INFO msg=call method=/gotutor.test.Probe/Echo peer=pipe code=OK`)

	err := echo(t.Context(), s.conn, "deny service")
	if st := status.Convert(err); st.Code() != codes.PermissionDenied || st.Message() != "denied by service" {
		t.Errorf("Echo denied by the service's interceptor: %v", err)
	}
	wantLog(t, s.log, `msg="out service"`+"\n"+`time=`, `level=WARN msg=call method=/gotutor.test.Probe/Echo peer=pipe code=PermissionDenied`)

	err = echo(t.Context(), s.conn, "panic service")
	if st := status.Convert(err); st.Code() != codes.Internal || st.Message() != "internal error" {
		t.Errorf("Echo with a panic in the service's interceptor: %v, want Internal: internal error", err)
	}
	wantLog(t, s.log, `level=ERROR msg=panic method=/gotutor.test.Probe/Echo panic="panic in service"`, `level=WARN msg=call method=/gotutor.test.Probe/Echo peer=pipe code=Internal`)
}

// TestNewLogger checks the level and format of the logger: info omits
// debug, warn omits the calls that succeed, json writes JSON.
func TestNewLogger(t *testing.T) {
	for _, c := range []struct {
		args      []string
		want, not string
	}{
		{nil, `level=INFO msg=call method=/gotutor.test.Probe/Echo`, `{"time"`},
		{[]string{"-log-format=json"}, `"level":"INFO","msg":"call","method":"/gotutor.test.Probe/Echo"`, `level=INFO`},
		{[]string{"-log-level=warn"}, `level=WARN msg=call method=/gotutor.test.Probe/Panic`, `msg=call method=/gotutor.test.Probe/Echo`},
		{[]string{"-log-level=error"}, `level=ERROR msg=panic method=/gotutor.test.Probe/Panic`, `msg=call`},
	} {
		s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, nil, registerProbe, c.args...)
		if err := echo(t.Context(), s.Conn, "x"); err != nil {
			t.Fatal(err)
		}
		_ = s.Conn.Invoke(t.Context(), "/"+probeService+"/Panic", wrapperspb.String("x"), &wrapperspb.StringValue{})
		if err := s.Stop(); err != nil {
			t.Fatal(err)
		}
		wantLog(t, s.Log, c.want)
		if strings.Contains(s.Log.String(), c.not) {
			t.Errorf("with %q, the log holds %s:\n%s", c.args, c.not, s.Log)
		}
	}
}

// TestMemListener checks that Dial reaches Accept over a connection whose
// deadlines work, and that Close ends Accept and Dial, and a canceled Dial.
func TestMemListener(t *testing.T) {
	lis := serve.NewMemListener()
	accepted := make(chan net.Conn, 1)
	go func() {
		conn, err := lis.Accept()
		if err != nil {
			t.Error(err)
		}
		accepted <- conn
	}()
	client, err := lis.Dial(t.Context(), "ignored")
	if err != nil {
		t.Fatal(err)
	}
	server := <-accepted
	go func() { _, _ = client.Write([]byte("ping")) }()
	buf := make([]byte, 4)
	if _, err := io.ReadFull(server, buf); err != nil || string(buf) != "ping" {
		t.Errorf("read %q, %v; want ping", buf, err)
	}
	if err := server.SetReadDeadline(time.Now().Add(10 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if _, err := server.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("read past the deadline: %v, want %v", err, os.ErrDeadlineExceeded)
	}
	// A cleared deadline does not fire late.
	if err := server.SetReadDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}
	go func() { time.Sleep(50 * time.Millisecond); _, _ = client.Write([]byte("pong")) }()
	if _, err := io.ReadFull(server, buf); err != nil || string(buf) != "pong" {
		t.Errorf("read after clearing the deadline %q, %v; want pong", buf, err)
	}
	client.Close()
	server.Close()

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := lis.Dial(ctx, ""); err != context.Canceled {
		t.Errorf("Dial with a canceled context: %v, want %v", err, context.Canceled)
	}
	if got := lis.Addr(); got.Network() != "memory" || got.String() != "memory" {
		t.Errorf("Addr: %s %s, want memory memory", got.Network(), got)
	}
	if err := lis.Close(); err != nil {
		t.Fatal(err)
	}
	if err := lis.Close(); err != nil {
		t.Errorf("Close again: %v", err)
	}
	if _, err := lis.Accept(); err != net.ErrClosed {
		t.Errorf("Accept after Close: %v, want %v", err, net.ErrClosed)
	}
	if _, err := lis.Dial(t.Context(), ""); err != net.ErrClosed {
		t.Errorf("Dial after Close: %v, want %v", err, net.ErrClosed)
	}
}
