package protoreq

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/gofeaturespb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/bufbuild/protocompile/experimental/report"

	"github.com/gotutor/gotutor/internal/testkit"
)

// build compiles files (name → content) written below a new folder, and
// generates gen; it returns the folder too.
func build(t *testing.T, files map[string]string, gen ...string) (*Output, string, error) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		testkit.WriteFile(t, filepath.Join(dir, filepath.FromSlash(name)), content)
	}
	out, err := Build(context.Background(), Input{ImportPaths: []string{dir}, Files: gen})
	return out, dir, err
}

// mustBuild is build for files that compile.
func mustBuild(t *testing.T, files map[string]string, gen ...string) *pluginpb.CodeGeneratorRequest {
	t.Helper()
	out, _, err := build(t, files, gen...)
	if err != nil {
		t.Fatalf("compiling %s: %v", strings.Join(gen, " "), err)
	}
	return out.Request
}

// file returns the request's descriptor of name.
func file(t *testing.T, req *pluginpb.CodeGeneratorRequest, name string) *descriptorpb.FileDescriptorProto {
	t.Helper()
	for _, f := range req.GetProtoFile() {
		if f.GetName() == name {
			return f
		}
	}
	t.Fatalf("the request has no %s", name)
	return nil
}

// names returns the names of the request's files, in order.
func names(req *pluginpb.CodeGeneratorRequest) []string {
	var ns []string
	for _, f := range req.GetProtoFile() {
		ns = append(ns, f.GetName())
	}
	return ns
}

// comments returns the leading and trailing comments at path.
func comments(f *descriptorpb.FileDescriptorProto, path ...int32) (leading, trailing string, ok bool) {
	for _, loc := range f.GetSourceCodeInfo().GetLocation() {
		if slices.Equal(loc.GetPath(), path) {
			return loc.GetLeadingComments(), loc.GetTrailingComments(), true
		}
	}
	return "", "", false
}

const edition2024 = `// The shop's API, in edition 2024.
edition = "2024";

// Package shop sells things.
package shop.v1;

import "google/protobuf/timestamp.proto";
import option "google/protobuf/go_features.proto";

option features.(pb.go).api_level = API_OPAQUE;
option go_package = "example.com/shop/v1;shopv1";

// An item for sale.
message Item {
  // Its name.
  string name = 1; // Never empty.
  google.protobuf.Timestamp listed_at = 2;
  int32 stock = 3;

  // Kept to the item.
  local message Note {
    string text = 1;
  }
}

export enum Kind {
  KIND_UNSPECIFIED = 0;
  KIND_BOOK = 1;
}

// Sells items.
service Shop {
  // Lists them.
  rpc List(Item) returns (Item);
}
`

