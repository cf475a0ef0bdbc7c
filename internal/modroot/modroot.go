// Package modroot finds the root of the gotutor repository for the
// programs that run from a checkout: the maintainers' commands run with go
// run (examples/internal/regen, cmd/benchplugins) and the tests that build
// the repository's tools. It is a package of its own, not part of
// internal/testkit, because commands use it too, and testkit is for tests.
package modroot

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// module is the module path of the repository.
const module = "github.com/gotutor/gotutor"

// Dir returns the directory of the go.mod that the go command would use
// in the working directory, the nearest in it or above, and fails unless
// that go.mod is gotutor's.
func Dir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	return find(wd)
}

func find(start string) (string, error) {
	for dir := start; ; dir = filepath.Dir(dir) {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil {
			if path := modulePath(data); path != module {
				return "", fmt.Errorf("%s declares module %q, not %s: run from a checkout of %s", filepath.Join(dir, "go.mod"), path, module, module)
			}
			return dir, nil
		}
		if !os.IsNotExist(err) {
			return "", err
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("no go.mod in %s or above: run from a checkout of %s", start, module)
		}
	}
}

// modulePath returns the path of go.mod's module directive, "" if none.
func modulePath(gomod []byte) string {
	for line := range strings.Lines(string(gomod)) {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// Find returns the folder of the go.mod in dir or above, whatever module
// it declares, as readable as dir is (relative when dir is). When there is
// none, the error is fs.ErrNotExist.
func Find(dir string) (string, error) {
	for d := filepath.Clean(dir); ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		abs, err := filepath.Abs(d)
		if err != nil {
			return "", err
		}
		if filepath.Dir(abs) == abs {
			return "", fs.ErrNotExist
		}
		d = filepath.Join(d, "..")
	}
}
