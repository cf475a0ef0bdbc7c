package scaffold

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/gotutor/gotutor/generator"
	"github.com/gotutor/gotutor/internal/protoreq"
)

func TestGoModReleased(t *testing.T) {
	got := goMod("example.com/demo", Versions{Grpc: "v1.85.0", Protobuf: "v1.36.12", GrpcGen: "v1.6.2", Gotutor: "v0.3.0"})
	want := `module example.com/demo

go 1.26

require (
	github.com/gotutor/gotutor v0.3.0
	google.golang.org/grpc v1.85.0
	google.golang.org/grpc/cmd/protoc-gen-go-grpc v1.6.2
	google.golang.org/protobuf v1.36.12
)

// The code generators, run as go tool NAME (and by buf.gen.yaml).
tool (
	github.com/gotutor/gotutor/protoc-gen-gotutor
	google.golang.org/grpc/cmd/protoc-gen-go-grpc
	google.golang.org/protobuf/cmd/protoc-gen-go
)
`
	if got != want {
		t.Errorf("go.mod for a released gotutor:\n%s\nwant:\n%s", got, want)
	}
}

func TestGoModCheckout(t *testing.T) {
	got := goMod("example.com/demo", Versions{Grpc: "v1.85.0", Protobuf: "v1.36.12", GrpcGen: "v1.6.2", Gotutor: "(devel)", Checkout: "/src/gotutor"})
	for _, want := range []string{
		"\tgithub.com/gotutor/gotutor v0.0.0-00010101000000-000000000000\n",
		"\nreplace github.com/gotutor/gotutor => /src/gotutor\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("go.mod for a checkout lacks %q:\n%s", want, got)
		}
	}
}

func TestFindCheckout(t *testing.T) {
	dir, err := findCheckout()
	if err != nil {
		t.Fatal(err)
	}
	if !isGotutorRoot(dir) {
		t.Errorf("findCheckout() = %s, which holds no gotutor go.mod", dir)
	}
}

func TestMappings(t *testing.T) {
	file := func(name, pkg, goPkg string) *descriptorpb.FileDescriptorProto {
		f := &descriptorpb.FileDescriptorProto{Name: proto.String(name), Package: proto.String(pkg)}
		if goPkg != "" {
			f.Options = &descriptorpb.FileOptions{GoPackage: proto.String(goPkg)}
		}
		return f
	}
	files := []*descriptorpb.FileDescriptorProto{
		file("google/protobuf/empty.proto", "google.protobuf", "google.golang.org/protobuf/types/known/emptypb"),
		file("a.proto", "shop.v1", ""),
		file("b.proto", "", ""),
		file("c.proto", "greet", "example.com/demo/greet"),
		file("d.proto", "helloworld", "github.com/other/examples/helloworld;hw"),
		file("e.proto", "acme.billing.v1beta1", ""),
		file("f.proto", "x", "example.com/demo"),
		file("g.proto", "acme.billing.v1", "github.com/acme/api/gen/go/billing/v1;billingv1"),
	}
	got := mappings(files, []string{"a.proto", "b.proto", "c.proto", "d.proto", "e.proto", "f.proto", "g.proto"}, "example.com/demo")
	var options []string
	for _, m := range got {
		options = append(options, m.option())
	}
	want := []string{
		"Ma.proto=example.com/demo/shop/v1;shopv1",
		"Mb.proto=example.com/demo/b;b",
		"Md.proto=example.com/demo/helloworld",
		"Me.proto=example.com/demo/acme/billing/v1beta1;billingv1beta1",
		"Mg.proto=example.com/demo/billing/v1",
	}
	if strings.Join(options, " ") != strings.Join(want, " ") {
		t.Errorf("mappings = %v, want %v", options, want)
	}
	if got, want := got[2].note(), `d.proto has go_package "github.com/other/examples/helloworld", outside module example.com/demo: its Go code goes to example.com/demo/helloworld (option Md.proto=example.com/demo/helloworld in buf.gen.yaml)`; got != want {
		t.Errorf("note = %q, want %q", got, want)
	}
	if got, want := parameter("example.com/demo", got[:1]), "paths=import,module=example.com/demo,Ma.proto=example.com/demo/shop/v1;shopv1"; got != want {
		t.Errorf("parameter = %q, want %q", got, want)
	}
}

