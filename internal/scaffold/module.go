package scaffold

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/gotutor/gotutor/generator"

	// Linked (it is small) only so that the build info records the version
	// of grpc, which gotutor's code does not otherwise use, and which a
	// generated go.mod requires.
	_ "google.golang.org/grpc/codes"
)

const (
	gotutorModule = "github.com/gotutor/gotutor"
	gotutorTool   = gotutorModule + "/protoc-gen-gotutor"
	grpcModule    = "google.golang.org/grpc"
	protoModule   = "google.golang.org/protobuf"
	grpcGenModule = "google.golang.org/grpc/cmd/protoc-gen-go-grpc"

	// GrpcGenVersion is the version of protoc-gen-go-grpc that gotutor's
	// own go.mod pins as a tool. protoc-gen-go-grpc is a main package, not
	// linked into gotutor, so the build info cannot tell it; a test holds
	// this constant to gotutor's go.mod.
	GrpcGenVersion = "v1.6.2"
)

// tools are the tool dependencies of a generated module.
var tools = []string{gotutorTool, grpcGenModule, protoModule + "/cmd/protoc-gen-go"}

// Versions are the versions that a generated go.mod requires.
type Versions struct {
	Grpc, Protobuf, GrpcGen string
	// Gotutor is gotutor's version, or "(devel)" for a build from a
	// checkout, which then is Checkout.
	Gotutor, Checkout string
}

// CurrentVersions returns the versions of grpc and protobuf that this
// binary was built with (those of gotutor's go.mod), and gotutor's version.
// For a build from a checkout it finds the checkout, which the generated
// go.mod replaces gotutor with: the module proxy does not have it.
func CurrentVersions() (Versions, error) {
	v := Versions{GrpcGen: GrpcGenVersion, Gotutor: generator.Version()}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v, errors.New("this gotutor binary carries no module information (build it with go build or go install)")
	}
	for _, dep := range info.Deps {
		version := dep.Version
		if dep.Replace != nil && dep.Replace.Version != "" {
			version = dep.Replace.Version
		}
		switch dep.Path {
		case grpcModule:
			v.Grpc = version
		case protoModule:
			v.Protobuf = version
		}
	}
	if v.Grpc == "" || v.Protobuf == "" {
		return v, errors.New("the build info of this gotutor binary does not list grpc and protobuf")
	}
	if v.Gotutor == "(devel)" {
		dir, err := findCheckout()
		if err != nil {
			return v, err
		}
		v.Checkout = dir
	}
	return v, nil
}

// findCheckout returns the root of the gotutor checkout that this binary was
// built from. First the path of this source file, which the compiler
// records (runtime.Caller): it points into the checkout whatever the working
// directory, as long as the build kept full paths (no -trimpath) and the
// checkout is still there. Then, for -trimpath builds, the module of the
// working directory (go env GOMOD), which is the checkout when gotutor is
// run from it (go run ./cmd/gotutor). Either way the folder must hold a
// go.mod that declares gotutor's module.
func findCheckout() (string, error) {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		for dir := filepath.Dir(file); ; dir = filepath.Dir(dir) {
			if isGotutorRoot(dir) {
				return dir, nil
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err == nil {
		if gomod := strings.TrimSpace(string(out)); gomod != "" && gomod != os.DevNull {
			if dir := filepath.Dir(gomod); isGotutorRoot(dir) {
				return dir, nil
			}
		}
	}
	return "", errors.New("this gotutor is a development build ((devel)), and the checkout it was built from was not found, so the new module cannot use its protoc-gen-gotutor: run gotutor from its checkout (go run ./cmd/gotutor ...), or install a released version (go install github.com/gotutor/gotutor/cmd/gotutor@latest)")
}

// isGotutorRoot reports whether dir holds gotutor's go.mod.
func isGotutorRoot(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) == 2 && fields[0] == "module" {
			return strings.Trim(fields[1], `"`) == gotutorModule
		}
	}
	return false
}

// goMod returns the go.mod of a new module. go mod tidy completes it.
func goMod(module string, v Versions) string {
	var b strings.Builder
	fmt.Fprintf(&b, "module %s\n\ngo 1.26\n\nrequire (\n", module)
	gotutorVersion := v.Gotutor
	if v.Checkout != "" {
		gotutorVersion = "v0.0.0-00010101000000-000000000000"
	}
	fmt.Fprintf(&b, "\t%s %s\n", gotutorModule, gotutorVersion)
	fmt.Fprintf(&b, "\t%s %s\n", grpcModule, v.Grpc)
	fmt.Fprintf(&b, "\t%s %s\n", grpcGenModule, v.GrpcGen)
	fmt.Fprintf(&b, "\t%s %s\n", protoModule, v.Protobuf)
	b.WriteString(")\n\n// The code generators, run as go tool NAME (and by buf.gen.yaml).\ntool (\n")
	for _, t := range tools {
		fmt.Fprintf(&b, "\t%s\n", t)
	}
	b.WriteString(")\n")
	if v.Checkout != "" {
		fmt.Fprintf(&b, "\n// gotutor ran from a checkout, a development version that the module\n// proxy does not have: its protoc-gen-gotutor is built from there.\nreplace %s => %s\n", gotutorModule, v.Checkout)
	}
	return b.String()
}

// bufYAML is the buf.yaml of a new module: one buf module, the protos.
const bufYAML = `# The module's .proto files, for buf (buf build, buf lint, buf generate).
version: v2
modules:
  - path: proto
`

