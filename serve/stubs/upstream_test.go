package stubs_test

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/gotutor/gotutor/internal/testkit"
	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/oneport"
	"github.com/gotutor/gotutor/serve/servetest"
	"github.com/gotutor/gotutor/serve/stubs"
)

// unwritten asks what a generated default servicer's method asks first
// (serve.Unwritten), in the same words: an error is returned as it is.
func unwritten(ctx context.Context) error {
	if u, ok := grpc.ServerTransportStreamFromContext(ctx).(interface{ UnwrittenMethod() error }); ok {
		if err := u.UnwrittenMethod(); err != nil {
			return err
		}
	}
	return nil
}

// defaultServicer is TestService's methods as a generated default
// servicer has them: each asks, then answers example values ("example").
type defaultServicer struct {
	testpb.UnimplementedTestServiceServer
}

func (defaultServicer) EmptyCall(ctx context.Context, _ *testpb.Empty) (*testpb.Empty, error) {
	if err := unwritten(ctx); err != nil {
		return nil, err
	}
	return &testpb.Empty{}, nil
}

func (defaultServicer) UnaryCall(ctx context.Context, _ *testpb.SimpleRequest) (*testpb.SimpleResponse, error) {
	if err := unwritten(ctx); err != nil {
		return nil, err
	}
	return &testpb.SimpleResponse{Username: "example"}, nil
}

func (defaultServicer) StreamingOutputCall(_ *testpb.StreamingOutputCallRequest, stream grpc.ServerStreamingServer[testpb.StreamingOutputCallResponse]) error {
	if err := unwritten(stream.Context()); err != nil {
		return err
	}
	return stream.Send(&testpb.StreamingOutputCallResponse{Payload: &testpb.Payload{Body: []byte("example")}})
}

func (defaultServicer) StreamingInputCall(stream grpc.ClientStreamingServer[testpb.StreamingInputCallRequest, testpb.StreamingInputCallResponse]) error {
	if err := unwritten(stream.Context()); err != nil {
		return err
	}
	for {
		if _, err := stream.Recv(); err == io.EOF {
			return stream.SendAndClose(&testpb.StreamingInputCallResponse{AggregatedPayloadSize: 7})
		} else if err != nil {
			return err
		}
	}
}

