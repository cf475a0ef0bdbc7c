package protoreq

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"google.golang.org/genproto/googleapis/api/annotations"

	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/gotutor/gotutor/internal/testkit"
)

const thingsProto = `syntax = "proto3";
package things.v1;

import "buf/validate/validate.proto";
import "google/api/annotations.proto";
import "google/api/field_behavior.proto";
import "google/api/resource.proto";
import "google/rpc/status.proto";
import "google/type/date.proto";

option go_package = "example.com/things/v1;thingsv1";

message Thing {
  option (google.api.resource) = {type: "x.example.com/Thing" pattern: "things/{thing}"};
  string name = 1 [(google.api.field_behavior) = REQUIRED, (buf.validate.field).string.min_len = 1];
  google.type.Date made = 2;
  google.rpc.Status status = 3;
}

message GetThingRequest {
  string name = 1 [(google.api.field_behavior) = REQUIRED];
}

service Things {
  rpc GetThing(GetThingRequest) returns (Thing) {
    option (google.api.http) = { get: "/v1/{name=things/*}" };
  }
}
`

// TestBuiltinImports compiles a proto that imports Google's annotations
// and common types and protovalidate's rules, from a folder that holds
// only the proto: the imports come from the Go packages' descriptors,
// before the proto in the request, each after its own imports; the
// proto's options can be read; nothing but the proto is Local.
func TestBuiltinImports(t *testing.T) {
	out, dir, err := build(t, map[string]string{"things/v1/things.proto": thingsProto}, "things/v1/things.proto")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"google/protobuf/descriptor.proto", "google/protobuf/duration.proto", "google/protobuf/field_mask.proto",
		"google/protobuf/timestamp.proto", "buf/validate/validate.proto", "google/api/http.proto",
		"google/api/annotations.proto", "google/api/field_behavior.proto", "google/api/resource.proto",
		"google/protobuf/any.proto", "google/rpc/status.proto", "google/type/date.proto",
		"things/v1/things.proto",
	}
	if got := names(out.Request); !slices.Equal(got, want) {
		t.Errorf("proto_file = %q\nwant %q", got, want)
	}
	seen := map[string]bool{}
	for _, f := range out.Request.GetProtoFile() {
		for _, dep := range f.GetDependency() {
			if !seen[dep] {
				t.Errorf("%s comes before its import %s", f.GetName(), dep)
			}
		}
		seen[f.GetName()] = true
	}
	if got := slices.Sorted(maps.Keys(out.Local)); !slices.Equal(got, []string{"things/v1/things.proto"}) {
		t.Errorf("Local holds %q; want only the proto, read from %s", got, dir)
	}
	if got := out.Request.GetFileToGenerate(); !slices.Equal(got, []string{"things/v1/things.proto"}) {
		t.Errorf("file_to_generate = %q", got)
	}
	// The imports keep the go_package of their Go packages, which the
	// generated code then imports.
	for name, pkg := range map[string]string{
		"google/api/annotations.proto": "google.golang.org/genproto/googleapis/api/annotations;annotations",
		"google/type/date.proto":       "google.golang.org/genproto/googleapis/type/date;date",
		"google/rpc/status.proto":      "google.golang.org/genproto/googleapis/rpc/status;status",
		"buf/validate/validate.proto":  "buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate",
	} {
		if got := file(t, out.Request, name).GetOptions().GetGoPackage(); got != pkg {
			t.Errorf("%s has go_package %q, want %q", name, got, pkg)
		}
	}

	// The options, as a plugin reads them from protoc's request: the
	// request goes over the wire and back first.
	b, err := proto.Marshal(out.Request)
	if err != nil {
		t.Fatal(err)
	}
	req := &pluginpb.CodeGeneratorRequest{}
	if err := proto.Unmarshal(b, req); err != nil {
		t.Fatal(err)
	}
	things := file(t, req, "things/v1/things.proto")
	thing := things.GetMessageType()[0]
	if res := proto.GetExtension(thing.GetOptions(), annotations.E_Resource).(*annotations.ResourceDescriptor); res.GetType() != "x.example.com/Thing" || !slices.Equal(res.GetPattern(), []string{"things/{thing}"}) {
		t.Errorf("Thing's google.api.resource = %v", res)
	}
	name := thing.GetField()[0]
	if fb := proto.GetExtension(name.GetOptions(), annotations.E_FieldBehavior).([]annotations.FieldBehavior); !slices.Equal(fb, []annotations.FieldBehavior{annotations.FieldBehavior_REQUIRED}) {
		t.Errorf("Thing.name's google.api.field_behavior = %v, want [REQUIRED]", fb)
	}
	if rules := proto.GetExtension(name.GetOptions(), validate.E_Field).(*validate.FieldRules); rules.GetString().GetMinLen() != 1 {
		t.Errorf("Thing.name's buf.validate.field = %v, want string.min_len 1", rules)
	}
	if got := len(name.GetOptions().ProtoReflect().GetUnknown()); got != 0 {
		t.Errorf("Thing.name's options keep %d bytes of unknown fields", got)
	}
	method := things.GetService()[0].GetMethod()[0]
	if rule := proto.GetExtension(method.GetOptions(), annotations.E_Http).(*annotations.HttpRule); rule.GetGet() != "/v1/{name=things/*}" {
		t.Errorf("GetThing's google.api.http = %v", rule)
	}
	if got := thing.GetField()[1].GetTypeName(); got != ".google.type.Date" {
		t.Errorf("Thing.made has type %s", got)
	}
}

