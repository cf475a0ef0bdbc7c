package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gotutor/gotutor/internal/scaffold"
	"github.com/gotutor/gotutor/internal/testkit"
)

// gotutor runs the command in-process and returns its output and exit code.
func gotutor(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestVersion(t *testing.T) {
	stdout, stderr, code := gotutor(t, "version")
	if stdout != "gotutor (devel)\n" || stderr != "" || code != 0 {
		t.Errorf("gotutor version = %q, %q, exit %d; want \"gotutor (devel)\\n\", no error, exit 0", stdout, stderr, code)
	}
}

func TestHelp(t *testing.T) {
	stdout, stderr, code := gotutor(t)
	if stdout != "" || stderr != usage || code != 2 {
		t.Errorf("gotutor without arguments = %q, %q, exit %d; want the usage on stderr, exit 2", stdout, stderr, code)
	}
	for _, want := range []string{"gotutor new PATH/TO/x.proto", "gotutor gen [-C DIR]", "gotutor version"} {
		if !strings.Contains(usage, want) {
			t.Errorf("the usage lacks %q", want)
		}
	}
	stdout, stderr, code = gotutor(t, "help")
	if stdout != usage || stderr != "" || code != 0 {
		t.Errorf("gotutor help = %q, %q, exit %d; want the usage on stdout, exit 0", stdout, stderr, code)
	}
}

// TestBadUse checks the exact message and exit code of each mistake that
// stops gotutor before it writes anything.
func TestBadUse(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.proto")
	testkit.WriteFile(t, bad, "syntax = \"proto3\";\npackage bad;\n\nmessage A {\n  string name = 1\n}\n")
	imp := filepath.Join(dir, "imp.proto")
	testkit.WriteFile(t, imp, "syntax = \"proto3\";\npackage imp;\nimport \"missing.proto\";\n")
	style := filepath.Join(dir, "style.proto")
	testkit.WriteFile(t, style, "edition = \"2024\";\npackage style;\n\nmessage foo_bar {}\n")
	notEmpty := filepath.Join(dir, "notempty")
	testkit.WriteFile(t, filepath.Join(notEmpty, "go.mod"), "module example.com/other\n")
	out := filepath.Join(dir, "out")
	for _, tc := range []struct {
		args         []string
		stderr       string
		code         int
		createsNoDir string
	}{
		{[]string{"frob"}, "gotutor: unknown command \"frob\": the commands are new, gen and version (gotutor help)\n", 2, ""},
		{[]string{"version", "x"}, "gotutor version: unexpected argument \"x\"\n", 2, ""},
		{[]string{"new"}, "gotutor new: which .proto file?\n" + newUsage + "\n", 2, ""},
		{[]string{"new", "-x", bad}, "gotutor new: flag provided but not defined: -x\n" + newUsage + "\n", 2, ""},
		{[]string{"new", bad, imp}, "gotutor new: one .proto file, not 2 (its imports are found and copied)\n" + newUsage + "\n", 2, ""},
		{[]string{"new", filepath.Join(dir, "nothere.proto")}, "gotutor: " + filepath.Join(dir, "nothere.proto") + ": no such file\n", 1, ""},
		{[]string{"new", bad, "-o", out},
			"compiling " + bad + "\ngotutor: " + bad + ":6:1: unexpected `}` after definition; consider inserting a `;`\n", 1, out},
		{[]string{"new", "-o", out, imp},
			"compiling " + imp + "\ngotutor: " + imp + ":3:8: import \"missing.proto\" not found in " + dir + " (add the folder it is relative to with -I)\n", 1, out},
		// Edition 2024's naming style, enforced as buf enforces it.
		{[]string{"new", style, "-o", out},
			"compiling " + style + "\ngotutor: " + style + ":4:9: message type name should be PascalCase; STYLE2024 requires message names to be PascalCase (e.g., MyMessage)\n", 1, out},
		{[]string{"new", imp, "-I", filepath.Join(dir, "notempty")},
			"gotutor: " + imp + " is in none of the import paths (-I) " + notEmpty + "\n", 1, ""},
		{[]string{"gen", "extra"}, "gotutor gen: unexpected argument \"extra\": gen regenerates from the protos under the module's proto/ folder\n" + genUsage + "\n", 2, ""},
		{[]string{"gen", "-C", notEmpty}, "gotutor: " + filepath.Join(notEmpty, "go.mod") + " is not a gotutor module's (it has no tool github.com/gotutor/gotutor/protoc-gen-gotutor): make one with gotutor new x.proto\n", 1, ""},
	} {
		stdout, stderr, code := gotutor(t, tc.args...)
		if stdout != "" || stderr != tc.stderr || code != tc.code {
			t.Errorf("gotutor %s\n = stdout %q, exit %d, stderr\n%q\nwant exit %d, stderr\n%q", strings.Join(tc.args, " "), stdout, code, stderr, tc.code, tc.stderr)
		}
		if tc.createsNoDir != "" {
			if _, err := os.Stat(tc.createsNoDir); err == nil {
				t.Errorf("gotutor %s created %s", strings.Join(tc.args, " "), tc.createsNoDir)
			}
		}
	}
	// A folder that is not empty and not a gotutor module: refused, after
	// the proto compiled, and left as it was.
	good := filepath.Join(dir, "good.proto")
	testkit.WriteFile(t, good, "syntax = \"proto3\";\npackage good;\nmessage A {}\n")
	_, stderr, code := gotutor(t, "new", good, "-o", notEmpty)
	want := "compiling " + good + "\ngotutor: " + notEmpty + " is not empty and is not a gotutor module (a go.mod with tool github.com/gotutor/gotutor/protoc-gen-gotutor): give an empty or new folder with -o\n"
	if stderr != want || code != 1 {
		t.Errorf("gotutor new into a folder that is not a gotutor module: exit %d, stderr\n%q\nwant exit 1, stderr\n%q", code, stderr, want)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "bad.proto good.proto imp.proto notempty style.proto" {
		t.Errorf("after the failures, %s holds %s; want only the test's own files", dir, got)
	}
}

// TestNewInsideModule checks that gotutor new without -o, run inside a
// gotutor module, does not make a module inside it: it says how to add the
// proto to the module instead, and writes nothing.
func TestNewInsideModule(t *testing.T) {
	dir := t.TempDir()
	module := filepath.Join(dir, "shop")
	testkit.WriteFile(t, filepath.Join(module, "go.mod"), "module example.com/shop\n\ngo 1.26\n\ntool github.com/gotutor/gotutor/protoc-gen-gotutor\n")
	good := filepath.Join(dir, "orders.proto")
	testkit.WriteFile(t, good, "syntax = \"proto3\";\npackage orders;\nmessage A {}\n")
	inside := filepath.Join(module, "internal")
	if err := os.MkdirAll(inside, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(inside)
	_, stderr, code := gotutor(t, "new", good)
	want := "compiling " + good + "\ngotutor: the current folder is inside the gotutor module example.com/shop (..): to add " + good + " to it, give -o ..; for a module of its own, give -o a folder\n"
	if stderr != want || code != 1 {
		t.Errorf("gotutor new inside a module: exit %d, stderr\n%q\nwant exit 1, stderr\n%q", code, stderr, want)
	}
	if _, err := os.Stat(filepath.Join(inside, "orders")); err == nil {
		t.Error("gotutor new made the module orders inside the module")
	}
	// Inside a module that is not gotutor's, new goes on (here, to its
	// next check: a proto that does not compile would have stopped it
	// first).
	testkit.WriteFile(t, filepath.Join(module, "go.mod"), "module example.com/shop\n\ngo 1.26\n")
	testkit.WriteFile(t, filepath.Join(inside, "orders", "keep.txt"), "x")
	_, stderr, _ = gotutor(t, "new", good)
	if want := "compiling " + good + "\ngotutor: orders is not empty and is not a gotutor module"; !strings.HasPrefix(stderr, want) {
		t.Errorf("gotutor new inside a module that is not gotutor's: stderr\n%q\nwant it to begin %q", stderr, want)
	}
}

// TestGrpcGenVersion holds scaffold.GrpcGenVersion, which a generated go.mod
// requires, to the version that gotutor's go.mod pins.
func TestGrpcGenVersion(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}}", "google.golang.org/grpc/cmd/protoc-gen-go-grpc").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(out)); got != scaffold.GrpcGenVersion {
		t.Errorf("gotutor's go.mod pins protoc-gen-go-grpc %s, scaffold.GrpcGenVersion is %s", got, scaffold.GrpcGenVersion)
	}
}

