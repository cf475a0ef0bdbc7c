package generator

import (
	"os"
	"path/filepath"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/pluginpb"
)

// TestRuntimeHint checks the warning of protoc users whose module does not
// require gotutor, whose runtime the server mains import.
func TestRuntimeHint(t *testing.T) {
	server := []*pluginpb.CodeGeneratorResponse_File{{Name: proto.String("greet/cmd/greeter-server/server_gotutor.go")}}
	noServer := []*pluginpb.CodeGeneratorResponse_File{{Name: proto.String("greet/greet_gotutor.go")}}
	dir := t.TempDir()
	out := filepath.Join(dir, "gen")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	fix := "go get github.com/gotutor/gotutor@latest (or, for this development build of protoc-gen-gotutor, go mod edit -replace github.com/gotutor/gotutor=PATH/TO/ITS/CHECKOUT)"
	gomod := filepath.Join(dir, "go.mod")
	for _, c := range []struct {
		name, gomod string
		files       []*pluginpb.CodeGeneratorResponse_File
		want        string
	}{
		{"no server main", "module example.com/x\n", noServer, ""},
		{"gotutor required", "module example.com/x\n\nrequire github.com/gotutor/gotutor v1.0.0\n", server, ""},
		{"gotutor missing", "module example.com/x\n\nrequire google.golang.org/grpc v1.85.0\n", server,
			gomod + " does not require github.com/gotutor/gotutor, whose runtime (package serve) the generated server mains import: run " + fix},
	} {
		if err := os.WriteFile(gomod, []byte(c.gomod), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := runtimeHint(out, c.files); got != c.want {
			t.Errorf("%s: runtimeHint = %q, want %q", c.name, got, c.want)
		}
	}
}
