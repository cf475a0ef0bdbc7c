package protoreq

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/gotutor/gotutor/internal/testkit"
)

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
		if !proto.Equal(got, want) {
			text, _, _ := builtinSource(name)
			t.Errorf("%s compiles to another descriptor than its Go package's:\n%s\nprinted:\n%s", name,
				testkit.Diff("registered", textOf(want), "compiled", textOf(got)), text)
		}
	}
}

func textOf(f *descriptorpb.FileDescriptorProto) string {
	return strings.ReplaceAll(prototextFormat(f), "  ", " ")
}

func prototextFormat(m proto.Message) string {
	return prototext.MarshalOptions{Multiline: true}.Format(m)
}