func TestEdition2024(t *testing.T) {
	req := mustBuild(t, map[string]string{"shop/v1/shop.proto": edition2024}, "shop/v1/shop.proto")
	if got, want := req.GetFileToGenerate(), []string{"shop/v1/shop.proto"}; !slices.Equal(got, want) {
		t.Errorf("file_to_generate = %q, want %q", got, want)
	}
	// Each file after its imports, option imports after the others.
	want := []string{
		"google/protobuf/timestamp.proto",
		"google/protobuf/descriptor.proto",
		"google/protobuf/go_features.proto",
		"shop/v1/shop.proto",
	}
	if got := names(req); !slices.Equal(got, want) {
		t.Errorf("proto_file = %q, want %q", got, want)
	}
	f := file(t, req, "shop/v1/shop.proto")
	if f.GetSyntax() != "editions" || f.GetEdition() != descriptorpb.Edition_EDITION_2024 {
		t.Errorf("syntax %q, edition %v; want editions, EDITION_2024", f.GetSyntax(), f.GetEdition())
	}
	if got, want := f.GetDependency(), []string{"google/protobuf/timestamp.proto"}; !slices.Equal(got, want) {
		t.Errorf("dependency = %q, want %q", got, want)
	}
	if got, want := f.GetOptionDependency(), []string{"google/protobuf/go_features.proto"}; !slices.Equal(got, want) {
		t.Errorf("option_dependency = %q, want %q", got, want)
	}
	if got := f.GetOptions().GetGoPackage(); got != "example.com/shop/v1;shopv1" {
		t.Errorf("go_package = %q", got)
	}
	goFeatures := proto.GetExtension(f.GetOptions().GetFeatures(), gofeaturespb.E_Go).(*gofeaturespb.GoFeatures)
	if got := goFeatures.GetApiLevel(); got != gofeaturespb.GoFeatures_API_OPAQUE {
		t.Errorf("features.(pb.go).api_level = %v, want API_OPAQUE", got)
	}
	item := f.GetMessageType()[0]
	if got := item.GetNestedType()[0]; got.GetName() != "Note" || got.GetVisibility() != descriptorpb.SymbolVisibility_VISIBILITY_LOCAL {
		t.Errorf("nested message %s has visibility %v, want Note, VISIBILITY_LOCAL", got.GetName(), got.GetVisibility())
	}
	if got := f.GetEnumType()[0]; got.GetName() != "Kind" || got.GetVisibility() != descriptorpb.SymbolVisibility_VISIBILITY_EXPORT {
		t.Errorf("enum %s has visibility %v, want Kind, VISIBILITY_EXPORT", got.GetName(), got.GetVisibility())
	}
	// The comments, where protoc puts them: the edition's under the
	// syntax field (12), where protoc-gen-go looks for a file's comment.
	for _, c := range []struct {
		path              []int32
		leading, trailing string
	}{
		{[]int32{12}, " The shop's API, in edition 2024.\n", ""},
		{[]int32{2}, " Package shop sells things.\n", ""},
		{[]int32{4, 0}, " An item for sale.\n", ""},
		{[]int32{4, 0, 2, 0}, " Its name.\n", " Never empty."},
		{[]int32{4, 0, 3, 0}, " Kept to the item.\n", ""},
		{[]int32{6, 0}, " Sells items.\n", ""},
		{[]int32{6, 0, 2, 0}, " Lists them.\n", ""},
	} {
		leading, trailing, ok := comments(f, c.path...)
		if !ok || leading != c.leading || trailing != c.trailing {
			t.Errorf("comments at %v = %q, %q (found: %v); want %q, %q", c.path, leading, trailing, ok, c.leading, c.trailing)
		}
	}
	// The request is what a plugin can build descriptors from.
	if _, err := protodesc.NewFiles(&descriptorpb.FileDescriptorSet{File: req.GetProtoFile()}); err != nil {
		t.Errorf("protodesc refuses the request's files: %v", err)
	}
}

// TestStyle2024 holds edition 2024 files to its naming style, as buf does,
// and not the files of earlier editions.
func TestStyle2024(t *testing.T) {
	const src = `edition = "%s";

package shop;

message Item {}
message foo_bar {
  int32 Stock = 1;
}
`
	_, dir, err := build(t, map[string]string{"shop.proto": strings.Replace(src, "%s", "2024", 1)}, "shop.proto")
	path := filepath.Join(dir, "shop.proto")
	want := path + ":6:9: message type name should be PascalCase; STYLE2024 requires message names to be PascalCase (e.g., MyMessage)\n" +
		path + ":7:9: field name should be snake_case; STYLE2024 requires field names to be snake_case (e.g., my_field)"
	if err == nil || err.Error() != want {
		t.Errorf("compiling a 2024 file with a message foo_bar and a field Stock: %v\nwant:\n%s", err, want)
	}
	req := mustBuild(t, map[string]string{"shop.proto": strings.Replace(src, "%s", "2023", 1)}, "shop.proto")
	if got := file(t, req, "shop.proto").GetMessageType()[1].GetName(); got != "foo_bar" {
		t.Errorf("edition 2023: the second message is %q, want foo_bar", got)
	}
}

