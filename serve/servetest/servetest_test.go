package servetest_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/oneport"
	"github.com/gotutor/gotutor/serve/servetest"
)

// page is the one service that the tests serve: the health service, which
// Serve registers itself, with a page.
var page = []serve.Service{{Name: "grpc.health.v1.Health", Page: "the page"}}

// registerNothing registers no servicer: Serve registers health itself.
func registerNothing(*grpc.Server) {}

// TestStart checks that the server of Start answers native gRPC on Conn,
// the other protocols and the page on HTTP, new connections from Dial, and
// logs to Log; and that Stop stops it and returns nil, each time.
func TestStart(t *testing.T) {
	var registered bool
	// At debug: the health checks that answer are logged there.
	s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, page, func(server *grpc.Server) {
		registered = server != nil
	}, "-log-format=json", "-log-level=debug")
	if !registered {
		t.Error("Start did not call register with the server")
	}

	resp, err := grpc_health_v1.NewHealthClient(s.Conn).Check(t.Context(), &grpc_health_v1.HealthCheckRequest{})
	if err != nil || resp.GetStatus() != grpc_health_v1.HealthCheckResponse_SERVING {
		t.Errorf("health over Conn: %v, %v; want SERVING", resp, err)
	}

	for _, p := range protocols {
		client := connect.NewClient[grpc_health_v1.HealthCheckRequest, grpc_health_v1.HealthCheckResponse](s.HTTP, "http://anything.example/grpc.health.v1.Health/Check", p.Options...)
		resp, err := client.CallUnary(t.Context(), connect.NewRequest(&grpc_health_v1.HealthCheckRequest{}))
		if err != nil || resp.Msg.GetStatus() != grpc_health_v1.HealthCheckResponse_SERVING {
			t.Errorf("health over %s: %v, %v; want SERVING", p.Name, resp, err)
		}
	}

	conn, err := s.Dial(t.Context(), "memory")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fmt.Fprint(conn, "GET / HTTP/1.1\r\nHost: memory\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	var answer strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := conn.Read(buf)
		answer.Write(buf[:n])
		if err != nil {
			break
		}
	}
	conn.Close()
	if !strings.HasPrefix(answer.String(), "HTTP/1.1 200 OK\r\n") || !strings.HasSuffix(answer.String(), "\r\n\r\nthe page") {
		t.Errorf("GET / over Dial:\n%s", answer.String())
	}

	if err := s.Stop(); err != nil {
		t.Errorf("Stop: %v, want nil", err)
	}
	if err := s.Stop(); err != nil {
		t.Errorf("Stop again: %v, want nil", err)
	}
	if _, err := grpc_health_v1.NewHealthClient(s.Conn).Check(t.Context(), &grpc_health_v1.HealthCheckRequest{}); status.Code(err) != codes.Unavailable {
		t.Errorf("health after Stop: %v, want Unavailable", err)
	}
	log := s.Log.String()
	for _, want := range []string{
		`"level":"INFO","msg":"serving","service":"grpc.health.v1.Health","addr":"memory"`,
		`"msg":"call","method":"/grpc.health.v1.Health/Check","peer":"pipe","code":"OK"`,
		`"msg":"shutting down","grace":10000000000`,
		`"msg":"stopped: every call finished"`,
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %s:\n%s", want, log)
		}
	}
	if n := strings.Count(log, `"msg":"call"`); n != 1+len(protocols) {
		t.Errorf("%d calls logged, want %d:\n%s", n, 1+len(protocols), log)
	}
}

// TestStartGRPCOnly checks that Start serves a server without OnePort: native
// gRPC only.
func TestStartGRPCOnly(t *testing.T) {
	s := servetest.Start(t, serve.Config{}, page, registerNothing)
	resp, err := grpc_health_v1.NewHealthClient(s.Conn).Check(t.Context(), &grpc_health_v1.HealthCheckRequest{})
	if err != nil || resp.GetStatus() != grpc_health_v1.HealthCheckResponse_SERVING {
		t.Errorf("health over Conn: %v, %v; want SERVING", resp, err)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://memory/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := s.HTTP.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("GET / of a server without OnePort: %s, want no answer", resp.Status)
	}
}