// TestNewHelloworld is the README's first command: a module from the
// bundled helloworld.proto, whose tests pass, whose server and client talk
// over TCP, whose guide's commands run as written, and which gen
// regenerates without touching the user's edits.
func TestNewHelloworld(t *testing.T) {
	if testing.Short() {
		t.Skip("builds grpc in a new module")
	}
	protoPath := filepath.Join("..", "..", "examples", "helloworld", "helloworld.proto")
	dir := filepath.Join(t.TempDir(), "hw")
	stdout, stderr, code := gotutor(t, "new", protoPath, "-o", dir)
	wantStderr := "compiling " + protoPath + "\n" +
		"helloworld.proto has go_package \"github.com/gotutor/gotutor/examples/helloworld\", outside module example.com/hw: its Go code goes to example.com/hw/helloworld (option Mhelloworld.proto=example.com/hw/helloworld in buf.gen.yaml)\n" +
		"generating Go types (protoc-gen-go, in-process)\n" +
		"generating the servicers, mains, tests and guides (protoc-gen-gotutor, in-process)\n" +
		"resolving dependencies (go mod tidy)\n" +
		"generating gRPC stubs (go tool protoc-gen-go-grpc)\n" +
		"wrote 27 files in " + dir + "\n"
	wantStdout := "Next:\n  cd " + dir + "\n  go test ./...\n" +
		"  go run ./helloworld/cmd/greeter-server\n" +
		"  go run ./helloworld/cmd/greeter-client    # in a second terminal\n" +
		"Read helloworld/greeter_gotutor.md: the service, its methods, and grpcurl commands to call them.\n"
	if code != 0 || stderr != wantStderr || stdout != wantStdout {
		t.Fatalf("gotutor new: exit %d\nstderr:\n%s\nwant:\n%s\nstdout:\n%s\nwant:\n%s", code, stderr, wantStderr, stdout, wantStdout)
	}
	wantFiles := []string{
		".dockerignore", "Dockerfile", "buf.gen.yaml", "buf.yaml",
		"deploy/k8s/greeter-server/deployment.yaml", "deploy/k8s/greeter-server/hpa.yaml", "deploy/k8s/greeter-server/kustomization.yaml",
		"deploy/k8s/greeter-server/pdb.yaml", "deploy/k8s/greeter-server/service.yaml", "deploy/k8s/kustomization.yaml",
		"go.mod", "go.sum",
		"helloworld/cmd/greeter-client/calls_gotutor.go", "helloworld/cmd/greeter-client/main.go",
		"helloworld/cmd/greeter-server/main.go", "helloworld/cmd/greeter-server/server_gotutor.go", "helloworld/cmd/greeter-server/server_gotutor_test.go",
		"helloworld/greeter_gotutor.html", "helloworld/greeter_gotutor.md",
		"helloworld/greeter_service.go", "helloworld/greeter_service_test.go",
		"helloworld/helloworld.pb.go", "helloworld/helloworld_gotutor.go", "helloworld/helloworld_gotutor_test.go",
		"helloworld/helloworld_grpc.pb.go", "helloworld/helloworldtest/helloworld_gotutor.go",
		"proto/helloworld.proto",
	}
	if got := listFiles(t, dir); strings.Join(got, "\n") != strings.Join(wantFiles, "\n") {
		t.Errorf("the module holds\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantFiles, "\n"))
	}
	if got, want := testkit.ReadFile(t, filepath.Join(dir, "proto", "helloworld.proto")), testkit.ReadFile(t, protoPath); !bytes.Equal(got, want) {
		t.Error("proto/helloworld.proto is not a copy of the proto")
	}
	checkGoMod(t, dir, "example.com/hw")
	bufGen := string(testkit.ReadFile(t, filepath.Join(dir, "buf.gen.yaml")))
	for _, want := range []string{
		"version: v2\n", "\nclean: false\n",
		"  - local: [\"go\", \"tool\", \"protoc-gen-go\"]\n    out: .\n    opt:\n      - paths=import\n      - module=example.com/hw\n      - Mhelloworld.proto=example.com/hw/helloworld\n",
		"  - local: [\"go\", \"tool\", \"protoc-gen-go-grpc\"]\n    out: .\n",
		"  - local: [\"go\", \"tool\", \"protoc-gen-gotutor\"]\n    out: .\n",
	} {
		if !strings.Contains(bufGen, want) {
			t.Errorf("buf.gen.yaml lacks %q:\n%s", want, bufGen)
		}
	}
	if got := string(testkit.ReadFile(t, filepath.Join(dir, "buf.yaml"))); !strings.Contains(got, "version: v2\nmodules:\n  - path: proto\n") {
		t.Errorf("buf.yaml:\n%s", got)
	}

	t.Run("go test", func(t *testing.T) {
		testkit.Go(t, dir, "vet", "./...")
		out := testkit.Go(t, dir, "test", "-count=1", "./...")
		if !strings.Contains(out, "ok  \texample.com/hw/helloworld\t") {
			t.Errorf("go test ./... did not pass the package's tests:\n%s", out)
		}
	})

	bin := t.TempDir()
	build := func(t *testing.T) {
		testkit.Go(t, dir, "build", "-o", bin+string(os.PathSeparator), "./helloworld/cmd/greeter-server", "./helloworld/cmd/greeter-client")
	}
	build(t)
	metricsAddr := freeAddr(t)
	addr := testkit.StartServer(t, filepath.Join(bin, "greeter-server"), "-metrics-addr", metricsAddr)
	client := func(t *testing.T) string {
		return run1(t, "", filepath.Join(bin, "greeter-client"), "-addr", addr)
	}

	t.Run("server and client", func(t *testing.T) {
		if got, want := client(t), "SayHello: {\"message\":\"message\"}\n"; got != want {
			t.Errorf("greeter-client printed %q, want %q", got, want)
		}
	})

	t.Run("guide's commands", func(t *testing.T) {
		grpcurl, buf := installGrpcurl(t), testkit.BuildBuf(t)
		guide := string(testkit.ReadFile(t, filepath.Join(dir, "helloworld", "greeter_gotutor.md")))
		runGuide(t, guide, addr, metricsAddr, grpcurl, buf, "helloworld.Greeter", 2)
	})

	t.Run("gen keeps edits", func(t *testing.T) {
		servicer := filepath.Join(dir, "helloworld", "greeter_service.go")
		testkit.ReplaceIn(t, servicer, "\treturn ExampleHelloReply(), nil\n", "\treturn &HelloReply{Message: \"Hello, \" + req.GetName() + \"!\"}, nil\n")
		servicerTest := filepath.Join(dir, "helloworld", "greeter_service_test.go")
		testkit.ReplaceIn(t, servicerTest, "if want := helloworld.ExampleHelloReply();", "if want := (&helloworld.HelloReply{Message: \"Hello, name!\"});")
		before := testkit.ReadFile(t, servicer)
		beforeTest := testkit.ReadFile(t, servicerTest)
		// A generated file that someone edited, and one that was deleted:
		// gen puts both back.
		generated := filepath.Join(dir, "helloworld", "helloworld_gotutor.go")
		want := testkit.ReadFile(t, generated)
		testkit.WriteFile(t, generated, string(want)+"// edited\n")
		stubs := filepath.Join(dir, "helloworld", "helloworld_grpc.pb.go")
		wantStubs := testkit.ReadFile(t, stubs)
		if err := os.Remove(stubs); err != nil {
			t.Fatal(err)
		}

		stdout, stderr, code := gotutor(t, "gen", "-C", filepath.Join(dir, "helloworld", "cmd"))
		p := func(name string) string { return filepath.Join(dir, filepath.FromSlash(name)) }
		wantStdout := "unchanged " + p("helloworld/cmd/greeter-client/calls_gotutor.go") + "\n" +
			"kept      " + p("helloworld/cmd/greeter-client/main.go") + " (yours)\n" +
			"kept      " + p("helloworld/cmd/greeter-server/main.go") + " (yours)\n" +
			"unchanged " + p("helloworld/cmd/greeter-server/server_gotutor.go") + "\n" +
			"unchanged " + p("helloworld/cmd/greeter-server/server_gotutor_test.go") + "\n" +
			"unchanged " + p("helloworld/greeter_gotutor.html") + "\n" +
			"unchanged " + p("helloworld/greeter_gotutor.md") + "\n" +
			"kept      " + p("helloworld/greeter_service.go") + " (yours)\n" +
			"kept      " + p("helloworld/greeter_service_test.go") + " (yours)\n" +
			"unchanged " + p("helloworld/helloworld.pb.go") + "\n" +
			"wrote     " + p("helloworld/helloworld_gotutor.go") + "\n" +
			"unchanged " + p("helloworld/helloworld_gotutor_test.go") + "\n" +
			"wrote     " + p("helloworld/helloworld_grpc.pb.go") + "\n" +
			"unchanged " + p("helloworld/helloworldtest/helloworld_gotutor.go") + "\n"
		wantStderr := "compiling 1 .proto file under " + p("proto") + "\n" +
			"generating Go types (protoc-gen-go, in-process)\n" +
			"generating the servicers, mains, tests and guides (protoc-gen-gotutor, in-process)\n" +
			"generating gRPC stubs (go tool protoc-gen-go-grpc)\n"
		if code != 0 || stdout != wantStdout || stderr != wantStderr {
			t.Fatalf("gotutor gen: exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s\nwant:\n%s", code, stdout, wantStdout, stderr, wantStderr)
		}
		if !bytes.Equal(testkit.ReadFile(t, servicer), before) || !bytes.Equal(testkit.ReadFile(t, servicerTest), beforeTest) {
			t.Error("gen changed the user's servicer or its test")
		}
		if !bytes.Equal(testkit.ReadFile(t, generated), want) {
			t.Error("gen did not restore helloworld_gotutor.go")
		}
		if !bytes.Equal(testkit.ReadFile(t, stubs), wantStubs) {
			t.Error("gen did not restore helloworld_grpc.pb.go as new made it")
		}
		if leftovers, _ := filepath.Glob(filepath.Join(dir, "helloworld", ".gotutor-*")); len(leftovers) > 0 {
			t.Errorf("gen left temporary files: %v", leftovers)
		}
		// The user's code is what is served, and tested.
		out := testkit.Go(t, dir, "test", "-count=1", "-run", "TestGreeterService", "-v", "./helloworld")
		if !strings.Contains(out, "--- PASS: TestGreeterService/SayHello") {
			t.Errorf("the user's test of SayHello did not pass:\n%s", out)
		}
		build(t)
		addr := testkit.StartServer(t, filepath.Join(bin, "greeter-server"))
		if got, want := run1(t, "", filepath.Join(bin, "greeter-client"), "-addr", addr), "SayHello: {\"message\":\"Hello, name!\"}\n"; got != want {
			t.Errorf("after gen, greeter-client printed %q, want the user's answer %q", got, want)
		}
	})

	// buf.gen.yaml works as written, and buf generate gives what gotutor
	// gave: the same generated files, the user's left alone.
	t.Run("buf generate", func(t *testing.T) {
		buf := testkit.BuildBuf(t)
		want := map[string][]byte{}
		for _, name := range listFiles(t, dir) {
			want[name] = testkit.ReadFile(t, filepath.Join(dir, name))
		}
		for _, name := range []string{"helloworld.pb.go", "helloworld_grpc.pb.go", "helloworld_gotutor.go", "greeter_gotutor.md", "helloworldtest/helloworld_gotutor.go"} {
			if err := os.Remove(filepath.Join(dir, "helloworld", name)); err != nil {
				t.Fatal(err)
			}
		}
		run1(t, dir, buf, "generate")
		got := listFiles(t, dir)
		if len(got) != len(want) {
			t.Errorf("after buf generate the module holds\n%s\nwant the %d files it held", strings.Join(got, "\n"), len(want))
		}
		for _, name := range got {
			if !bytes.Equal(testkit.ReadFile(t, filepath.Join(dir, name)), want[name]) {
				t.Errorf("buf generate changed %s", name)
			}
		}
	})

	// A method added to the proto: gen names it, as a method the user's
	// servicer does not define yet, and so do the guide and the server's
	// log, while the default servicer answers it.
	t.Run("gen after a method is added", func(t *testing.T) {
		p := func(name string) string { return filepath.Join(dir, filepath.FromSlash(name)) }
		testkit.ReplaceIn(t, p("proto/helloworld.proto"), "service Greeter {", "service Greeter {\n  rpc SayGoodbye (HelloRequest) returns (HelloReply) {}")
		_, stderr, code := gotutor(t, "gen", "-C", dir)
		want := "warning: helloworld/greeter_service.go: GreeterService does not define SayGoodbye yet: DefaultGreeterServer answers with example values\n"
		if code != 0 || !strings.Contains(stderr, want) {
			t.Fatalf("gotutor gen: exit %d, stderr:\n%s\nwant a line %q", code, stderr, want)
		}
		if guide := string(testkit.ReadFile(t, p("helloworld/greeter_gotutor.md"))); !strings.Contains(guide, "**Not written yet:** `GreeterService` does not define `SayGoodbye`") {
			t.Errorf("the guide does not mark SayGoodbye as not written yet:\n%s", guide)
		}
		build(t)
		cmd := exec.Command(filepath.Join(bin, "greeter-server"), "-addr", "localhost:0")
		var log bytes.Buffer
		cmd.Stderr = &log
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(log.String(), "serving") && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		if want := "msg=\"not written yet: DefaultGreeterServer answers with example values\" method=/helloworld.Greeter/SayGoodbye"; !strings.Contains(log.String(), want) {
			t.Errorf("the server's log lacks %s:\n%s", want, log.String())
		}
		testkit.ReplaceIn(t, p("proto/helloworld.proto"), "\n  rpc SayGoodbye (HelloRequest) returns (HelloReply) {}", "")
		gotutor(t, "gen", "-C", dir)
	})

	// A renamed service: gen removes what it generated for the old name and
	// warns about the user's files made for it, which no longer build; once
	// they are deleted, the module builds and its tests pass.
	t.Run("gen after a service is renamed", func(t *testing.T) {
		p := func(name string) string { return filepath.Join(dir, filepath.FromSlash(name)) }
		testkit.ReplaceIn(t, p("proto/helloworld.proto"), "service Greeter {", "service Welcomer {")
		stdout, stderr, code := gotutor(t, "gen", "-C", dir)
		for _, want := range []string{
			"removed   " + p("helloworld/cmd/greeter-client/calls_gotutor.go") + " (no longer generated)\n",
			"removed   " + p("helloworld/greeter_gotutor.md") + " (no longer generated)\n",
			"wrote     " + p("helloworld/cmd/welcomer-client/calls_gotutor.go") + "\n",
			"wrote     " + p("helloworld/cmd/welcomer-client/main.go") + "\n",
			"wrote     " + p("helloworld/welcomer_service.go") + "\n",
			"wrote     " + p("helloworld/helloworld_gotutor.go") + "\n",
			"wrote     " + p("helloworld/helloworld_grpc.pb.go") + "\n",
		} {
			if !strings.Contains(stdout, want) {
				t.Errorf("gotutor gen printed\n%s\nwithout the line %q", stdout, want)
			}
		}
		var warned []string
		for _, name := range []string{
			"helloworld/cmd/greeter-client/main.go", "helloworld/cmd/greeter-server/main.go",
			"helloworld/greeter_service.go", "helloworld/greeter_service_test.go",
		} {
			want := "warning: " + p(name) + " was scaffolded for a service or file that the protos no longer declare, and no longer builds: move what you want to keep, then delete it\n"
			if !strings.Contains(stderr, want) {
				t.Errorf("gotutor gen's stderr\n%s\nlacks %q", stderr, want)
			}
			warned = append(warned, p(name))
		}
		if code != 0 {
			t.Fatalf("gotutor gen: exit %d\n%s", code, stderr)
		}
		for _, name := range []string{"helloworld/cmd/greeter-client/calls_gotutor.go", "helloworld/greeter_gotutor.md"} {
			if _, err := os.Stat(p(name)); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s is still there (%v)", name, err)
			}
		}
		for _, name := range warned {
			if err := os.Remove(name); err != nil {
				t.Fatal(err)
			}
		}
		testkit.Go(t, dir, "vet", "./...")
		out := testkit.Go(t, dir, "test", "-count=1", "-run", "TestWelcomerService|TestDefaultWelcomerServer", "-v", "./helloworld")
		for _, want := range []string{"--- PASS: TestWelcomerService/SayHello", "--- PASS: TestDefaultWelcomerServer/SayHello"} {
			if !strings.Contains(out, want) {
				t.Errorf("go test did not print %q:\n%s", want, out)
			}
		}
	})
}