// TestBuiltinShadowed: a file on the import path wins over the built-in
// one of the same name, as with protoc's -I, and is Local; an import in a
// built-in folder that no Go package registered is missing as any other.
func TestBuiltinShadowed(t *testing.T) {
	own := "syntax = \"proto3\";\npackage google.type;\nmessage Date { string iso = 1; }\n"
	top := "syntax = \"proto3\";\npackage top;\nimport \"google/type/date.proto\";\nmessage T { google.type.Date d = 1; }\n"
	out, _, err := build(t, map[string]string{"google/type/date.proto": own, "top.proto": top}, "top.proto")
	if err != nil {
		t.Fatal(err)
	}
	date := file(t, out.Request, "google/type/date.proto")
	if f := date.GetMessageType()[0].GetField(); len(f) != 1 || f[0].GetName() != "iso" {
		t.Errorf("google/type/date.proto is not the import path's: its Date has fields %v", f)
	}
	if string(out.Local["google/type/date.proto"]) != own {
		t.Errorf("Local lacks the import path's google/type/date.proto: %q", out.Local)
	}

	bad := "syntax = \"proto3\";\npackage bad;\nimport \"google/api/nothere.proto\";\n"
	_, dir, err := build(t, map[string]string{"bad.proto": bad}, "bad.proto")
	want := filepath.Join(dir, "bad.proto") + ":3:8: import \"google/api/nothere.proto\" not found in " + dir + " (add the folder it is relative to with -I)"
	if err == nil || err.Error() != want {
		t.Errorf("compiling an import of a file that is not built in: %v\nwant:\n%s", err, want)
	}
	if IsBuiltin("google/api/nothere.proto") || IsBuiltin("google/protobuf/empty.proto") || IsBuiltin("grpc/testing/test.proto") || IsBuiltin("connectext/grpc/status/v1/status.proto") {
		t.Error("IsBuiltin is true of a file that is neither in BuiltinDirs' registered files nor linked and importable")
	}
	if !IsBuiltin("grpc/health/v1/health.proto") || !IsBuiltin("grpc/reflection/v1/reflection.proto") {
		t.Error("IsBuiltin is false of grpc-go's files, which the generated server links")
	}
}

// TestBuiltinsRoundTrip compiles each built-in import alone, from no
// folder that holds it, and compares what the compiler makes of its printed
// source with the descriptor that its Go package registered: the same
// file, but for source code info.
func TestBuiltinsRoundTrip(t *testing.T) {
	var all []string
	protoregistry.GlobalFiles.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		if IsBuiltin(fd.Path()) {
			all = append(all, fd.Path())
		}
		return true
	})
	for _, want := range []string{"google/api/annotations.proto", "google/type/date.proto", "google/rpc/status.proto", "buf/validate/validate.proto"} {
		if !IsBuiltin(want) {
			t.Errorf("%s is not built in", want)
		}
	}
	if len(all) < 60 {
		t.Errorf("%d built-in imports; want genproto's and protovalidate's, more than 60", len(all))
	}
	empty := t.TempDir()
	for _, name := range all {
		out, err := Build(context.Background(), Input{ImportPaths: []string{empty}, Files: []string{name}})
		if err != nil {
			text, _, _ := builtinSource(name)
			t.Errorf("%s: %v\nprinted:\n%s", name, err, text)
			continue
		}
		if len(out.Local) != 0 {
			t.Errorf("%s: Local holds %d files; want none, as nothing was read from disk", name, len(out.Local))
		}
		got := file(t, out.Request, name)
		got.SourceCodeInfo = nil
		fd, _ := protoregistry.GlobalFiles.FindFileByPath(name)
		want := protodesc.ToFileDescriptorProto(fd)
		// Options present but empty (OTLP's methods have them) have no
		// source form: the printed file leaves them out.
		dropEmptyOptions(want.ProtoReflect())
		if !proto.Equal(got, want) {
			text, _, _ := builtinSource(name)
			t.Errorf("%s compiles to another descriptor than its Go package's:\n%s\nprinted:\n%s", name,
				testkit.Diff("registered", textOf(want), "compiled", textOf(got)), text)
		}
	}
}

// dropEmptyOptions clears, in m and the messages below it, every options
// field that is set to an empty message.
func dropEmptyOptions(m protoreflect.Message) {
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.Message() == nil:
		case fd.IsList():
			for i := 0; i < v.List().Len(); i++ {
				dropEmptyOptions(v.List().Get(i).Message())
			}
		case fd.IsMap():
		case fd.Name() == "options" && proto.Size(v.Message().Interface()) == 0:
			m.Clear(fd)
		default:
			dropEmptyOptions(v.Message())
		}
		return true
	})
}

func textOf(f *descriptorpb.FileDescriptorProto) string {
	return strings.ReplaceAll(prototextFormat(f), "  ", " ")
}

func prototextFormat(m proto.Message) string {
	return prototext.MarshalOptions{Multiline: true}.Format(m)
}
