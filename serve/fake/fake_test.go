package fake_test

import (
	"context"
	"io"
	"sync"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/fake"
)

// servicer is the server's own servicer, which answers what the fake
// leaves to it: the size of the request's payload, echoed.
type servicer struct {
	testpb.UnimplementedTestServiceServer
}

func (servicer) UnaryCall(_ context.Context, req *testpb.SimpleRequest) (*testpb.SimpleResponse, error) {
	return &testpb.SimpleResponse{Username: "servicer", Payload: req.GetPayload()}, nil
}

func (servicer) StreamingOutputCall(req *testpb.StreamingOutputCallRequest, stream grpc.ServerStreamingServer[testpb.StreamingOutputCallResponse]) error {
	return stream.Send(&testpb.StreamingOutputCallResponse{Payload: req.GetPayload()})
}

func (servicer) StreamingInputCall(stream grpc.ClientStreamingServer[testpb.StreamingInputCallRequest, testpb.StreamingInputCallResponse]) error {
	var n int32
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(&testpb.StreamingInputCallResponse{AggregatedPayloadSize: n})
		}
		if err != nil {
			return err
		}
		n++
	}
}

func (servicer) FullDuplexCall(stream grpc.BidiStreamingServer[testpb.StreamingOutputCallRequest, testpb.StreamingOutputCallResponse]) error {
	for {
		req, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := stream.Send(&testpb.StreamingOutputCallResponse{Payload: req.GetPayload()}); err != nil {
			return err
		}
	}
}

// testFake is what protoc-gen-gotutor would generate for TestService.
type testFake struct {
	*fake.Fake
	UnaryCall           fake.Unary[*testpb.SimpleRequest, *testpb.SimpleResponse]
	StreamingOutputCall fake.ServerStream[*testpb.StreamingOutputCallRequest, *testpb.StreamingOutputCallResponse]
	StreamingInputCall  fake.ClientStream[*testpb.StreamingInputCallRequest, *testpb.StreamingInputCallResponse]
	FullDuplexCall      fake.BidiStream[*testpb.StreamingOutputCallRequest, *testpb.StreamingOutputCallResponse]
}

func start(t *testing.T) (*testFake, testpb.TestServiceClient) {
	t.Helper()
	f := fake.New(t)
	tf := &testFake{
		Fake:                f,
		UnaryCall:           fake.NewUnary[*testpb.SimpleRequest, *testpb.SimpleResponse](f, "/grpc.testing.TestService/UnaryCall"),
		StreamingOutputCall: fake.NewServerStream[*testpb.StreamingOutputCallRequest, *testpb.StreamingOutputCallResponse](f, "/grpc.testing.TestService/StreamingOutputCall"),
		StreamingInputCall:  fake.NewClientStream[*testpb.StreamingInputCallRequest, *testpb.StreamingInputCallResponse](f, "/grpc.testing.TestService/StreamingInputCall"),
		FullDuplexCall:      fake.NewBidiStream[*testpb.StreamingOutputCallRequest, *testpb.StreamingOutputCallResponse](f, "/grpc.testing.TestService/FullDuplexCall"),
	}
	lis := serve.NewMemListener()
	server := grpc.NewServer(f.ServerOptions()...)
	testpb.RegisterTestServiceServer(server, servicer{})
	go func() { _ = server.Serve(lis) }()
	conn, err := grpc.NewClient("passthrough:///memory", grpc.WithContextDialer(lis.Dial), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = conn.Close()
		server.Stop()
	})
	return tf, testpb.NewTestServiceClient(conn)
}

func payload(s string) *testpb.Payload { return &testpb.Payload{Body: []byte(s)} }

func unary(t *testing.T, client testpb.TestServiceClient, body string) (*testpb.SimpleResponse, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	return client.UnaryCall(ctx, &testpb.SimpleRequest{Payload: payload(body)})
}

