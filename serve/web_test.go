package serve_test

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/oneport"
	"github.com/gotutor/gotutor/serve/servetest"
)

// webService is a service whose descriptor is registered, so that Vanguard
// serves it over every protocol, with REST routes:
//
//	message Thing { string name = 1; int32 count = 2; bytes data = 3; Thing child = 4; }
//	service Web {
//	  rpc Echo(Thing) returns (Thing) { post: "/v1/things" body: "*", get: "/v1/things/{name}" }
//	  rpc Wait(Thing) returns (Thing) { post: "/v1/wait" body: "*" }
//	  rpc Watch(Thing) returns (stream Thing);
//	  rpc Collect(stream Thing) returns (Thing);
//	}
//
// Echo answers its request; Wait and Watch (which first sends its request
// back) return only when the call ends, and report the error of its
// context; Collect answers the count of the messages it got.
const webService = "gotutor.test.Web"

// thing is the descriptor of gotutor.test.Thing.
var thing = registerWeb()

// registerWeb registers the descriptor of webService and its message type.
func registerWeb() protoreflect.MessageDescriptor {
	s, i32, by, msg := descriptorpb.FieldDescriptorProto_TYPE_STRING.Enum(), descriptorpb.FieldDescriptorProto_TYPE_INT32.Enum(), descriptorpb.FieldDescriptorProto_TYPE_BYTES.Enum(), descriptorpb.FieldDescriptorProto_TYPE_MESSAGE.Enum()
	opt := descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum()
	field := func(name string, n int32, typ *descriptorpb.FieldDescriptorProto_Type) *descriptorpb.FieldDescriptorProto {
		f := &descriptorpb.FieldDescriptorProto{Name: proto.String(name), JsonName: proto.String(name), Number: proto.Int32(n), Type: typ, Label: opt}
		if *typ == descriptorpb.FieldDescriptorProto_TYPE_MESSAGE {
			f.TypeName = proto.String(".gotutor.test.Thing")
		}
		return f
	}
	rule := func(r *annotations.HttpRule) *descriptorpb.MethodOptions {
		o := &descriptorpb.MethodOptions{}
		proto.SetExtension(o, annotations.E_Http, r)
		return o
	}
	method := func(name string, clientStreams, serverStreams bool, options *descriptorpb.MethodOptions) *descriptorpb.MethodDescriptorProto {
		return &descriptorpb.MethodDescriptorProto{Name: proto.String(name), InputType: proto.String(".gotutor.test.Thing"), OutputType: proto.String(".gotutor.test.Thing"),
			ClientStreaming: proto.Bool(clientStreams), ServerStreaming: proto.Bool(serverStreams), Options: options}
	}
	fdp := &descriptorpb.FileDescriptorProto{
		Name:       proto.String("gotutor/test/web.proto"),
		Package:    proto.String("gotutor.test"),
		Syntax:     proto.String("proto3"),
		Dependency: []string{"google/api/annotations.proto"},
		MessageType: []*descriptorpb.DescriptorProto{{Name: proto.String("Thing"), Field: []*descriptorpb.FieldDescriptorProto{
			field("name", 1, s), field("count", 2, i32), field("data", 3, by), field("child", 4, msg),
		}}},
		Service: []*descriptorpb.ServiceDescriptorProto{{Name: proto.String("Web"), Method: []*descriptorpb.MethodDescriptorProto{
			method("Echo", false, false, rule(&annotations.HttpRule{Pattern: &annotations.HttpRule_Post{Post: "/v1/things"}, Body: "*",
				AdditionalBindings: []*annotations.HttpRule{{Pattern: &annotations.HttpRule_Get{Get: "/v1/things/{name}"}}}})),
			method("Wait", false, false, rule(&annotations.HttpRule{Pattern: &annotations.HttpRule_Post{Post: "/v1/wait"}, Body: "*"})),
			method("Watch", false, true, nil),
			method("Collect", true, false, nil),
		}}},
	}
	md := registerFile(fdp).Messages().ByName("Thing")
	if err := protoregistry.GlobalTypes.RegisterMessage(dynamicpb.NewMessageType(md)); err != nil {
		panic(err)
	}
	return md
}

