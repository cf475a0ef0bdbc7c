package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gotutor/gotutor/internal/testkit"
)

// corpus is the shared corpus of real-world protos, beside the checkout.
var corpus = filepath.Join("..", "..", "..", "shared", "corpus")

// copyTree writes files (import name → content) below dir; a content that
// starts with "corpus:" is the rest, a file of the corpus, read now.
func copyTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		if src, ok := strings.CutPrefix(content, "corpus:"); ok {
			data, err := os.ReadFile(filepath.Join(corpus, filepath.FromSlash(src)))
			if err != nil {
				testkit.Missing(t, fmt.Sprintf("the corpus of real-world protos is not there: %v", err))
			}
			content = string(data)
		}
		testkit.WriteFile(t, filepath.Join(dir, filepath.FromSlash(name)), content)
	}
}

// shelfProto is a service of this test's, which imports googleapis' files
// and grpc's health.proto from a tree that holds copies of them.
const shelfProto = `syntax = "proto3";

package shelf.v1;

import "google/api/annotations.proto";
import "google/api/client.proto";
import "google/api/field_behavior.proto";
import "google/api/resource.proto";
import "google/rpc/status.proto";
import "grpc/health/v1/health.proto";

option go_package = "example.com/shelf/shelf/v1;shelfv1";

// Shelves of books.
service Shelves {
  option (google.api.default_host) = "shelf.example.com";

  // Gets a shelf.
  rpc GetShelf(GetShelfRequest) returns (Shelf) {
    option (google.api.http) = {get: "/v1/{name=shelves/*}"};
    option (google.api.method_signature) = "name";
  }
}

// A shelf.
message Shelf {
  option (google.api.resource) = {
    type: "shelf.example.com/Shelf"
    pattern: "shelves/{shelf}"
  };

  // Its name, shelves/{shelf}.
  string name = 1;
  // How its last check went.
  google.rpc.Status status = 2 [(google.api.field_behavior) = OUTPUT_ONLY];
  // Whether it serves.
  grpc.health.v1.HealthCheckResponse.ServingStatus serving = 3;
}

message GetShelfRequest {
  // The shelf's name.
  string name = 1 [
    (google.api.field_behavior) = REQUIRED,
    (google.api.resource_reference).type = "shelf.example.com/Shelf"
  ];
}
`

// healthProto is this test's own grpc/health/v1/health.proto: a part of
// grpc's, at its path.
const healthProto = `syntax = "proto3";

package grpc.health.v1;

option go_package = "google.golang.org/grpc/health/grpc_health_v1";

message HealthCheckRequest {
  string service = 1;
}

message HealthCheckResponse {
  enum ServingStatus {
    UNKNOWN = 0;
    SERVING = 1;
    NOT_SERVING = 2;
    SERVICE_UNKNOWN = 3;
  }
  ServingStatus status = 1;
}

service Health {
  rpc Check(HealthCheckRequest) returns (HealthCheckResponse);
}
`