// TestSyntaxes compiles a file of each syntax before editions 2024.
func TestSyntaxes(t *testing.T) {
	req := mustBuild(t, map[string]string{
		"p2.proto": `syntax = "proto2";
package p2;
message M {
  required int32 id = 1;
  optional string name = 2 [default = "none"];
  extensions 100 to max;
}
extend M { optional bool flag = 100; }
`,
		"p3.proto": `syntax = "proto3";
package p3;
import "p2.proto";
message M {
  optional int32 count = 1;
  p2.M old = 2;
}
`,
		"e23.proto": `edition = "2023";
package e23;
import "p3.proto";
message M {
  int32 id = 1 [features.field_presence = IMPLICIT];
  p3.M m = 2 [features.message_encoding = DELIMITED];
}
`,
	}, "e23.proto", "p2.proto")
	if got, want := names(req), []string{"p2.proto", "p3.proto", "e23.proto"}; !slices.Equal(got, want) {
		t.Errorf("proto_file = %q, want %q", got, want)
	}
	if got, want := req.GetFileToGenerate(), []string{"e23.proto", "p2.proto"}; !slices.Equal(got, want) {
		t.Errorf("file_to_generate = %q, want %q", got, want)
	}

	p2 := file(t, req, "p2.proto")
	if p2.Syntax != nil || p2.Edition != nil {
		t.Errorf("proto2: syntax %q, edition %v; want neither set, as protoc leaves them", p2.GetSyntax(), p2.GetEdition())
	}
	m2 := p2.GetMessageType()[0]
	if f := m2.GetField()[0]; f.GetLabel() != descriptorpb.FieldDescriptorProto_LABEL_REQUIRED {
		t.Errorf("proto2: %s is %v, want LABEL_REQUIRED", f.GetName(), f.GetLabel())
	}
	if f := m2.GetField()[1]; f.GetDefaultValue() != "none" {
		t.Errorf("proto2: %s has default %q, want none", f.GetName(), f.GetDefaultValue())
	}
	if ext := p2.GetExtension(); len(ext) != 1 || ext[0].GetExtendee() != ".p2.M" || ext[0].GetNumber() != 100 {
		t.Errorf("proto2: extensions %v, want flag = 100 of .p2.M", ext)
	}

	p3 := file(t, req, "p3.proto")
	if p3.GetSyntax() != "proto3" || p3.Edition != nil {
		t.Errorf("proto3: syntax %q, edition %v; want proto3, none", p3.GetSyntax(), p3.GetEdition())
	}
	m3 := p3.GetMessageType()[0]
	if f := m3.GetField()[0]; !f.GetProto3Optional() || f.OneofIndex == nil || m3.GetOneofDecl()[0].GetName() != "_count" {
		t.Errorf("proto3: optional count is %v, oneofs %v; want proto3_optional in the synthetic oneof _count", f, m3.GetOneofDecl())
	}
	if f := m3.GetField()[1]; f.GetTypeName() != ".p2.M" {
		t.Errorf("proto3: field old has type %q, want .p2.M", f.GetTypeName())
	}

	e23 := file(t, req, "e23.proto")
	if e23.GetSyntax() != "editions" || e23.GetEdition() != descriptorpb.Edition_EDITION_2023 {
		t.Errorf("edition 2023: syntax %q, edition %v; want editions, EDITION_2023", e23.GetSyntax(), e23.GetEdition())
	}
	fields := e23.GetMessageType()[0].GetField()
	if got := fields[0].GetOptions().GetFeatures().GetFieldPresence(); got != descriptorpb.FeatureSet_IMPLICIT {
		t.Errorf("edition 2023: id has field_presence %v, want IMPLICIT", got)
	}
	// A delimited message field stays TYPE_MESSAGE, its encoding in its
	// features, as buf writes it.
	if got := fields[1]; got.GetType() != descriptorpb.FieldDescriptorProto_TYPE_MESSAGE || got.GetOptions().GetFeatures().GetMessageEncoding() != descriptorpb.FeatureSet_DELIMITED {
		t.Errorf("edition 2023: m is %v with %v, want TYPE_MESSAGE with DELIMITED", got.GetType(), got.GetOptions().GetFeatures())
	}
}

// TestErrors checks the exact text of the errors that users meet most.
func TestErrors(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other")
	testkit.WriteFile(t, filepath.Join(dir, "bad.proto"), "syntax = \"proto3\";\npackage bad;\n\nmessage A {\n  string name = 1\n}\n")
	testkit.WriteFile(t, filepath.Join(dir, "imp.proto"), "syntax = \"proto3\";\npackage imp;\nimport \"missing/x.proto\";\n")
	testkit.WriteFile(t, filepath.Join(dir, "uses.proto"), "syntax = \"proto3\";\npackage uses;\nimport \"lib/lib.proto\";\n")
	testkit.WriteFile(t, filepath.Join(other, "lib", "lib.proto"), "syntax = \"proto3\";\npackage lib;\nmessage L { strin name = 1; }\nenum E { X = 1; }\n")
	for _, tc := range []struct {
		file, want string
	}{
		{"bad.proto", filepath.Join(dir, "bad.proto") + ":6:1: unexpected `}` after definition; consider inserting a `;`"},
		{"imp.proto", filepath.Join(dir, "imp.proto") + ":3:8: import \"missing/x.proto\" not found in " + dir + ", " + other + " (add the folder it is relative to with -I)"},
		// An error in an import names the file where it is on disk; two
		// errors, one a line.
		{"uses.proto", filepath.Join(other, "lib", "lib.proto") + ":3:13: cannot find `strin` in this scope; the full name of this scope is `lib.L`\n" +
			filepath.Join(other, "lib", "lib.proto") + ":4:14: first value of open enum must be zero; open enums must define a zero value, and it must be the first one"},
		{"nothere.proto", "nothere.proto: not found in " + dir + ", " + other},
	} {
		_, err := Build(context.Background(), Input{ImportPaths: []string{dir, other}, Files: []string{tc.file}})
		if err == nil || err.Error() != tc.want {
			t.Errorf("compiling %s: %v\nwant:\n%s", tc.file, err, tc.want)
		}
	}
	if _, err := Build(context.Background(), Input{ImportPaths: []string{dir}}); err == nil || err.Error() != "no .proto files to compile" {
		t.Errorf("compiling no files: %v", err)
	}
}

