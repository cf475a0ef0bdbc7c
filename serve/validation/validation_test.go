package validation_test

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"buf.build/go/protovalidate"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/oneport"
	"github.com/gotutor/gotutor/serve/servetest"
	"github.com/gotutor/gotutor/serve/validation"
)

// rulesFile is a .proto file, built here rather than compiled, whose
// messages have buf.validate rules:
//
//	message Request {
//	  string name = 1 [(buf.validate.field).string.min_len = 1];
//	  int32 count = 2 [(buf.validate.field).int32.gt = 0];
//	}
//	message Broken {
//	  option (buf.validate.message).cel = {id: "broken", expression: "this.nope +"};
//	  string name = 1;
//	}
var rulesFile = sync.OnceValue(func() protoreflect.FileDescriptor {
	field := func(name string, number int32, typ descriptorpb.FieldDescriptorProto_Type, rules *validate.FieldRules) *descriptorpb.FieldDescriptorProto {
		f := &descriptorpb.FieldDescriptorProto{
			Name:     proto.String(name),
			JsonName: proto.String(name),
			Number:   proto.Int32(number),
			Label:    descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum(),
			Type:     typ.Enum(),
		}
		if rules != nil {
			f.Options = &descriptorpb.FieldOptions{}
			proto.SetExtension(f.Options, validate.E_Field, rules)
		}
		return f
	}
	broken := &descriptorpb.MessageOptions{}
	proto.SetExtension(broken, validate.E_Message, validate.MessageRules_builder{
		Cel: []*validate.Rule{validate.Rule_builder{Id: proto.String("broken"), Expression: proto.String("this.nope +")}.Build()},
	}.Build())
	fd, err := protodesc.NewFile(&descriptorpb.FileDescriptorProto{
		Name:       proto.String("gotutor/validationtest/v1/rules.proto"),
		Package:    proto.String("gotutor.validationtest.v1"),
		Dependency: []string{"buf/validate/validate.proto"},
		Syntax:     proto.String("proto3"),
		MessageType: []*descriptorpb.DescriptorProto{
			{Name: proto.String("Request"), Field: []*descriptorpb.FieldDescriptorProto{
				field("name", 1, descriptorpb.FieldDescriptorProto_TYPE_STRING, validate.FieldRules_builder{String: validate.StringRules_builder{MinLen: proto.Uint64(1)}.Build()}.Build()),
				field("count", 2, descriptorpb.FieldDescriptorProto_TYPE_INT32, validate.FieldRules_builder{Int32: validate.Int32Rules_builder{Gt: proto.Int32(0)}.Build()}.Build()),
			}},
			{Name: proto.String("Broken"), Options: broken, Field: []*descriptorpb.FieldDescriptorProto{
				field("name", 1, descriptorpb.FieldDescriptorProto_TYPE_STRING, nil),
			}},
		},
	}, protoregistry.GlobalFiles)
	if err != nil {
		panic(err)
	}
	return fd
})

// newRequest returns a Request of rulesFile with name and count.
func newRequest(name string, count int32) *dynamicpb.Message {
	md := rulesFile().Messages().ByName("Request")
	msg := dynamicpb.NewMessage(md)
	if name != "" {
		msg.Set(md.Fields().ByName("name"), protoreflect.ValueOfString(name))
	}
	if count != 0 {
		msg.Set(md.Fields().ByName("count"), protoreflect.ValueOfInt32(count))
	}
	return msg
}

// violations returns the field violations of err's BadRequest detail, as
// "field: description", and fails the test unless err is
// codes.InvalidArgument with that detail alone.
func violations(t *testing.T, err error) []string {
	t.Helper()
	st, ok := status.FromError(err)
	if !ok || st.Code() != codes.InvalidArgument {
		t.Fatalf("%v, want InvalidArgument", err)
	}
	details := st.Details()
	if len(details) != 1 {
		t.Fatalf("%d details (%v), want one BadRequest", len(details), details)
	}
	bad, ok := details[0].(*errdetails.BadRequest)
	if !ok {
		t.Fatalf("detail %T, want *errdetails.BadRequest", details[0])
	}
	var got []string
	for _, v := range bad.GetFieldViolations() {
		got = append(got, v.GetField()+": "+v.GetDescription())
	}
	return got
}

var (
	nameViolation  = "name: must be at least 1 characters"
	countViolation = "count: must be greater than 0"
)

