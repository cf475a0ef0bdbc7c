package protoreq_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/gotutor/gotutor/internal/protoreq"
	"github.com/gotutor/gotutor/internal/randproto"
	"github.com/gotutor/gotutor/internal/testkit"
)

// compileAll compiles files (import name → source) from an overlay and
// returns the request's descriptors by name, without source code info.
func compileAll(t *testing.T, files map[string]string, names []string) (map[string]*descriptorpb.FileDescriptorProto, error) {
	t.Helper()
	dir := t.TempDir()
	overlay := map[string][]byte{}
	for name, text := range files {
		overlay[filepath.Join(dir, filepath.FromSlash(name))] = []byte(text)
	}
	out, err := protoreq.Build(context.Background(), protoreq.Input{ImportPaths: []string{dir}, Files: names, Overlay: overlay})
	if err != nil {
		return nil, err
	}
	got := map[string]*descriptorpb.FileDescriptorProto{}
	for _, f := range out.Request.GetProtoFile() {
		f.SourceCodeInfo = nil
		got[f.GetName()] = f
	}
	return got, nil
}

// roundTrip compiles files, prints each compiled file with PrintProto,
// compiles the printed files and checks that they give the same
// descriptors.
func roundTrip(t *testing.T, label string, files map[string]string, names []string) {
	t.Helper()
	first, err := compileAll(t, files, names)
	if err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	// The files' own extensions, for options that the compiler leaves
	// unknown fields (Go links no package of theirs).
	var set descriptorpb.FileDescriptorSet
	for _, f := range first {
		set.File = append(set.File, f)
	}
	linked, err := protodesc.NewFiles(&set)
	if err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	printed := map[string]string{}
	for _, name := range names {
		text, err := protoreq.PrintProto(first[name], dynamicpb.NewTypes(linked))
		if err != nil {
			t.Fatalf("%s: printing %s: %v", label, name, err)
		}
		printed[name] = text
	}
	second, err := compileAll(t, printed, names)
	if err != nil {
		for _, name := range names {
			t.Logf("%s printed:\n%s", name, printed[name])
		}
		t.Fatalf("%s: the printed files do not compile: %v", label, err)
	}
	// Options that are unknown fields are compared as what they are, so
	// that the order of a map's entries does not matter.
	known := func(f *descriptorpb.FileDescriptorProto) *descriptorpb.FileDescriptorProto {
		b, err := proto.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		out := &descriptorpb.FileDescriptorProto{}
		if err := (proto.UnmarshalOptions{Resolver: dynamicpb.NewTypes(linked)}).Unmarshal(b, out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, name := range names {
		if !proto.Equal(known(first[name]), known(second[name])) {
			opts := prototext.MarshalOptions{Multiline: true}
			t.Errorf("%s: %s printed compiles to another descriptor:\n%s\nsource:\n%s\nprinted:\n%s", label, name,
				testkit.Diff("source", opts.Format(first[name]), "printed", opts.Format(second[name])), files[name], printed[name])
		}
	}
}

// TestPrintRandom round-trips randproto's sets: proto2, proto3 and
// editions, with options, maps, oneofs, groups, extensions and reserved
// numbers.
func TestPrintRandom(t *testing.T) {
	n := 150
	if testing.Short() {
		n = 20
	}
	for seed := uint64(1); seed <= uint64(n); seed++ {
		set, err := randproto.New(seed, nil)
		if err != nil {
			t.Fatal(err)
		}
		files := map[string]string{}
		for _, fd := range set.Files {
			files[fd.GetName()] = randproto.Format(fd)
		}
		roundTrip(t, fmt.Sprintf("seed %d", seed), files, set.Names())
		if t.Failed() {
			return
		}
	}
}

// TestPrintCases round-trips what randproto does not make: extension
// groups, escapes in defaults and option values, message literals with
// maps and extensions, edition 2024's export, local and option imports.
func TestPrintCases(t *testing.T) {
	roundTrip(t, "proto2", map[string]string{
		"opts/opts.proto": `syntax = "proto2";
package opts;
import "google/protobuf/descriptor.proto";
message Rule {
  optional string id = 1;
  map<string, int32> weights = 2;
  repeated Rule children = 3;
  optional bytes blob = 4;
  extensions 100 to max;
}
extend Rule { optional double boost = 100; }
extend google.protobuf.FieldOptions {
  optional Rule rule = 50001;
  repeated float limits = 50002;
  optional bytes tag = 50003;
}
extend google.protobuf.MessageOptions { optional string note = 50001; }
extend google.protobuf.FileOptions { optional string file_note = 50001; }
`,
		"a/a.proto": `syntax = "proto2";
package a.b;
import "opts/opts.proto";
option (opts.file_note) = "file";
message Outer {
  option (opts.note) = "quote \" backslash \\ tab \t nul \000 é";
  optional bytes raw = 1 [default = "\000\001\377'\"x"];
  optional string s = 2 [default = "héllo\n\"there\""];
  optional float f = 3 [default = inf, (opts.limits) = -inf, (opts.limits) = nan, (opts.limits) = 1.5e+30, (opts.limits) = -0.0];
  optional double d = 4 [default = -1e-300];
  optional int64 big = 5 [default = -9223372036854775808];
  optional uint64 ubig = 6 [default = 18446744073709551615];
  optional string r = 7 [(opts.rule) = {id: "x" weights: {key: "b" value: 2} weights: {key: "a" value: 1} children: {id: "y" [opts.boost]: 0.5} blob: "\377\000"}, (opts.tag) = "\001\377"];
  optional group Inner = 8 {
    optional int32 x = 1;
    optional group Deeper = 2 { optional string y = 1; }
  }
  message Plain { optional int32 p = 1; }
  map<int32, Plain> plains = 9;
  extensions 1000 to 1999, 5000 to max;
  extend Outer {
    optional group Tagged = 1000 { optional string v = 1; }
    repeated int32 nums = 1001 [packed = true];
  }
  message After {}
  reserved 20 to 25, 30;
  reserved "old", "older";
  oneof pick {
    string one = 40;
    group Two = 41 { optional int32 z = 1; }
  }
}
extend Outer { optional group TopGroup = 5000 { optional int32 w = 1; } }
enum E {
  option allow_alias = true;
  ZERO = 0;
  NONE = 0;
  NEG = -3;
  reserved 10 to 20, 100 to max;
  reserved "GONE";
}
`,
	}, []string{"opts/opts.proto", "a/a.proto"})

	roundTrip(t, "edition 2024", map[string]string{
		"e/e.proto": `edition = "2024";
package e.v1;
import "google/protobuf/timestamp.proto";
import option "google/protobuf/go_features.proto";
option features.field_presence = IMPLICIT;
option features.(pb.go).api_level = API_HYBRID;
export message Note {
  option features.(pb.go).api_level = API_OPAQUE;
  string text = 1 [features.field_presence = EXPLICIT];
  google.protobuf.Timestamp at = 2;
  Part part = 3 [features.message_encoding = DELIMITED];
  repeated int32 ids = 4 [features.repeated_field_encoding = EXPANDED];
  int32 must = 5 [features.field_presence = LEGACY_REQUIRED];
  reserved old_name, other;
  local message Part { string p = 1; }
}
local enum Kind {
  option features.enum_type = CLOSED;
  KIND_UNSPECIFIED = 0;
  KIND_A = 1;
}
service Notes {
  rpc Add(Note) returns (Note) { option idempotency_level = IDEMPOTENT; option deprecated = true; }
  rpc Watch(stream Note) returns (stream Note);
}
`,
	}, []string{"e/e.proto"})
}

// TestPrintComments checks that the leading comments of the source info,
// detached ones included, come out before their elements, so that the
// printed file compiles to the same comments.
func TestPrintComments(t *testing.T) {
	src := `syntax = "proto3";
package c;

// detached

// A message.
message M {
  // A field.
  string s = 1;
  // A oneof.
  oneof o {
    // A member.
    int32 n = 2;
  }
  // A nested enum.
  enum E {
    // A value.
    E_ZERO = 0;
  }
}

// A service.
service S {
  // A method.
  rpc Do(M) returns (M);
}
`
	compile := func(text string) *descriptorpb.FileDescriptorProto {
		t.Helper()
		dir := t.TempDir()
		out, err := protoreq.Build(context.Background(), protoreq.Input{ImportPaths: []string{dir}, Files: []string{"c.proto"},
			Overlay: map[string][]byte{filepath.Join(dir, "c.proto"): []byte(text)}})
		if err != nil {
			t.Fatalf("%v\n%s", err, text)
		}
		files := out.Request.GetProtoFile()
		return files[len(files)-1]
	}
	comments := func(f *descriptorpb.FileDescriptorProto) map[string]string {
		got := map[string]string{}
		for _, loc := range f.GetSourceCodeInfo().GetLocation() {
			if loc.LeadingComments != nil || len(loc.LeadingDetachedComments) > 0 {
				got[fmt.Sprint(loc.GetPath())] = fmt.Sprintf("%q %q", loc.GetLeadingDetachedComments(), loc.GetLeadingComments())
			}
		}
		return got
	}
	first := compile(src)
	want := comments(first)
	if len(want) != 8 {
		t.Fatalf("the source has %d comments: %v", len(want), want)
	}
	printed, err := protoreq.PrintProto(first, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := comments(compile(printed))
	for path, w := range want {
		if got[path] != w {
			t.Errorf("the comment at %s is %s, want %s; printed:\n%s", path, got[path], w, printed)
		}
	}
}