// TestNewTemplatesNoGoPackage makes a module from a proto without
// go_package that imports a local file and a well-known type, with a
// template folder that replaces the servicer's doc comment.
func TestNewTemplatesNoGoPackage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds grpc in a new module")
	}
	protoPath := filepath.Join("testdata", "shop", "shop.proto")
	templates, err := filepath.Abs(filepath.Join("testdata", "templates"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "shop")
	stdout, stderr, code := gotutor(t, "new", protoPath, "-o", dir, "-module", "example.com/acme/shop", "-templates", templates)
	wantStderr := "compiling " + protoPath + "\n" +
		"money.proto has no go_package: its Go code goes to example.com/acme/shop/shop/v1, package shopv1 (option Mmoney.proto=example.com/acme/shop/shop/v1;shopv1 in buf.gen.yaml)\n" +
		"shop.proto has no go_package: its Go code goes to example.com/acme/shop/shop/v1, package shopv1 (option Mshop.proto=example.com/acme/shop/shop/v1;shopv1 in buf.gen.yaml)\n" +
		"generating Go types (protoc-gen-go, in-process)\n" +
		"generating the servicers, mains, tests and guides (protoc-gen-gotutor, in-process)\n" +
		"resolving dependencies (go mod tidy)\n" +
		"generating gRPC stubs (go tool protoc-gen-go-grpc)\n" +
		"wrote 29 files in " + dir + "\n"
	if code != 0 || stderr != wantStderr {
		t.Fatalf("gotutor new: exit %d\nstderr:\n%s\nwant:\n%s\nstdout:\n%s", code, stderr, wantStderr, stdout)
	}
	if !strings.Contains(stdout, "  go run ./shop/v1/cmd/orders-server\n") {
		t.Errorf("the next commands lack the server:\n%s", stdout)
	}
	// The local import is copied; the well-known one is not.
	for _, name := range []string{"money.proto", "shop.proto"} {
		if got, want := testkit.ReadFile(t, filepath.Join(dir, "proto", name)), testkit.ReadFile(t, filepath.Join("testdata", "shop", name)); !bytes.Equal(got, want) {
			t.Errorf("proto/%s is not a copy of testdata/shop/%s", name, name)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "proto", "google")); err == nil {
		t.Error("the well-known timestamp.proto was copied")
	}
	checkGoMod(t, dir, "example.com/acme/shop")
	bufGen := string(testkit.ReadFile(t, filepath.Join(dir, "buf.gen.yaml")))
	if want := "      - Mmoney.proto=example.com/acme/shop/shop/v1;shopv1\n      - Mshop.proto=example.com/acme/shop/shop/v1;shopv1\n      - templates=" + templates + "\n"; !strings.HasSuffix(bufGen, want) {
		t.Errorf("buf.gen.yaml does not end with the M options and templates=:\n%s", bufGen)
	}
	servicer := string(testkit.ReadFile(t, filepath.Join(dir, "shop", "v1", "orders_service.go")))
	if !strings.Contains(servicer, "\n// OrdersService is ours: house style, reviewed by the platform team.\ntype OrdersService struct {\n") {
		t.Errorf("the servicer lacks the user template's comment:\n%s", servicer)
	}
	if strings.Contains(servicer, "implements shop.v1.Orders") {
		t.Errorf("the servicer still has the built-in comment:\n%s", servicer)
	}
	out := testkit.Go(t, dir, "test", "-count=1", "./...")
	if !strings.Contains(out, "ok  \texample.com/acme/shop/shop/v1\t") {
		t.Errorf("go test ./... did not pass the package's tests:\n%s", out)
	}
}