// TestCheck checks Check on a message that meets its rules, one that
// breaks them, one whose rule cannot be evaluated, and values that are no
// messages or have no rules.
func TestCheck(t *testing.T) {
	for _, req := range []any{newRequest("a", 1), nil, "not a message", wrapperspb.String("")} {
		if err := validation.Check(req); err != nil {
			t.Errorf("Check(%v): %v, want nil", req, err)
		}
	}

	invalid := newRequest("", 0)
	err := validation.Check(invalid)
	if got, want := violations(t, err), []string{nameViolation, countViolation}; !slices.Equal(got, want) {
		t.Errorf("Check of an invalid request: violations %q, want %q", got, want)
	}
	if want := protovalidate.Validate(invalid).Error(); status.Convert(err).Message() != want {
		t.Errorf("Check of an invalid request: message %q, want protovalidate's %q", status.Convert(err).Message(), want)
	}
	if got, want := violations(t, validation.Check(newRequest("a", -1))), []string{countViolation}; !slices.Equal(got, want) {
		t.Errorf("Check of a request with a bad count: violations %q, want %q", got, want)
	}

	broken := dynamicpb.NewMessage(rulesFile().Messages().ByName("Broken"))
	cause := protovalidate.Validate(broken)
	var compilation *protovalidate.CompilationError
	if !errors.As(cause, &compilation) {
		t.Fatalf("protovalidate on Broken: %v, want a CompilationError", cause)
	}
	err = validation.Check(broken)
	if st := status.Convert(err); st.Code() != codes.Internal || st.Message() != "checking the request: "+cause.Error() || len(st.Details()) != 0 {
		t.Errorf("Check of a message whose rule does not compile: %v, want Internal: checking the request: %v", err, cause)
	}
}

// The services that the tests call: Checked, whose requests are checked,
// and Other, whose are not. Each has Unary, which answers its request, and
// Stream, which answers each message.
const (
	checkedService = "gotutor.validationtest.v1.Checked"
	otherService   = "gotutor.validationtest.v1.Other"
)

// recorder registers the services, and records the names of the requests
// that their methods saw.
type recorder struct {
	mu   sync.Mutex
	seen []string
}

func (r *recorder) saw(msg proto.Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	md := msg.ProtoReflect().Descriptor()
	r.seen = append(r.seen, msg.ProtoReflect().Get(md.Fields().ByName("name")).String())
}

func (r *recorder) names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.seen)
}

func (r *recorder) register(server *grpc.Server) {
	for _, name := range []string{checkedService, otherService} {
		server.RegisterService(&grpc.ServiceDesc{
			ServiceName: name,
			HandlerType: (*any)(nil),
			Methods: []grpc.MethodDesc{{MethodName: "Unary", Handler: func(_ any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
				req := newRequest("", 0)
				if err := dec(req); err != nil {
					return nil, err
				}
				handler := func(_ context.Context, req any) (any, error) {
					r.saw(req.(proto.Message))
					return req, nil
				}
				return interceptor(ctx, req, &grpc.UnaryServerInfo{FullMethod: "/" + name + "/Unary"}, handler)
			}}},
			Streams: []grpc.StreamDesc{{StreamName: "Stream", ServerStreams: true, ClientStreams: true, Handler: func(_ any, stream grpc.ServerStream) error {
				for {
					req := newRequest("", 0)
					if err := stream.RecvMsg(req); err == io.EOF {
						return nil
					} else if err != nil {
						return err
					}
					r.saw(req)
					if err := stream.SendMsg(req); err != nil {
						return err
					}
				}
			}}},
		}, nil)
	}
}

// TestServerOptions checks that the options of ServerOptions, as a
// Service's Options, answer the requests of their service that break a
// rule, in a unary call and in a stream, without the servicer seeing them,
// and let those of other services pass.
func TestServerOptions(t *testing.T) {
	rec := &recorder{}
	s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, []serve.Service{{Name: checkedService, Options: validation.ServerOptions(checkedService)}, {Name: otherService}}, rec.register, "-log-format=json")

	for _, service := range []string{checkedService, otherService} {
		resp := newRequest("", 0)
		if err := s.Conn.Invoke(t.Context(), "/"+service+"/Unary", newRequest("valid", 1), resp); err != nil || !proto.Equal(resp, newRequest("valid", 1)) {
			t.Errorf("%s: a valid unary request: %v, %v", service, resp, err)
		}
		err := s.Conn.Invoke(t.Context(), "/"+service+"/Unary", newRequest("", 2), resp)
		if service == otherService {
			if err != nil || !proto.Equal(resp, newRequest("", 2)) {
				t.Errorf("%s: an invalid unary request of a service without options: %v, %v", service, resp, err)
			}
			continue
		}
		if got, want := violations(t, err), []string{nameViolation}; !slices.Equal(got, want) {
			t.Errorf("%s: an invalid unary request: violations %q, want %q", service, got, want)
		}
	}

	for _, service := range []string{checkedService, otherService} {
		stream, err := s.Conn.NewStream(t.Context(), &grpc.StreamDesc{ServerStreams: true, ClientStreams: true}, "/"+service+"/Stream")
		if err != nil {
			t.Fatal(err)
		}
		resp := newRequest("", 0)
		if err := stream.SendMsg(newRequest("first", 1)); err != nil {
			t.Fatal(err)
		}
		if err := stream.RecvMsg(resp); err != nil || !proto.Equal(resp, newRequest("first", 1)) {
			t.Errorf("%s: a valid message of a stream: %v, %v", service, resp, err)
		}
		if err := stream.SendMsg(newRequest("second", -3)); err != nil {
			t.Fatal(err)
		}
		err = stream.RecvMsg(resp)
		if service == otherService {
			if err != nil || !proto.Equal(resp, newRequest("second", -3)) {
				t.Errorf("%s: an invalid message of a stream of a service without options: %v, %v", service, resp, err)
			}
			if err := stream.CloseSend(); err != nil {
				t.Fatal(err)
			}
			if err := stream.RecvMsg(resp); err != io.EOF {
				t.Errorf("%s: the end of the stream: %v, want EOF", service, err)
			}
			continue
		}
		if got, want := violations(t, err), []string{countViolation}; !slices.Equal(got, want) {
			t.Errorf("%s: an invalid message of a stream: violations %q, want %q", service, got, want)
		}
	}

	if got, want := rec.names(), []string{"valid", "valid", "", "first", "first", "second"}; !slices.Equal(got, want) {
		t.Errorf("the servicers saw the requests named %q, want %q", got, want)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		`"level":"WARN","msg":"call","method":"/gotutor.validationtest.v1.Checked/Unary","peer":"pipe","code":"InvalidArgument"`,
		`"level":"WARN","msg":"call","method":"/gotutor.validationtest.v1.Checked/Stream","peer":"pipe","code":"InvalidArgument"`,
		`"level":"INFO","msg":"call","method":"/gotutor.validationtest.v1.Other/Stream","peer":"pipe","code":"OK"`,
	} {
		if !strings.Contains(s.Log.String(), line) {
			t.Errorf("the log lacks %s:\n%s", line, s.Log)
		}
	}
}

