// Package linked knows the .proto files that the generated code's own
// dependencies register: every server main, test and client that gotutor
// generates links gotutor's runtime (serve and the packages beside it),
// grpc-go, connect-go, protovalidate and genproto, and some of their
// packages register .proto files in protobuf-go's global registry at
// start. A program that links a second Go package registering a file of the
// same path, or a declaration of the same full name (a message, enum, enum
// value, extension or service), panics before main ("proto: file
// "google/api/launch_stage.proto" is already registered"). So the user's
// module must never generate Go code of its own for such a file: it must use
// the Go package that is linked.
//
// The files are not listed by hand: this package links the Go packages that
// register them (Packages; a test holds the list to `go list -deps` of the
// runtime and of generated code), and reads their files from
// protoregistry.GlobalFiles, keeping those whose go_package is one of them.
package linked

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"

	// The packages of Packages, but connect-go's (see connectStatus).
	_ "buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	_ "cel.dev/expr"
	_ "github.com/prometheus/client_model/go"
	_ "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	_ "go.opentelemetry.io/proto/otlp/common/v1"
	_ "go.opentelemetry.io/proto/otlp/resource/v1"
	_ "go.opentelemetry.io/proto/otlp/trace/v1"
	_ "google.golang.org/genproto/googleapis/api"
	_ "google.golang.org/genproto/googleapis/api/annotations"
	_ "google.golang.org/genproto/googleapis/api/expr/v1alpha1"
	_ "google.golang.org/genproto/googleapis/api/httpbody"
	_ "google.golang.org/genproto/googleapis/rpc/errdetails"
	_ "google.golang.org/genproto/googleapis/rpc/status"
	_ "google.golang.org/grpc/binarylog/grpc_binarylog_v1"
	_ "google.golang.org/grpc/health/grpc_health_v1"
	_ "google.golang.org/grpc/reflection/grpc_reflection_v1"
	_ "google.golang.org/grpc/reflection/grpc_reflection_v1alpha"
	_ "google.golang.org/protobuf/types/descriptorpb"
	_ "google.golang.org/protobuf/types/gofeaturespb"
	_ "google.golang.org/protobuf/types/known/anypb"
	_ "google.golang.org/protobuf/types/known/apipb"
	_ "google.golang.org/protobuf/types/known/durationpb"
	_ "google.golang.org/protobuf/types/known/emptypb"
	_ "google.golang.org/protobuf/types/known/fieldmaskpb"
	_ "google.golang.org/protobuf/types/known/sourcecontextpb"
	_ "google.golang.org/protobuf/types/known/structpb"
	_ "google.golang.org/protobuf/types/known/timestamppb"
	_ "google.golang.org/protobuf/types/known/typepb"
	_ "google.golang.org/protobuf/types/known/wrapperspb"
	_ "google.golang.org/protobuf/types/pluginpb"
)

// Packages are the Go packages, outside gotutor's module, that a generated
// server main, client main or test links, whatever its protos, and that
// register .proto files: the runtime's dependencies (grpc-go's health,
// reflection and binary log; connect-go's copy of grpc.status.v1;
// protovalidate's rules and the CEL types it evaluates them with; genproto's
// packages that vanguard, protovalidate and the status details use), and
// protobuf-go's well-known types.
var Packages = []string{
	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate",
	"cel.dev/expr",
	"connectrpc.com/connect/internal/gen/connectext/grpc/status/v1",
	"github.com/prometheus/client_model/go",
	"go.opentelemetry.io/proto/otlp/collector/trace/v1",
	"go.opentelemetry.io/proto/otlp/common/v1",
	"go.opentelemetry.io/proto/otlp/resource/v1",
	"go.opentelemetry.io/proto/otlp/trace/v1",
	"google.golang.org/genproto/googleapis/api",
	"google.golang.org/genproto/googleapis/api/annotations",
	"google.golang.org/genproto/googleapis/api/expr/v1alpha1",
	"google.golang.org/genproto/googleapis/api/httpbody",
	"google.golang.org/genproto/googleapis/rpc/errdetails",
	"google.golang.org/genproto/googleapis/rpc/status",
	"google.golang.org/grpc/binarylog/grpc_binarylog_v1",
	"google.golang.org/grpc/health/grpc_health_v1",
	"google.golang.org/grpc/reflection/grpc_reflection_v1",
	"google.golang.org/grpc/reflection/grpc_reflection_v1alpha",
	"google.golang.org/protobuf/types/descriptorpb",
	"google.golang.org/protobuf/types/gofeaturespb",
	"google.golang.org/protobuf/types/known/anypb",
	"google.golang.org/protobuf/types/known/apipb",
	"google.golang.org/protobuf/types/known/durationpb",
	"google.golang.org/protobuf/types/known/emptypb",
	"google.golang.org/protobuf/types/known/fieldmaskpb",
	"google.golang.org/protobuf/types/known/sourcecontextpb",
	"google.golang.org/protobuf/types/known/structpb",
	"google.golang.org/protobuf/types/known/timestamppb",
	"google.golang.org/protobuf/types/known/typepb",
	"google.golang.org/protobuf/types/known/wrapperspb",
	"google.golang.org/protobuf/types/pluginpb",
}

