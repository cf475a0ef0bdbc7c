package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gotutor/gotutor/internal/testkit"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"
)

// binDir holds the plugins built once for all tests: protoc-gen-gotutor
// from this checkout and the two standard generators pinned in go.mod.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gotutor-bin")
	if err != nil {
		panic(err)
	}
	binDir = dir
	if err := testkit.BuildPlugins("", dir, ".", testkit.ProtocGenGo, testkit.ProtocGenGoGRPC); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func plugin() string { return filepath.Join(binDir, "protoc-gen-gotutor") }

// runPlugin runs the plugin binary with stdin and returns stdout, stderr and
// the exit code.
func runPlugin(t *testing.T, stdin []byte, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(plugin(), args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}

func TestVersion(t *testing.T) {
	stdout, stderr, code := runPlugin(t, nil, "--version")
	if code != 0 || stdout != "protoc-gen-gotutor (devel)\n" || stderr != "" {
		t.Errorf("--version: exit %d, stdout %q, stderr %q; want exit 0 and %q", code, stdout, stderr, "protoc-gen-gotutor (devel)\n")
	}
}

// request returns a CodeGeneratorRequest for one small file with a service.
func request(parameter string, edit func(*descriptorpb.FileDescriptorProto)) []byte {
	f := &descriptorpb.FileDescriptorProto{
		Name:    proto.String("greet.proto"),
		Package: proto.String("greet"),
		Syntax:  proto.String("proto3"),
		Options: &descriptorpb.FileOptions{GoPackage: proto.String("example.com/greet")},
		MessageType: []*descriptorpb.DescriptorProto{{
			Name: proto.String("Hello"),
			Field: []*descriptorpb.FieldDescriptorProto{{
				Name: proto.String("name"), Number: proto.Int32(1), JsonName: proto.String("name"),
				Type:  descriptorpb.FieldDescriptorProto_TYPE_STRING.Enum(),
				Label: descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum(),
			}},
		}},
		Service: []*descriptorpb.ServiceDescriptorProto{{
			Name: proto.String("Greeter"),
			Method: []*descriptorpb.MethodDescriptorProto{{
				Name: proto.String("Greet"), InputType: proto.String(".greet.Hello"), OutputType: proto.String(".greet.Hello"),
			}},
		}},
	}
	if edit != nil {
		edit(f)
	}
	req := &pluginpb.CodeGeneratorRequest{FileToGenerate: []string{"greet.proto"}, ProtoFile: []*descriptorpb.FileDescriptorProto{f}}
	if parameter != "" {
		req.Parameter = proto.String(parameter)
	}
	b, err := proto.Marshal(req)
	if err != nil {
		panic(err)
	}
	return b
}

// renamed returns the request req with its one file renamed to name.
func renamed(req []byte, name string) []byte {
	r := &pluginpb.CodeGeneratorRequest{}
	if err := proto.Unmarshal(req, r); err != nil {
		panic(err)
	}
	r.FileToGenerate = []string{name}
	r.ProtoFile[0].Name = proto.String(name)
	b, err := proto.Marshal(r)
	if err != nil {
		panic(err)
	}
	return b
}

// TestBadInput checks that each kind of bad input gets one line on stderr
// that names the problem, exit status 1, and nothing on stdout: protoc
// then writes no file at all.
func TestBadInput(t *testing.T) {
	empty := t.TempDir()
	for _, tc := range []struct {
		name  string
		stdin []byte
		want  string
	}{
		{"garbage on stdin", []byte("\xff\xff\xff not a request"),
			"stdin does not hold a CodeGeneratorRequest: protoc-gen-gotutor is run by protoc or buf, not by hand"},
		{"nothing on stdin", nil,
			"no CodeGeneratorRequest on stdin: protoc-gen-gotutor is run by protoc or buf (protoc --gotutor_out=. x.proto), not by hand"},
		{"unknown option", request("out="+empty+",colour=blue", nil),
			`unknown option "colour" (gotutor's options are http, out, scaffold, templates; protogen's are paths, module, M, annotate_code, default_api_level, apilevelM)`},
		{"bad boolean", request("scaffold=maybe", nil), "option scaffold=maybe: want true or false"},
		{"option without value", request("templates=", nil), "option templates needs a value (templates=DIR)"},
		{"missing templates dir", request("templates="+filepath.Join(empty, "nope"), nil),
			"option templates=" + filepath.Join(empty, "nope") + ": stat " + filepath.Join(empty, "nope") + ": no such file or directory"},
		{"bad paths value", request("paths=nowhere", nil), `unknown path type "nowhere": want "import" or "source_relative"`},
		{"file without go_package", request("", func(f *descriptorpb.FileDescriptorProto) { f.Options = nil }),
			"unable to determine Go import path for \"greet.proto\": add `option go_package = \"example.com/your/module/pkg\";` to it, or pass --gotutor_opt=Mgreet.proto=example.com/your/module/pkg (and the same M to --go_out and --go-grpc_out)"},
		{"file to generate not in the request", request("", func(f *descriptorpb.FileDescriptorProto) { f.Name = proto.String("other.proto") }),
			"no descriptor for generated file: greet.proto"},
		{"file declaring names that grpc-go registers", request("", func(f *descriptorpb.FileDescriptorProto) {
			f.Package = proto.String("grpc.health.v1")
			f.MessageType[0].Name = proto.String("HealthCheckRequest")
			f.Service[0].Method[0].InputType = proto.String(".grpc.health.v1.HealthCheckRequest")
			f.Service[0].Method[0].OutputType = proto.String(".grpc.health.v1.HealthCheckRequest")
		}),
			"greet.proto declares grpc.health.v1.HealthCheckRequest, which grpc/health/v1/health.proto declares too, and the generated code links it (Go package google.golang.org/grpc/health/grpc_health_v1): the programs would panic at start (name already registered); give greet.proto another package, or import grpc/health/v1/health.proto instead of it"},
		{"file that grpc-go registers, in the user's module", renamed(request("", nil), "grpc/health/v1/health.proto"),
			"grpc/health/v1/health.proto would get Go package example.com/greet, but the generated code links google.golang.org/grpc/health/grpc_health_v1, which registers grpc/health/v1/health.proto too: the programs would panic at start (file already registered); pass --gotutor_opt=Mgrpc/health/v1/health.proto=google.golang.org/grpc/health/grpc_health_v1 (and the same M to --go_opt and --go-grpc_opt), and leave it out of the files to generate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runPlugin(t, tc.stdin)
			if code != 1 {
				t.Errorf("exit status %d, want 1", code)
			}
			if stdout != "" {
				t.Errorf("stdout has %d bytes, want none", len(stdout))
			}
			if want := "protoc-gen-gotutor: " + tc.want + "\n"; stderr != want {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
			}
		})
	}
}
