package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	// The test builds the plugin in a subprocess, which go test's cache
	// does not see: importing the generator makes a change to it (or to
	// its templates) a change to this test, so that it is not cached.
	_ "github.com/gotutor/gotutor/generator"
	"github.com/gotutor/gotutor/internal/modroot"
	"github.com/gotutor/gotutor/internal/testkit"
)

// TestCommittedOutputIsFresh regenerates every example into a temporary
// directory and fails, showing the differences, when the committed
// generated files differ from a fresh run, when a generated file is
// committed that the run no longer makes, or when a file that the plugin
// scaffolds for the user (a servicer, a main, a test) is missing. Run
// `go generate ./examples/...` to bring the examples up to date.
func TestCommittedOutputIsFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the plugins and runs protoc; skipped with -short")
	}
	if _, err := exec.LookPath("protoc"); err != nil {
		testkit.Missing(t, "protoc is not installed (Debian: apt-get install protobuf-compiler): cannot check that the examples' generated code is up to date")
	}
	root, err := modroot.Dir()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := buildPlugins(root, bin); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := generate(root, bin, out); err != nil {
		t.Fatal(err)
	}

	fresh := files(t, filepath.Join(out, "examples"))
	committed := files(t, filepath.Join(root, "examples"))
	for _, name := range fresh {
		committedPath := filepath.Join(root, "examples", name)
		if !isGenerated(name) {
			if _, err := os.Stat(committedPath); err != nil {
				t.Errorf("examples/%s is missing: the plugin scaffolds it for a service of the examples; run go generate ./examples/... and fill it in", name)
			}
			continue
		}
		want, err := os.ReadFile(filepath.Join(out, "examples", name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(committedPath)
		if err != nil {
			t.Errorf("examples/%s is missing: run go generate ./examples/...", name)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("examples/%s is stale: run go generate ./examples/...\n%s", name, testkit.Diff("committed", got, "regenerated", want))
		}
	}
	made := make(map[string]bool)
	for _, name := range fresh {
		made[name] = true
	}
	for _, name := range committed {
		if isGenerated(name) && !made[name] {
			t.Errorf("examples/%s looks generated, but regenerating does not make it: delete it if its proto or service is gone", name)
		}
	}
}

// isGenerated tells the generated files (rewritten on every run) from the
// ones the plugin writes only when they are missing: the generated ones are
// protoc-gen-go's and protoc-gen-go-grpc's .pb.go, and gotutor's, whose
// names contain "gotutor".
func isGenerated(name string) bool {
	return strings.HasSuffix(name, ".pb.go") || strings.Contains(filepath.Base(name), "gotutor")
}

// files lists the files under dir, relative to it, leaving out this
// program and testdata.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "internal") {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			rel, err := filepath.Rel(dir, path)
			if err != nil {
				return err
			}
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	return names
}
