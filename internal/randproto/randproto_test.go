package randproto

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/gofeaturespb"

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
		"unbuildable message",
		// API levels.
		"hybrid message", "opaque message", "opaque in open", "open in opaque", "oneof in opaque",
		"oneof in hybrid", "default_api_level=API_OPAQUE", "default_api_level=API_HYBRID", "apilevelM",
		"file api_level", "message api_level", "camel case pair in hybrid or opaque",
		// buf.validate rules.
		"rules", "rule string length", "rule string pattern", "rule string affix", "rule string format",
		"rule string in", "rule string const", "rule string not_contains", "rule string not_in",
		"rule number range", "rule number exclusive range", "rule number in", "rule number not_in",
		"rule number const", "rule float", "rule float finite", "rule int32", "rule int64", "rule uint32",
		"rule uint64", "rule sint32", "rule sint64", "rule fixed32", "rule fixed64", "rule sfixed32",
		"rule sfixed64", "rule double", "rule bool const", "rule bytes length", "rule bytes affix",
		"rule bytes format", "rule bytes const", "rule bytes in", "rule enum defined_only", "rule enum in",
		"rule enum not_in", "rule enum const", "rule repeated", "rule repeated unique", "rule repeated items",
		"rule map", "rule map keys", "rule map values", "rule required", "rule required message",
		"rule oneof required", "rule message oneof", "rule message oneof required", "rule ignore if zero value",
		"rule ignore always", "rule duration", "rule timestamp", "rule timestamp clock", "rule example",
		"rule wrapper", "rule cel"} {
		if !seen[want] {
			t.Errorf("300 seeds never exercise %q", want)
		}
	}
}

// TestAPILevels holds the API level that randproto plans for each message
// (and claims Go names by) to the level protogen resolves from the set's
// files and parameter.
func TestAPILevels(t *testing.T) {
	counts := map[gofeaturespb.GoFeatures_APILevel]int{}
	for seed := uint64(1); seed <= uint64(*cases); seed++ {
		set, err := New(seed, nil)
		if err != nil {
			t.Fatal(err)
		}
		req, err := set.Request(nil)
		if err != nil {
			t.Fatal(err)
		}
		gen, err := protogen.Options{}.New(req)
		if err != nil {
			t.Fatalf("seed %d: protogen: %v", seed, err)
		}
		seen := 0
		var walk func([]*protogen.Message)
		walk = func(ms []*protogen.Message) {
			for _, m := range ms {
				if m.Desc.IsMapEntry() {
					continue
				}
				seen++
				full := string(m.Desc.FullName())
				if want, ok := set.APILevels[full]; !ok {
					t.Errorf("seed %d: no planned API level for %s", seed, full)
				} else if m.APILevel != want {
					t.Errorf("seed %d (parameter %q): %s has API level %v, randproto planned %v", seed, set.Parameter, full, m.APILevel, want)
				}
				counts[m.APILevel]++
				walk(m.Messages)
			}
		}
		for _, f := range gen.Files {
			if f.Generate {
				walk(f.Messages)
			}
		}
		if seen != len(set.APILevels) {
			t.Errorf("seed %d: %d messages, %d planned API levels", seed, seen, len(set.APILevels))
		}
	}
	t.Logf("messages by API level: %v", counts)
	for _, l := range []gofeaturespb.GoFeatures_APILevel{gofeaturespb.GoFeatures_API_OPEN, gofeaturespb.GoFeatures_API_HYBRID, gofeaturespb.GoFeatures_API_OPAQUE} {
		if counts[l] == 0 {
			t.Errorf("no message of %d seeds has API level %v", *cases, l)
		}
	}
}

// TestAPILevelsApart: the decisions about API levels come from a source of
// their own, so that a set whose messages all stay Open, without API level
// parameters or features, is the set its seed gives with apiLevelsOff (and
// the seeds kept in fuzz corpora keep their meaning).
func TestAPILevelsApart(t *testing.T) {
	compared := 0
	for seed := uint64(1); seed <= uint64(*cases); seed++ {
		with, err := New(seed, nil)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(with.Parameter, "api") || usesGoFeatures(with) {
			continue
		}
		apiLevelsOff = true
		without, err := New(seed, nil)
		apiLevelsOff = false
		if err != nil {
			t.Fatal(err)
		}
		compared++
		if with.Parameter != without.Parameter || !reflect.DeepEqual(with.Runs, without.Runs) || len(with.Files) != len(without.Files) {
			t.Fatalf("seed %d: the set differs from the one without API levels", seed)
		}
		for i := range with.Files {
			if !proto.Equal(with.Files[i], without.Files[i]) {
				t.Fatalf("seed %d: file %s differs from the one without API levels", seed, with.Files[i].GetName())
			}
		}
	}
	if compared == 0 || compared == *cases {
		t.Errorf("%d of %d seeds without API levels: want some, not all", compared, *cases)
	}
}

func usesGoFeatures(set *Set) bool {
	for _, fd := range set.Files {
		for _, dep := range fd.Dependency {
			if dep == goFeaturesFile {
				return true
			}
		}
	}
	return false
}

// TestFormatAPILevel: Format prints the api_level features of a file as
// randproto builds it and as protocompile compiles it back (where the
// extension is a dynamic message): the reproducers of the fuzz test are
// printed from the latter.
func TestFormatAPILevel(t *testing.T) {
	checked := 0
	for seed := uint64(1); seed <= uint64(*cases) && checked < 5; seed++ {
		set, err := New(seed, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !usesGoFeatures(set) {
			continue
		}
		checked++
		dir := t.TempDir()
		want := map[string]int{}
		for _, fd := range set.Files {
			src := Format(fd)
			want[fd.GetName()] = strings.Count(src, "[pb.go]: {api_level: ")
			name := filepath.Join(dir, filepath.FromSlash(fd.GetName()))
			os.MkdirAll(filepath.Dir(name), 0o755)
			if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		req, err := protoreq.Compile(context.Background(), []string{dir}, set.Names(), "")
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, fd := range req.ProtoFile {
			if n, ok := want[fd.GetName()]; ok {
				total += n
				if got := strings.Count(Format(fd), "[pb.go]: {api_level: "); got != n {
					t.Errorf("seed %d: %s: %d api_level features printed after compiling, %d before", seed, fd.GetName(), got, n)
				}
			}
		}
		if total == 0 {
			t.Errorf("seed %d imports go_features.proto, but no api_level is printed", seed)
		}
	}
	if checked == 0 {
		t.Errorf("no seed of %d sets api_level", *cases)
	}
}