// registerFile builds the file fdp describes and registers it, as a
// generated Go package registers its .proto, for the services that tests
// register by hand; it panics on error, since it runs as a variable's
// initializer.
func registerFile(fdp *descriptorpb.FileDescriptorProto) protoreflect.FileDescriptor {
	fd, err := protodesc.NewFile(fdp, protoregistry.GlobalFiles)
	if err != nil {
		panic(err)
	}
	if err := protoregistry.GlobalFiles.RegisterFile(fd); err != nil {
		panic(err)
	}
	return fd
}

// newThing returns a Thing named name.
func newThing(name string) *dynamicpb.Message {
	m := dynamicpb.NewMessage(thing)
	if name != "" {
		m.Set(thing.Fields().ByName("name"), protoreflect.ValueOfString(name))
	}
	return m
}

// web serves webService in a test, and says what its calls saw.
type web struct {
	// started has a value for each call of Wait or Watch once it runs;
	// ended, the error of its context once it ended.
	started chan string
	ended   chan error
}

func newWeb() *web { return &web{started: make(chan string, 100), ended: make(chan error, 100)} }

// register registers the probe and webService on server.
func (w *web) register(server *grpc.Server) {
	registerProbe(server)
	unary := func(name string, f func(ctx context.Context, req *dynamicpb.Message) (*dynamicpb.Message, error)) grpc.MethodDesc {
		return grpc.MethodDesc{MethodName: name, Handler: func(srv any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
			req := dynamicpb.NewMessage(thing)
			if err := dec(req); err != nil {
				return nil, err
			}
			handler := func(ctx context.Context, req any) (any, error) { return f(ctx, req.(*dynamicpb.Message)) }
			return interceptor(ctx, req, &grpc.UnaryServerInfo{Server: srv, FullMethod: "/" + webService + "/" + name}, handler)
		}}
	}
	wait := func(ctx context.Context, req *dynamicpb.Message) error {
		w.started <- req.Get(thing.Fields().ByName("name")).String()
		<-ctx.Done()
		w.ended <- ctx.Err()
		return status.FromContextError(ctx.Err()).Err()
	}
	server.RegisterService(&grpc.ServiceDesc{
		ServiceName: webService,
		HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{
			unary("Echo", func(_ context.Context, req *dynamicpb.Message) (*dynamicpb.Message, error) { return req, nil }),
			unary("Wait", func(ctx context.Context, req *dynamicpb.Message) (*dynamicpb.Message, error) {
				return nil, wait(ctx, req)
			}),
		},
		Streams: []grpc.StreamDesc{
			{StreamName: "Watch", ServerStreams: true, Handler: func(_ any, stream grpc.ServerStream) error {
				req := dynamicpb.NewMessage(thing)
				if err := stream.RecvMsg(req); err != nil {
					return err
				}
				if err := stream.SendMsg(req); err != nil {
					return err
				}
				return wait(stream.Context(), req)
			}},
			{StreamName: "Collect", ClientStreams: true, Handler: func(_ any, stream grpc.ServerStream) error {
				n := 0
				for {
					if err := stream.RecvMsg(dynamicpb.NewMessage(thing)); err == io.EOF {
						break
					} else if err != nil {
						return err
					}
					n++
				}
				resp := newThing("collected")
				resp.Set(thing.Fields().ByName("count"), protoreflect.ValueOfInt32(int32(n)))
				return stream.SendMsg(resp)
			}},
		},
	}, w)
}

// startWeb serves webService and the probe in memory, as a main with
// OnePort does, configured by args.
func startWeb(t *testing.T, args ...string) (*servetest.Server, *web) {
	t.Helper()
	w := newWeb()
	return servetest.Start(t, serve.Config{OnePort: oneport.Split}, nil, w.register, args...), w
}

// reply is an HTTP response, read whole.
type reply struct {
	code   int
	header http.Header
	body   []byte
	// trailer holds the response's trailers; a gRPC-Web response's are in
	// its body, which they are taken from.
	trailer http.Header
}