// File is a .proto file that a linked Go package registers.
type File struct {
	Desc protoreflect.FileDescriptor
	// GoPackage is the Go import path of the package that registers it.
	GoPackage string
}

// Importable tells whether code outside the package's module may import
// it (an internal package may not).
func (f File) Importable() bool {
	return !strings.Contains(f.GoPackage, "/internal/") && !strings.HasSuffix(f.GoPackage, "/internal")
}

type index struct {
	files  map[string]File                  // by path
	byName map[protoreflect.FullName]File   // the registry's names: top-level declarations, enum values, packages
	exts   map[extKey]protoreflect.FullName // extensions, by extendee and number
	decls  map[protoreflect.FullName]protoreflect.Descriptor
}

type extKey struct {
	extendee protoreflect.FullName
	number   protoreflect.FieldNumber
}

// connectStatus is the file that connect-go registers, in an internal
// package of its own: a copy of its declarations, which a test holds to the
// file connect-go registers. Linking connect-go here would make every
// generated module require it through the plugin, a tool of the module,
// where a module of plain grpc-go (option http=false) needs none of it.
const connectStatus = `name: "connectext/grpc/status/v1/status.proto" package: "grpc.status.v1" syntax: "proto3"
dependency: "google/protobuf/any.proto"
options { go_package: "connectrpc.com/connect/internal/gen/connectext/grpc/status/v1;statusv1" }
message_type { name: "Status"
  field { name: "code" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32 json_name: "code" }
  field { name: "message" number: 2 label: LABEL_OPTIONAL type: TYPE_STRING json_name: "message" }
  field { name: "details" number: 3 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".google.protobuf.Any" json_name: "details" } }`

// connectStatusFile returns connectStatus as a descriptor.
func connectStatusFile() protoreflect.FileDescriptor {
	fdp := &descriptorpb.FileDescriptorProto{}
	if err := prototext.Unmarshal([]byte(connectStatus), fdp); err != nil {
		panic(err)
	}
	fd, err := protodesc.NewFile(fdp, protoregistry.GlobalFiles)
	if err != nil {
		panic(err)
	}
	return fd
}

var idx = sync.OnceValue(func() *index {
	x := &index{
		files:  map[string]File{},
		byName: map[protoreflect.FullName]File{},
		exts:   map[extKey]protoreflect.FullName{},
		decls:  map[protoreflect.FullName]protoreflect.Descriptor{},
	}
	var fds []protoreflect.FileDescriptor
	protoregistry.GlobalFiles.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		fds = append(fds, fd)
		return true
	})
	if _, err := protoregistry.GlobalFiles.FindFileByPath("connectext/grpc/status/v1/status.proto"); err != nil {
		fds = append(fds, connectStatusFile()) // unless connect-go is linked, as in a test
	}
	for _, fd := range fds {
		opts, _ := fd.Options().(*descriptorpb.FileOptions)
		pkg, _, _ := strings.Cut(opts.GetGoPackage(), ";")
		if !slices.Contains(Packages, pkg) {
			continue
		}
		f := File{Desc: fd, GoPackage: pkg}
		x.files[fd.Path()] = f
		for name := fd.Package(); name != ""; name = name.Parent() {
			if _, ok := x.byName[name]; !ok {
				x.byName[name] = f
			}
		}
		topLevel(fd, func(d protoreflect.Descriptor) {
			x.byName[d.FullName()] = f
			x.decls[d.FullName()] = d
			if xd, ok := d.(protoreflect.ExtensionDescriptor); ok {
				x.exts[extKey{xd.ContainingMessage().FullName(), xd.Number()}] = xd.FullName()
			}
		})
	}
	return x
})

// Lookup returns the linked file of that path, if there is one.
func Lookup(path string) (File, bool) {
	f, ok := idx().files[path]
	return f, ok
}

// Files returns the paths of every linked file, sorted.
func Files() []string {
	var paths []string
	for p := range idx().files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths
}

// Conflict is how a file of the user's clashes with the linked files, for
// a file whose path no linked file has.
type Conflict struct {
	// Linked is the linked file that registers the first of Names.
	Linked File
	// Names are what the file declares that linked files register too:
	// full names, and extensions by "extendee number".
	Names []string
	// Compatible tells whether each declaration of the file is one of
	// Linked's, with the same fields, values and methods (Linked may have
	// more): the linked Go package then serves for it, as when the file is
	// a partial copy of the linked one under another path.
	Compatible bool
}