func (defaultServicer) FullDuplexCall(stream grpc.BidiStreamingServer[testpb.StreamingOutputCallRequest, testpb.StreamingOutputCallResponse]) error {
	if err := unwritten(stream.Context()); err != nil {
		return err
	}
	for {
		if _, err := stream.Recv(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if err := stream.Send(&testpb.StreamingOutputCallResponse{Payload: &testpb.Payload{Body: []byte("example")}}); err != nil {
			return err
		}
	}
}

// fakeServicer is a user's servicer that embeds the default one and has
// written EmptyCall alone.
type fakeServicer struct{ defaultServicer }

func (fakeServicer) EmptyCall(ctx context.Context, _ *testpb.Empty) (*testpb.Empty, error) {
	return &testpb.Empty{}, grpc.SetHeader(ctx, metadata.Pairs("x-answered-by", "servicer"))
}

func registerFake(server *grpc.Server) { testpb.RegisterTestServiceServer(server, fakeServicer{}) }

// upstreamServicer is the real server: its answers say "upstream", and it
// keeps the metadata of each call.
type upstreamServicer struct {
	testpb.UnimplementedTestServiceServer
	mu  sync.Mutex
	mds []metadata.MD
}

func (u *upstreamServicer) saw(ctx context.Context) {
	md, _ := metadata.FromIncomingContext(ctx)
	u.mu.Lock()
	defer u.mu.Unlock()
	u.mds = append(u.mds, md)
}

func (u *upstreamServicer) calls() []metadata.MD {
	u.mu.Lock()
	defer u.mu.Unlock()
	return slices.Clone(u.mds)
}

func (u *upstreamServicer) EmptyCall(ctx context.Context, _ *testpb.Empty) (*testpb.Empty, error) {
	u.saw(ctx)
	return &testpb.Empty{}, grpc.SetHeader(ctx, metadata.Pairs("x-answered-by", "upstream"))
}

func (u *upstreamServicer) UnaryCall(ctx context.Context, req *testpb.SimpleRequest) (*testpb.SimpleResponse, error) {
	u.saw(ctx)
	if err := grpc.SetHeader(ctx, metadata.Pairs("x-upstream", "unary")); err != nil {
		return nil, err
	}
	if err := grpc.SetTrailer(ctx, metadata.Pairs("x-trailer", "unary")); err != nil {
		return nil, err
	}
	if req.GetResponseSize() == 13 {
		st, err := status.New(codes.NotFound, "no thirteen upstream").WithDetails(&errdetails.ErrorInfo{Reason: "THIRTEEN", Domain: "upstream.example"})
		if err != nil {
			return nil, err
		}
		return nil, st.Err()
	}
	md, _ := metadata.FromIncomingContext(ctx)
	return &testpb.SimpleResponse{Username: fmt.Sprintf("upstream %s for %s", req.GetPayload().GetBody(), strings.Join(md.Get("x-who"), ",")), OauthScope: "scope"}, nil
}

func (u *upstreamServicer) StreamingOutputCall(req *testpb.StreamingOutputCallRequest, stream grpc.ServerStreamingServer[testpb.StreamingOutputCallResponse]) error {
	u.saw(stream.Context())
	if err := stream.SetHeader(metadata.Pairs("x-upstream", "stream")); err != nil {
		return err
	}
	stream.SetTrailer(metadata.Pairs("x-trailer", "stream"))
	for i := range 3 {
		if err := stream.Send(&testpb.StreamingOutputCallResponse{Payload: &testpb.Payload{Body: fmt.Appendf(nil, "upstream %d %s", i, req.GetPayload().GetBody())}}); err != nil {
			return err
		}
	}
	return nil
}

func (u *upstreamServicer) StreamingInputCall(stream grpc.ClientStreamingServer[testpb.StreamingInputCallRequest, testpb.StreamingInputCallResponse]) error {
	u.saw(stream.Context())
	size := int32(1000)
	for {
		req, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(&testpb.StreamingInputCallResponse{AggregatedPayloadSize: size})
		}
		if err != nil {
			return err
		}
		size += int32(len(req.GetPayload().GetBody()))
	}
}

func (u *upstreamServicer) FullDuplexCall(stream grpc.BidiStreamingServer[testpb.StreamingOutputCallRequest, testpb.StreamingOutputCallResponse]) error {
	u.saw(stream.Context())
	for {
		req, err := stream.Recv()
		if err == io.EOF {
			return status.Error(codes.Aborted, "upstream ends the chat")
		}
		if err != nil {
			return err
		}
		if err := stream.Send(&testpb.StreamingOutputCallResponse{Payload: &testpb.Payload{Body: append([]byte("upstream:"), req.GetPayload().GetBody()...)}}); err != nil {
			return err
		}
	}
}

// startUpstream serves an upstreamServicer on a loopback port until the
// test ends, with opts (its credentials).
func startUpstream(t *testing.T, opts ...grpc.ServerOption) (*upstreamServicer, string) {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := &upstreamServicer{}
	server := grpc.NewServer(opts...)
	testpb.RegisterTestServiceServer(server, u)
	go func() { _ = server.Serve(lis) }()
	t.Cleanup(server.Stop)
	return u, lis.Addr().String()
}

// startFake serves the fakeServicer with the stubs' flags args.
func startFake(t *testing.T, args ...string) *servetest.Server {
	t.Helper()
	return servetest.Start(t, serve.Config{OnePort: oneport.Split, Stubs: stubs.New}, nil, registerFake, args...)
}

