package generator

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/gotutor/gotutor/internal/protoreq"
)

// TestCELExamples counts the examples of testdata/celrules (a message a
// case, each reaching rules written in CEL) and of protovalidate's
// conformance cases that validate, without and with the search for values
// that meet them, and fails under 110 of 120 on either with:
//
//	go test ./generator -run TestCELExamples -v
func TestCELExamples(t *testing.T) {
	total, before, after, invalid := celCounts(t, "testdata/celrules", "celrules.proto", "predefined.proto")
	t.Logf("CEL examples valid: %d/%d (%d/%d without the search)", after, total, before, total)
	t.Logf("still invalid: %s", strings.Join(invalid, "; "))
	if after*120 < total*110 {
		t.Errorf("%d of %d examples with CEL rules validate; want at least 110 of 120", after, total)
	}
	// protovalidate's own test protos, in its module, where the module
	// cache has them.
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "buf.build/go/protovalidate").Output()
	dir := filepath.Join(strings.TrimSpace(string(out)), "proto")
	if _, serr := os.Stat(dir); err != nil || serr != nil {
		t.Logf("protovalidate's protos not found (%v %v): not counted", err, serr)
		return
	}
	total, before, after, invalid = celCounts(t, dir, "tests/example/v1/validations.proto", "tests/example/v1/filter.proto", "tests/example/v1/predefined.proto")
	t.Logf("protovalidate's own test protos: CEL examples valid: %d/%d (%d/%d without the search)", after, total, before, total)
	t.Logf("still invalid: %s", strings.Join(invalid, "; "))

	// protovalidate's conformance cases, from the descriptors that their Go
	// files in its module carry (an internal package, so read, not
	// imported).
	total, before, after, invalid = celCountsOf(t, conformanceCases(t, filepath.Dir(dir)))
	t.Logf("protovalidate's conformance cases: CEL examples valid: %d/%d (%d/%d without the search)", after, total, before, total)
	t.Logf("still invalid: %s", strings.Join(invalid, "; "))
	if after*120 < total*110 {
		t.Errorf("%d of protovalidate's %d conformance cases with CEL rules validate; want at least 110 of 120", after, total)
	}
}

// conformanceCases returns a request to generate protovalidate's
// conformance cases, whose descriptors it reads from the Go files below
// module (protovalidate's module folder): each file's raw descriptor, a
// constant of string literals.
func conformanceCases(t *testing.T, module string) *pluginpb.CodeGeneratorRequest {
	t.Helper()
	root := filepath.Join(module, "internal", "gen", "buf", "validate", "conformance", "cases")
	var raws [][]byte
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".pb.go") || strings.HasSuffix(path, "_protoopaque.pb.go") {
			return err
		}
		raw, err := rawDescriptor(path)
		raws = append(raws, raw)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(raws) == 0 {
		t.Fatalf("no conformance cases below %s", root)
	}
	// The cases declare predefined rules, extensions of buf.validate's
	// rules, which their own options use: registered (once) before the
	// descriptors are read again, so that the options hold them.
	fdps := unmarshalFiles(t, raws, protoregistry.GlobalTypes)
	registerConformanceExtensions.Do(func() {
		files, err := protodesc.NewFiles(&descriptorpb.FileDescriptorSet{File: withDependencies(t, fdps)})
		if err != nil {
			t.Fatal(err)
		}
		files.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
			if !strings.HasPrefix(fd.Path(), "buf/validate/conformance/") {
				return true
			}
			exts := fd.Extensions()
			for i := range exts.Len() {
				if err := protoregistry.GlobalTypes.RegisterExtension(dynamicpb.NewExtensionType(exts.Get(i))); err != nil {
					t.Fatal(err)
				}
			}
			return true
		})
	})
	fdps = unmarshalFiles(t, raws, protoregistry.GlobalTypes)
	req := &pluginpb.CodeGeneratorRequest{ProtoFile: withDependencies(t, fdps)}
	for _, fdp := range fdps {
		req.FileToGenerate = append(req.FileToGenerate, fdp.GetName())
	}
	slices.Sort(req.FileToGenerate)
	return req
}

var registerConformanceExtensions sync.Once

// unmarshalFiles reads raw descriptors, with the extensions of types.
func unmarshalFiles(t *testing.T, raws [][]byte, types *protoregistry.Types) []*descriptorpb.FileDescriptorProto {
	t.Helper()
	var fdps []*descriptorpb.FileDescriptorProto
	for _, raw := range raws {
		fdp := &descriptorpb.FileDescriptorProto{}
		if err := (proto.UnmarshalOptions{Resolver: types}).Unmarshal(raw, fdp); err != nil {
			t.Fatal(err)
		}
		fdps = append(fdps, fdp)
	}
	return fdps
}