// newOneService runs gotutor new on a proto of one service that has
// go_package in module, into dir, checks the steps it reports and the 19
// files it writes, and returns what it prints on stdout.
func newOneService(t *testing.T, protoPath, dir, module string) string {
	t.Helper()
	stdout, stderr, code := gotutor(t, "new", protoPath, "-o", dir, "-module", module)
	wantStderr := "compiling " + protoPath + "\n" +
		"generating Go types (protoc-gen-go, in-process)\n" +
		"generating the servicers, mains, tests and guides (protoc-gen-gotutor, in-process)\n" +
		"resolving dependencies (go mod tidy)\n" +
		"generating gRPC stubs (go tool protoc-gen-go-grpc)\n" +
		"wrote 27 files in " + dir + "\n"
	if code != 0 || stderr != wantStderr {
		t.Fatalf("gotutor new: exit %d\nstderr:\n%s\nwant:\n%s\nstdout:\n%s", code, stderr, wantStderr, stdout)
	}
	return stdout
}

// TestNewEdition2024 makes a module from an edition 2024 proto, whose
// messages use the Opaque API by default: its examples are builders, it
// vets, its tests pass, its mains talk, and the comment of its edition line
// tops its .pb.go.
func TestNewEdition2024(t *testing.T) {
	if testing.Short() {
		t.Skip("builds grpc in a new module")
	}
	dir := filepath.Join(t.TempDir(), "notes")
	stdout := newOneService(t, filepath.Join("testdata", "edition2024", "notes.proto"), dir, "example.com/notes")
	if !strings.Contains(stdout, "  go run ./notes/v1/cmd/notebook-server\n") {
		t.Errorf("the next commands lack the server:\n%s", stdout)
	}
	pbGo := string(testkit.ReadFile(t, filepath.Join(dir, "notes", "v1", "notes.pb.go")))
	if !strings.HasPrefix(pbGo, "// Notes, in edition 2024, whose messages use the Opaque API, the edition's\n// default.\n\n// Code generated by protoc-gen-go. DO NOT EDIT.\n") {
		t.Errorf("notes.pb.go does not start with the edition line's comment:\n%.300s", pbGo)
	}
	// Opaque messages: the examples are builders.
	gotutorGo := string(testkit.ReadFile(t, filepath.Join(dir, "notes", "v1", "notes_gotutor.go")))
	if want := "\treturn ListRequest_builder{Limit: proto.Int32(1)}.Build()\n"; !strings.Contains(gotutorGo, want) {
		t.Errorf("notes_gotutor.go lacks %q:\n%s", want, gotutorGo)
	}
	testkit.Go(t, dir, "vet", "./...")
	out := testkit.Go(t, dir, "test", "-count=1", "./...")
	if !strings.Contains(out, "ok  \texample.com/notes/notes/v1\t") {
		t.Errorf("go test ./... did not pass the package's tests:\n%s", out)
	}

	// The mains talk.
	bin := t.TempDir()
	testkit.Go(t, dir, "build", "-o", bin+string(os.PathSeparator), "./notes/v1/cmd/notebook-server", "./notes/v1/cmd/notebook-client")
	addr := testkit.StartServer(t, filepath.Join(bin, "notebook-server"))
	note := `{"text":"text","at":"2023-11-14T22:13:20Z","tags":["tags 1","tags 2"],"name":"name"}`
	want := "Add: " + note + "\n" + strings.Repeat("List: "+note+"\n", 3)
	if got := compactLines(t, run1(t, "", filepath.Join(bin, "notebook-client"), "-addr", addr)); got != want {
		t.Errorf("notebook-client printed:\n%s\nwant:\n%s", got, want)
	}
}