// transcript makes a call of each kind on conn, with metadata, and
// describes the answers, headers included, one line per call.
func transcript(t *testing.T, conn *grpc.ClientConn) []string {
	t.Helper()
	ctx := metadata.AppendToOutgoingContext(t.Context(), "x-who", "tester")
	client := testpb.NewTestServiceClient(conn)
	var lines []string

	var header metadata.MD
	resp, err := client.UnaryCall(ctx, &testpb.SimpleRequest{Payload: &testpb.Payload{Body: []byte("ada")}}, grpc.Header(&header))
	lines = append(lines, fmt.Sprintf("UnaryCall: %q %q %v x-upstream=%v", resp.GetUsername(), resp.GetOauthScope(), err, header.Get("x-upstream")))

	_, err = client.UnaryCall(ctx, &testpb.SimpleRequest{ResponseSize: 13})
	st := status.Convert(err)
	var reasons []string
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			reasons = append(reasons, info.GetReason()+"@"+info.GetDomain())
		}
	}
	lines = append(lines, fmt.Sprintf("UnaryCall 13: %v %q %v", st.Code(), st.Message(), reasons))

	out, err := client.StreamingOutputCall(ctx, &testpb.StreamingOutputCallRequest{Payload: &testpb.Payload{Body: []byte("s")}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		resp, err := out.Recv()
		if err != nil {
			got = append(got, fmt.Sprint(err))
			break
		}
		got = append(got, string(resp.GetPayload().GetBody()))
	}
	header, _ = out.Header()
	lines = append(lines, fmt.Sprintf("StreamingOutputCall: %q x-upstream=%v", got, header.Get("x-upstream")))

	in, err := client.StreamingInputCall(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"ab", "cde"} {
		if err := in.Send(&testpb.StreamingInputCallRequest{Payload: &testpb.Payload{Body: []byte(b)}}); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := in.CloseAndRecv()
	lines = append(lines, fmt.Sprintf("StreamingInputCall: %d %v", sum.GetAggregatedPayloadSize(), err))

	// One request at a time, each answered before the next: the answers
	// then belong to their requests when recorded.
	chat, err := client.FullDuplexCall(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, b := range []string{"x", "y"} {
		if err := chat.Send(&testpb.StreamingOutputCallRequest{Payload: &testpb.Payload{Body: []byte(b)}}); err != nil {
			t.Fatal(err)
		}
		resp, err := chat.Recv()
		if err != nil {
			t.Fatalf("FullDuplexCall %s: %v", b, err)
		}
		got = append(got, string(resp.GetPayload().GetBody()))
	}
	if err := chat.CloseSend(); err != nil {
		t.Fatal(err)
	}
	_, err = chat.Recv()
	lines = append(lines, fmt.Sprintf("FullDuplexCall: %q %v", got, err))
	return lines
}

// TestUpstreamRecordReplay checks that the calls of every kind whose
// methods are not written go to the upstream, with their metadata (hop
// headers left out), and that its answers, headers, trailers and statuses
// come back; that a stub that matches and a written method still answer
// first; that -record writes each call passed on as a stub file; and that
// a fresh server with -stubs on those files answers the same without the
// upstream.
func TestUpstreamRecordReplay(t *testing.T) {
	up, addr := startUpstream(t)
	stubsDir, recordDir := t.TempDir(), filepath.Join(t.TempDir(), "recorded")
	writeFile(t, stubsDir, "ada.json", `{"service": "grpc.testing.TestService", "method": "UnaryCall",
		"input": {"equals": {"payload": {"body": "c3R1Yg=="}}}, "output": {"data": {"username": "stub"}}}`)
	s := startFake(t, "-stubs", stubsDir, "-upstream", addr, "-record", recordDir)

	want := []string{
		`UnaryCall: "upstream ada for tester" "scope" <nil> x-upstream=[unary]`,
		`UnaryCall 13: NotFound "no thirteen upstream" [THIRTEEN@upstream.example]`,
		`StreamingOutputCall: ["upstream 0 s" "upstream 1 s" "upstream 2 s" "EOF"] x-upstream=[stream]`,
		`StreamingInputCall: 1005 <nil>`,
		`FullDuplexCall: ["upstream:x" "upstream:y"] rpc error: code = Aborted desc = upstream ends the chat`,
	}
	got := transcript(t, s.Conn)
	if d := testkit.Diff("want", strings.Join(want, "\n"), "got", strings.Join(got, "\n")); d != "" {
		t.Fatalf("the calls passed on to the upstream:\n%s\n%s", d, s.Log)
	}
	mds := up.calls()
	if len(mds) != 5 {
		t.Fatalf("the upstream had %d calls; want 5", len(mds))
	}
	for i, md := range mds {
		if strings.Join(md.Get("x-who"), ",") != "tester" {
			t.Errorf("upstream call %d: metadata %v; want x-who: tester, the client's", i, md)
		}
	}

	// Trailers come back too.
	var trailer metadata.MD
	client := testpb.NewTestServiceClient(s.Conn)
	if _, err := client.UnaryCall(t.Context(), &testpb.SimpleRequest{Payload: &testpb.Payload{Body: []byte("bob")}}, grpc.Trailer(&trailer)); err != nil || strings.Join(trailer.Get("x-trailer"), ",") != "unary" {
		t.Errorf("UnaryCall's trailers: %v, %v; want x-trailer: unary, the upstream's", trailer, err)
	}
	out, err := client.StreamingOutputCall(t.Context(), &testpb.StreamingOutputCallRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for err == nil {
		_, err = out.Recv()
	}
	if err != io.EOF || strings.Join(out.Trailer().Get("x-trailer"), ",") != "stream" {
		t.Errorf("StreamingOutputCall's trailers: %v, %v; want x-trailer: stream, the upstream's", out.Trailer(), err)
	}

	// A stub that matches answers, and the written method is the
	// servicer's: neither reaches the upstream.
	if resp, err := client.UnaryCall(t.Context(), &testpb.SimpleRequest{Payload: &testpb.Payload{Body: []byte("stub")}}); err != nil || resp.GetUsername() != "stub" {
		t.Errorf("a call that a stub matches: %v, %v; want the stub's answer", resp, err)
	}
	var header metadata.MD
	if _, err := client.EmptyCall(t.Context(), &testpb.Empty{}, grpc.Header(&header)); err != nil || strings.Join(header.Get("x-answered-by"), ",") != "servicer" {
		t.Errorf("EmptyCall, which the servicer wrote: %v, answered by %v; want the servicer", err, header.Get("x-answered-by"))
	}

	// Over Connect, through the one port: the header that names the HTTP
	// client to the access log stays behind.
	connectClient := connect.NewClient[testpb.SimpleRequest, testpb.SimpleResponse](s.HTTP, "http://memory/grpc.testing.TestService/UnaryCall")
	req := connect.NewRequest(&testpb.SimpleRequest{Payload: &testpb.Payload{Body: []byte("web")}})
	req.Header().Set("x-who", "browser")
	if resp, err := connectClient.CallUnary(t.Context(), req); err != nil || resp.Msg.GetUsername() != "upstream web for browser" || resp.Header().Get("x-upstream") != "unary" {
		t.Errorf("Connect: %v, %v; want the upstream's answer and header", resp, err)
	}
	mds = up.calls()
	if len(mds) != 8 {
		t.Fatalf("the upstream had %d calls; want 8: not the stub's, nor the written method's", len(mds))
	}
	if last := mds[len(mds)-1]; len(last.Get(serve.ProxiedPeerHeader)) > 0 || strings.Join(last.Get("x-who"), ",") != "browser" {
		t.Errorf("the Connect call's metadata upstream: %v; want x-who: browser and no %s", last, serve.ProxiedPeerHeader)
	}

	// One file per call passed on, named after its method, in order.
	entries, err := os.ReadDir(recordDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	wantNames := []string{
		"grpc.testing.TestService_FullDuplexCall_1.json",
		"grpc.testing.TestService_StreamingInputCall_1.json",
		"grpc.testing.TestService_StreamingOutputCall_1.json",
		"grpc.testing.TestService_StreamingOutputCall_2.json",
		"grpc.testing.TestService_UnaryCall_1.json",
		"grpc.testing.TestService_UnaryCall_2.json",
		"grpc.testing.TestService_UnaryCall_3.json",
		"grpc.testing.TestService_UnaryCall_4.json",
	}
	if strings.Join(names, "\n") != strings.Join(wantNames, "\n") {
		t.Fatalf("-record wrote:\n%s\nwant:\n%s", strings.Join(names, "\n"), strings.Join(wantNames, "\n"))
	}
	unary := string(testkit.ReadFile(t, filepath.Join(recordDir, "grpc.testing.TestService_UnaryCall_1.json")))
	wantUnary := `{
  "service": "grpc.testing.TestService",
  "method": "UnaryCall",
  "input": {
    "equals": {
      "payload": {
        "body": "YWRh"
      }
    }
  },
  "output": {
    "data": {
      "oauthScope": "scope",
      "username": "upstream ada for tester"
    },
    "headers": {
      "x-upstream": "unary"
    }
  }
}
`
	if d := testkit.Diff("want", wantUnary, "got", unary); d != "" {
		t.Errorf("the first UnaryCall's stub:\n%s", d)
	}

	// A fresh server replays the recorded calls, with no upstream.
	replay := startFake(t, "-stubs", recordDir)
	if d := testkit.Diff("upstream", strings.Join(want, "\n"), "replayed", strings.Join(transcript(t, replay.Conn), "\n")); d != "" {
		t.Errorf("the recorded stubs answer otherwise than the upstream did:\n%s\n%s", d, replay.Log)
	}
	if len(up.calls()) != 8 {
		t.Errorf("the upstream had %d calls; want 8: the replay must not call it", len(up.calls()))
	}
}

// TestUpstreamTLS checks that the upstream TLS flags reach a server that
// a CA vouches for and that requires a client certificate, and that
// without the client certificate the call fails as Unavailable, naming
// the upstream.
func TestUpstreamTLS(t *testing.T) {
	ca := testkit.NewCA(t)
	certFile, keyFile := ca.Server(t)
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	_, addr := startUpstream(t, grpc.Creds(credentials.NewTLS(&tls.Config{
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    ca.Pool,
	})))
	clientCert, clientKey := ca.Client(t, "fake")

	s := startFake(t, "-upstream", addr, "-upstream-tls-ca", ca.File, "-upstream-tls-cert", clientCert, "-upstream-tls-key", clientKey)
	resp, err := testpb.NewTestServiceClient(s.Conn).UnaryCall(t.Context(), &testpb.SimpleRequest{Payload: &testpb.Payload{Body: []byte("tls")}})
	if err != nil || resp.GetUsername() != "upstream tls for " {
		t.Errorf("over TLS: %v, %v; want the upstream's answer", resp, err)
	}

	s = startFake(t, "-upstream", addr, "-upstream-tls-ca", ca.File)
	_, err = testpb.NewTestServiceClient(s.Conn).UnaryCall(t.Context(), &testpb.SimpleRequest{})
	if status.Code(err) != codes.Unavailable || !strings.Contains(err.Error(), "upstream "+addr) {
		t.Errorf("without a client certificate: %v; want Unavailable naming upstream %s", err, addr)
	}
}

// TestUpstreamUnreachable checks that each call of an unwritten method,
// of any kind, fails as Unavailable naming the upstream when it cannot be
// reached, and that the server starts all the same.
func TestUpstreamUnreachable(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	lis.Close()
	s := startFake(t, "-upstream", addr, "-record", t.TempDir())
	client := testpb.NewTestServiceClient(s.Conn)
	_, err = client.UnaryCall(t.Context(), &testpb.SimpleRequest{})
	if status.Code(err) != codes.Unavailable || !strings.Contains(err.Error(), "upstream "+addr+":") {
		t.Errorf("UnaryCall: %v; want Unavailable naming upstream %s", err, addr)
	}
	stream, err := client.FullDuplexCall(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	_ = stream.Send(&testpb.StreamingOutputCallRequest{})
	_, err = stream.Recv()
	if status.Code(err) != codes.Unavailable || !strings.Contains(err.Error(), "upstream "+addr+":") {
		t.Errorf("FullDuplexCall: %v; want Unavailable naming upstream %s", err, addr)
	}
	if _, err := client.EmptyCall(t.Context(), &testpb.Empty{}); err != nil {
		t.Errorf("EmptyCall, which the servicer wrote: %v; want its answer", err)
	}
}

// TestRecordWithoutUpstream checks that -record or a -upstream-tls flag
// without -upstream stops the start with an error that names both flags,
// as do TLS files that do not fit.
func TestRecordWithoutUpstream(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-record", "calls"}, "-record calls needs -upstream ADDR"},
		{[]string{"-upstream-tls-ca", "ca.pem"}, "-upstream-tls-ca needs -upstream ADDR: it says how to connect to the upstream"},
		{[]string{"-upstream-tls"}, "-upstream-tls needs -upstream ADDR"},
		{[]string{"-upstream", "localhost:1", "-upstream-tls-key", "key.pem"}, "-upstream-tls-key is given without -upstream-tls-cert"},
	} {
		cfg := serve.Config{Stubs: stubs.New}
		fs := flag.NewFlagSet(t.Name(), flag.ContinueOnError)
		cfg.BindFlags(fs)
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		if _, err := cfg.NewServer(slog.New(slog.DiscardHandler), nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v; want an error with %q", c.args, err, c.want)
		}
	}
}
