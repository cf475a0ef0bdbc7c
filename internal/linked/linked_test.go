package linked

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	_ "connectrpc.com/connect" // what connectStatus copies
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
)

// TestPackagesAreLinked holds Packages to what generated code links: the
// packages outside gotutor's module that register .proto files, among the
// dependencies of the runtime and of the generated code (tests included) of
// the examples and of a golden case with validation rules. Packages may
// list more of protobuf-go's well-known types, which generated code imports
// when its protos do.
func TestPackagesAreLinked(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	var out []byte
	for _, args := range [][]string{
		{"./serve/..."}, // the runtime, without its own tests
		{"-test", "./examples/...", "./testdata/validstrings/..."},
	} {
		cmd := exec.Command("go", append([]string{"list", "-deps", "-json=ImportPath,Dir,GoFiles,Module,Standard"}, args...)...)
		cmd.Dir = filepath.Join("..", "..")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		o, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list: %v\n%s", err, stderr.String())
		}
		out = append(out, o...)
	}
	var registering []string
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath, Dir string
			GoFiles         []string
			Standard        bool
			Module          *struct{ Path string }
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if p.Standard || p.Module == nil || p.Module.Path == "github.com/gotutor/gotutor" || slices.Contains(registering, p.ImportPath) {
			continue
		}
		for _, f := range p.GoFiles {
			src, err := os.ReadFile(filepath.Join(p.Dir, f))
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(src, []byte("protoimpl.TypeBuilder{")) {
				registering = append(registering, p.ImportPath)
				break
			}
		}
	}
	slices.Sort(registering)
	for _, p := range registering {
		if !slices.Contains(Packages, p) {
			t.Errorf("generated code links %s, which registers .proto files: add it to Packages (and its import)", p)
		}
	}
	for _, p := range Packages {
		if !slices.Contains(registering, p) && !strings.HasPrefix(p, "google.golang.org/protobuf/types/") {
			t.Errorf("Packages lists %s, which generated code does not link", p)
		}
	}
	if t.Failed() {
		t.Logf("linked packages that register files:\n%s", strings.Join(registering, "\n"))
	}
}

// TestConnectStatus holds connectStatus to the file that connect-go
// registers, but for the options of other languages.
func TestConnectStatus(t *testing.T) {
	fd, err := protoregistry.GlobalFiles.FindFileByPath("connectext/grpc/status/v1/status.proto")
	if err != nil {
		t.Fatal(err)
	}
	got := protodesc.ToFileDescriptorProto(connectStatusFile())
	want := protodesc.ToFileDescriptorProto(fd)
	want.SourceCodeInfo = nil
	want.Options = &descriptorpb.FileOptions{GoPackage: want.Options.GoPackage} // the other languages' aside
	if !proto.Equal(got, want) {
		t.Errorf("connectStatus is\n%v\nconnect-go registers\n%v", got, want)
	}
}

// TestFilesOfPackages checks that each package of Packages registers files
// whose go_package names it, and that the Go types of their messages are
// that package's: go_package tells which package registered a file.
func TestFilesOfPackages(t *testing.T) {
	has := map[string]bool{}
	for _, path := range Files() {
		f, _ := Lookup(path)
		has[f.GoPackage] = true
		for i := 0; i < f.Desc.Messages().Len(); i++ {
			md := f.Desc.Messages().Get(i)
			mt, err := protoregistry.GlobalTypes.FindMessageByName(md.FullName())
			if err != nil {
				t.Errorf("%s: %v", md.FullName(), err)
				continue
			}
			if got := reflect.TypeOf(mt.Zero().Interface()).Elem().PkgPath(); got != f.GoPackage {
				t.Errorf("%s (%s) is a type of %s, not of its go_package %s", md.FullName(), path, got, f.GoPackage)
			}
		}
	}
	for _, p := range Packages {
		if !has[p] {
			t.Errorf("%s registers no file whose go_package names it", p)
		}
	}
	for _, want := range []string{"google/api/launch_stage.proto", "grpc/health/v1/health.proto", "grpc/reflection/v1/reflection.proto", "buf/validate/validate.proto", "google/protobuf/any.proto"} {
		if _, ok := Lookup(want); !ok {
			t.Errorf("%s is not linked", want)
		}
	}
	if f, _ := Lookup("grpc/health/v1/health.proto"); f.GoPackage != "google.golang.org/grpc/health/grpc_health_v1" || !f.Importable() {
		t.Errorf("grpc/health/v1/health.proto is linked by %s (importable: %v)", f.GoPackage, f.Importable())
	}
	if f, _ := Lookup("connectext/grpc/status/v1/status.proto"); f.Importable() {
		t.Errorf("connect's internal %s is importable", f.GoPackage)
	}
}