// TestNewBuiltinImports makes a module from a proto that imports Google's
// API annotations, common types and status, and protovalidate's rules,
// from a folder that holds none of them: they are built in. The module
// holds no copy of them and no Go code of its own for them (its .pb.go
// imports genproto's and protovalidate's packages, which go mod tidy
// required), builds, vets and passes its tests, its mains talk, its
// server's reflection serves the imports to grpcurl, and gen regenerates
// it. buf generate cannot find the imports, as buf.gen.yaml says.
func TestNewBuiltinImports(t *testing.T) {
	if testing.Short() {
		t.Skip("builds grpc in a new module")
	}
	dir := filepath.Join(t.TempDir(), "things")
	newOneService(t, filepath.Join("testdata", "things", "things.proto"), dir, "example.com/things")
	files := listFiles(t, dir)
	var protos, pbGo []string
	for _, name := range files {
		switch {
		case strings.HasSuffix(name, ".proto"):
			protos = append(protos, name)
		case strings.HasSuffix(name, ".pb.go"):
			pbGo = append(pbGo, name)
		}
		for _, dir := range []string{"google/", "buf/"} {
			if strings.Contains(name, dir) {
				t.Errorf("the module holds %s, a file of a built-in import", name)
			}
		}
	}
	if want := []string{"proto/things.proto"}; strings.Join(protos, " ") != strings.Join(want, " ") {
		t.Errorf("the module's .proto files are %q, want only %q", protos, want)
	}
	if want := []string{"things/v1/things.pb.go", "things/v1/things_grpc.pb.go"}; strings.Join(pbGo, " ") != strings.Join(want, " ") {
		t.Errorf("the module's .pb.go files are %q, want only %q", pbGo, want)
	}
	pb := string(testkit.ReadFile(t, filepath.Join(dir, "things", "v1", "things.pb.go")))
	for _, want := range []string{
		"\t_ \"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate\"\n",
		"\t_ \"google.golang.org/genproto/googleapis/api/annotations\"\n",
		"\tstatus \"google.golang.org/genproto/googleapis/rpc/status\"\n",
		"\tdate \"google.golang.org/genproto/googleapis/type/date\"\n",
	} {
		if !strings.Contains(pb, want) {
			t.Errorf("things.pb.go does not import %s", strings.TrimSpace(want))
		}
	}
	checkGoMod(t, dir, "example.com/things")
	gomod := string(testkit.ReadFile(t, filepath.Join(dir, "go.mod")))
	for _, mod := range []string{
		"google.golang.org/genproto", "google.golang.org/genproto/googleapis/api", "google.golang.org/genproto/googleapis/rpc",
		"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go",
	} {
		// The versions of gotutor's go.mod: the generated code and the
		// descriptors gotutor compiled against are the same.
		if want := "\t" + mod + " " + testkit.ModuleVersion(t, mod) + "\n"; !strings.Contains(gomod, want) {
			t.Errorf("go.mod lacks %q:\n%s", want, gomod)
		}
	}
	bufGen := string(testkit.ReadFile(t, filepath.Join(dir, "buf.gen.yaml")))
	for _, want := range []string{
		"# But buf generate fails here as it is: the protos import\n#   buf/validate/validate.proto\n#   google/api/annotations.proto\n",
		"#   deps:\n#     - buf.build/bufbuild/protovalidate\n#     - buf.build/googleapis/googleapis\n# and run buf dep update",
	} {
		if !strings.Contains(bufGen, want) {
			t.Errorf("buf.gen.yaml lacks %q:\n%s", want, bufGen)
		}
	}

	testkit.Go(t, dir, "vet", "./...")
	out := testkit.Go(t, dir, "test", "-count=1", "./...")
	if !strings.Contains(out, "ok  \texample.com/things/things/v1\t") {
		t.Errorf("go test ./... did not pass the package's tests:\n%s", out)
	}

	// The mains talk: the server starts (no file is registered twice) and
	// the client's call comes back with the built-in types filled in.
	bin := t.TempDir()
	testkit.Go(t, dir, "build", "-o", bin+string(os.PathSeparator), "./things/v1/cmd/things-server", "./things/v1/cmd/things-client")
	addr := testkit.StartServer(t, filepath.Join(bin, "things-server"))
	got := compactLines(t, run1(t, "", filepath.Join(bin, "things-client"), "-addr", addr))
	if !strings.HasPrefix(got, "GetThing: {\"name\":\"things/my-thing\",\"made\":{\"year\":") || !strings.Contains(got, "\"status\":{\"code\":") {
		t.Errorf("things-client printed %q", got)
	}
	t.Run("guide's commands", func(t *testing.T) {
		grpcurl, buf := installGrpcurl(t), testkit.BuildBuf(t)
		guide := string(testkit.ReadFile(t, filepath.Join(dir, "things", "v1", "things_gotutor.md")))
		runGuide(t, guide, addr, "", grpcurl, buf, "things.v1.Things", 3)
	})

	t.Run("gen", func(t *testing.T) {
		stdout, stderr, code := gotutor(t, "gen", "-C", dir)
		if code != 0 || strings.Contains(stderr, "warning") {
			t.Fatalf("gotutor gen: exit %d\nstderr:\n%s", code, stderr)
		}
		for _, name := range []string{"things/v1/things.pb.go", "things/v1/things_grpc.pb.go", "things/v1/things_gotutor.go"} {
			if want := "unchanged " + filepath.Join(dir, filepath.FromSlash(name)) + "\n"; !strings.Contains(stdout, want) {
				t.Errorf("gotutor gen printed\n%s\nwithout %q", stdout, want)
			}
		}
		if got := listFiles(t, dir); strings.Join(got, "\n") != strings.Join(files, "\n") {
			t.Errorf("after gen the module holds\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(files, "\n"))
		}
	})

	t.Run("buf generate", func(t *testing.T) {
		buf := testkit.BuildBuf(t)
		cmd := exec.Command(buf, "generate")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "proto/things.proto:7:1:imported file does not exist") {
			t.Errorf("buf generate: %v\n%s\nwant it to fail on the import of buf/validate/validate.proto, as buf.gen.yaml says", err, out)
		}
		if got := listFiles(t, dir); strings.Join(got, "\n") != strings.Join(files, "\n") {
			t.Errorf("after buf generate the module holds\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(files, "\n"))
		}
	})
}

// compactLines removes the spaces that protojson puts at random into the
// JSON of lines "Method: {...}".
func compactLines(t *testing.T, out string) string {
	t.Helper()
	var b strings.Builder
	for _, line := range strings.SplitAfter(out, "\n") {
		method, doc, ok := strings.Cut(line, ": ")
		if !ok {
			b.WriteString(line)
			continue
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, []byte(strings.TrimSuffix(doc, "\n"))); err != nil {
			t.Fatalf("%q is not a method and its JSON: %v", line, err)
		}
		b.WriteString(method + ": " + compact.String() + "\n")
	}
	return b.String()
}

// checkGoMod checks what gotutor puts in go.mod and go mod tidy keeps.
func checkGoMod(t *testing.T, dir, module string) {
	t.Helper()
	gomod := string(testkit.ReadFile(t, filepath.Join(dir, "go.mod")))
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	wants := []string{
		"module " + module + "\n",
		"\ngo 1.26",
		"\tgoogle.golang.org/grpc " + testkit.ModuleVersion(t, "google.golang.org/grpc") + "\n",
		"\tgoogle.golang.org/protobuf " + testkit.ModuleVersion(t, "google.golang.org/protobuf") + "\n",
		"\tgoogle.golang.org/grpc/cmd/protoc-gen-go-grpc " + scaffold.GrpcGenVersion + " // indirect\n",
		"\ntool (\n\tgithub.com/gotutor/gotutor/protoc-gen-gotutor\n\tgoogle.golang.org/grpc/cmd/protoc-gen-go-grpc\n\tgoogle.golang.org/protobuf/cmd/protoc-gen-go\n)\n",
		// This test runs from a checkout, so gotutor is "(devel)".
		"\nreplace github.com/gotutor/gotutor => " + root + "\n",
	}
	for _, want := range wants {
		if !strings.Contains(gomod, want) {
			t.Errorf("go.mod lacks %q:\n%s", want, gomod)
		}
	}
}

// freeAddr returns a loopback address with a port that was free a moment
// ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// runGuide runs each grpcurl, curl and buf curl command of a guide, as
// written but for the address and the path of the programs, and checks
// that each exits 0; the calls of methods must print JSON, list the
// service, describe describe it. Each buf curl command (one per grpcurl
// call) also runs over gRPC-Web, which reads the schema by reflection as
// Connect does: a bidirectional stream, over HTTP/2 without TLS. The
// command of the metrics runs last, against metricsAddr (the server's
// -metrics-addr), and must show the calls counted; with metricsAddr "",
// not at all.
func runGuide(t *testing.T, guide, addr, metricsAddr, grpcurl, buf, service string, wantCalls int) {
	t.Helper()
	var commands, metrics []string
	bufCalls := 0
	for _, line := range strings.Split(guide, "\n") {
		if strings.HasPrefix(line, "curl ") && strings.Contains(line, "localhost:9090") {
			metrics = append(metrics, line)
			continue
		}
		// The admin API of the stub files' example (port 4771) needs a
		// server started with -admin-addr: package stubs's tests run it.
		if (strings.HasPrefix(line, "grpcurl ") || strings.HasPrefix(line, "curl ")) && !strings.Contains(line, ":4771") {
			commands = append(commands, line)
		}
		if rest, ok := strings.CutPrefix(line, "buf curl "); ok {
			bufCalls++
			for _, protocol := range []string{"", "--protocol grpcweb "} {
				c := strings.Replace(buf+" curl "+protocol+rest, "localhost:50051", addr, 1)
				if n := jsonObjects(t, c, run1(t, "", "sh", "-c", c)); n == 0 {
					t.Errorf("%s printed no JSON", c)
				}
			}
		}
	}
	calls, grpcurlCalls := 0, 0
	for _, c := range commands {
		if !strings.Contains(c, "localhost:50051") {
			t.Errorf("guide command %q does not name localhost:50051", c)
			continue
		}
		c = strings.Replace(c, "localhost:50051", addr, 1)
		if strings.HasPrefix(c, "curl ") {
			// Connect or REST: one JSON object, not an error.
			calls++
			out := run1(t, "", "sh", "-c", c)
			var v map[string]any
			if err := json.Unmarshal([]byte(out), &v); err != nil {
				t.Errorf("%s printed %q, not a JSON object: %v", c, out, err)
			} else if _, failed := v["code"]; failed {
				t.Errorf("%s failed: %s", c, out)
			}
			continue
		}
		// As written: through the shell, with its quoting.
		out := run1(t, "", "sh", "-c", strings.Replace(c, "grpcurl", grpcurl, 1))
		fields := strings.Fields(c)
		switch last := fields[len(fields)-1]; {
		case last == "list":
			if !strings.Contains(out, service+"\n") {
				t.Errorf("%s printed %q, which lacks %s", c, out, service)
			}
		case fields[len(fields)-2] == "describe":
			if !strings.HasPrefix(out, service+" is a service:\n") {
				t.Errorf("%s printed %q", c, out)
			}
		default:
			calls++
			grpcurlCalls++
			if jsonObjects(t, c, out) == 0 {
				t.Errorf("%s printed no JSON", c)
			}
		}
	}
	if calls != wantCalls || len(commands) != wantCalls+2 {
		t.Errorf("the guide has %d grpcurl commands, %d of them calls; want list, describe and %d calls:\n%s", len(commands), calls, wantCalls, guide)
	}
	if bufCalls != grpcurlCalls {
		t.Errorf("the guide has %d buf curl commands, want one per grpcurl call (%d):\n%s", bufCalls, grpcurlCalls, guide)
	}
	if len(metrics) != 1 {
		t.Errorf("the guide has %d commands that read the metrics, want 1:\n%s", len(metrics), guide)
	}
	for _, c := range metrics {
		if metricsAddr == "" {
			continue
		}
		c = strings.Replace(c, "localhost:9090", metricsAddr, 1)
		if out := run1(t, "", "sh", "-c", c); !strings.Contains(out, `grpc_server_handled_total{grpc_code="OK",grpc_method=`) {
			t.Errorf("%s printed %q, which counts no call", c, out)
		}
	}
}

// jsonObjects returns how many JSON objects the command c printed as out,
// one after the other; it fails the test when out holds anything else.
func jsonObjects(t *testing.T, c, out string) int {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	n := 0
	for {
		var v map[string]any
		if err := dec.Decode(&v); err == io.EOF {
			return n
		} else if err != nil {
			t.Errorf("%s printed %q, not a stream of JSON objects: %v", c, out, err)
			return n
		}
		n++
	}
}

// installGrpcurl returns grpcurl from PATH, or installs it in a temporary
// GOBIN.
func installGrpcurl(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("grpcurl"); err == nil {
		return p
	}
	gobin := t.TempDir()
	cmd := exec.Command("go", "install", "github.com/fullstorydev/grpcurl/cmd/grpcurl@v1.9.4")
	cmd.Dir = gobin
	cmd.Env = append(os.Environ(), "GOBIN="+gobin, "GOFLAGS=", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install grpcurl: %v\n%s", err, out)
	}
	return filepath.Join(gobin, "grpcurl")
}

// run1 runs a command for at most a minute and returns its stdout; it fails
// the test when the command fails.
func run1(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// TestNewPlainGRPC makes a module with -http=false: its server main is
// plain grpc-go (no Vanguard, no page), it vets and its tests pass, and gen
// keeps the choice, which buf.gen.yaml records.
func TestNewPlainGRPC(t *testing.T) {
	if testing.Short() {
		t.Skip("builds grpc in a new module")
	}
	dir := filepath.Join(t.TempDir(), "plain")
	_, stderr, code := gotutor(t, "new", filepath.Join("..", "..", "examples", "helloworld", "helloworld.proto"), "-o", dir, "-module", "example.com/plain", "-http=false")
	if code != 0 {
		t.Fatalf("gotutor new -http=false: exit %d\n%s", code, stderr)
	}
	check := func(t *testing.T) {
		t.Helper()
		for _, name := range []string{"greeter-server/server_gotutor.go", "greeter-server/server_gotutor_test.go", "greeter-server/main.go"} {
			server := string(testkit.ReadFile(t, filepath.Join(dir, "helloworld", "cmd", filepath.FromSlash(name))))
			for _, unwanted := range []string{"oneport", "vanguard", "cmux", "connect", "Page"} {
				if strings.Contains(server, unwanted) {
					t.Errorf("%s of a plain grpc-go module mentions %s", name, unwanted)
				}
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "helloworld", "greeter_gotutor.html")); err == nil {
			t.Error("a plain grpc-go module has a web page")
		}
	}
	check(t)
	if yaml := string(testkit.ReadFile(t, filepath.Join(dir, "buf.gen.yaml"))); !strings.Contains(yaml, "      - http=false\n") {
		t.Errorf("buf.gen.yaml does not record http=false:\n%s", yaml)
	}
	gomod := string(testkit.ReadFile(t, filepath.Join(dir, "go.mod")))
	for _, unwanted := range []string{"connectrpc.com/vanguard", "connectrpc.com/connect", "github.com/soheilhy/cmux"} {
		if strings.Contains(gomod, unwanted) {
			t.Errorf("go.mod of a plain grpc-go module requires %s:\n%s", unwanted, gomod)
		}
	}
	testkit.Go(t, dir, "vet", "./...")
	out := testkit.Go(t, dir, "test", "-count=1", "./...")
	for _, pkg := range []string{"helloworld", "helloworld/cmd/greeter-server"} {
		if !strings.Contains(out, "ok  \texample.com/plain/"+pkg+"\t") {
			t.Errorf("the tests of %s did not pass:\n%s", pkg, out)
		}
	}
	if _, stderr, code := gotutor(t, "gen", "-C", dir); code != 0 {
		t.Fatalf("gotutor gen: exit %d\n%s", code, stderr)
	}
	check(t)
}

// TestNewNoService makes a module from a proto without services: gotutor
// says that it writes nothing of its own for it, and the module still
// builds.
func TestNewNoService(t *testing.T) {
	if testing.Short() {
		t.Skip("builds protobuf in a new module")
	}
	tmp := t.TempDir()
	protoPath := filepath.Join(tmp, "types.proto")
	testkit.WriteFile(t, protoPath, "syntax = \"proto3\";\npackage types;\noption go_package = \"example.com/types/types\";\nmessage Point { int32 x = 1; int32 y = 2; }\n")
	dir := filepath.Join(tmp, "types")
	stdout, stderr, code := gotutor(t, "new", protoPath, "-o", dir, "-module", "example.com/types")
	const warning = "warning: the protos declare no service: gotutor writes servicers, mains, tests and guides for services, so this module holds only the protos' Go types; add a service, then run gotutor gen\n"
	if code != 0 || !strings.HasSuffix(stderr, warning) || stdout != "Next:\n  cd "+dir+"\n  go test ./...\n" {
		t.Fatalf("gotutor new: exit %d\nstderr:\n%s\nwant it to end with:\n%s\nstdout:\n%s", code, stderr, warning, stdout)
	}
	testkit.Go(t, dir, "vet", "./...")
}

// TestGenUpgrades runs gen on a module that gotutor made before the server
// plumbing moved into the runtime (testdata/upgrade/shopmod): the old
// generated copy of the plumbing is removed, every file of the user's is
// left byte for byte, a shim is generated for the main.go of that version,
// and the module vets, passes its tests and its server main runs.
func TestGenUpgrades(t *testing.T) {
	if testing.Short() {
		t.Skip("builds grpc in a module")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "shopmod")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "upgrade", "shopmod"))); err != nil {
		t.Fatal(err)
	}
	testkit.ReplaceIn(t, filepath.Join(dir, "go.mod"), "=> GOTUTOR_CHECKOUT", "=> "+root)
	yours := []string{
		"shop/v1/cmd/orders-client/main.go", "shop/v1/cmd/orders-server/main.go",
		"shop/v1/orders_service.go", "shop/v1/orders_service_test.go",
	}
	before := map[string][]byte{}
	for _, name := range yours {
		before[name] = testkit.ReadFile(t, filepath.Join(dir, filepath.FromSlash(name)))
	}

	stdout, stderr, code := gotutor(t, "gen", "-C", dir)
	if code != 0 {
		t.Fatalf("gotutor gen: exit %d\n%s", code, stderr)
	}
	p := func(name string) string { return filepath.Join(dir, filepath.FromSlash(name)) }
	for _, want := range []string{
		"removed   " + p("shop/v1/cmd/internal/gotutorserver/server_gotutor.go") + " (no longer generated)\n",
		"removed   " + p("shop/v1/cmd/internal/gotutorserver/server_gotutor_test.go") + " (no longer generated)\n",
		"wrote     " + p("shop/v1/cmd/orders-server/server_gotutor.go") + "\n",
		"wrote     " + p("shop/v1/cmd/orders-server/server_legacy_gotutor.go") + "\n",
		"kept      " + p("shop/v1/cmd/orders-server/main.go") + " (yours)\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("gotutor gen's report lacks %q:\n%s", want, stdout)
		}
	}
	for _, name := range yours {
		if !bytes.Equal(testkit.ReadFile(t, p(name)), before[name]) {
			t.Errorf("gen changed %s, which is the user's", name)
		}
	}
	if _, err := os.Stat(p("shop/v1/cmd/internal")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("shop/v1/cmd/internal is still there (%v): gen leaves no empty folder", err)
	}
	testkit.Go(t, dir, "vet", "./...")
	out := testkit.Go(t, dir, "test", "-count=1", "./...")
	for _, pkg := range []string{"shop/v1", "shop/v1/cmd/orders-server"} {
		if !strings.Contains(out, "ok  \texample.com/shopmod/"+pkg+"\t") {
			t.Errorf("the tests of %s did not pass:\n%s", pkg, out)
		}
	}
	bin := t.TempDir()
	testkit.Go(t, dir, "build", "-o", bin+string(os.PathSeparator), "./shop/v1/cmd/orders-server", "./shop/v1/cmd/orders-client")
	addr := testkit.StartServer(t, filepath.Join(bin, "orders-server"))
	if got := run1(t, "", filepath.Join(bin, "orders-client"), "-addr", addr); !strings.HasPrefix(got, "Place: {") {
		t.Errorf("orders-client printed %q, want the answer of Place first", got)
	}

	// Once the user's main.go calls the runtime as new ones do, the shim
	// is no longer generated.
	testkit.WriteFile(t, p("shop/v1/cmd/orders-server/main.go"), newStyleMain)
	stdout, stderr, code = gotutor(t, "gen", "-C", dir)
	if want := "removed   " + p("shop/v1/cmd/orders-server/server_legacy_gotutor.go") + " (no longer generated)\n"; code != 0 || !strings.Contains(stdout, want) {
		t.Fatalf("gotutor gen after main.go moved to the runtime: exit %d, report lacks %q:\n%s\n%s", code, want, stdout, stderr)
	}
	testkit.Go(t, dir, "vet", "./shop/v1/cmd/orders-server")
}

// newStyleMain is orders-server's main.go as gotutor scaffolds it now.
const newStyleMain = `package main

import (
	"context"
	"flag"
	"net"
	"os"
	"os/signal"

	shopv1 "example.com/shopmod/shop/v1"
	"github.com/gotutor/gotutor/serve"
)

func main() {
	var cfg serve.Config
	cfg.BindFlags(flag.CommandLine)
	flag.Parse()
	logger, err := cfg.NewLogger(os.Stderr)
	if err != nil {
		os.Exit(2)
	}
	server, err := cfg.NewServer(logger, served)
	if err != nil {
		os.Exit(1)
	}
	shopv1.RegisterOrdersServer(server, shopv1.NewOrdersService())
	lis, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := cfg.Serve(ctx, lis, server, logger, served); err != nil {
		os.Exit(1)
	}
}
`