// echoService is a service with REST bindings, registered here from a
// descriptor built by hand:
//
//	service Echo {
//	  rpc Echo(google.protobuf.StringValue) returns (google.protobuf.StringValue) {
//	    option (google.api.http) = {post: "/v1/echo" body: "*" additional_bindings {get: "/v1/echo"}};
//	  }
//	}
const echoService = "gotutor.servetest.v1.Echo"

var registerEchoFile = sync.OnceFunc(func() {
	opts := &descriptorpb.MethodOptions{}
	proto.SetExtension(opts, annotations.E_Http, &annotations.HttpRule{
		Pattern:            &annotations.HttpRule_Post{Post: "/v1/echo"},
		Body:               "*",
		AdditionalBindings: []*annotations.HttpRule{{Pattern: &annotations.HttpRule_Get{Get: "/v1/echo"}}},
	})
	fd, err := protodesc.NewFile(&descriptorpb.FileDescriptorProto{
		Name:       proto.String("gotutor/servetest/v1/echo.proto"),
		Package:    proto.String("gotutor.servetest.v1"),
		Dependency: []string{"google/protobuf/wrappers.proto", "google/api/annotations.proto"},
		Syntax:     proto.String("proto3"),
		Service: []*descriptorpb.ServiceDescriptorProto{{
			Name: proto.String("Echo"),
			Method: []*descriptorpb.MethodDescriptorProto{{
				Name:       proto.String("Echo"),
				InputType:  proto.String(".google.protobuf.StringValue"),
				OutputType: proto.String(".google.protobuf.StringValue"),
				Options:    opts,
			}},
		}},
	}, protoregistry.GlobalFiles)
	if err == nil {
		err = protoregistry.GlobalFiles.RegisterFile(fd)
	}
	if err != nil {
		panic(err)
	}
})

// registerEcho registers the servicer of echoService, which answers its
// request.
func registerEcho(server *grpc.Server) {
	registerEchoFile()
	server.RegisterService(&grpc.ServiceDesc{
		ServiceName: echoService,
		HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{{MethodName: "Echo", Handler: func(_ any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
			req := &wrapperspb.StringValue{}
			if err := dec(req); err != nil {
				return nil, err
			}
			return interceptor(ctx, req, &grpc.UnaryServerInfo{FullMethod: "/" + echoService + "/Echo"}, func(_ context.Context, req any) (any, error) {
				return req, nil
			})
		}}},
	}, nil)
}

// TestFetch checks that Fetch sends the method, the path and query, and a
// body as JSON, and returns the code and the body.
func TestFetch(t *testing.T) {
	s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, page, registerEcho)
	if code, body := s.Fetch(t, http.MethodGet, "/", ""); code != http.StatusOK || string(body) != "the page" {
		t.Errorf("GET /: %d %q, want 200 and the page", code, body)
	}
	if code, body := s.Fetch(t, http.MethodPost, "/v1/echo", `"hello"`); code != http.StatusOK || string(body) != `"hello"` {
		t.Errorf("POST /v1/echo: %d %s, want 200 \"hello\"", code, body)
	}
	if code, body := s.Fetch(t, http.MethodGet, "/v1/echo?value=from%20the%20query", ""); code != http.StatusOK || string(body) != `"from the query"` {
		t.Errorf("GET /v1/echo?value=...: %d %s, want 200 \"from the query\"", code, body)
	}
	if code, _ := s.Fetch(t, http.MethodGet, "/services/no.Such", ""); code != http.StatusNotFound {
		t.Errorf("GET /services/no.Such: %d, want 404", code)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(s.Log.String(), "msg=call method=/gotutor.servetest.v1.Echo/Echo peer=pipe code=OK"); n != 2 {
		t.Errorf("%d calls of Echo logged, want 2:\n%s", n, s.Log)
	}
}

// protocols are those that the one port speaks besides native gRPC, as
// the options of a connect-go client.
var protocols = []struct {
	Name    string
	Options []connect.ClientOption
}{
	{"Connect JSON", []connect.ClientOption{connect.WithProtoJSON()}},
	{"Connect binary", nil},
	{"gRPC-Web", []connect.ClientOption{connect.WithGRPCWeb()}},
}