// TestCheck: a file that declares names of a linked file under another
// path conflicts; it is compatible when each of its declarations is the
// linked one's (qdrant's health_check.proto is grpc's health.proto with
// only Check), and not when a field differs or it declares more.
func TestCheck(t *testing.T) {
	health := `name: "health_check.proto" package: "grpc.health.v1" syntax: "proto3"
message_type { name: "HealthCheckRequest" field { name: "service" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING json_name: "service" } }
message_type { name: "HealthCheckResponse"
  field { name: "status" number: 1 label: LABEL_OPTIONAL type: TYPE_ENUM type_name: ".grpc.health.v1.HealthCheckResponse.ServingStatus" json_name: "status" }
  enum_type { name: "ServingStatus" value { name: "UNKNOWN" number: 0 } value { name: "SERVING" number: 1 } value { name: "NOT_SERVING" number: 2 } value { name: "SERVICE_UNKNOWN" number: 3 } } }
service { name: "Health" method { name: "Check" input_type: ".grpc.health.v1.HealthCheckRequest" output_type: ".grpc.health.v1.HealthCheckResponse" } }`
	for _, tc := range []struct {
		name, edit string
		compatible bool
		names      string
	}{
		{"a partial copy", "", true, "grpc.health.v1.HealthCheckRequest grpc.health.v1.HealthCheckResponse grpc.health.v1.Health"},
		{"a field of another type", `TYPE_STRING json_name: "service"->TYPE_BYTES json_name: "service"`, false, "grpc.health.v1.HealthCheckRequest grpc.health.v1.HealthCheckResponse grpc.health.v1.Health"},
		{"a method more", `service { name: "Health" ->service { name: "Health" method { name: "Ping" input_type: ".grpc.health.v1.HealthCheckRequest" output_type: ".grpc.health.v1.HealthCheckRequest" } `, false, "grpc.health.v1.HealthCheckRequest grpc.health.v1.HealthCheckResponse grpc.health.v1.Health"},
		{"a message more", `service {->message_type { name: "Extra" } service {`, false, "grpc.health.v1.HealthCheckRequest grpc.health.v1.HealthCheckResponse grpc.health.v1.Health"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := health
			if old, repl, ok := strings.Cut(tc.edit, "->"); ok {
				if !strings.Contains(text, old) {
					t.Fatalf("no %q", old)
				}
				text = strings.Replace(text, old, repl, 1)
			}
			c := Check(fileOf(t, text))
			if c == nil {
				t.Fatal("no conflict")
			}
			if got := strings.Join(c.Names, " "); got != tc.names {
				t.Errorf("names %q, want %q", got, tc.names)
			}
			if c.Compatible != tc.compatible || c.Linked.Desc.Path() != "grpc/health/v1/health.proto" {
				t.Errorf("compatible %v with %s, want %v with grpc/health/v1/health.proto", c.Compatible, c.Linked.Desc.Path(), tc.compatible)
			}
		})
	}
	t.Run("no conflict", func(t *testing.T) {
		if c := Check(fileOf(t, `name: "mine.proto" package: "grpc.health.v2" syntax: "proto3" message_type { name: "HealthCheckRequest" }`)); c != nil {
			t.Errorf("conflict %+v", c)
		}
	})
	t.Run("an extension number", func(t *testing.T) {
		c := Check(fileOf(t, `name: "mine.proto" package: "mine" syntax: "proto3" dependency: "google/protobuf/descriptor.proto"
extension { name: "rules" number: 1159 label: LABEL_OPTIONAL type: TYPE_STRING extendee: ".google.protobuf.FieldOptions" json_name: "rules" }`))
		if c == nil || strings.Join(c.Names, " ") != "google.protobuf.FieldOptions 1159 (the number of buf.validate.field)" || c.Compatible {
			t.Errorf("conflict %+v", c)
		}
	})
}

func fileOf(t *testing.T, text string) protoreflect.FileDescriptor {
	t.Helper()
	fdp := &descriptorpb.FileDescriptorProto{}
	if err := unmarshalText(text, fdp); err != nil {
		t.Fatal(err)
	}
	fd, err := protodesc.NewFile(fdp, protoregistry.GlobalFiles)
	if err != nil {
		t.Fatal(err)
	}
	return fd
}

func unmarshalText(text string, m *descriptorpb.FileDescriptorProto) error {
	return prototext.Unmarshal([]byte(text), m)
}