// withDependencies returns fdps and the files they import, from the
// registry (validate.proto, the well-known types), each after its
// dependencies.
func withDependencies(t *testing.T, fdps []*descriptorpb.FileDescriptorProto) []*descriptorpb.FileDescriptorProto {
	t.Helper()
	var out []*descriptorpb.FileDescriptorProto
	added := map[string]bool{}
	byName := map[string]*descriptorpb.FileDescriptorProto{}
	var names []string
	for _, fdp := range fdps {
		byName[fdp.GetName()] = fdp
		names = append(names, fdp.GetName())
	}
	slices.Sort(names)
	var add func(name string)
	add = func(name string) {
		if added[name] {
			return
		}
		added[name] = true
		fdp, ok := byName[name]
		if !ok {
			fd, err := protoregistry.GlobalFiles.FindFileByPath(name)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			fdp = protodesc.ToFileDescriptorProto(fd)
		}
		for _, dep := range fdp.GetDependency() {
			add(dep)
		}
		out = append(out, fdp)
	}
	for _, name := range names {
		add(name)
	}
	return out
}

// rawDescriptor returns the raw descriptor in the Go file path, which
// protoc-gen-go writes as const file_..._rawDesc = "" + "..." + ....
func rawDescriptor(path string) ([]byte, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if len(vs.Names) != 1 || !strings.HasSuffix(vs.Names[0].Name, "_rawDesc") || len(vs.Values) != 1 {
				continue
			}
			var b strings.Builder
			var walk func(e ast.Expr) error
			walk = func(e ast.Expr) error {
				switch e := e.(type) {
				case *ast.BinaryExpr:
					if err := walk(e.X); err != nil {
						return err
					}
					return walk(e.Y)
				case *ast.BasicLit:
					s, err := strconv.Unquote(e.Value)
					b.WriteString(s)
					return err
				}
				return fmt.Errorf("%s: %T in the raw descriptor", path, e)
			}
			if err := walk(vs.Values[0]); err != nil {
				return nil, err
			}
			return []byte(b.String()), nil
		}
	}
	return nil, fmt.Errorf("%s: no raw descriptor", path)
}

// celCounts compiles files below dir and counts the top-level messages of
// each whose examples reach rules written in CEL (total), and those of
// them that validate, without the search (before) and with it (after); it
// names those that do not, with the rules they break.
func celCounts(t *testing.T, dir string, files ...string) (total, before, after int, invalid []string) {
	var param []string
	for _, name := range files {
		param = append(param, "M"+name+"=example.com/"+strings.TrimSuffix(filepath.Base(name), ".proto"))
	}
	req, err := protoreq.Compile(context.Background(), []string{dir}, files, strings.Join(param, ","))
	if err != nil {
		t.Fatal(err)
	}
	return celCountsOf(t, req)
}

// celCountsOf is celCounts of the files to generate of req.
func celCountsOf(t *testing.T, req *pluginpb.CodeGeneratorRequest) (total, before, after int, invalid []string) {
	files := req.GetFileToGenerate()
	gen, err := protogen.Options{}.New(req)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []*protogen.Message
	for _, name := range files {
		msgs = append(msgs, gen.FilesByPath[name].Messages...)
	}
	for _, m := range msgs {
		if !reachesCEL(m, map[*protogen.Message]bool{}) {
			continue
		}
		total++
		plain := &exampleBuilder{noSearch: true}
		built, err := plain.example(m, true)
		if err != nil {
			t.Fatal(err)
		}
		if built.valid {
			before++
		}
		searched, err := (&exampleBuilder{}).example(m, true)
		if err != nil {
			t.Fatal(err)
		}
		// The same on every run.
		again, err := (&exampleBuilder{}).example(m, true)
		if err != nil {
			t.Fatal(err)
		}
		r := goRenderer{newImportSet(m.GoIdent.GoImportPath, nil)}
		if a, b := r.expr(searched.value, 1, false), r.expr(again.value, 1, false); a != b {
			t.Errorf("%s: two runs give two examples:\n%s\n%s", m.Desc.Name(), a, b)
		}
		// The builder's word is protovalidate's.
		if ok := checkRules(protovalidate.GlobalValidator, searched.value.dynamic()) == nil; ok != searched.valid {
			t.Errorf("%s: valid is %v, protovalidate says %v", m.Desc.Name(), searched.valid, ok)
		}
		if searched.valid {
			after++
			continue
		}
		var rules []string
		for _, v := range searched.violations {
			rules = append(rules, v.Rule)
		}
		invalid = append(invalid, string(m.Desc.Name())+" ("+strings.Join(rules, ", ")+")")
	}
	return total, before, after, invalid
}

// reachesCEL reports whether the example of m may meet a rule written in
// CEL (or a predefined rule, which is written in CEL): on m, its fields, or
// the messages of its fields.
func reachesCEL(m *protogen.Message, seen map[*protogen.Message]bool) bool {
	if m == nil || seen[m] {
		return false
	}
	seen[m] = true
	if hasExtension(m.Desc.Options(), validate.E_Message) {
		if r, err := protovalidate.ResolveMessageRules(m.Desc); err == nil && (len(r.GetCel()) > 0 || len(r.GetCelExpression()) > 0) {
			return true
		}
	}
	for _, f := range m.Fields {
		if r := fieldRules(f); r != nil {
			text := prototext.Format(r)
			if strings.Contains(text, "cel") || strings.Contains(text, "[") {
				return true
			}
		}
		if reachesCEL(f.Message, seen) {
			return true
		}
	}
	return false
}