// TestLog checks that Log keeps every write of goroutines that write at
// once, whole.
func TestLog(t *testing.T) {
	var log servetest.Log
	if log.String() != "" {
		t.Errorf("a new Log holds %q", log.String())
	}
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			for j := range 10 {
				line := fmt.Sprintf("line %d.%d\n", i, j)
				if n, err := log.Write([]byte(line)); n != len(line) || err != nil {
					t.Errorf("Write(%q): %d, %v", line, n, err)
				}
			}
		})
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(log.String(), "\n"), "\n")
	slices.Sort(lines)
	var want []string
	for i := range 10 {
		for j := range 10 {
			want = append(want, fmt.Sprintf("line %d.%d", i, j))
		}
	}
	slices.Sort(want)
	if !slices.Equal(lines, want) {
		t.Errorf("the log holds %q, want %q", lines, want)
	}
}

// fakeT is a testing.TB that records what fails, for the tests of how
// Start and Fetch fail the test. Fatal ends the goroutine of run.
type fakeT struct {
	testing.TB
	mu       sync.Mutex
	fatal    string
	errors   []string
	cleanups []func()
}

func (f *fakeT) Helper()      {}
func (f *fakeT) Name() string { return "fake" }

func (f *fakeT) Fatal(args ...any) {
	f.mu.Lock()
	f.fatal = fmt.Sprint(args...)
	f.mu.Unlock()
	runtime.Goexit()
}

func (f *fakeT) Fatalf(format string, args ...any) { f.Fatal(fmt.Sprintf(format, args...)) }

func (f *fakeT) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func (f *fakeT) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }

// run runs fn with f in a goroutine of its own, then f's cleanups.
func (f *fakeT) run(fn func(testing.TB)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	for _, fn := range slices.Backward(f.cleanups) {
		fn()
	}
}

// TestStartFails checks that bad flags, a logger or a server that cannot be
// made fail the test, and that an error of Serve is Stop's and fails the
// test when it ends.
func TestStartFails(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.pem")
	for _, c := range []struct {
		name  string
		cfg   serve.Config
		args  []string
		fatal string
	}{
		{"bad flag", serve.Config{OnePort: oneport.Split}, []string{"-nope"}, "flag provided but not defined: -nope"},
		{"cors-origins without OnePort", serve.Config{}, []string{"-cors-origins=*"}, "flag provided but not defined: -cors-origins"},
		{"log format", serve.Config{OnePort: oneport.Split}, []string{"-log-format=yaml"}, `-log-format "yaml": want text or json`},
		{"log level", serve.Config{OnePort: oneport.Split}, []string{"-log-level=loud"}, `-log-level "loud": want debug, info, warn or error`},
		{"certificate without OnePort", serve.Config{}, []string{"-tls-cert=" + missing, "-tls-key=" + missing}, "-tls-cert and -tls-key: open " + missing + ": no such file or directory"},
	} {
		f := &fakeT{TB: t}
		var started bool
		f.run(func(tb testing.TB) {
			servetest.Start(tb, c.cfg, nil, registerNothing, c.args...)
			started = true
		})
		if started || f.fatal != c.fatal || len(f.errors) != 0 {
			t.Errorf("%s: started %v, fatal %q, errors %q; want fatal %q", c.name, started, f.fatal, f.errors, c.fatal)
		}
	}

	// The one port reads its certificate in Serve, which Start waits for.
	f := &fakeT{TB: t}
	var started bool
	f.run(func(tb testing.TB) {
		servetest.Start(tb, serve.Config{OnePort: oneport.Split}, nil, registerNothing, "-tls-cert="+missing, "-tls-key="+missing)
		started = true
	})
	if want := "the server did not start: -tls-cert and -tls-key: open " + missing + ": no such file or directory"; started || f.fatal != want || len(f.errors) != 0 {
		t.Errorf("a server without its certificate: started %v, fatal %q, errors %q; want fatal %q", started, f.fatal, f.errors, want)
	}
}

// TestFetchFails checks that Fetch fails the test when no response comes.
func TestFetchFails(t *testing.T) {
	s := servetest.Start(t, serve.Config{}, nil, registerNothing)
	f := &fakeT{TB: t}
	var fetched bool
	f.run(func(tb testing.TB) {
		s.Fetch(tb, http.MethodGet, "/", "")
		fetched = true
	})
	if fetched || !strings.HasPrefix(f.fatal, `GET /: Get "http://memory/": `) {
		t.Errorf("Fetch from a server without OnePort: fetched %v, fatal %q; want GET /: Get \"http://memory/\": ...", fetched, f.fatal)
	}
}