// bufGenYAML returns the buf.gen.yaml of a new module: the three plugins
// run through the go command at the versions go.mod pins, with the
// parameter gotutor gen gives them, gotutor's options opts included.
// builtins are the built-in imports of the module's protos (see
// builtinImports), which buf does not find: a comment says so. excluded are
// the module's protos that are left to the Go packages that the server
// links (see useLinked), which buf must not generate either.
func bufGenYAML(module string, ms []mapping, opts generator.Options, builtins []string, excluded ...string) string {
	var b strings.Builder
	b.WriteString(`# buf generate, run in this folder, does what gotutor gen does: the three
# plugins run through the go command, at the versions go.mod pins.
`)
	b.WriteString(builtinsNote(builtins))
	b.WriteString(`version: v2
# clean: true would delete each plugin's out folder before generating, and
# out is the module itself: your servicers, mains and tests (the files
# gotutor writes once and never overwrites) would be lost.
clean: false
plugins:
`)
	for _, plugin := range []string{"protoc-gen-go", "protoc-gen-go-grpc", "protoc-gen-gotutor"} {
		fmt.Fprintf(&b, "  - local: [\"go\", \"tool\", %q]\n    out: .\n    opt:\n", plugin)
		param := parameter(module, ms)
		if plugin == "protoc-gen-gotutor" {
			param = withOptions(param, opts)
		}
		for _, opt := range strings.Split(param, ",") {
			fmt.Fprintf(&b, "      - %s\n", opt)
		}
	}
	if len(excluded) > 0 {
		b.WriteString(excludedNote)
		b.WriteString("inputs:\n  - directory: proto\n    exclude_paths:\n")
		for _, name := range excluded {
			fmt.Fprintf(&b, "      - proto/%s\n", name)
		}
	}
	return b.String()
}

// excludedNote tells why buf.gen.yaml leaves files out.
const excludedNote = `# The files left out are linked into every server already, by the Go
# packages that their M options name: Go code of the module's own for them
# would make the programs panic at start (already registered).
`

// builtinsMarker begins the note of builtinsNote.
const builtinsMarker = "# But buf generate fails here as it is:"

// builtinsNote returns the comment of buf.gen.yaml that tells why buf
// generate fails on the built-in imports, and what would make it work;
// "" when there are none.
func builtinsNote(builtins []string) string {
	if len(builtins) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(builtinsMarker + " the protos import\n")
	for _, name := range builtins {
		fmt.Fprintf(&b, "#   %s\n", name)
	}
	b.WriteString(`# which gotutor has built in (it reads them from the descriptors of the
# Go packages that the generated code imports: genproto's for google/...,
# protovalidate's for buf/validate/..., grpc-go's for grpc/...), and which
# buf finds only on disk or in the modules of buf.yaml's deps. gotutor gen
# works as it is. For buf generate, add to buf.yaml
#   deps:
`)
	for _, dep := range bsrDeps(builtins) {
		fmt.Fprintf(&b, "#     - %s\n", dep)
	}
	b.WriteString("# and run buf dep update (it writes buf.lock, and needs to reach buf.build).\n")
	return b.String()
}

// bsrDeps returns the modules of the Buf Schema Registry that hold the
// built-in imports builtins.
func bsrDeps(builtins []string) []string {
	var deps []string
	add := func(dep string) {
		if !slices.Contains(deps, dep) {
			deps = append(deps, dep)
		}
	}
	for _, name := range builtins {
		switch {
		case strings.HasPrefix(name, "google/"):
			add("buf.build/googleapis/googleapis")
		case strings.HasPrefix(name, "buf/validate/"):
			add("buf.build/bufbuild/protovalidate")
		case strings.HasPrefix(name, "grpc/"):
			add("buf.build/grpc/grpc")
		case strings.HasPrefix(name, "cel/"):
			add("buf.build/google/cel-spec")
		}
	}
	return deps
}

// bufGenOption returns the value of gotutor's option name (templates,
// http) in the buf.gen.yaml in dir, as new wrote it down; "" when it has
// none.
func bufGenOption(dir, name string) string {
	data, err := os.ReadFile(filepath.Join(dir, "buf.gen.yaml"))
	if err != nil {
		return ""
	}
	opt := regexp.MustCompile(`(?m)^\s*-\s*` + regexp.QuoteMeta(name) + `=(.*?)\s*$`)
	if m := opt.FindSubmatch(data); m != nil {
		return string(m[1])
	}
	return ""
}

// modInfo is what `go mod edit -json` says of a go.mod.
type modInfo struct {
	Module struct{ Path string }
	Tool   []struct{ Path string }
}

// gotutorModulePath returns the module path of the go.mod in dir, and
// whether it is a gotutor module: one that has protoc-gen-gotutor as a tool.
func gotutorModulePath(ctx context.Context, dir string) (string, bool, error) {
	cmd := goCommand(ctx, dir, "mod", "edit", "-json")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", false, fmt.Errorf("%s: %s", filepath.Join(dir, "go.mod"), strings.TrimSpace(stderr.String()))
	}
	var info modInfo
	if err := json.Unmarshal(out, &info); err != nil {
		return "", false, err
	}
	for _, t := range info.Tool {
		if t.Path == gotutorTool {
			return info.Module.Path, true, nil
		}
	}
	return info.Module.Path, false, nil
}
