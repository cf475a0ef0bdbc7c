package stubs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/oneport"
	"github.com/gotutor/gotutor/serve/servetest"
	"github.com/gotutor/gotutor/serve/stubs"
)

func init() {
	// The tests wait for a file's change a few polls at most.
	stubs.PollInterval = 50 * time.Millisecond
}

// servicer is grpc's interop TestService, whose descriptor its Go package
// registers, answering what no stub does: its username is "servicer".
type servicer struct {
	testpb.UnimplementedTestServiceServer
}

func (servicer) UnaryCall(context.Context, *testpb.SimpleRequest) (*testpb.SimpleResponse, error) {
	return &testpb.SimpleResponse{Username: "servicer"}, nil
}

func (servicer) StreamingOutputCall(req *testpb.StreamingOutputCallRequest, stream grpc.ServerStreamingServer[testpb.StreamingOutputCallResponse]) error {
	return stream.Send(&testpb.StreamingOutputCallResponse{Payload: &testpb.Payload{Body: append([]byte("servicer:"), req.GetPayload().GetBody()...)}})
}

func (servicer) StreamingInputCall(stream grpc.ClientStreamingServer[testpb.StreamingInputCallRequest, testpb.StreamingInputCallResponse]) error {
	var size int32
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

func register(server *grpc.Server) { testpb.RegisterTestServiceServer(server, servicer{}) }

// writeFile writes a stub file under dir.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// start serves the TestService on every protocol with the stubs of args.
func start(t *testing.T, args ...string) *servetest.Server {
	t.Helper()
	return servetest.Start(t, serve.Config{OnePort: oneport.Split, Stubs: stubs.New}, nil, register, args...)
}

const equalsJSON = `{
  "service": "grpc.testing.TestService",
  "method": "UnaryCall",
  "input": {"equals": {"fill_username": true, "payload": {"body": "QWRh"}}},
  "output": {"data": {"username": "stubbed Ada", "oauth_scope": "all"}, "headers": {"x-stub": "equals"}}
}`

const stubsYAML = `
- service: TestService
  method: UnaryCall
  input:
    matches:
      payload: {body: "^Qm"}
  output:
    data: {username: slow B}
    delay: 200ms
- service: grpc.testing.TestService
  method: UnaryCall
  input:
    contains: {responseSize: 13}
  output:
    error: thirteen is unlucky
    code: FAILED_PRECONDITION
    details:
      - "@type": type.googleapis.com/google.rpc.ErrorInfo
        reason: UNLUCKY
        domain: example.com
- service: grpc.testing.TestService
  method: StreamingOutputCall
  input:
    equals: {payload: {body: c3RyZWFt}}
  output:
    stream:
      - payload: {body: b25l}
      - payload: {body: dHdv}
- service: grpc.testing.TestService
  method: StreamingInputCall
  inputs:
    - contains: {payload: {body: YQ==}}
    - contains: {payload: {body: Yg==}}
  output:
    data: {aggregated_payload_size: 99}
`

// TestStubs checks stubs of a JSON file and a YAML one over native gRPC
// and Connect: equals, matches with a delay, an error with its code and
// details, a server's stream, a client's stream, and calls that no stub
// matches, which the servicer answers.
func TestStubs(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "equals.json", equalsJSON)
	writeFile(t, dir, "more/stubs.yaml", stubsYAML)
	s := start(t, "-stubs", dir)
	grpcClient := testpb.NewTestServiceClient(s.Conn)
	connectClient := connect.NewClient[testpb.SimpleRequest, testpb.SimpleResponse](s.HTTP, "http://memory/grpc.testing.TestService/UnaryCall", connect.WithProtoJSON())
	ctx := t.Context()

	// equals, over both protocols, with the stub's headers.
	ada := &testpb.SimpleRequest{FillUsername: true, Payload: &testpb.Payload{Body: []byte("Ada")}}
	var header metadata.MD
	resp, err := grpcClient.UnaryCall(ctx, ada, grpc.Header(&header))
	if err != nil || resp.GetUsername() != "stubbed Ada" || resp.GetOauthScope() != "all" || strings.Join(header.Get("x-stub"), ",") != "equals" {
		t.Errorf("gRPC equals: %v, %v, headers %v; want the stub's answer", resp, err, header)
	}
	cresp, err := connectClient.CallUnary(ctx, connect.NewRequest(ada))
	if err != nil || cresp.Msg.GetUsername() != "stubbed Ada" || cresp.Header().Get("x-stub") != "equals" {
		t.Errorf("Connect equals: %v, %v; want the stub's answer", cresp, err)
	}
	// One more field: equals no more, and the servicer answers.
	more := &testpb.SimpleRequest{FillUsername: true, FillOauthScope: true, Payload: &testpb.Payload{Body: []byte("Ada")}}
	if resp, err := grpcClient.UnaryCall(ctx, more); err != nil || resp.GetUsername() != "servicer" {
		t.Errorf("gRPC unmatched: %v, %v; want the servicer's answer", resp, err)
	}
	if cresp, err := connectClient.CallUnary(ctx, connect.NewRequest(more)); err != nil || cresp.Msg.GetUsername() != "servicer" {
		t.Errorf("Connect unmatched: %v, %v; want the servicer's answer", cresp, err)
	}

	// matches, with a delay.
	for name, call := range map[string]func() (string, error){
		"gRPC": func() (string, error) {
			resp, err := grpcClient.UnaryCall(ctx, &testpb.SimpleRequest{Payload: &testpb.Payload{Body: []byte("Bob")}})
			return resp.GetUsername(), err
		},
		"Connect": func() (string, error) {
			resp, err := connectClient.CallUnary(ctx, connect.NewRequest(&testpb.SimpleRequest{Payload: &testpb.Payload{Body: []byte("Bob")}}))
			if err != nil {
				return "", err
			}
			return resp.Msg.GetUsername(), nil
		},
	} {
		begin := time.Now()
		got, err := call()
		if took := time.Since(begin); err != nil || got != "slow B" || took < 200*time.Millisecond {
			t.Errorf("%s matches: %q, %v after %v; want \"slow B\" after 200ms", name, got, err, took)
		}
	}

	// An error with its code and details.
	_, err = grpcClient.UnaryCall(ctx, &testpb.SimpleRequest{ResponseSize: 13})
	st := status.Convert(err)
	if st.Code() != codes.FailedPrecondition || st.Message() != "thirteen is unlucky" || len(st.Details()) != 1 {
		t.Fatalf("gRPC error: %v, details %v; want FailedPrecondition, thirteen is unlucky, an ErrorInfo", err, st.Details())
	}
	if info, ok := st.Details()[0].(*errdetails.ErrorInfo); !ok || info.GetReason() != "UNLUCKY" || info.GetDomain() != "example.com" {
		t.Errorf("gRPC error's details: %v; want the ErrorInfo of the stub", st.Details())
	}
	_, err = connectClient.CallUnary(ctx, connect.NewRequest(&testpb.SimpleRequest{ResponseSize: 13}))
	var cerr *connect.Error
	if !errors.As(err, &cerr) || cerr.Code() != connect.CodeFailedPrecondition || cerr.Message() != "thirteen is unlucky" || len(cerr.Details()) != 1 {
		t.Errorf("Connect error: %v; want FailedPrecondition, thirteen is unlucky, one detail", err)
	}

	// A server's stream, and one that no stub matches.
	for body, want := range map[string]string{"stream": "one,two", "other": "servicer:other"} {
		stream, err := grpcClient.StreamingOutputCall(ctx, &testpb.StreamingOutputCallRequest{Payload: &testpb.Payload{Body: []byte(body)}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for {
			resp, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("gRPC stream %s: %v", body, err)
			}
			got = append(got, string(resp.GetPayload().GetBody()))
		}
		if strings.Join(got, ",") != want {
			t.Errorf("gRPC stream %s: %q; want %s", body, got, want)
		}
		cstream, err := connect.NewClient[testpb.StreamingOutputCallRequest, testpb.StreamingOutputCallResponse](s.HTTP, "http://memory/grpc.testing.TestService/StreamingOutputCall").
			CallServerStream(ctx, connect.NewRequest(&testpb.StreamingOutputCallRequest{Payload: &testpb.Payload{Body: []byte(body)}}))
		if err != nil {
			t.Fatal(err)
		}
		got = nil
		for cstream.Receive() {
			got = append(got, string(cstream.Msg().GetPayload().GetBody()))
		}
		if err := cstream.Err(); err != nil || strings.Join(got, ",") != want {
			t.Errorf("Connect stream %s: %q, %v; want %s", body, got, err, want)
		}
	}

	// A client's stream: the stub's inputs, message by message; other
	// messages reach the servicer whole.
	for bodies, want := range map[string]int32{"a,b": 99, "a,b,c": 3, "b,a": 2} {
		stream, err := grpcClient.StreamingInputCall(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range strings.Split(bodies, ",") {
			if err := stream.Send(&testpb.StreamingInputCallRequest{Payload: &testpb.Payload{Body: []byte(b)}}); err != nil {
				t.Fatal(err)
			}
		}
		resp, err := stream.CloseAndRecv()
		if err != nil || resp.GetAggregatedPayloadSize() != want {
			t.Errorf("client stream %s: %v, %v; want %d", bodies, resp, err, want)
		}
	}
}

// TestNoStubsNoCost checks that a main that passes neither -stubs nor
// -admin-addr does not build stubs, so its calls pay nothing for them.
func TestNoStubsNoCost(t *testing.T) {
	called := false
	cfg := serve.Config{Stubs: func(*serve.Config, *slog.Logger) (serve.Stubber, error) {
		called = true
		return nil, errors.New("not wanted")
	}}
	s := servetest.Start(t, cfg, nil, register)
	if resp, err := testpb.NewTestServiceClient(s.Conn).UnaryCall(t.Context(), &testpb.SimpleRequest{}); err != nil || resp.GetUsername() != "servicer" || called {
		t.Errorf("%v, %v, stubs built: %v; want the servicer's answer, no stubs", resp, err, called)
	}
}

// username calls UnaryCall with body and returns the username answered.
func username(t *testing.T, s *servetest.Server, body string) string {
	t.Helper()
	resp, err := testpb.NewTestServiceClient(s.Conn).UnaryCall(t.Context(), &testpb.SimpleRequest{Payload: &testpb.Payload{Body: []byte(body)}})
	if err != nil {
		t.Fatalf("UnaryCall %s: %v", body, err)
	}
	return resp.GetUsername()
}

// eventually waits up to 5 s for username(body) to be want.
func eventually(t *testing.T, s *servetest.Server, body, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := username(t, s, body)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("UnaryCall %s: %q after 5 s; want %q%s", body, got, want, "\n"+s.Log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestFileChanges checks that a file added while the server runs is used
// within 5 s, that a broken edit keeps the stubs before it and the log
// says why, and that a file removed takes its stubs along.
func TestFileChanges(t *testing.T) {
	dir := t.TempDir()
	s := start(t, "-stubs", dir)
	if got := username(t, s, "x"); got != "servicer" {
		t.Fatalf("no stubs: %q; want the servicer's answer", got)
	}
	stub := `{"service": "grpc.testing.TestService", "method": "UnaryCall", "input": {"contains": {"payload": {"body": "eA=="}}}, "output": {"data": {"username": "%s"}}}`
	path := writeFile(t, dir, "new.json", strings.Replace(stub, "%s", "added", 1))
	eventually(t, s, "x", "added")

	writeFile(t, dir, "new.json", `{"service": "grpc.testing.TestService",`)
	deadline := time.Now().Add(5 * time.Second)
	want := path + ":1:40: unexpected end of JSON"
	for !strings.Contains(s.Log.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("the log does not say %q:\n%s", want, s.Log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := username(t, s, "x"); got != "added" {
		t.Errorf("after a broken edit: %q; want the stub before it", got)
	}

	writeFile(t, dir, "new.json", strings.Replace(stub, "%s", "changed", 1))
	eventually(t, s, "x", "changed")
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	eventually(t, s, "x", "servicer")
}
