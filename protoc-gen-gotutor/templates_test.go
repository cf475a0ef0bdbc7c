package main

import (
	"github.com/gotutor/gotutor/internal/testkit"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/pluginpb"
)

// TestHouseStyleTemplates generates with testdata/house-style, which
// replaces the user's servicer and its test's templates, and checks that
// the result builds and its tests pass. The test template prints an example
// value in the external test package, where goValue must qualify its types.
func TestHouseStyleTemplates(t *testing.T) {
	templates, err := filepath.Abs(filepath.Join("testdata", "house-style"))
	if err != nil {
		t.Fatal(err)
	}
	dir := newModule(t, greetV1)
	runProtoc(t, dir, "templates="+templates)
	servicer := string(testkit.ReadFile(t, filepath.Join(dir, "greet", "greeter_service.go")))
	for _, want := range []string{"// GreeterService is owned by the platform team", "\tlog *slog.Logger\n", `s.log.Debug("/greet.Greeter/SayHello")`} {
		if !strings.Contains(servicer, want) {
			t.Errorf("greeter_service.go lacks %q:\n%s", want, servicer)
		}
	}
	servicerTest := string(testkit.ReadFile(t, filepath.Join(dir, "greet", "greeter_service_test.go")))
	if want := "\t\treq := &greet.HelloRequest{Name: \"name\"}\n"; !strings.Contains(servicerTest, want) {
		t.Errorf("greeter_service_test.go lacks %q:\n%s", want, servicerTest)
	}
	testkit.Go(t, dir, "mod", "tidy")
	testkit.Go(t, dir, "vet", "./...")
	if out := testkit.Go(t, dir, "test", "-count=1", "-v", "-run", "TestGreeterService$", "./greet"); !strings.Contains(out, "--- PASS: TestGreeterService/SayHello") {
		t.Errorf("the house-style servicer's test did not pass:\n%s", out)
	}
}

// TestBrokenTemplate checks that a user template naming a field the data
// does not have fails with the template's file and line, instead of
// writing empty output.
func TestBrokenTemplate(t *testing.T) {
	templates, err := filepath.Abs(filepath.Join("testdata", "broken-template"))
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runPlugin(t, request("out="+t.TempDir()+",templates="+templates, nil))
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q: errors of generation belong in the response", code, stderr)
	}
	resp := &pluginpb.CodeGeneratorResponse{}
	if err := proto.Unmarshal([]byte(stdout), resp); err != nil {
		t.Fatal(err)
	}
	want := "greet.proto: template: " + filepath.Join(templates, "servicer_file.tmpl") +
		`:6:5: executing "servicer_file" at <.Owner>: can't evaluate field Owner in type *generator.Service`
	if resp.GetError() != want {
		t.Errorf("response error:\n%s\nwant:\n%s", resp.GetError(), want)
	}
	if len(resp.File) != 0 {
		t.Errorf("the response has %d files; a failed run must write none", len(resp.File))
	}
}

// newModule returns a fresh module example.com/evolve holding proto/greet.proto.
// It requires gotutor from this checkout, whose runtime (package serve) the
// server mains import, with the checkout's go.sum.
func newModule(t *testing.T, protoSource string) string {
	t.Helper()
	dir := t.TempDir()
	checkout, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	testkit.WriteFile(t, filepath.Join(dir, "go.mod"), "module example.com/evolve\n\ngo 1.26\n\nrequire (\n\tgoogle.golang.org/grpc "+
		testkit.ModuleVersion(t, "google.golang.org/grpc")+"\n\tgoogle.golang.org/protobuf "+testkit.ModuleVersion(t, "google.golang.org/protobuf")+
		"\n\tgithub.com/gotutor/gotutor v0.0.0-00010101000000-000000000000\n)\n\nreplace github.com/gotutor/gotutor => "+checkout+"\n")
	testkit.WriteFile(t, filepath.Join(dir, "go.sum"), string(testkit.ReadFile(t, filepath.Join(checkout, "go.sum"))))
	testkit.WriteFile(t, filepath.Join(dir, "proto", "greet.proto"), protoSource)
	return dir
}