func TestPathElem(t *testing.T) {
	for in, want := range map[string]string{"hw": "hw", "My Demo": "my-demo", "..": "app", "über": "ber"} {
		if got := pathElem(in); got != want {
			t.Errorf("pathElem(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBuiltinsNote: buf.gen.yaml names the built-in imports that the
// module's own protos import (not their imports, not the module's own
// files, not the well-known ones, which buf has), and the buf.yaml deps
// that hold them; without built-in imports it has no note.
func TestBuiltinsNote(t *testing.T) {
	dir := t.TempDir()
	overlay := map[string][]byte{
		filepath.Join(dir, "a.proto"): []byte("syntax = \"proto3\";\npackage a;\nimport \"b.proto\";\nimport \"google/api/annotations.proto\";\nimport \"google/protobuf/empty.proto\";\nmessage A { b.B b = 1; }\n"),
		filepath.Join(dir, "b.proto"): []byte("syntax = \"proto3\";\npackage b;\nimport \"google/type/date.proto\";\nmessage B { google.type.Date d = 1; }\n"),
	}
	c, err := protoreq.Build(context.Background(), protoreq.Input{ImportPaths: []string{dir}, Files: []string{"a.proto"}, Overlay: overlay})
	if err != nil {
		t.Fatal(err)
	}
	got := builtinImports(c)
	if want := []string{"google/api/annotations.proto", "google/type/date.proto"}; !slices.Equal(got, want) {
		t.Errorf("builtinImports = %q, want %q", got, want)
	}
	yaml := bufGenYAML("example.com/m", nil, generator.DefaultOptions(), got)
	for _, want := range []string{
		builtinsMarker + " the protos import\n#   google/api/annotations.proto\n#   google/type/date.proto\n# which gotutor has built in",
		"#   deps:\n#     - buf.build/googleapis/googleapis\n# and run buf dep update",
	} {
		if !strings.Contains(yaml, want) {
			t.Errorf("buf.gen.yaml lacks %q:\n%s", want, yaml)
		}
	}
	if strings.Contains(yaml, "buf.build/bufbuild/protovalidate") {
		t.Errorf("buf.gen.yaml names protovalidate's module, which the protos do not import:\n%s", yaml)
	}
	if got := bsrDeps([]string{"buf/validate/validate.proto", "google/rpc/status.proto"}); !slices.Equal(got, []string{"buf.build/bufbuild/protovalidate", "buf.build/googleapis/googleapis"}) {
		t.Errorf("bsrDeps = %q", got)
	}
	if yaml := bufGenYAML("example.com/m", nil, generator.DefaultOptions(), nil); strings.Contains(yaml, builtinsMarker) || strings.Contains(yaml, "deps") {
		t.Errorf("buf.gen.yaml without built-in imports has the note:\n%s", yaml)
	}
}

// TestCheckBufGenBuiltins: into an existing module, built-in imports are
// warned about unless buf.gen.yaml has gotutor new's note or buf.yaml
// lists the deps that hold them.
func TestCheckBufGenBuiltins(t *testing.T) {
	builtins := []string{"buf/validate/validate.proto", "google/api/annotations.proto"}
	for _, tc := range []struct {
		name, bufGen, bufYAML, want string
	}{
		{"no note, no deps", "version: v2\n", "version: v2\n",
			"warning: the protos import buf/validate/validate.proto, google/api/annotations.proto, which gotutor has built in but buf does not find: buf generate will fail until buf.yaml's deps list buf.build/bufbuild/protovalidate and buf.build/googleapis/googleapis (then buf dep update)\n"},
		{"one dep", "version: v2\n", "version: v2\ndeps:\n  - buf.build/googleapis/googleapis\n",
			"warning: the protos import buf/validate/validate.proto, google/api/annotations.proto, which gotutor has built in but buf does not find: buf generate will fail until buf.yaml's deps list buf.build/bufbuild/protovalidate (then buf dep update)\n"},
		{"both deps", "version: v2\n", "version: v2\ndeps:\n  - buf.build/googleapis/googleapis\n  - buf.build/bufbuild/protovalidate\n", ""},
		{"note", bufGenYAML("example.com/m", nil, generator.DefaultOptions(), builtins), "version: v2\n", ""},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "buf.gen.yaml"), []byte(tc.bufGen), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "buf.yaml"), []byte(tc.bufYAML), 0o644); err != nil {
			t.Fatal(err)
		}
		var progress strings.Builder
		j := &job{o: &Options{Progress: &progress}, root: dir}
		j.checkBufGen([]byte(tc.bufGen), nil, builtins)
		if progress.String() != tc.want {
			t.Errorf("%s: checkBufGen printed %q, want %q", tc.name, progress.String(), tc.want)
		}
	}
}

// TestAddMOptions checks the M options that new adds to a module's
// buf.gen.yaml: after the last item of each plugin's opt list, so that the
// file is the one new would have written with all of them; none to a file
// laid out otherwise, or that has them all.
func TestAddMOptions(t *testing.T) {
	ms := []mapping{
		{file: "a/v1/a.proto", importPath: "example.com/m/a/v1", pkgName: "av1"},
		{file: "b/v1/b.proto", importPath: "example.com/m/b/v1"},
		{file: "c.proto", importPath: "example.com/m/c"},
	}
	opts := generator.DefaultOptions()
	before := bufGenYAML("example.com/m", ms[:1], opts, nil)
	got, added := addMOptions([]byte(before), ms)
	if want := bufGenYAML("example.com/m", ms, opts, nil); string(got) != want {
		t.Errorf("buf.gen.yaml with the options added:\n%s\nwant\n%s", got, want)
	}
	if len(added) != 2 || added[0].file != "b/v1/b.proto" || added[1].file != "c.proto" {
		t.Errorf("added %v, want b/v1/b.proto and c.proto", added)
	}
	if again, added := addMOptions(got, ms); string(again) != string(got) || added != nil {
		t.Errorf("with every option there, addMOptions changed the file or added %v", added)
	}
	for _, layout := range []string{
		"version: v2\nplugins:\n  - local: protoc-gen-go\n    out: .\n    opt: [paths=import, module=example.com/m]\n",
		strings.Replace(before, "  - local: [\"go\", \"tool\", \"protoc-gen-gotutor\"]", "  - remote: buf.build/x/y\n    out: .\n  - local: [\"go\", \"tool\", \"protoc-gen-gotutor\"]", 1) + "  - local: extra\n    opt:\n      - x=y\n",
	} {
		if got, added := addMOptions([]byte(layout), ms); string(got) != layout || added != nil {
			t.Errorf("a buf.gen.yaml of another layout was changed:\n%s\ninto\n%s", layout, got)
		}
	}
}
