package scaffold

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/gotutor/gotutor/generator"
	"github.com/gotutor/gotutor/internal/protoreq"
	"github.com/gotutor/gotutor/internal/testkit"
)

// TestUseLinked: the module's copy of a linked file is not generated, and
// is mapped to the linked package when its go_package names another; a
// file that declares a linked file's names the same way is mapped there
// too; the module's own files are generated.
func TestUseLinked(t *testing.T) {
	dir := t.TempDir()
	testkit.WriteFile(t, dir+"/grpc/health/v1/health.proto", "syntax = \"proto3\";\npackage grpc.health.v1;\noption go_package = \"example.com/m/health\";\nmessage HealthCheckRequest { string service = 1; }\n")
	testkit.WriteFile(t, dir+"/mine/status.proto", "syntax = \"proto3\";\npackage grpc.binarylog.v1;\noption go_package = \"example.com/m/binlog\";\nmessage Address { enum Type { TYPE_UNKNOWN = 0; TYPE_IPV4 = 1; } Type type = 1; string address = 2; uint32 ip_port = 3; }\n")
	testkit.WriteFile(t, dir+"/svc.proto", "syntax = \"proto3\";\npackage svc;\nimport \"grpc/health/v1/health.proto\";\nimport \"mine/status.proto\";\noption go_package = \"example.com/m/svc\";\nmessage M { grpc.health.v1.HealthCheckRequest r = 1; grpc.binarylog.v1.Address a = 2; }\n")
	files := []string{"grpc/health/v1/health.proto", "mine/status.proto", "svc.proto"}
	c, err := protoreq.Build(context.Background(), protoreq.Input{ImportPaths: []string{dir}, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	u, err := useLinked(c.Request.GetProtoFile(), files)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(u.generate, []string{"svc.proto"}) || !slices.Equal(u.left, files[:2]) {
		t.Errorf("generate = %q and left = %q, want svc.proto and the other two", u.generate, u.left)
	}
	yaml := bufGenYAML("example.com/m", u.mappings, generator.DefaultOptions(), nil, u.left...)
	if want := "inputs:\n  - directory: proto\n    exclude_paths:\n      - proto/grpc/health/v1/health.proto\n      - proto/mine/status.proto\n"; !strings.HasSuffix(yaml, want) {
		t.Errorf("buf.gen.yaml does not end with %q:\n%s", want, yaml)
	}
	var opts []string
	for _, m := range u.mappings {
		opts = append(opts, m.option())
	}
	if want := []string{"Mgrpc/health/v1/health.proto=google.golang.org/grpc/health/grpc_health_v1", "Mmine/status.proto=google.golang.org/grpc/binarylog/grpc_binarylog_v1"}; !slices.Equal(opts, want) {
		t.Errorf("mappings %q, want %q", opts, want)
	}
	if len(u.notes) != 2 {
		t.Errorf("notes %q, want one per file left to a linked package", u.notes)
	}
}
