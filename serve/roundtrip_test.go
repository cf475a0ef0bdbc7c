package serve_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/oneport"
	"github.com/gotutor/gotutor/serve/servetest"
	"github.com/gotutor/gotutor/testdata/wkt"
)

// echoKnown answers Describe with its request.
type echoKnown struct{ wkt.UnimplementedKnownServer }

func (echoKnown) Describe(_ context.Context, req *wkt.Everything) (*wkt.Everything, error) {
	return req, nil
}

// TestJSONRoundTrip checks that what a servicer returns is what a client
// decodes, over every protocol of the one port, for each well-known type
// unset, set to its zero and set: testdata/wkt's Everything, sent and
// answered back.
func TestJSONRoundTrip(t *testing.T) {
	s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, nil, func(server *grpc.Server) {
		wkt.RegisterKnownServer(server, echoKnown{})
	})
	aDuration, err := anypb.New(durationpb.New(1500))
	if err != nil {
		t.Fatal(err)
	}
	list, err := structpb.NewList([]any{"a", 1.5, true, nil, map[string]any{"k": []any{}}})
	if err != nil {
		t.Fatal(err)
	}
	fields, err := structpb.NewStruct(map[string]any{"n": 2.0, "s": "x", "null": nil, "empty": map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	for name, msg := range map[string]*wkt.Everything{
		"unset": {},
		"zero": {
			Timestamp: &timestamppb.Timestamp{}, Duration: &durationpb.Duration{}, Empty: &emptypb.Empty{},
			Any: mustAny(t, &emptypb.Empty{}), Struct: &structpb.Struct{}, Value: structpb.NewNullValue(), ListValue: &structpb.ListValue{},
			FieldMask: &fieldmaskpb.FieldMask{}, NullValue: structpb.NullValue_NULL_VALUE,
			DoubleValue: wrapperspb.Double(0), FloatValue: wrapperspb.Float(0), Int64Value: wrapperspb.Int64(0), Uint64Value: wrapperspb.UInt64(0),
			Int32Value: wrapperspb.Int32(0), Uint32Value: wrapperspb.UInt32(0), BoolValue: wrapperspb.Bool(false), StringValue: wrapperspb.String(""), BytesValue: wrapperspb.Bytes(nil),
			Choice: &wkt.Everything_Enabled{Enabled: wrapperspb.Bool(false)},
		},
		"set": {
			Timestamp: timestamppb.New(timestamppb.Now().AsTime().Truncate(1000)), Duration: durationpb.New(-2500), Empty: &emptypb.Empty{},
			Any: aDuration, Struct: fields, Value: structpb.NewListValue(list), ListValue: list,
			FieldMask:   &fieldmaskpb.FieldMask{Paths: []string{"a.b", "c"}},
			DoubleValue: wrapperspb.Double(-1.25), FloatValue: wrapperspb.Float(0.5), Int64Value: wrapperspb.Int64(-1 << 60), Uint64Value: wrapperspb.UInt64(1 << 63),
			Int32Value: wrapperspb.Int32(-7), Uint32Value: wrapperspb.UInt32(7), BoolValue: wrapperspb.Bool(true), StringValue: wrapperspb.String("é"), BytesValue: wrapperspb.Bytes([]byte{0, 255}),
			Timestamps: []*timestamppb.Timestamp{{}, {Seconds: 1}}, Durations: []*durationpb.Duration{{}, {Nanos: 1}}, Anys: []*anypb.Any{aDuration},
			Values: []*structpb.Value{structpb.NewNullValue(), structpb.NewStringValue("")}, Strings: []*wrapperspb.StringValue{{}, {Value: "s"}}, Empties: []*emptypb.Empty{{}},
			ValueMap:      map[string]*structpb.Value{"null": structpb.NewNullValue(), "zero": structpb.NewNumberValue(0)},
			Int64ValueMap: map[bool]*wrapperspb.Int64Value{true: {}, false: {Value: 3}},
			Choice:        &wkt.Everything_At{At: &timestamppb.Timestamp{Seconds: 60}},
		},
	} {
		for protocol, opts := range map[string][]connect.ClientOption{
			"Connect JSON":   {connect.WithProtoJSON()},
			"Connect binary": nil,
			"gRPC-Web JSON":  {connect.WithGRPCWeb(), connect.WithProtoJSON()},
			"gRPC-Web":       {connect.WithGRPCWeb()},
		} {
			client := connect.NewClient[wkt.Everything, wkt.Everything](s.HTTP, "http://memory/gotutor.testdata.wkt.Known/Describe", opts...)
			resp, err := client.CallUnary(t.Context(), connect.NewRequest(msg))
			if err != nil {
				t.Errorf("%s, %s: %v", name, protocol, err)
				continue
			}
			if !proto.Equal(msg, resp.Msg) {
				t.Errorf("%s, %s: the client decoded another message than the servicer returned:\n%v\nwant:\n%v", name, protocol, prototext.Format(resp.Msg), prototext.Format(msg))
			}
		}
	}
}

func mustAny(t *testing.T, m proto.Message) *anypb.Any {
	t.Helper()
	a, err := anypb.New(m)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// bag is the descriptor of gotutor.test.Bag, of a service registered by
// hand whose one method has an http rule:
//
//	message Bag { google.protobuf.Value value = 1; google.protobuf.Struct struct = 2; google.protobuf.Timestamp at = 3; google.protobuf.Int64Value count = 4; }
//	service Bags { rpc Put(Bag) returns (Bag) { post: "/v1/bags" body: "*" } }
var bag = registerBags()

func registerBags() protoreflect.MessageDescriptor {
	field := func(name string, n int32, typeName string) *descriptorpb.FieldDescriptorProto {
		return &descriptorpb.FieldDescriptorProto{Name: proto.String(name), JsonName: proto.String(name), Number: proto.Int32(n), Type: descriptorpb.FieldDescriptorProto_TYPE_MESSAGE.Enum(),
			Label: descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum(), TypeName: proto.String(typeName)}
	}
	options := &descriptorpb.MethodOptions{}
	proto.SetExtension(options, annotations.E_Http, &annotations.HttpRule{Pattern: &annotations.HttpRule_Post{Post: "/v1/bags"}, Body: "*"})
	return registerFile(&descriptorpb.FileDescriptorProto{
		Name:       proto.String("gotutor/test/bags.proto"),
		Package:    proto.String("gotutor.test"),
		Syntax:     proto.String("proto3"),
		Dependency: []string{"google/api/annotations.proto", "google/protobuf/struct.proto", "google/protobuf/timestamp.proto", "google/protobuf/wrappers.proto"},
		MessageType: []*descriptorpb.DescriptorProto{{Name: proto.String("Bag"), Field: []*descriptorpb.FieldDescriptorProto{
			field("value", 1, ".google.protobuf.Value"), field("struct", 2, ".google.protobuf.Struct"),
			field("at", 3, ".google.protobuf.Timestamp"), field("count", 4, ".google.protobuf.Int64Value"),
		}}},
		Service: []*descriptorpb.ServiceDescriptorProto{{Name: proto.String("Bags"), Method: []*descriptorpb.MethodDescriptorProto{{
			Name: proto.String("Put"), InputType: proto.String(".gotutor.test.Bag"), OutputType: proto.String(".gotutor.test.Bag"), Options: options,
		}}}},
	}).Messages().ByName("Bag")
}

// TestRESTRoundTrip checks the same as TestJSONRoundTrip over REST: a Bag
// of well-known types, unset and set, posted and answered back.
func TestRESTRoundTrip(t *testing.T) {
	s := servetest.Start(t, serve.Config{OnePort: oneport.Split}, nil, func(server *grpc.Server) {
		server.RegisterService(&grpc.ServiceDesc{ServiceName: "gotutor.test.Bags", HandlerType: (*any)(nil), Methods: []grpc.MethodDesc{{
			MethodName: "Put",
			Handler: func(_ any, _ context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
				req := dynamicpb.NewMessage(bag)
				return req, dec(req)
			},
		}}}, nil)
	})
	set := dynamicpb.NewMessage(bag)
	set.Set(bag.Fields().ByName("value"), protoreflect.ValueOfMessage(structpb.NewStringValue("v").ProtoReflect()))
	set.Set(bag.Fields().ByName("struct"), protoreflect.ValueOfMessage((&structpb.Struct{}).ProtoReflect()))
	set.Set(bag.Fields().ByName("at"), protoreflect.ValueOfMessage((&timestamppb.Timestamp{Seconds: 1}).ProtoReflect()))
	set.Set(bag.Fields().ByName("count"), protoreflect.ValueOfMessage(wrapperspb.Int64(0).ProtoReflect()))
	for name, msg := range map[string]*dynamicpb.Message{"unset": dynamicpb.NewMessage(bag), "set": set} {
		body, err := protojson.Marshal(msg)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := s.HTTP.Post("http://memory/v1/bags", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		answer, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: POST /v1/bags: %s %s %v", name, resp.Status, answer, err)
		}
		got := dynamicpb.NewMessage(bag)
		if err := protojson.Unmarshal(answer, got); err != nil {
			t.Fatalf("%s: %s: %v", name, answer, err)
		}
		if !proto.Equal(msg, got) {
			t.Errorf("%s: the client decoded %s, want %s", name, answer, body)
		}
	}
}
