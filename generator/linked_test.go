package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gotutor/gotutor/internal/protoreq"
)

// TestLinkedFiles: a request whose files are, or declare the names of,
// files that the generated code's dependencies register (grpc-go's
// health.proto here, in files of this test's own) is refused with an error
// that names the file and the M option that fixes it; with that option, the
// file gets no code of gotutor's and the rest is generated.
func TestLinkedFiles(t *testing.T) {
	const svc = `syntax = "proto3";
package svc.v1;
import "%s";
option go_package = "example.com/m/svc/v1;svcv1";
service Pinger {
  rpc Ping(grpc.health.v1.HealthCheckRequest) returns (grpc.health.v1.HealthCheckRequest);
}
`
	const health = `syntax = "proto3";
package grpc.health.v1;
option go_package = "example.com/m/health";
message HealthCheckRequest {
  %s service = 1;
}
service Health {
  rpc Check(HealthCheckRequest) returns (HealthCheckResponse);
}
message HealthCheckResponse {
  enum ServingStatus {
    UNKNOWN = 0;
    SERVING = 1;
  }
  ServingStatus status = 1;
}
`
	for _, tc := range []struct {
		name, file, field, param, want string
	}{
		{
			name: "the same path, in the module", file: "grpc/health/v1/health.proto", field: "string", param: "module=example.com/m",
			want: "grpc/health/v1/health.proto would get Go package example.com/m/health, but the generated code links google.golang.org/grpc/health/grpc_health_v1, which registers grpc/health/v1/health.proto too: the programs would panic at start (file already registered); pass --gotutor_opt=Mgrpc/health/v1/health.proto=google.golang.org/grpc/health/grpc_health_v1 (and the same M to --go_opt and --go-grpc_opt), and leave it out of the files to generate",
		},
		{
			name: "the same path, mapped to grpc-go", file: "grpc/health/v1/health.proto", field: "string",
			param: "module=example.com/m,Mgrpc/health/v1/health.proto=google.golang.org/grpc/health/grpc_health_v1",
		},
		{
			name: "the same names, in the module", file: "mine/health_check.proto", field: "string", param: "module=example.com/m",
			want: "mine/health_check.proto declares grpc.health.v1.HealthCheckRequest, grpc.health.v1.HealthCheckResponse and grpc.health.v1.Health, as grpc/health/v1/health.proto does, which the generated code links (Go package google.golang.org/grpc/health/grpc_health_v1): the programs would panic at start (name already registered); pass --gotutor_opt=Mmine/health_check.proto=google.golang.org/grpc/health/grpc_health_v1 (and the same M to --go_opt and --go-grpc_opt) and leave it out of the files to generate, or give it another package",
		},
		{
			name: "the same names, mapped to grpc-go", file: "mine/health_check.proto", field: "string",
			param: "module=example.com/m,Mmine/health_check.proto=google.golang.org/grpc/health/grpc_health_v1",
		},
		{
			name: "the same names, declared otherwise", file: "mine/health_check.proto", field: "int32",
			param: "module=example.com/m,Mmine/health_check.proto=google.golang.org/grpc/health/grpc_health_v1",
			want:  "mine/health_check.proto declares grpc.health.v1.HealthCheckRequest, grpc.health.v1.HealthCheckResponse and grpc.health.v1.Health, which grpc/health/v1/health.proto declares too, and the generated code links it (Go package google.golang.org/grpc/health/grpc_health_v1): the programs would panic at start (name already registered); give mine/health_check.proto another package, or import grpc/health/v1/health.proto instead of it",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write := func(name, content string) {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o666); err != nil {
					t.Fatal(err)
				}
			}
			write(tc.file, strings.Replace(health, "%s", tc.field, 1))
			write("svc/v1/svc.proto", strings.Replace(svc, "%s", tc.file, 1))
			req, err := protoreq.Compile(context.Background(), []string{dir}, []string{tc.file, "svc/v1/svc.proto"}, tc.param)
			if err != nil {
				t.Fatal(err)
			}
			opts := DefaultOptions()
			opts.Scaffold = false
			resp, err := Respond(req, opts)
			if tc.want != "" {
				if err == nil || err.Error() != tc.want {
					t.Errorf("Respond: %v\nwant: %s", err, tc.want)
				}
				return
			}
			if err != nil || resp.GetError() != "" {
				t.Fatalf("Respond: %v %s", err, resp.GetError())
			}
			var names []string
			for _, f := range resp.GetFile() {
				names = append(names, f.GetName())
				if strings.Contains(f.GetName(), "health") {
					t.Errorf("gotutor generated %s for the file that grpc-go registers", f.GetName())
				}
			}
			if !strings.Contains(strings.Join(names, " "), "svc/v1/svc_gotutor.go") {
				t.Errorf("gotutor generated %q, without svc/v1/svc_gotutor.go", names)
			}
		})
	}
}
