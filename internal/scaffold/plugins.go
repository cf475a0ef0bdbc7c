package scaffold

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	gengo "google.golang.org/protobuf/cmd/protoc-gen-go/internal_gengo"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/gotutor/gotutor/generator"
)

// runGo runs protoc-gen-go in-process, as its main.go does.
func runGo(req *pluginpb.CodeGeneratorRequest) ([]*pluginpb.CodeGeneratorResponse_File, error) {
	gen, err := protogen.Options{}.New(req)
	if err != nil {
		return nil, fmt.Errorf("protoc-gen-go: %v", err)
	}
	for _, f := range gen.Files {
		if f.Generate {
			gengo.GenerateFile(gen, f)
		}
	}
	gen.SupportedFeatures = gengo.SupportedFeatures
	gen.SupportedEditionsMinimum = gengo.SupportedEditionsMinimum
	gen.SupportedEditionsMaximum = gengo.SupportedEditionsMaximum
	return checkResponse("protoc-gen-go", req, gen.Response())
}

// gotutorResult is what protoc-gen-gotutor made: the files it emitted and
// the user-owned files it left alone because they exist.
type gotutorResult struct {
	files []*pluginpb.CodeGeneratorResponse_File
	kept  []string
	// warnings are the generator's, such as methods that a servicer does
	// not define yet.
	warnings []string
}

// runGotutor runs gotutor's generator in-process on req, with the options
// opts added to the request's parameter, as the plugin gets them from
// buf.gen.yaml; it looks for user-owned files below dir and records those
// it keeps.
func runGotutor(req *pluginpb.CodeGeneratorRequest, dir string, opts generator.Options) (*gotutorResult, error) {
	shared := req.GetParameter()
	req.Parameter = proto.String(withOptions(shared, opts))
	defer func() { req.Parameter = proto.String(shared) }()
	run := generator.DefaultOptions()
	run.Out = dir
	var mu sync.Mutex
	res := &gotutorResult{}
	run.Exists = func(name string) bool { // called from several goroutines
		_, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			return false
		}
		mu.Lock()
		res.kept = append(res.kept, name)
		mu.Unlock()
		return true
	}
	run.Warn = func(msg string) { res.warnings = append(res.warnings, msg) }
	resp, err := generator.Respond(req, run)
	if err != nil {
		return nil, fmt.Errorf("protoc-gen-gotutor: %v", err) // a template's error names its file and line
	}
	res.files, err = checkResponse("protoc-gen-gotutor", req, resp)
	sort.Strings(res.kept)
	return res, err
}

// withOptions returns the plugin parameter param with gotutor's options
// opts added.
func withOptions(param string, opts generator.Options) string {
	own := opts.Parameter()
	if param == "" || own == "" {
		return param + own
	}
	return param + "," + own
}

// runGrpc runs protoc-gen-go-grpc, which is a main package and so cannot be
// imported, as `go tool protoc-gen-go-grpc` in the module dir, at the
// version that the module's go.mod pins.
func runGrpc(ctx context.Context, req *pluginpb.CodeGeneratorRequest, dir string) ([]*pluginpb.CodeGeneratorResponse_File, error) {
	in, err := proto.Marshal(req)
	if err != nil {
		return nil, err
	}
	cmd := goCommand(ctx, dir, "tool", "protoc-gen-go-grpc")
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go tool protoc-gen-go-grpc (in %s): %v\n%s", dir, err, strings.TrimSpace(stderr.String()))
	}
	resp := &pluginpb.CodeGeneratorResponse{}
	if err := proto.Unmarshal(stdout.Bytes(), resp); err != nil {
		return nil, fmt.Errorf("go tool protoc-gen-go-grpc (in %s) did not answer with a CodeGeneratorResponse: %v", dir, err)
	}
	return checkResponse("protoc-gen-go-grpc", req, resp)
}

// checkResponse returns the response's files, or its error; and, as protoc
// and buf do, refuses a response from a plugin that does not declare
// support for a feature that the files to generate use.
func checkResponse(plugin string, req *pluginpb.CodeGeneratorRequest, resp *pluginpb.CodeGeneratorResponse) ([]*pluginpb.CodeGeneratorResponse_File, error) {
	if resp.Error != nil {
		return nil, fmt.Errorf("%s: %s", plugin, resp.GetError())
	}
	gen := map[string]bool{}
	for _, name := range req.GetFileToGenerate() {
		gen[name] = true
	}
	features := resp.GetSupportedFeatures()
	for _, f := range req.GetProtoFile() {
		if !gen[f.GetName()] {
			continue
		}
		if f.GetSyntax() == "editions" {
			if features&uint64(pluginpb.CodeGeneratorResponse_FEATURE_SUPPORTS_EDITIONS) == 0 {
				return nil, fmt.Errorf("%s: %s uses editions, which this plugin does not support", plugin, f.GetName())
			}
			if e := int32(f.GetEdition()); e < resp.GetMinimumEdition() || e > resp.GetMaximumEdition() {
				return nil, fmt.Errorf("%s: %s is in %v, which this plugin does not support", plugin, f.GetName(), f.GetEdition())
			}
		}
		if features&uint64(pluginpb.CodeGeneratorResponse_FEATURE_PROTO3_OPTIONAL) == 0 && hasProto3Optional(f) {
			return nil, fmt.Errorf("%s: %s uses proto3 optional, which this plugin does not support", plugin, f.GetName())
		}
	}
	for _, f := range resp.GetFile() {
		if f.GetInsertionPoint() != "" {
			return nil, fmt.Errorf("%s: insertion points (%s in %s) are not supported", plugin, f.GetInsertionPoint(), f.GetName())
		}
		if err := checkName(f.GetName()); err != nil {
			return nil, fmt.Errorf("%s: %v", plugin, err)
		}
	}
	return resp.GetFile(), nil
}

// checkName refuses an output name that would be written outside the module.
func checkName(name string) error {
	clean := filepath.ToSlash(filepath.Clean(filepath.FromSlash(name)))
	if name == "" || filepath.IsAbs(filepath.FromSlash(name)) || clean == ".." || strings.HasPrefix(clean, "../") {
		return errors.New("output file name " + fmt.Sprintf("%q", name) + " is outside the module")
	}
	return nil
}

func hasProto3Optional(f *descriptorpb.FileDescriptorProto) bool {
	var inMsg func(m *descriptorpb.DescriptorProto) bool
	inMsg = func(m *descriptorpb.DescriptorProto) bool {
		for _, fd := range m.GetField() {
			if fd.GetProto3Optional() {
				return true
			}
		}
		for _, n := range m.GetNestedType() {
			if inMsg(n) {
				return true
			}
		}
		return false
	}
	for _, m := range f.GetMessageType() {
		if inMsg(m) {
			return true
		}
	}
	return false
}

// goCommand is the go command run in dir, outside any go.work (the module
// is generated and built on its own).
func goCommand(ctx context.Context, dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	return cmd
}

// goRun runs the go command in dir and returns its error with its output.
func goRun(ctx context.Context, dir string, args ...string) error {
	cmd := goCommand(ctx, dir, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go %s (in %s): %v\n%s", strings.Join(args, " "), dir, err, strings.TrimSpace(string(out)))
	}
	return nil
}
