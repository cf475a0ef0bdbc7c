package generator

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gotutor/gotutor/internal/protoreq"
)

// TestReadFile checks that the user's files come through Options.ReadFile:
// the methods that a servicer does not define are named in a warning and
// answered by the default servicer, and a server main that uses
// serverConfig gets its legacy shim.
func TestReadFile(t *testing.T) {
	req, err := protoreq.Compile(context.Background(), []string{"../testdata"}, []string{"services/services.proto"}, "module=github.com/gotutor/gotutor/testdata")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"services/alpha_service.go":         "package services\n\ntype AlphaService struct{ DefaultAlphaServer }\n\nfunc (s *AlphaService) Do() {}\n",
		"services/cmd/alpha-server/main.go": "package main\n\nfunc main() { var c serverConfig; _ = c }\n",
	}
	var mu sync.Mutex
	var read []string
	opts := DefaultOptions()
	opts.Out = t.TempDir() // empty: every file comes from ReadFile
	opts.ReadFile = func(name string) ([]byte, error) {
		mu.Lock()
		read = append(read, name)
		mu.Unlock()
		if src, ok := files[name]; ok {
			return []byte(src), nil
		}
		return nil, os.ErrNotExist
	}
	var warnings []string
	opts.Warn = func(msg string) { warnings = append(warnings, msg) }
	resp, err := Respond(req, opts)
	if err != nil || resp.Error != nil {
		t.Fatalf("Respond: %v %s", err, resp.GetError())
	}
	for name := range files {
		if !slices.Contains(read, name) {
			t.Errorf("%s was not read; read: %q", name, read)
		}
	}
	want := "services/alpha_service.go: AlphaService does not define Follow yet: DefaultAlphaServer answers with example values"
	if len(warnings) != 1 || warnings[0] != want {
		t.Errorf("warnings %q, want [%q]", warnings, want)
	}
	var legacy bool
	for _, f := range resp.File {
		legacy = legacy || f.GetName() == "services/cmd/alpha-server/server_legacy_gotutor.go"
		if strings.HasPrefix(f.GetName(), "services/cmd/beta-server/server_legacy") {
			t.Errorf("%s is generated for a main that is not there", f.GetName())
		}
	}
	if !legacy {
		t.Error("no server_legacy_gotutor.go for the main that uses serverConfig")
	}
}
