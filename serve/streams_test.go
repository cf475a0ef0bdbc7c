package serve_test

import (
	"io"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/grpc"
	testpb "google.golang.org/grpc/interop/grpc_testing"

	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/oneport"
	"github.com/gotutor/gotutor/serve/servetest"
)

// inputCounter is grpc's interop TestService, whose descriptor its Go
// package registers (so the one port serves it over every protocol), with
// a client stream that answers the total size of the payloads it
// received.
type inputCounter struct {
	testpb.UnimplementedTestServiceServer
}

func (inputCounter) StreamingInputCall(stream grpc.ClientStreamingServer[testpb.StreamingInputCallRequest, testpb.StreamingInputCallResponse]) error {
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

// TestClientStreamEmptyMessage checks that an empty message in a client's
// stream, over Connect (binary and JSON) and gRPC-Web, does not end the
// stream: the messages after it reach the servicer too. (Vanguard marks
// an empty message's envelope as the end of the body.)
func TestClientStreamEmptyMessage(t *testing.T) {
	s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, nil, func(server *grpc.Server) {
		testpb.RegisterTestServiceServer(server, inputCounter{})
	})
	for name, opts := range map[string][]connect.ClientOption{
		"Connect binary": nil,
		"Connect JSON":   {connect.WithProtoJSON()},
		"gRPC-Web":       {connect.WithGRPCWeb()},
	} {
		client := connect.NewClient[testpb.StreamingInputCallRequest, testpb.StreamingInputCallResponse](s.HTTP, "http://memory/grpc.testing.TestService/StreamingInputCall", opts...)
		stream := client.CallClientStream(t.Context())
		for _, body := range []string{"abc", "", "defg"} {
			req := &testpb.StreamingInputCallRequest{}
			if body != "" {
				req.Payload = &testpb.Payload{Body: []byte(body)}
			}
			if err := stream.Send(req); err != nil {
				t.Fatalf("%s: send: %v", name, err)
			}
		}
		resp, err := stream.CloseAndReceive()
		if err != nil || resp.Msg.GetAggregatedPayloadSize() != 7 {
			t.Errorf("%s: %v, %v; want the 7 bytes of the 3 messages", name, resp, err)
		}
	}
}
