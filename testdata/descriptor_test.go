package testdata

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
)

// readDescriptorSet reads a FileDescriptorSet that protoc or buf wrote.
func readDescriptorSet(t *testing.T, name string) *descriptorpb.FileDescriptorSet {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	fds := &descriptorpb.FileDescriptorSet{}
	if err := proto.Unmarshal(data, fds); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return fds
}

// byName returns the files of fds by name.
func byName(fds *descriptorpb.FileDescriptorSet) map[string]*descriptorpb.FileDescriptorProto {
	files := map[string]*descriptorpb.FileDescriptorProto{}
	for _, f := range fds.GetFile() {
		files[f.GetName()] = f
	}
	return files
}

// descriptorDiff returns "" when got and want are equal, or else the first
// line where their text differs.
func descriptorDiff(got, want *descriptorpb.FileDescriptorProto) string {
	if proto.Equal(got, want) {
		return ""
	}
	g := strings.Split(prototext.MarshalOptions{Multiline: true}.Format(got), "\n")
	w := strings.Split(prototext.MarshalOptions{Multiline: true}.Format(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d of the text is %q, want %q", i+1, strings.TrimSpace(g[i]), strings.TrimSpace(w[i]))
		}
	}
	return fmt.Sprintf("the text has %d lines, want %d", len(g), len(w))
}

// TestDescriptorsProtoc holds the in-process compiler to protoc's
// descriptors: for every case protoc 3.21 reads (all but editions), each
// file of the request, the well-known imports included, is the one that
// protoc -o --include_imports writes, and the files come in protoc's order.
// Source code info is left out: protoc 3.21 ends a trailing // comment with
// its newline where buf's compiler does not, and places a few option spans
// differently; TestDescriptorsBuf checks it against buf.
func TestDescriptorsProtoc(t *testing.T) {
	protoc := protocPath(t)
	for _, c := range cases(t) {
		if isEditions(t, c) {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "set.binpb")
			args := []string{"-I", ".", "--include_imports", "-o", out}
			if set := builtinSet(t, c); set != nil {
				// The built-in imports (google/api, buf/validate), which
				// are not on disk, as TestProtoc gives them.
				name := filepath.Join(t.TempDir(), "builtin.binpb")
				if err := os.WriteFile(name, set, 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--descriptor_set_in="+name)
			}
			args = append(args, c.protos...)
			if msg, err := exec.Command(protoc, args...).CombinedOutput(); err != nil {
				t.Fatalf("protoc %s: %v\n%s", strings.Join(args, " "), err, msg)
			}
			set := readDescriptorSet(t, out)
			want := byName(set)
			req := compile(t, c)
			var order []string
			for _, f := range req.GetProtoFile() {
				order = append(order, f.GetName())
				w, ok := want[f.GetName()]
				if !ok {
					t.Errorf("%s is in the request, not in protoc's set", f.GetName())
					continue
				}
				if f.GetName() == "google/protobuf/descriptor.proto" {
					// protoc 3.21 ships an older descriptor.proto than the one
					// built in here (protobuf-go's), which google/api's files
					// import.
					continue
				}
				g := proto.CloneOf(f)
				g.SourceCodeInfo = nil
				if d := descriptorDiff(g, w); d != "" {
					t.Errorf("%s differs from protoc's: %s", f.GetName(), d)
				}
			}
			var protocOrder []string
			for _, f := range set.GetFile() {
				protocOrder = append(protocOrder, f.GetName())
			}
			if !slices.Equal(order, protocOrder) {
				t.Errorf("the request lists %q; protoc lists %q", order, protocOrder)
			}
		})
	}
}

// TestDescriptorsBuf holds the in-process compiler to buf's descriptors,
// source code info (comments and spans) included: every case's own files
// are the ones that `buf build` writes. The well-known imports are left
// out: buf ships its own copies of their sources, a later snapshot than
// protocompile's, whose comments differ. With -short it is skipped, as
// TestBuf is.
func TestDescriptorsBuf(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: buf build builds buf from ../tools.mod")
	}
	toolsMod, err := filepath.Abs(filepath.Join("..", "tools.mod"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "image.binpb")
	args := []string{"tool", "-modfile=" + toolsMod, "buf", "build", "-o", out}
	// buf reads imports from disk only: the cases that import built-in
	// files (google/api, buf/validate) are held to protoc's descriptors by
	// TestDescriptorsProtoc instead.
	var cs []testCase
	for _, c := range cases(t) {
		if builtinSet(t, c) != nil {
			args = append(args, "--exclude-path", c.name)
			continue
		}
		cs = append(cs, c)
	}
	cmd := exec.Command("go", args...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go tool -modfile=%s buf build: %v\n%s", toolsMod, err, msg)
	}
	want := byName(readDescriptorSet(t, out))
	for _, c := range cs {
		t.Run(c.name, func(t *testing.T) {
			for _, f := range compile(t, c).GetProtoFile() {
				if strings.HasPrefix(f.GetName(), "google/protobuf/") {
					continue
				}
				w, ok := want[f.GetName()]
				if !ok {
					t.Errorf("%s is in the request, not in buf's image", f.GetName())
					continue
				}
				// buf's image adds its own fields (whether a file is an
				// import, unused imports): the request has none.
				w = proto.CloneOf(w)
				w.ProtoReflect().SetUnknown(nil)
				if sci := w.GetSourceCodeInfo().ProtoReflect(); sci.IsValid() {
					sci.SetUnknown(nil)
					sci.Range(func(fd protoreflect.FieldDescriptor, _ protoreflect.Value) bool {
						if fd.IsExtension() {
							sci.Clear(fd)
						}
						return true
					})
				}
				if d := descriptorDiff(f, w); d != "" {
					t.Errorf("%s differs from buf's: %s", f.GetName(), d)
				}
			}
		})
	}
}
