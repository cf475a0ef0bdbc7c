package serve_test

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/oneport"
	"github.com/gotutor/gotutor/serve/servetest"
)

// docsService has a method whose http rule Vanguard refuses, as
// Firestore's ListDocuments:
//
//	message Doc { string parent = 1; }
//	service Docs {
//	  rpc List(Doc) returns (Doc) { get: "/v1/{parent=**}/docs" }  // "**" before the last segment
//	  rpc Get(Doc) returns (Doc) { get: "/v1/docs/{parent}" }
//	}
var doc = registerDocs()

func registerDocs() protoreflect.MessageDescriptor {
	rule := func(path string) *descriptorpb.MethodOptions {
		o := &descriptorpb.MethodOptions{}
		proto.SetExtension(o, annotations.E_Http, &annotations.HttpRule{Pattern: &annotations.HttpRule_Get{Get: path}})
		return o
	}
	method := func(name, path string) *descriptorpb.MethodDescriptorProto {
		return &descriptorpb.MethodDescriptorProto{Name: proto.String(name), InputType: proto.String(".gotutor.test.Doc"), OutputType: proto.String(".gotutor.test.Doc"), Options: rule(path)}
	}
	return registerFile(&descriptorpb.FileDescriptorProto{
		Name:       proto.String("gotutor/test/docs.proto"),
		Package:    proto.String("gotutor.test"),
		Syntax:     proto.String("proto3"),
		Dependency: []string{"google/api/annotations.proto"},
		MessageType: []*descriptorpb.DescriptorProto{{Name: proto.String("Doc"), Field: []*descriptorpb.FieldDescriptorProto{{
			Name: proto.String("parent"), JsonName: proto.String("parent"), Number: proto.Int32(1),
			Type: descriptorpb.FieldDescriptorProto_TYPE_STRING.Enum(), Label: descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum(),
		}}}},
		Service: []*descriptorpb.ServiceDescriptorProto{{Name: proto.String("Docs"), Method: []*descriptorpb.MethodDescriptorProto{
			method("List", "/v1/{parent=**}/docs"), method("Get", "/v1/docs/{parent}"),
		}}},
	}).Messages().ByName("Doc")
}

// TestRouteLeftOut checks that a method whose http rule the transcoder
// cannot serve does not stop the server: its REST route is left out, with
// a warning, and it is served over Connect; the other methods' routes work.
func TestRouteLeftOut(t *testing.T) {
	echo := func(name string) grpc.MethodDesc {
		return grpc.MethodDesc{MethodName: name, Handler: func(_ any, _ context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
			req := dynamicpb.NewMessage(doc)
			return req, dec(req)
		}}
	}
	s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, nil, func(server *grpc.Server) {
		server.RegisterService(&grpc.ServiceDesc{ServiceName: "gotutor.test.Docs", HandlerType: (*any)(nil), Methods: []grpc.MethodDesc{echo("List"), echo("Get")}}, nil)
	}, "-log-format=json")
	wantLog(t, s.Log, `"level":"WARN","msg":"REST route left out: it is served over gRPC, gRPC-Web and Connect only","method":"/gotutor.test.Docs/List","error":"failed to configure method gotutor.test.Docs.List: failed to add REST route for method /gotutor.test.Docs/List: double wildcard '**' must be the final path segment"}`)
	if code, body := s.Fetch(t, "POST", "/gotutor.test.Docs/List", `{"parent":"a/b"}`); code != 200 || string(body) != `{"parent":"a/b"}` {
		t.Errorf("List over Connect: %d %s", code, body)
	}
	if code, body := s.Fetch(t, "GET", "/v1/docs/x", ""); code != 200 || string(body) != `{"parent":"x"}` {
		t.Errorf("Get over REST: %d %s", code, body)
	}
	if code, _ := s.Fetch(t, "GET", "/v1/a/b/docs", ""); code != 404 {
		t.Errorf("List over REST: %d, want 404: the route is left out", code)
	}
	if n := strings.Count(s.Log.String(), "REST route left out"); n != 1 {
		t.Errorf("%d warnings of routes left out, want 1:\n%s", n, s.Log)
	}
}
