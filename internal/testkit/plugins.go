package testkit

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// The protoc plugins that the tests and tools run as binaries, by import
// path.
const (
	ProtocGenGo      = "google.golang.org/protobuf/cmd/protoc-gen-go"
	ProtocGenGoGRPC  = "google.golang.org/grpc/cmd/protoc-gen-go-grpc"
	ProtocGenGotutor = "github.com/gotutor/gotutor/protoc-gen-gotutor"
)

// BuildPlugins builds the main packages pkgs (import paths, or paths
// relative to dir) with go build, run in dir ("" for the working
// directory) so that the versions are those of dir's module, into the
// folder bin, where each binary is named after the last element of its
// package's path (protoc-gen-go). It returns go build's error with its
// output. It does not need a test, so that tools use it too.
func BuildPlugins(dir, bin string, pkgs ...string) error {
	cmd := exec.Command("go", append([]string{"build", "-o", bin + string(filepath.Separator)}, pkgs...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building %s: %v\n%s", strings.Join(pkgs, " "), err, out)
	}
	return nil
}
