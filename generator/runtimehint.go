package generator

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"google.golang.org/protobuf/types/pluginpb"

	"github.com/gotutor/gotutor/internal/modroot"
)

// runtimeHint returns what a protoc user must run so that the generated
// server mains build: they import gotutor's runtime (package serve), whose
// module the Go module below out may not require yet, and protoc cannot
// edit go.mod. It is "" when no file imports the runtime, or when the
// go.mod that out belongs to names gotutor's module already.
func runtimeHint(out string, files []*pluginpb.CodeGeneratorResponse_File) string {
	imports := false
	for _, f := range files {
		if strings.HasSuffix(f.GetName(), "/server_gotutor.go") {
			imports = true
			break
		}
	}
	if !imports {
		return ""
	}
	fix := "go get " + modulePath + "@latest"
	if v := Version(); v != "(devel)" {
		fix = "go get " + modulePath + "@" + v
	} else {
		fix += " (or, for this development build of protoc-gen-gotutor, go mod edit -replace " + modulePath + "=PATH/TO/ITS/CHECKOUT)"
	}
	root, err := modroot.Find(out)
	gomod := filepath.Join(root, "go.mod")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "the generated server mains import gotutor's runtime (" + modulePath + "/serve), and no go.mod holds " + out + ": in the Go module of the generated code, run " + fix
	case err != nil:
		return ""
	}
	data, err := os.ReadFile(gomod)
	if err != nil || strings.Contains(string(data), modulePath) {
		return ""
	}
	return gomod + " does not require " + modulePath + ", whose runtime (package serve) the generated server mains import: run " + fix
}
