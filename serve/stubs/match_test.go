package stubs_test

import (
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

const matchYAML = `
- service: grpc.testing.TestService
  method: UnaryCall
  input:
    headers:
      equals: {X-User: ada}
  output:
    data: {username: by header}
- service: grpc.testing.TestService
  method: UnaryCall
  headers:
    contains: {x-team: core}
  input:
    contains: {response_size: 5}
  output:
    data: {username: by stub header}
- service: grpc.testing.TestService
  method: UnaryCall
  input:
    any_of:
      - equals: {responseSize: 1}
      - contains: {payload: {type: COMPRESSABLE}, responseSize: 2}
  output:
    data: {username: any of}
- service: grpc.testing.TestService
  method: UnaryCall
  input: {contains: {responseSize: 7}}
  output: {data: {username: low}}
- service: grpc.testing.TestService
  method: UnaryCall
  priority: 5
  input: {contains: {responseSize: 7}}
  output: {data: {username: high}}
- service: grpc.testing.TestService
  method: StreamingOutputCall
  input:
    ignoreArrayOrder: true
    equals: {response_parameters: [{size: 1}, {size: 2}]}
  output:
    data: {payload: {body: c2V0}}
- service: grpc.testing.TestService
  method: FullDuplexCall
  input:
    contains: {payload: {body: YQ==}}
  output:
    data: {payload: {body: QQ==}}
    headers: {x-stub: duplex}
`

// TestMatching checks the rules of a stub's input: headers (the input's
// and the stub's), anyOf, priority, ignoreArrayOrder, and a bidirectional
// stream, message by message.
func TestMatching(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "match.yml", matchYAML)
	s := start(t, "-stubs", dir)
	client := testpb.NewTestServiceClient(s.Conn)
	ctx := t.Context()
	for _, c := range []struct {
		name    string
		headers []string
		req     *testpb.SimpleRequest
		want    string
	}{
		{"input's header", []string{"x-user", "ada"}, &testpb.SimpleRequest{}, "by header"},
		{"input's header, another value", []string{"x-user", "bob"}, &testpb.SimpleRequest{}, "servicer"},
		{"stub's header", []string{"x-team", "the core team"}, &testpb.SimpleRequest{ResponseSize: 5}, "by stub header"},
		{"stub's header missing", nil, &testpb.SimpleRequest{ResponseSize: 5}, "servicer"},
		{"anyOf, first", nil, &testpb.SimpleRequest{ResponseSize: 1}, "any of"},
		{"anyOf, second", nil, &testpb.SimpleRequest{ResponseSize: 2, Payload: &testpb.Payload{Type: testpb.PayloadType_COMPRESSABLE, Body: []byte("x")}}, "any of"},
		{"anyOf, none", nil, &testpb.SimpleRequest{ResponseSize: 3}, "servicer"},
		{"priority", nil, &testpb.SimpleRequest{ResponseSize: 7}, "high"},
	} {
		ctx := ctx
		if c.headers != nil {
			ctx = metadata.AppendToOutgoingContext(ctx, c.headers...)
		}
		resp, err := client.UnaryCall(ctx, c.req)
		if err != nil || resp.GetUsername() != c.want {
			t.Errorf("%s: %v, %v; want %q", c.name, resp, err, c.want)
		}
	}

	for sizes, want := range map[string]string{"2,1": "set", "1,2": "set", "1,2,3": "servicer:"} {
		req := &testpb.StreamingOutputCallRequest{}
		for _, n := range strings.Split(sizes, ",") {
			req.ResponseParameters = append(req.ResponseParameters, &testpb.ResponseParameters{Size: int32(n[0] - '0')})
		}
		stream, err := client.StreamingOutputCall(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := stream.Recv()
		if err != nil || string(resp.GetPayload().GetBody()) != want {
			t.Errorf("ignoreArrayOrder, sizes %s: %v, %v; want %q", sizes, resp, err, want)
		}
	}

	// Both streams: each message gets its stub's answer; a message that
	// none matches ends the call with NotFound.
	stream, err := client.FullDuplexCall(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, body := range []string{"a", "a", "b"} {
		if err := stream.Send(&testpb.StreamingOutputCallRequest{Payload: &testpb.Payload{Body: []byte(body)}}); err != nil {
			t.Fatal(err)
		}
		resp, err := stream.Recv()
		if i == 2 {
			if want := "rpc error: code = NotFound desc = no stub matches message 3 of /grpc.testing.TestService/FullDuplexCall"; err == nil || err.Error() != want {
				t.Errorf("bidi message 3: %v, %v; want %s", resp, err, want)
			}
			break
		}
		if err != nil || string(resp.GetPayload().GetBody()) != "A" {
			t.Errorf("bidi message %d: %v, %v; want A", i+1, resp, err)
		}
	}
	if h, err := stream.Header(); err != nil || strings.Join(h.Get("x-stub"), ",") != "duplex" {
		t.Errorf("bidi headers: %v, %v; want x-stub: duplex", h, err)
	}
	// A first message that no stub matches: the servicer answers (it does
	// not implement FullDuplexCall).
	stream, err = client.FullDuplexCall(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.Send(&testpb.StreamingOutputCallRequest{Payload: &testpb.Payload{Body: []byte("b")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Recv(); status.Code(err) != codes.Unimplemented {
		t.Errorf("bidi, no stub: %v; want the servicer's Unimplemented", err)
	}
}
