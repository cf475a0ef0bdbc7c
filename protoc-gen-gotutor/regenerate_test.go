package main

import (
	"bytes"
	"context"
	"github.com/gotutor/gotutor/internal/testkit"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const greetV1 = `syntax = "proto3";
package greet;
option go_package = "example.com/evolve/greet";

service Greeter {
  rpc SayHello(HelloRequest) returns (HelloReply);
}
message HelloRequest { string name = 1; }
message HelloReply { string message = 1; }
`

// greetV2 gains a field, a server-streaming method and a service.
const greetV2 = `syntax = "proto3";
package greet;
option go_package = "example.com/evolve/greet";

service Greeter {
  rpc SayHello(HelloRequest) returns (HelloReply);
  // SayGoodbye says goodbye a few times.
  rpc SayGoodbye(HelloRequest) returns (stream HelloReply);
}
service Farewell {
  rpc Wave(HelloRequest) returns (HelloReply);
}
message HelloRequest { string name = 1; int32 times = 2; }
message HelloReply { string message = 1; }
`

// greetV3 loses SayHello.
const greetV3 = `syntax = "proto3";
package greet;
option go_package = "example.com/evolve/greet";

service Greeter {
  rpc SayGoodbye(HelloRequest) returns (stream HelloReply);
}
service Farewell {
  rpc Wave(HelloRequest) returns (HelloReply);
}
message HelloRequest { string name = 1; int32 times = 2; }
message HelloReply { string message = 1; }
`

// TestRegenerateKeepsEdits plays a user's day: scaffold from a proto, edit
// the servicer and its test, add a field, a method and a service, and run
// the same protoc command again. Nothing of the user's may change, the
// module must build and pass its tests, the new method must be served with
// its example answer and callable from the client main.
func TestRegenerateKeepsEdits(t *testing.T) {
	dir := newModule(t, greetV1)
	protoFile := filepath.Join(dir, "proto", "greet.proto")
	runProtoc(t, dir)

	// The user's edits: SayHello greets by name, and its test says so.
	servicer := filepath.Join(dir, "greet", "greeter_service.go")
	testkit.ReplaceIn(t, servicer, "\treturn ExampleHelloReply(), nil\n", "\treturn &HelloReply{Message: \"Hello, \" + req.GetName() + \"!\"}, nil\n")
	servicerTest := filepath.Join(dir, "greet", "greeter_service_test.go")
	testkit.ReplaceIn(t, servicerTest, "if want := greet.ExampleHelloReply();", "if want := (&greet.HelloReply{Message: \"Hello, name!\"});")
	userFiles := []string{
		servicer, servicerTest,
		filepath.Join(dir, "greet", "cmd", "greeter-server", "main.go"),
		filepath.Join(dir, "greet", "cmd", "greeter-client", "main.go"),
	}
	before := map[string][]byte{}
	for _, f := range userFiles {
		before[f] = testkit.ReadFile(t, f)
	}

	testkit.WriteFile(t, protoFile, greetV2)
	runProtoc(t, dir)
	for _, f := range userFiles {
		if after := testkit.ReadFile(t, f); !bytes.Equal(before[f], after) {
			t.Errorf("regenerating changed the user's %s", f)
		}
	}
	for _, f := range []string{"farewell_service.go", "farewell_service_test.go", "cmd/farewell-server/main.go", "cmd/farewell-client/main.go"} {
		if _, err := os.Stat(filepath.Join(dir, "greet", f)); err != nil {
			t.Errorf("the new service's %s was not scaffolded: %v", f, err)
		}
	}
	testkit.Go(t, dir, "mod", "tidy")
	testkit.Go(t, dir, "vet", "./...")
	out := testkit.Go(t, dir, "test", "-count=1", "-v", "-run", "TestDefaultGreeterServer$|TestGreeterService$|TestDefaultFarewellServer$", "./greet")
	for _, want := range []string{"--- PASS: TestDefaultGreeterServer/SayGoodbye", "--- PASS: TestGreeterService/SayHello", "--- PASS: TestDefaultFarewellServer/Wave"} {
		if !strings.Contains(out, want) {
			t.Errorf("go test output lacks %q:\n%s", want, out)
		}
	}

	// The server serves the user's SayHello and the new SayGoodbye; the
	// client main, which the user owns, can call the new method.
	bin := t.TempDir()
	testkit.Go(t, dir, "build", "-o", bin+string(os.PathSeparator), "./greet/cmd/greeter-server", "./greet/cmd/greeter-client")
	addr := testkit.StartServer(t, filepath.Join(bin, "greeter-server"))
	got := run(t, filepath.Join(bin, "greeter-client"), "-addr", addr)
	if !strings.Contains(got, "SayHello: ") || !strings.Contains(got, "Hello, name!") {
		t.Errorf("client output lacks the user's SayHello answer:\n%s", got)
	}
	got = run(t, filepath.Join(bin, "greeter-client"), "-addr", addr, "-method", "SayGoodbye")
	if n := strings.Count(got, "SayGoodbye: "); n != 3 || strings.Contains(got, "SayHello") {
		t.Errorf("client -method SayGoodbye printed %d SayGoodbye lines, want 3 and nothing else:\n%s", n, got)
	}

	// A removed method leaves the program building; only the user's test
	// of it has to go (the README says so).
	testkit.WriteFile(t, protoFile, greetV3)
	runProtoc(t, dir)
	testkit.Go(t, dir, "build", "./...")
}

// runProtoc runs protoc in dir on proto/greet.proto with the three plugins,
// passing gotutor the extra options.
func runProtoc(t *testing.T, dir string, gotutorOpts ...string) {
	t.Helper()
	const module = "example.com/evolve"
	args := []string{"-I", "proto",
		"--plugin=protoc-gen-go=" + filepath.Join(binDir, "protoc-gen-go"),
		"--plugin=protoc-gen-go-grpc=" + filepath.Join(binDir, "protoc-gen-go-grpc"),
		"--plugin=protoc-gen-gotutor=" + plugin(),
		"--go_out=.", "--go_opt=module=" + module,
		"--go-grpc_out=.", "--go-grpc_opt=module=" + module,
		"--gotutor_out=.", "--gotutor_opt=module=" + module,
		"greet.proto"}
	for _, opt := range gotutorOpts {
		args = append(args, "--gotutor_opt="+opt)
	}
	cmd := exec.Command("protoc", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("protoc %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}