// TestOverlayAndLocal: the overlay stands for files not on disk, the first
// import path that has a file wins, and Local holds what was read, but not
// the built-in well-known imports.
func TestOverlayAndLocal(t *testing.T) {
	first, second := t.TempDir(), t.TempDir()
	onDisk := "syntax = \"proto3\";\npackage dep;\nmessage D {}\n"
	testkit.WriteFile(t, filepath.Join(first, "dep", "dep.proto"), onDisk)
	testkit.WriteFile(t, filepath.Join(second, "dep", "dep.proto"), "this is not a proto: the first import path has dep/dep.proto\n")
	top := "syntax = \"proto3\";\npackage top;\nimport \"dep/dep.proto\";\nimport \"google/protobuf/empty.proto\";\nmessage T { dep.D d = 1; google.protobuf.Empty e = 2; }\n"
	out, err := Build(context.Background(), Input{
		ImportPaths: []string{first, second},
		Files:       []string{"top.proto"},
		Overlay:     map[string][]byte{filepath.Join(second, "top.proto"): []byte(top)},
		Parameter:   "paths=source_relative",
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(out.Request), []string{"dep/dep.proto", "google/protobuf/empty.proto", "top.proto"}; !slices.Equal(got, want) {
		t.Errorf("proto_file = %q, want %q", got, want)
	}
	if got := out.Request.GetParameter(); got != "paths=source_relative" {
		t.Errorf("parameter = %q", got)
	}
	if len(out.Local) != 2 || string(out.Local["top.proto"]) != top || string(out.Local["dep/dep.proto"]) != onDisk {
		t.Errorf("Local = %q, want top.proto from the overlay and dep/dep.proto from %s", out.Local, first)
	}
}

// TestCompileMatchesBuild: Compile is Build of files on disk.
func TestCompileMatchesBuild(t *testing.T) {
	dir := t.TempDir()
	testkit.WriteFile(t, filepath.Join(dir, "shop", "v1", "shop.proto"), edition2024)
	req, err := Compile(context.Background(), []string{dir}, []string{"shop/v1/shop.proto"}, "module=example.com")
	if err != nil {
		t.Fatal(err)
	}
	out, err := Build(context.Background(), Input{ImportPaths: []string{dir}, Files: []string{"shop/v1/shop.proto"}, Parameter: "module=example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(req, out.Request) {
		t.Error("Compile and Build give different requests for the same files")
	}
}

// TestInternalErrorLast checks the line of an internal error of the
// compiler, which it reports as "unexpected panic; this is a bug": after
// the errors of the protos, from which it usually follows, and saying
// whose it is and what failed, without the stack.
func TestInternalErrorLast(t *testing.T) {
	rep := new(report.Report)
	func() {
		defer rep.CatchICE(false, nil)
		panic("could not change contexts")
	}()
	rep.Errorf("`google/protobuf/descriptor.proto` is missing required symbol").Apply(report.InFile("google/protobuf/descriptor.proto"))
	err := new(opener).diagnostics(rep)
	want := "google/protobuf/descriptor.proto: `google/protobuf/descriptor.proto` is missing required symbol\n" +
		"then the compiler (github.com/bufbuild/protocompile) failed on an internal error, not one of the protos: could not change contexts"
	if err == nil || err.Error() != want {
		t.Errorf("diagnostics:\n%v\nwant\n%s", err, want)
	}
	// Alone, it is the only line.
	alone := new(report.Report)
	func() {
		defer alone.CatchICE(false, nil)
		panic("boom")
	}()
	if err := new(opener).diagnostics(alone); err == nil || err.Error() != "the compiler (github.com/bufbuild/protocompile) failed on an internal error, not one of the protos: boom" {
		t.Errorf("diagnostics of an internal error alone: %v", err)
	}
}
