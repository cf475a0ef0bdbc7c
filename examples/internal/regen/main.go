// Command regen regenerates every example: for each folder of examples/ that
// holds .proto files, it runs protoc with protoc-gen-go, protoc-gen-go-grpc
// and protoc-gen-gotutor, all three built from this module (so their
// versions are the ones go.mod pins). `go generate ./examples/...` runs it.
//
//	go run ./examples/internal/regen [-out DIR]
//
// With -out, the output goes to DIR instead of the module's root; the
// staleness test uses that to compare a fresh run with what is committed.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gotutor/gotutor/internal/modroot"
	"github.com/gotutor/gotutor/internal/testkit"
)

const modulePath = "github.com/gotutor/gotutor"

func main() {
	out := flag.String("out", "", "write the output under DIR instead of the module's root")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintf(os.Stderr, "regen: %v\n", err)
		os.Exit(1)
	}
}

func run(out string) error {
	root, err := modroot.Dir()
	if err != nil {
		return err
	}
	bin, err := os.MkdirTemp("", "regen-plugins-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(bin)
	if err := buildPlugins(root, bin); err != nil {
		return err
	}
	if out == "" {
		out = root
	}
	return generate(root, bin, out)
}

// buildPlugins builds the three plugins into bin.
func buildPlugins(root, bin string) error {
	return testkit.BuildPlugins(root, bin, "./protoc-gen-gotutor", testkit.ProtocGenGo, testkit.ProtocGenGoGRPC)
}

// generate runs protoc once per example folder, with the folder as the
// import path, so that each .proto is known by its bare file name, as in the
// documents.
func generate(root, bin, out string) error {
	if _, err := exec.LookPath("protoc"); err != nil {
		return fmt.Errorf("protoc is not installed (Debian: apt-get install protobuf-compiler): %v", err)
	}
	dirs, err := exampleDirs(filepath.Join(root, "examples"))
	if err != nil {
		return err
	}
	mod := "module=" + modulePath
	for _, dir := range dirs {
		protos, err := filepath.Glob(filepath.Join(root, "examples", dir, "*.proto"))
		if err != nil {
			return err
		}
		sort.Strings(protos)
		args := []string{
			"-I", filepath.Join("examples", dir),
			"--plugin=protoc-gen-go=" + filepath.Join(bin, "protoc-gen-go"),
			"--plugin=protoc-gen-go-grpc=" + filepath.Join(bin, "protoc-gen-go-grpc"),
			"--plugin=protoc-gen-gotutor=" + filepath.Join(bin, "protoc-gen-gotutor"),
			"--go_out=" + out, "--go_opt=" + mod,
			"--go-grpc_out=" + out, "--go-grpc_opt=" + mod,
			"--gotutor_out=" + out, "--gotutor_opt=" + mod + ",out=" + out,
		}
		for _, p := range protos {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			args = append(args, rel)
		}
		cmd := exec.Command("protoc", args...)
		cmd.Dir = root
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("protoc %s: %v", strings.Join(args, " "), err)
		}
	}
	return nil
}

// exampleDirs returns the folders of examples/ that hold .proto files.
func exampleDirs(examples string) ([]string, error) {
	entries, err := os.ReadDir(examples)
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		protos, err := filepath.Glob(filepath.Join(examples, e.Name(), "*.proto"))
		if err != nil {
			return nil, err
		}
		if len(protos) > 0 {
			dirs = append(dirs, e.Name())
		}
	}
	return dirs, nil
}