// TestInterceptors checks the interceptors of Interceptors alone: the unary
// one answers a request that breaks a rule without calling its handler, and
// passes the others and those of other services; the stream one checks the
// messages that its service's streams receive.
func TestInterceptors(t *testing.T) {
	unary, stream := validation.Interceptors(checkedService)
	var called int
	handler := func(_ context.Context, req any) (any, error) {
		called++
		return req, nil
	}
	for _, c := range []struct {
		method string
		req    proto.Message
		err    bool
	}{
		{"/" + checkedService + "/Unary", newRequest("a", 1), false},
		{"/" + checkedService + "/Unary", newRequest("", 1), true},
		{"/" + otherService + "/Unary", newRequest("", 1), false},
		{"/" + checkedService + "Suffix/Unary", newRequest("", 1), false},
	} {
		before := called
		resp, err := unary(t.Context(), c.req, &grpc.UnaryServerInfo{FullMethod: c.method}, handler)
		if c.err {
			if got := violations(t, err); !slices.Equal(got, []string{nameViolation}) || resp != nil || called != before {
				t.Errorf("%s with %v: %v, %v, handler called %d times; want the violation alone", c.method, c.req, resp, err, called-before)
			}
			continue
		}
		if err != nil || resp != c.req || called != before+1 {
			t.Errorf("%s with %v: %v, %v, handler called %d times; want the handler's answer", c.method, c.req, resp, err, called-before)
		}
	}

	for _, c := range []struct {
		method string
		err    bool
	}{{"/" + checkedService + "/Stream", true}, {"/" + otherService + "/Stream", false}} {
		var recvErr error
		err := stream(nil, &fakeStream{msg: newRequest("", 0)}, &grpc.StreamServerInfo{FullMethod: c.method}, func(_ any, ss grpc.ServerStream) error {
			recvErr = ss.RecvMsg(newRequest("", 0))
			return errors.New("handler's error")
		})
		if err == nil || err.Error() != "handler's error" {
			t.Errorf("%s: %v, want the handler's error", c.method, err)
		}
		if !c.err {
			if recvErr != nil {
				t.Errorf("%s: RecvMsg of an invalid message: %v, want nil", c.method, recvErr)
			}
			continue
		}
		if got, want := violations(t, recvErr), []string{nameViolation, countViolation}; !slices.Equal(got, want) {
			t.Errorf("%s: RecvMsg of an invalid message: violations %q, want %q", c.method, got, want)
		}
	}

	// An error of the stream itself comes as it is, unchecked.
	var recvErr error
	_ = stream(nil, &fakeStream{err: io.EOF}, &grpc.StreamServerInfo{FullMethod: "/" + checkedService + "/Stream"}, func(_ any, ss grpc.ServerStream) error {
		recvErr = ss.RecvMsg(newRequest("", 0))
		return nil
	})
	if recvErr != io.EOF {
		t.Errorf("RecvMsg at the end of the stream: %v, want EOF", recvErr)
	}
}

// fakeStream is a server stream whose RecvMsg gives msg, or err.
type fakeStream struct {
	grpc.ServerStream
	msg proto.Message
	err error
}

func (s *fakeStream) RecvMsg(m any) error {
	if s.err != nil {
		return s.err
	}
	proto.Merge(m.(proto.Message), s.msg)
	return nil
}
