package randproto

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/gotutor/gotutor/internal/protoreq"
)

var cases = flag.Int("cases", 100, "number of seeds to check")

// TestDeterministic: a seed (and data) always gives the same set.
func TestDeterministic(t *testing.T) {
	for seed := uint64(0); seed < 20; seed++ {
		a, err := New(seed, []byte{byte(seed), 7, 9})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := New(seed, []byte{byte(seed), 7, 9})
		if len(a.Files) != len(b.Files) || a.Parameter != b.Parameter || !reflect.DeepEqual(a.Runs, b.Runs) {
			t.Fatalf("seed %d: two sets differ", seed)
		}
		for i := range a.Files {
			if !proto.Equal(a.Files[i], b.Files[i]) {
				t.Fatalf("seed %d: file %s differs", seed, a.Files[i].GetName())
			}
		}
	}
}

// TestProtocompile holds the sets to protoc's rules, which are stricter
// than protodesc's: every set, printed as .proto source, compiles with
// protocompile (protoc's rules, in Go).
func TestProtocompile(t *testing.T) {
	for seed := uint64(1); seed <= uint64(*cases); seed++ {
		set, err := New(seed, nil)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		for _, fd := range set.Files {
			name := filepath.Join(dir, filepath.FromSlash(fd.GetName()))
			os.MkdirAll(filepath.Dir(name), 0o755)
			if err := os.WriteFile(name, []byte(Format(fd)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := protoreq.Compile(context.Background(), []string{dir}, set.Names(), ""); err != nil {
			t.Errorf("seed %d: %v", seed, err)
			for _, fd := range set.Files {
				t.Logf("%s:\n%s", fd.GetName(), Format(fd))
			}
			if t.Failed() {
				return
			}
		}
	}
}

func TestFeatures(t *testing.T) {
	seen := map[string]bool{}
	for seed := uint64(1); seed <= 300; seed++ {
		set, err := New(seed, nil)
		if err != nil {
			t.Fatal(err)
		}
		for f := range set.Features {
			seen[f] = true
		}
	}
	for _, want := range []string{"proto2", "proto3", "editions", "group", "oneof", "proto3 optional", "enum alias",
		"negative enum number", "map bool", "map string", "map sfixed64", "self recursion", "required",
		"default double", "default bytes", "default string", "default enum", "server streaming",
		"client streaming", "bidi streaming", "unary", "well-known method type", "nested method type",
		"method type from another Go package", "name clashing with generated code", "extension", "custom option",
		"public import", "editions delimited", "editions implicit presence", "comments", "module=",
		"paths=source_relative", "one run per Go package", "service without methods", "same package name",
		"unbuildable message"} {
		if !seen[want] {
			t.Errorf("300 seeds never exercise %q", want)
		}
	}
}