// rpcCode is the code of a Connect, gRPC-Web or REST answer: from its
// JSON error (Connect unary and REST: "code"; Connect streaming: the end
// message's "error"), or the grpc-status of a gRPC-Web answer; "ok"
// without an error.
func (r reply) rpcCode() string {
	ct := r.header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "application/grpc-web"):
		s := r.header.Get("Grpc-Status")
		if s == "" {
			s = r.trailer.Get("Grpc-Status")
		}
		if s == "" {
			return "no grpc-status"
		}
		var n int
		fmt.Sscan(s, &n)
		return codeName(codes.Code(n))
	case strings.HasPrefix(ct, "application/connect+"):
		for body := r.body; len(body) >= 5; {
			n := int(binary.BigEndian.Uint32(body[1:5]))
			if len(body) < 5+n {
				return "truncated envelope"
			}
			if body[0]&2 != 0 {
				var end struct {
					Error *struct{ Code string } `json:"error"`
				}
				if err := json.Unmarshal(body[5:5+n], &end); err != nil {
					return "bad end message"
				}
				if end.Error == nil {
					return "ok"
				}
				return end.Error.Code
			}
			body = body[5+n:]
		}
		return "no end message"
	}
	if r.code == http.StatusOK {
		return "ok"
	}
	var e struct {
		Code any `json:"code"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil {
		return fmt.Sprintf("HTTP %d %q", r.code, r.body)
	}
	switch c := e.Code.(type) {
	case string:
		return c
	case float64: // REST: the number of the code
		return codeName(codes.Code(c))
	}
	return fmt.Sprintf("HTTP %d %q", r.code, r.body)
}

// codeName is the name of c as Connect spells it ("invalid_argument").
func codeName(c codes.Code) string {
	if c == codes.OK {
		return "ok"
	}
	var b strings.Builder
	for i, r := range c.String() {
		if 'A' <= r && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// do sends req with client and reads the answer whole; a gRPC-Web
// answer's trailers are parsed from its body.
func do(t *testing.T, client *http.Client, req *http.Request) reply {
	t.Helper()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", req.Method, req.URL, err)
	}
	r := reply{code: resp.StatusCode, header: resp.Header, body: body, trailer: resp.Trailer}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/grpc-web") {
		r = parseGRPCWebTrailers(r)
	}
	return r
}

// parseGRPCWebTrailers returns r with the trailers of its gRPC-Web body.
func parseGRPCWebTrailers(r reply) reply {
	r.trailer = http.Header{}
	for b := r.body; len(b) >= 5; {
		n := int(binary.BigEndian.Uint32(b[1:5]))
		if len(b) < 5+n {
			break
		}
		if b[0]&0x80 != 0 {
			for _, line := range strings.Split(string(b[5:5+n]), "\r\n") {
				if k, v, ok := strings.Cut(line, ":"); ok {
					r.trailer.Add(strings.TrimSpace(k), strings.TrimSpace(v))
				}
			}
		}
		b = b[5+n:]
	}
	return r
}

// request makes an HTTP request to the server of s: header holds pairs of
// header names and values.
func request(t *testing.T, method, url string, body io.Reader, header ...string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return req
}

// envelope frames msg as gRPC-Web and Connect streaming do, with flags.
func envelope(flags byte, msg []byte) []byte {
	out := make([]byte, 5, 5+len(msg))
	out[0] = flags
	binary.BigEndian.PutUint32(out[1:], uint32(len(msg)))
	return append(out, msg...)
}

// marshal is the binary form of m.
func marshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rawConn is a new connection made by dial, on which a test writes what it
// pleases; its reads fail after a generous bound, so that a server that
// never closes it fails the test rather than hang it.
func rawConn(t *testing.T, dial func(context.Context, string) (net.Conn, error)) net.Conn {
	t.Helper()
	conn, err := dial(t.Context(), "memory")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	return conn
}

// wantClosed fails the test unless the server closes conn (after what it
// may still write) before conn's read deadline.
func wantClosed(t *testing.T, what string, conn net.Conn) {
	t.Helper()
	if _, err := io.Copy(io.Discard, conn); errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("%s: the server did not close the connection", what)
	}
}