// TestNewVendoredLinkedFiles makes a module from a proto in a tree that
// keeps copies of googleapis' google/api and google/rpc files (from the
// corpus) and of grpc/health/v1/health.proto, all of which the server links
// already through genproto and grpc-go: gotutor says so of each, the module
// gets no copy and no Go code of them, its tests pass, and its server main
// starts (no file is registered twice) and answers.
func TestNewVendoredLinkedFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds grpc in a new module")
	}
	tree := t.TempDir()
	files := map[string]string{"shelf/v1/shelf.proto": shelfProto, "grpc/health/v1/health.proto": healthProto}
	for _, name := range []string{"annotations", "client", "field_behavior", "http", "launch_stage", "resource"} {
		files["google/api/"+name+".proto"] = "corpus:gapi2/google/api/" + name + ".proto"
	}
	files["google/rpc/status.proto"] = "corpus:gapi2/google/rpc/status.proto"
	copyTree(t, tree, files)
	dir := filepath.Join(t.TempDir(), "shelf")
	stdout, stderr, code := gotutor(t, "new", "-I", tree, filepath.Join(tree, "shelf", "v1", "shelf.proto"), "-o", dir)
	if code != 0 {
		t.Fatalf("gotutor new: exit %d\nstderr:\n%s\nstdout:\n%s", code, stderr, stdout)
	}
	for _, want := range []string{
		"google/api/launch_stage.proto is linked into every server already (Go package google.golang.org/genproto/googleapis/api): the module uses that package, and gets no copy of the file\n",
		"google/api/annotations.proto is linked into every server already (Go package google.golang.org/genproto/googleapis/api/annotations): the module uses that package, and gets no copy of the file\n",
		"google/rpc/status.proto is linked into every server already (Go package google.golang.org/genproto/googleapis/rpc/status): the module uses that package, and gets no copy of the file\n",
		"grpc/health/v1/health.proto is linked into every server already (Go package google.golang.org/grpc/health/grpc_health_v1): the module uses that package, and gets no copy of the file\n",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("gotutor new's stderr lacks %q:\n%s", want, stderr)
		}
	}
	if n := strings.Count(stderr, "is linked into every server already"); n != 8 {
		t.Errorf("gotutor new's stderr names %d linked files, want 8:\n%s", n, stderr)
	}
	all := listFiles(t, dir)
	for _, name := range all {
		if strings.Contains(name, "google/") || strings.Contains(name, "grpc/") || strings.HasPrefix(name, "annotations/") || strings.HasPrefix(name, "api/") || strings.HasPrefix(name, "status/") {
			t.Errorf("the module holds %s, a copy of a linked file or its Go code", name)
		}
	}
	pb := string(testkit.ReadFile(t, filepath.Join(dir, "shelf", "v1", "shelf.pb.go")))
	for _, want := range []string{
		"\t_ \"google.golang.org/genproto/googleapis/api/annotations\"\n",
		"\tstatus \"google.golang.org/genproto/googleapis/rpc/status\"\n",
		"\tgrpc_health_v1 \"google.golang.org/grpc/health/grpc_health_v1\"\n",
	} {
		if !strings.Contains(pb, want) {
			t.Errorf("shelf.pb.go does not import %s", strings.TrimSpace(want))
		}
	}
	testkit.Go(t, dir, "vet", "./...")
	if out := testkit.Go(t, dir, "test", "-count=1", "./..."); !strings.Contains(out, "ok  \texample.com/shelf/shelf/v1/cmd/shelves-server\t") {
		t.Errorf("go test ./... did not pass the server main's tests:\n%s", out)
	}
	bin := t.TempDir()
	testkit.Go(t, dir, "build", "-o", bin+string(os.PathSeparator), "./shelf/v1/cmd/shelves-server", "./shelf/v1/cmd/shelves-client")
	addr := testkit.StartServer(t, filepath.Join(bin, "shelves-server"))
	if got := compactLines(t, run1(t, "", filepath.Join(bin, "shelves-client"), "-addr", addr)); !strings.HasPrefix(got, "GetShelf: {\"name\":\"shelves/my-shelf\"") {
		t.Errorf("shelves-client printed %q", got)
	}

	t.Run("gen", func(t *testing.T) {
		stdout, stderr, code := gotutor(t, "gen", "-C", dir)
		if code != 0 || strings.Contains(stderr, "warning") {
			t.Fatalf("gotutor gen: exit %d\nstderr:\n%s", code, stderr)
		}
		if strings.Contains(stdout, "wrote") || strings.Contains(stdout, "removed") {
			t.Errorf("gotutor gen changed the module:\n%s", stdout)
		}
	})
}