func TestUnary(t *testing.T) {
	f, client := start(t)
	resp, err := unary(t, client, "a")
	if err != nil || resp.GetUsername() != "servicer" {
		t.Fatalf("unprogrammed call = %v, %v; want the servicer's answer", resp, err)
	}

	want := &testpb.SimpleResponse{Username: "fake"}
	f.UnaryCall.Returns(want)
	want.Username = "changed after programming"
	for range 2 {
		resp, err := unary(t, client, "b")
		if err != nil || resp.GetUsername() != "fake" {
			t.Fatalf("programmed call = %v, %v; want Username fake", resp, err)
		}
	}

	st, _ := status.New(codes.NotFound, "no such user").WithDetails(&errdetails.ResourceInfo{ResourceName: "users/ada"})
	f.UnaryCall.Fails(st.Err())
	_, err = unary(t, client, "c")
	got := status.Convert(err)
	if got.Code() != codes.NotFound || got.Message() != "no such user" || len(got.Details()) != 1 {
		t.Fatalf("Fails: got %v with details %v, want NotFound \"no such user\" with one detail", err, got.Details())
	}
	if info, ok := got.Details()[0].(*errdetails.ResourceInfo); !ok || info.GetResourceName() != "users/ada" {
		t.Errorf("Fails: detail = %v, want ResourceInfo users/ada", got.Details()[0])
	}

	f.UnaryCall.Answers(func(_ context.Context, req *testpb.SimpleRequest) (*testpb.SimpleResponse, error) {
		return &testpb.SimpleResponse{Username: "to " + string(req.GetPayload().GetBody())}, nil
	})
	if resp, err := unary(t, client, "d"); err != nil || resp.GetUsername() != "to d" {
		t.Errorf("Answers: got %v, %v; want Username \"to d\"", resp, err)
	}

	calls := f.UnaryCall.Calls()
	if len(calls) != 5 || f.UnaryCall.Count() != 5 || f.Count() != 5 {
		t.Fatalf("recorded %d calls (Count %d, all %d), want 5", len(calls), f.UnaryCall.Count(), f.Count())
	}
	for i, body := range []string{"a", "b", "b", "c", "d"} {
		if got := string(calls[i].Request().GetPayload().GetBody()); got != body {
			t.Errorf("call %d's request payload = %q, want %q", i, got, body)
		}
	}
}