// Check returns how fd clashes with the linked files by what it declares,
// or nil when it does not; a file of the same path as a linked file (see
// Lookup) is not checked.
func Check(fd protoreflect.FileDescriptor) *Conflict {
	x := idx()
	var c *Conflict
	add := func(name string, f File) {
		if c == nil {
			c = &Conflict{Linked: f, Compatible: true}
		}
		c.Names = append(c.Names, name)
	}
	if pkg := fd.Package(); pkg != "" {
		for name := pkg; name != ""; name = name.Parent() {
			if d, ok := x.decls[name]; ok { // a package named as a declaration
				add(string(name), x.byName[d.FullName()])
				c.Compatible = false
			}
		}
	}
	// The linked package serves for the file only if it declares all of
	// the file's declarations, as the file does.
	all := true
	topLevel(fd, func(d protoreflect.Descriptor) {
		if f, ok := x.byName[d.FullName()]; ok {
			add(string(d.FullName()), f)
			if other, ok := x.decls[d.FullName()]; !ok || f.Desc.Path() != c.Linked.Desc.Path() || !same(d, other) {
				all = false
			}
			return
		}
		all = false
		if xd, ok := d.(protoreflect.ExtensionDescriptor); ok {
			if name, ok := x.exts[extKey{xd.ContainingMessage().FullName(), xd.Number()}]; ok {
				add(fmt.Sprintf("%s %d (the number of %s)", xd.ContainingMessage().FullName(), xd.Number(), name), x.byName[name])
			}
		}
	})
	if c != nil && !all {
		c.Compatible = false
	}
	return c
}

// topLevel calls f for each descriptor of fd that protobuf-go's registry
// registers by name: top-level enums and their values, messages,
// extensions and services.
func topLevel(fd protoreflect.FileDescriptor, f func(protoreflect.Descriptor)) {
	for i := 0; i < fd.Enums().Len(); i++ {
		e := fd.Enums().Get(i)
		f(e)
		for j := 0; j < e.Values().Len(); j++ {
			f(e.Values().Get(j))
		}
	}
	for i := 0; i < fd.Messages().Len(); i++ {
		f(fd.Messages().Get(i))
	}
	for i := 0; i < fd.Extensions().Len(); i++ {
		f(fd.Extensions().Get(i))
	}
	for i := 0; i < fd.Services().Len(); i++ {
		f(fd.Services().Get(i))
	}
}

// same tells whether d, a declaration of the user's, is other, a linked
// one of the same full name, as far as Go code generated for d would use
// it: the same kind; for a message the same fields (name, number, kind,
// cardinality, type) and nested types, each found in other; for an enum
// each value; for a service each method, with the same types and
// streaming; for an extension the same extendee, number and type.
func same(d, other protoreflect.Descriptor) bool {
	switch d := d.(type) {
	case protoreflect.MessageDescriptor:
		o, ok := other.(protoreflect.MessageDescriptor)
		if !ok || d.IsMapEntry() != o.IsMapEntry() {
			return false
		}
		for i := 0; i < d.Fields().Len(); i++ {
			f := d.Fields().Get(i)
			of := o.Fields().ByNumber(f.Number())
			if of == nil || !sameField(f, of) {
				return false
			}
		}
		for i := 0; i < d.Messages().Len(); i++ {
			m := d.Messages().Get(i)
			om := o.Messages().ByName(m.Name())
			if om == nil || !same(m, om) {
				return false
			}
		}
		for i := 0; i < d.Enums().Len(); i++ {
			e := d.Enums().Get(i)
			oe := o.Enums().ByName(e.Name())
			if oe == nil || !same(e, oe) {
				return false
			}
		}
		return true
	case protoreflect.EnumDescriptor:
		o, ok := other.(protoreflect.EnumDescriptor)
		if !ok {
			return false
		}
		for i := 0; i < d.Values().Len(); i++ {
			v := d.Values().Get(i)
			ov := o.Values().ByName(v.Name())
			if ov == nil || ov.Number() != v.Number() {
				return false
			}
		}
		return true
	case protoreflect.EnumValueDescriptor:
		o, ok := other.(protoreflect.EnumValueDescriptor)
		return ok && o.Number() == d.Number() && o.Parent().FullName() == d.Parent().FullName()
	case protoreflect.ServiceDescriptor:
		o, ok := other.(protoreflect.ServiceDescriptor)
		if !ok {
			return false
		}
		for i := 0; i < d.Methods().Len(); i++ {
			m := d.Methods().Get(i)
			om := o.Methods().ByName(m.Name())
			if om == nil || om.Input().FullName() != m.Input().FullName() || om.Output().FullName() != m.Output().FullName() ||
				om.IsStreamingClient() != m.IsStreamingClient() || om.IsStreamingServer() != m.IsStreamingServer() {
				return false
			}
		}
		return true
	case protoreflect.ExtensionDescriptor:
		o, ok := other.(protoreflect.ExtensionDescriptor)
		return ok && o.ContainingMessage().FullName() == d.ContainingMessage().FullName() && sameField(d, o)
	}
	return false
}

func sameField(f, o protoreflect.FieldDescriptor) bool {
	if f.Name() != o.Name() || f.Number() != o.Number() || f.Kind() != o.Kind() || f.Cardinality() != o.Cardinality() ||
		f.IsMap() != o.IsMap() || f.HasPresence() != o.HasPresence() {
		return false
	}
	if (f.ContainingOneof() == nil) != (o.ContainingOneof() == nil) {
		return false
	}
	switch f.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return f.Message().FullName() == o.Message().FullName()
	case protoreflect.EnumKind:
		return f.Enum().FullName() == o.Enum().FullName()
	}
	return true
}
