package serve_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// deps returns the packages that pkg depends on, itself included.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), "go", "list", "-deps", pkg).Output()
	if err != nil {
		if exit, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, exit.Stderr)
		}
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

// TestDependencies checks that the runtime links nothing of gotutor's code
// generator (its package, its internal packages, its .proto compiler), and
// that package serve links neither protovalidate, which package validation
// brings only to the servers whose requests have rules, nor Vanguard,
// Connect or cmux, which package oneport brings only to the servers that
// speak more than native gRPC, nor package stubs and its YAML parser,
// which only the mains that answer with stubs link, and that a client
// (package dial, and with it telemetry) links no Prometheus.
func TestDependencies(t *testing.T) {
	const module = "github.com/gotutor/gotutor"
	for _, c := range []struct {
		pkg  string
		want []string // a few of its dependencies, so that the list is real
	}{
		{module + "/serve", []string{"google.golang.org/grpc", "google.golang.org/grpc/health", "google.golang.org/grpc/reflection", module + "/serve/telemetry", module + "/serve/metrics"}},
		{module + "/serve/oneport", []string{module + "/serve", "connectrpc.com/vanguard", "github.com/soheilhy/cmux"}},
		{module + "/serve/servetest", []string{module + "/serve", "google.golang.org/grpc"}},
		{module + "/serve/validation", []string{"buf.build/go/protovalidate", "google.golang.org/genproto/googleapis/rpc/errdetails"}},
		{module + "/serve/stubs", []string{module + "/serve", "go.yaml.in/yaml/v3", "google.golang.org/protobuf/encoding/protojson"}},
		{module + "/serve/dial", []string{"google.golang.org/grpc", "google.golang.org/grpc/credentials", module + "/serve/telemetry"}},
		{module + "/serve/telemetry", []string{"go.opentelemetry.io/otel/sdk/trace", "go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"}},
		{module + "/serve/metrics", []string{"github.com/prometheus/client_golang/prometheus", "github.com/grpc-ecosystem/go-grpc-middleware/providers/prometheus"}},
	} {
		list := deps(t, c.pkg)
		for _, want := range append(c.want, c.pkg) {
			if !slices.Contains(list, want) {
				t.Errorf("%s: go list -deps lacks %s:\n%s", c.pkg, want, strings.Join(list, "\n"))
			}
		}
		for _, dep := range list {
			switch {
			case dep == module+"/generator" || strings.HasPrefix(dep, module+"/generator/"),
				strings.HasPrefix(dep, module+"/") && (strings.Contains(dep, "/internal/") || strings.HasSuffix(dep, "/internal")),
				dep == "github.com/bufbuild/protocompile" || strings.HasPrefix(dep, "github.com/bufbuild/protocompile/"):
				t.Errorf("%s depends on %s", c.pkg, dep)
			case c.pkg != module+"/serve/validation" && (dep == "buf.build/go/protovalidate" || strings.HasPrefix(dep, "buf.build/go/protovalidate/")),
				c.pkg != module+"/serve/oneport" && (strings.HasPrefix(dep, "connectrpc.com/") || strings.HasPrefix(dep, "github.com/soheilhy/cmux")),
				c.pkg != module+"/serve/stubs" && dep == module+"/serve/stubs",
				c.pkg == module+"/serve" && (strings.HasPrefix(dep, "go.yaml.in/") || strings.HasPrefix(dep, "gopkg.in/yaml")),
				(c.pkg == module+"/serve/dial" || c.pkg == module+"/serve/telemetry") && strings.HasPrefix(dep, "github.com/prometheus/"):
				t.Errorf("%s depends on %s", c.pkg, dep)
			}
		}
	}
}
