package modroot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gotutor/gotutor/internal/testkit"
)

func TestDir(t *testing.T) {
	got, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	// This package is internal/modroot of the repository.
	want, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("Dir() = %s, want %s", got, want)
	}
}

func TestFind(t *testing.T) {
	tmp := t.TempDir()
	gotutor := filepath.Join(tmp, "gotutor")
	testkit.WriteFile(t, filepath.Join(gotutor, "go.mod"), "// A comment.\nmodule \"github.com/gotutor/gotutor\" // quoted\n\ngo 1.26\n")
	nested := filepath.Join(gotutor, "examples", "x")
	if err := os.MkdirAll(nested, 0o777); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(gotutor, "testdata", "other")
	testkit.WriteFile(t, filepath.Join(other, "go.mod"), "module example.com/other\n")

	if got, err := find(nested); err != nil || got != gotutor {
		t.Errorf("find(%s) = %q, %v; want %s", nested, got, err, gotutor)
	}
	if got, err := find(gotutor); err != nil || got != gotutor {
		t.Errorf("find(%s) = %q, %v; want %s", gotutor, got, err, gotutor)
	}
	// The nearest go.mod is the module, even when one above is gotutor's.
	wantErr := filepath.Join(other, "go.mod") + ` declares module "example.com/other", not github.com/gotutor/gotutor: run from a checkout of github.com/gotutor/gotutor`
	if got, err := find(other); err == nil || err.Error() != wantErr {
		t.Errorf("find(%s) = %q, %v; want error %q", other, got, err, wantErr)
	}
	for dir := tmp; filepath.Dir(dir) != dir; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "go.mod")); err == nil {
			testkit.Missing(t, tmp+" has a go.mod above it: the error outside a module cannot be checked; a temporary folder outside every module is")
		}
	}
	if got, err := find(tmp); err == nil || !strings.HasPrefix(err.Error(), "no go.mod in "+tmp+" or above") {
		t.Errorf("find(%s) = %q, %v; want error no go.mod in %s or above", tmp, got, err, tmp)
	}
}