// TestSequence checks that answers given with Times answer that many
// calls in turn, that the last without it answers every call after, and
// that a method without answers left goes back to the servicer.
func TestSequence(t *testing.T) {
	f, client := start(t)
	f.UnaryCall.Fails(status.Error(codes.Unavailable, "busy"), fake.Times(2))
	f.UnaryCall.Returns(&testpb.SimpleResponse{Username: "first"})
	f.UnaryCall.Returns(&testpb.SimpleResponse{Username: "second"}) // replaces "first"
	var got []string
	for range 4 {
		resp, err := unary(t, client, "x")
		got = append(got, status.Code(err).String()+":"+resp.GetUsername())
	}
	want := []string{"Unavailable:", "Unavailable:", "OK:second", "OK:second"}
	if !equal(got, want) {
		t.Errorf("answers = %q, want %q", got, want)
	}

	f.UnaryCall.Reset()
	f.UnaryCall.Returns(&testpb.SimpleResponse{Username: "once"}, fake.Times(1))
	got = nil
	for range 2 {
		resp, err := unary(t, client, "x")
		got = append(got, status.Code(err).String()+":"+resp.GetUsername())
	}
	if want := []string{"OK:once", "OK:servicer"}; !equal(got, want) {
		t.Errorf("after Times(1) is used: %q, want %q", got, want)
	}
	if n := f.UnaryCall.Count(); n != 2 {
		t.Errorf("after Reset, %d calls, want 2", n)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDelay(t *testing.T) {
	f, client := start(t)
	f.UnaryCall.Returns(&testpb.SimpleResponse{Username: "slow"}, fake.Delay(200*time.Millisecond))
	began := time.Now()
	if _, err := unary(t, client, "x"); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(began); took < 200*time.Millisecond {
		t.Errorf("a call delayed 200ms took %v", took)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := client.UnaryCall(ctx, &testpb.SimpleRequest{})
	if status.Code(err) != codes.DeadlineExceeded {
		t.Errorf("a call whose deadline comes before the delay: %v, want DeadlineExceeded", err)
	}
}

func TestServerStream(t *testing.T) {
	f, client := start(t)
	f.StreamingOutputCall.Sends([]*testpb.StreamingOutputCallResponse{
		{Payload: payload("1")}, {Payload: payload("2")}, {Payload: payload("3")},
	}, fake.Interval(50*time.Millisecond), fake.Ending(status.Error(codes.Aborted, "gone")))
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	md := metadata.Pairs("x-team", "maps")
	began := time.Now()
	stream, err := client.StreamingOutputCall(metadata.NewOutgoingContext(ctx, md), &testpb.StreamingOutputCallRequest{Payload: payload("req")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		resp, err := stream.Recv()
		if err != nil {
			if status.Code(err) != codes.Aborted {
				t.Errorf("stream ended with %v, want Aborted", err)
			}
			break
		}
		got = append(got, string(resp.GetPayload().GetBody()))
	}
	if !equal(got, []string{"1", "2", "3"}) {
		t.Errorf("messages %q, want 1 2 3", got)
	}
	if took := time.Since(began); took < 100*time.Millisecond {
		t.Errorf("three messages 50ms apart took %v", took)
	}
	calls := f.StreamingOutputCall.Calls()
	if len(calls) != 1 || string(calls[0].Request().GetPayload().GetBody()) != "req" || calls[0].Metadata.Get("x-team")[0] != "maps" {
		t.Errorf("calls = %v, want one with the request and its metadata", calls)
	}
}

func TestClientStream(t *testing.T) {
	f, client := start(t)
	send := func(bodies ...string) (*testpb.StreamingInputCallResponse, error) {
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		stream, err := client.StreamingInputCall(ctx)
		if err != nil {
			return nil, err
		}
		for _, b := range bodies {
			if err := stream.Send(&testpb.StreamingInputCallRequest{Payload: payload(b)}); err != nil {
				return nil, err
			}
		}
		return stream.CloseAndRecv()
	}
	if resp, err := send("a", "b"); err != nil || resp.GetAggregatedPayloadSize() != 2 {
		t.Fatalf("unprogrammed: %v, %v; want the servicer's count 2", resp, err)
	}
	f.StreamingInputCall.Answers(func(_ context.Context, reqs []*testpb.StreamingInputCallRequest) (*testpb.StreamingInputCallResponse, error) {
		return &testpb.StreamingInputCallResponse{AggregatedPayloadSize: int32(100 * len(reqs))}, nil
	})
	if resp, err := send("a", "b", "c"); err != nil || resp.GetAggregatedPayloadSize() != 300 {
		t.Fatalf("Answers: %v, %v; want 300", resp, err)
	}
	calls := f.StreamingInputCall.Calls()
	if len(calls) != 2 || len(calls[0].Requests) != 2 || len(calls[1].Requests) != 3 {
		t.Fatalf("calls = %v, want two, of 2 and 3 messages", calls)
	}
	f.StreamingInputCall.Answers(func(context.Context, []*testpb.StreamingInputCallRequest) (*testpb.StreamingInputCallResponse, error) {
		return nil, nil
	})
	if _, err := send("a"); status.Code(err) != codes.Internal {
		t.Errorf("an answer of no response: %v, want Internal", err)
	}
}

func TestBidiStream(t *testing.T) {
	f, client := start(t)
	f.FullDuplexCall.Answers(func(_ context.Context, req *testpb.StreamingOutputCallRequest) ([]*testpb.StreamingOutputCallResponse, error) {
		b := req.GetPayload().GetBody()
		return []*testpb.StreamingOutputCallResponse{{Payload: &testpb.Payload{Body: append(b, b...)}}}, nil
	}, fake.Times(2))
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	stream, err := client.FullDuplexCall(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"a", "b"} {
		if err := stream.Send(&testpb.StreamingOutputCallRequest{Payload: payload(b)}); err != nil {
			t.Fatal(err)
		}
		resp, err := stream.Recv()
		if err != nil || string(resp.GetPayload().GetBody()) != b+b {
			t.Fatalf("answer to %q: %v, %v; want %q", b, resp, err, b+b)
		}
	}
	if err := stream.Send(&testpb.StreamingOutputCallRequest{Payload: payload("c")}); err != nil {
		t.Fatal(err)
	}
	_, err = stream.Recv()
	if st := status.Convert(err); st.Code() != codes.FailedPrecondition || st.Message() != "fake: /grpc.testing.TestService/FullDuplexCall has no answer left for message 3 of the stream" {
		t.Errorf("third message with two answers: %v", err)
	}
	if calls := f.FullDuplexCall.Calls(); len(calls) != 1 || len(calls[0].Requests) != 3 {
		t.Errorf("calls = %v, want one with the three messages read", calls)
	}
}

// TestConcurrent makes calls from many goroutines: each answer given
// with Times(n) answers exactly n of them, and every call is recorded.
// Run with -race.
func TestConcurrent(t *testing.T) {
	f, client := start(t)
	f.UnaryCall.Fails(status.Error(codes.Unavailable, "busy"), fake.Times(10))
	f.UnaryCall.Returns(&testpb.SimpleResponse{Username: "ok"})
	var mu sync.Mutex
	codesSeen := map[codes.Code]int{}
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			_, err := unary(t, client, "x")
			mu.Lock()
			codesSeen[status.Code(err)]++
			mu.Unlock()
			_ = f.UnaryCall.Calls() // read while others write
		})
	}
	wg.Wait()
	if codesSeen[codes.Unavailable] != 10 || codesSeen[codes.OK] != 40 {
		t.Errorf("codes = %v, want 10 Unavailable and 40 OK", codesSeen)
	}
	if n := f.UnaryCall.Count(); n != 50 {
		t.Errorf("recorded %d calls, want 50", n)
	}
}

// TestCleanupResets checks that the fake forgets what a test programmed
// when that test ends.
func TestCleanupResets(t *testing.T) {
	var f *fake.Fake
	var m fake.Unary[*testpb.SimpleRequest, *testpb.SimpleResponse]
	t.Run("programs", func(t *testing.T) {
		tf, client := start(t)
		f, m = tf.Fake, tf.UnaryCall
		m.Returns(&testpb.SimpleResponse{})
		if _, err := unary(t, client, "x"); err != nil {
			t.Fatal(err)
		}
		if f.Count() != 1 {
			t.Fatalf("Count = %d, want 1", f.Count())
		}
	})
	if f.Count() != 0 || m.Count() != 0 {
		t.Errorf("after the test, Count = %d, want 0", f.Count())
	}
}