// TestNewLinkedNames: a file under another path that declares names of a
// linked file, as qdrant's health_check.proto declares grpc.health.v1's,
// is left to the linked package when it declares them as that file does
// (the module's tests pass: nothing is registered twice), and stops gotutor
// new with an error that names it, the names and what to do otherwise.
func TestNewLinkedNames(t *testing.T) {
	if testing.Short() {
		t.Skip("builds grpc in a new module")
	}
	const probe = `syntax = "proto3";

package probe.v1;

import "health_check.proto";

option go_package = "example.com/probe/probe/v1;probev1";

service Prober {
  // Probes a service.
  rpc Probe(grpc.health.v1.HealthCheckRequest) returns (grpc.health.v1.HealthCheckResponse);
}
`
	t.Run("the same declarations", func(t *testing.T) {
		tree := t.TempDir()
		copyTree(t, tree, map[string]string{"probe.proto": probe, "health_check.proto": "corpus:qdrant/health_check.proto"})
		dir := filepath.Join(t.TempDir(), "probe")
		stdout, stderr, code := gotutor(t, "new", filepath.Join(tree, "probe.proto"), "-o", dir)
		if code != 0 {
			t.Fatalf("gotutor new: exit %d\nstderr:\n%s\nstdout:\n%s", code, stderr, stdout)
		}
		want := "health_check.proto declares grpc.health.v1.HealthCheckRequest, grpc.health.v1.HealthCheckResponse and grpc.health.v1.Health as grpc/health/v1/health.proto does, which every server links already (Go package google.golang.org/grpc/health/grpc_health_v1): gotutor generates nothing for it and uses that package (option Mhealth_check.proto=google.golang.org/grpc/health/grpc_health_v1 in buf.gen.yaml)\n"
		if !strings.Contains(stderr, want) {
			t.Errorf("gotutor new's stderr lacks %q:\n%s", want, stderr)
		}
		for _, name := range listFiles(t, dir) {
			if strings.Contains(name, "health") && name != "proto/health_check.proto" {
				t.Errorf("the module holds %s, Go code of health_check.proto", name)
			}
		}
		testkit.Go(t, dir, "vet", "./...")
		if out := testkit.Go(t, dir, "test", "-count=1", "./..."); !strings.Contains(out, "ok  \texample.com/probe/probe/v1/cmd/prober-server\t") {
			t.Errorf("go test ./... did not pass the server main's tests:\n%s", out)
		}

		// buf generate leaves the file out too, as buf.gen.yaml says.
		before := listFiles(t, dir)
		cmd := exec.Command(testkit.BuildBuf(t), "generate")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("buf generate: %v\n%s", err, out)
		}
		if got := listFiles(t, dir); strings.Join(got, "\n") != strings.Join(before, "\n") {
			t.Errorf("after buf generate the module holds\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(before, "\n"))
		}
		stdout, stderr, code = gotutor(t, "gen", "-C", dir)
		if code != 0 || strings.Contains(stderr, "warning") || strings.Contains(stdout, "wrote") {
			t.Errorf("gotutor gen after buf generate: exit %d\nstderr:\n%s\nstdout:\n%s", code, stderr, stdout)
		}
	})
	t.Run("other declarations", func(t *testing.T) {
		tree := t.TempDir()
		copyTree(t, tree, map[string]string{"probe.proto": probe, "health_check.proto": "corpus:qdrant/health_check.proto"})
		// A field more than grpc's HealthCheckRequest has.
		p := filepath.Join(tree, "health_check.proto")
		text := string(testkit.ReadFile(t, p))
		if !strings.Contains(text, "  string service = 1;\n") {
			t.Fatalf("qdrant's health_check.proto has changed:\n%s", text)
		}
		testkit.WriteFile(t, p, strings.Replace(text, "  string service = 1;\n", "  string service = 1;\n  string zone = 2;\n", 1))
		dir := filepath.Join(t.TempDir(), "probe")
		_, stderr, code := gotutor(t, "new", filepath.Join(tree, "probe.proto"), "-o", dir)
		want := "gotutor: health_check.proto declares grpc.health.v1.HealthCheckRequest, grpc.health.v1.HealthCheckResponse and grpc.health.v1.Health, which grpc/health/v1/health.proto declares too (Go package google.golang.org/grpc/health/grpc_health_v1, which every server links): a program with both panics at start (\"already registered\"); give health_check.proto another package, or import grpc/health/v1/health.proto instead of it\n"
		if code != 1 || !strings.HasSuffix(stderr, want) {
			t.Errorf("gotutor new: exit %d\nstderr:\n%s\nwant it to end with:\n%s", code, stderr, want)
		}
		if _, err := os.Stat(dir); err == nil {
			t.Errorf("gotutor new failed, and left %s", dir)
		}
	})
}
