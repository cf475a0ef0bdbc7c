package generator_test

// The fuzz test: every valid descriptor set works.
//
// Each case is a random but valid set of .proto files from
// internal/randproto. The case runs gotutor in-process (one run, or one run
// per file, as the set says) and checks that
//
//   - it does not panic, and returns no error (see rejectable below);
//   - it declares the features the files use (proto3 optional, editions);
//   - every .go file it writes is gofmt-clean (format.Source(out) == out);
//   - a second run on the same request is byte-identical;
//   - no two outputs (of gotutor, protoc-gen-go or protoc-gen-go-grpc)
//     share a name, and no later run rewrites an earlier run's file;
//   - regenerating over the output, after every file without a DO NOT EDIT
//     header was edited, leaves the edited files alone and rewrites the
//     generated ones byte for byte;
//   - the whole output, with protoc-gen-go's and protoc-gen-go-grpc's for
//     the same files, type-checks with go/types against the real grpc and
//     protobuf packages (export data from `go list -export`), package by
//     package in dependency order: the generated packages, their
//     <pkg>test helpers, the mains, the external <pkg>_test packages; test
//     functions have the signatures go test wants, mains have a main.
//     Files are chosen by their //go:build lines: where protoc-gen-go
//     writes a Hybrid file twice (x.pb.go for !protoopaque,
//     x_protoopaque.pb.go for protoopaque), the output is type-checked once
//     without and once with the tag protoopaque, and both must pass.
//
// The sets cover the API levels of protobuf-go (Open, Hybrid, Opaque, per
// file and per message, and the parameters default_api_level= and
// apilevelM<file>=, which go to all three plugins alike), and
// protovalidate's standard rules (buf.validate), drawn so that each rule
// set can be met. So the case also checks, in-process, every example that
// gotutor builds (see checkExampleRules): one whose rules are all
// standard and not relative to the clock validates with protovalidate;
// gotutor's word that an example is valid is protovalidate's; its notes
// say that it cannot meet a rule only where a rule is relative to the
// clock or written in CEL, and a field of the message left unset for a
// rule relative to the clock is noted. (Seeds 1 to 12,000 pass; the two
// reproducers marked KNOWN in testdata/fuzzrepro are protovalidate's bugs.)
//
// rejectable: a set whose protoc-gen-go and protoc-gen-go-grpc output does
// not type-check by itself (Set.GoClash: two declarations that the standard
// generators give the same Go name) cannot be compiled whatever gotutor
// does. For those gotutor may answer with an error (one line, in the
// response), and the type check is skipped; every other check still holds.
//
// Run more cases with
//
//	go test ./generator -timeout 60m -run TestGenerateRandom -random.cases=10000
//	go test ./generator -run '^$' -fuzz FuzzGenerate -fuzztime 10m
//
// A failing seed N of TestGenerateRandom is kept in the corpus as
// testdata/fuzz/FuzzGenerate/seed-N (with -random.save it is written
// there); -random.dump=DIR writes each case's .proto files and outputs.

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/build/constraint"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"google.golang.org/protobuf/cmd/protoc-gen-go/internal_gengo"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/gofeaturespb"
	"google.golang.org/protobuf/types/pluginpb"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"buf.build/go/protovalidate"

	"github.com/gotutor/gotutor/generator"
	"github.com/gotutor/gotutor/internal/modroot"
	"github.com/gotutor/gotutor/internal/protoreq"
	"github.com/gotutor/gotutor/internal/randproto"
	"github.com/gotutor/gotutor/internal/testkit"
)

var (
	randomCases  = flag.Int("random.cases", 40, "number of random descriptor sets TestGenerateRandom checks")
	randomSeed   = flag.Uint64("random.seed", 1, "first seed of TestGenerateRandom")
	randomSave   = flag.Bool("random.save", false, "write the seeds that fail into testdata/fuzz/FuzzGenerate")
	randomDump   = flag.String("random.dump", "", "write each case's .proto files (as descriptors) and outputs below this directory")
	randomProtos = flag.String("random.protos", "", "TestGenerateProtos: check the .proto files below this directory")
	randomParam  = flag.String("random.param", "", "TestGenerateProtos: the plugin parameter")
	randomKnown  = flag.Bool("random.known", false, "TestGenerateProtos: report the failures of the reproducers marked KNOWN, rather than expect their symptom")
	randomGoTest = flag.Int("random.gotest", 0, "also run go vet and go test on the output of every Nth case (and of TestGenerateProtos), in a temporary module: slow")
)

func FuzzGenerate(f *testing.F) {
	for seed := uint64(1); seed <= 8; seed++ {
		f.Add(seed, []byte(nil))
	}
	f.Add(uint64(0), []byte("gotutor"))
	f.Fuzz(func(t *testing.T, seed uint64, data []byte) {
		checkRandom(t, seed, data, false)
	})
}

// TestGenerateRandom checks -random.cases seeds from -random.seed on.
func TestGenerateRandom(t *testing.T) {
	if testing.Short() && *randomCases > 10 {
		*randomCases = 10
	}
	start := time.Now()
	var stats caseStats
	for i := 0; i < *randomCases; i++ {
		seed := *randomSeed + uint64(i)
		ok := t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			st := checkRandom(t, seed, nil, *randomGoTest > 0 && i%*randomGoTest == 0)
			stats.add(st)
		})
		if !ok && *randomSave {
			saveSeed(t, seed)
		}
	}
	t.Logf("%d cases in %v: %d type-checked (%d of them also with -tags protoopaque), %d with Go name clashes of the standard generators (type check skipped), %d rejected by gotutor, %d Go files checked; %d examples checked against their rules (%d with buf.validate rules, %d of them relative to the clock, %d written in CEL; %d that gotutor says break some)",
		*randomCases, time.Since(start).Round(time.Millisecond), stats.checked, stats.opaqueBuilds, stats.clashes, stats.rejected, stats.goFiles,
		stats.examples, stats.ruled, stats.clock, stats.cel, stats.invalid)
}

func saveSeed(t *testing.T, seed uint64) {
	dir := filepath.Join("testdata", "fuzz", "FuzzGenerate")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Error(err)
		return
	}
	content := fmt.Sprintf("go test fuzz v1\nuint64(%d)\n[]byte(\"\")\n", seed)
	if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed-%d", seed)), []byte(content), 0o644); err != nil {
		t.Error(err)
	}
}

// generatedHeader is the comment that marks a generated Go file
// (https://go.dev/s/generatedcode).
var generatedHeader = regexp.MustCompile(`(?m)^// Code generated .* DO NOT EDIT\.$`)

// builderDecl is the builder that protoc-gen-go declares for a Hybrid or
// Opaque message.
var builderDecl = regexp.MustCompile(`(?m)^type \w+_builder struct \{\n\t_ \[0\]func\(\)`)

type caseStats struct {
	checked, clashes, rejected, goFiles int
	opaqueBuilds                        int // type-checked also with -tags protoopaque (Hybrid files)
	// examples were checked against their rules: ruled had some, clock
	// reach rules relative to the clock, cel rules written in CEL, and
	// invalid are those gotutor says break some.
	examples, ruled, clock, cel, invalid int
}

func (s *caseStats) add(o caseStats) {
	s.examples += o.examples
	s.ruled += o.ruled
	s.clock += o.clock
	s.cel += o.cel
	s.invalid += o.invalid
	s.checked += o.checked
	s.opaqueBuilds += o.opaqueBuilds
	s.clashes += o.clashes
	s.rejected += o.rejected
	s.goFiles += o.goFiles
}

// checkRandom runs one case.
func checkRandom(t *testing.T, seed uint64, data []byte, goTest bool) (stats caseStats) {
	t.Helper()
	set, err := randproto.New(seed, data)
	if err != nil {
		t.Fatalf("randproto: %v", err)
	}
	dump := ""
	if *randomDump != "" {
		dump = filepath.Join(*randomDump, fmt.Sprintf("seed-%d", seed))
	}
	return checkSet(t, set, dump, goTest)
}

// TestGenerateProtos runs the checks on the reproducers of bugs the fuzz
// test found, each a directory of .proto files below testdata/fuzzrepro,
// generated in one run (with go vet and go test on the output when the
// directory has a file GOTEST, with the plugin parameter in a file
// PARAMETER if it has one); with -random.protos=DIR, on the files below
// DIR.
func TestGenerateProtos(t *testing.T) {
	if *randomProtos != "" {
		checkProtos(t, *randomProtos, *randomParam, *randomGoTest > 0)
		return
	}
	dirs, err := os.ReadDir(filepath.Join("testdata", "fuzzrepro"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if d.IsDir() {
			t.Run(d.Name(), func(t *testing.T) {
				dir := filepath.Join("testdata", "fuzzrepro", d.Name())
				// A reproducer of a bug that is known and not fixed yet has a
				// file KNOWN saying so, whose last line names the symptom
				// (symptom: ...): the check must still fail with it, unless
				// -random.known asks to see the failures themselves.
				var tb testing.TB = t
				if known, err := os.ReadFile(filepath.Join(dir, "KNOWN")); err == nil && !*randomKnown {
					rec := expectKnown(t, string(known))
					defer rec.verdict()
					tb = rec
				}
				// A reproducer of a bug that shows at run time has a file
				// GOTEST: its output is also vetted and tested.
				_, err := os.Stat(filepath.Join(dir, "GOTEST"))
				goTest := err == nil
				// A reproducer that needs a plugin parameter (such as
				// default_api_level=) has it in a file PARAMETER.
				param, err := os.ReadFile(filepath.Join(dir, "PARAMETER"))
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				checkProtos(tb, dir, strings.TrimSpace(string(param)), goTest)
			})
		}
	}
}

// knownBug stands for the test of a reproducer of a known bug, which must
// still fail with the bug's symptom: it records what the checks report
// (Fatal stops them with errStopped) instead of failing the test, and its
// verdict, deferred, fails the test unless a report holds the symptom, which
// means that the bug is fixed (then delete KNOWN) or shows otherwise.
type knownBug struct {
	testing.TB
	symptom  string
	failures []string
}

// errStopped is what knownBug's Fatal panics with, to stop the checks.
var errStopped = errors.New("stopped by Fatal")

// expectKnown returns the knownBug of t, for the bug that known (the
// content of a file KNOWN) describes in its last line: symptom: ....
func expectKnown(t *testing.T, known string) *knownBug {
	_, symptom, _ := strings.Cut(known, "\nsymptom: ")
	if symptom = strings.TrimSpace(symptom); symptom == "" {
		t.Fatal("KNOWN lacks its last line: symptom: followed by what the check reports")
	}
	return &knownBug{TB: t, symptom: symptom}
}

func (k *knownBug) Helper() {}

func (k *knownBug) Error(args ...any) { k.failures = append(k.failures, fmt.Sprint(args...)) }

func (k *knownBug) Errorf(format string, args ...any) {
	k.failures = append(k.failures, fmt.Sprintf(format, args...))
}

func (k *knownBug) Fatal(args ...any) {
	k.Error(args...)
	panic(errStopped)
}

func (k *knownBug) Fatalf(format string, args ...any) {
	k.Errorf(format, args...)
	panic(errStopped)
}

func (k *knownBug) Failed() bool { return len(k.failures) > 0 }

// verdict ends the checks: deferred, it also takes a panic (protovalidate's
// own, say) for a report.
func (k *knownBug) verdict() {
	if p := recover(); p != nil && p != errStopped {
		k.Errorf("panic: %v", p)
	}
	for _, f := range k.failures {
		if strings.Contains(f, k.symptom) {
			k.TB.Logf("the known bug shows, as expected: %s", k.symptom)
			return
		}
	}
	k.TB.Errorf("the known bug no longer shows as %q (fixed? then delete KNOWN); the checks reported:\n%s", k.symptom, strings.Join(k.failures, "\n"))
}

func checkProtos(t testing.TB, dir, param string, goTest bool) {
	var names []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".proto") {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	req, err := protoreq.Compile(context.Background(), []string{dir}, names, "")
	if err != nil {
		t.Fatal(err)
	}
	set := &randproto.Set{Runs: [][]string{names}, Parameter: param}
	for _, p := range strings.Split(param, ",") {
		if m, ok := strings.CutPrefix(p, "module="); ok {
			set.Module = m
		}
	}
	for _, f := range req.ProtoFile {
		if !strings.HasPrefix(f.GetName(), "google/protobuf/") {
			set.Files = append(set.Files, f)
		}
	}
	checkSet(t, set, *randomDump, goTest)
}

// checkSet runs one case; dump, if set, is where its files go.
func checkSet(t testing.TB, set *randproto.Set, dump string, goTest bool) (stats caseStats) {
	t.Helper()
	full, err := set.Request(nil)
	if err != nil {
		t.Fatalf("randproto: %v", err)
	}
	if dump != "" {
		dumpSet(t, dump, set)
	}

	// The standard generators, on every file.
	var std []*pluginpb.CodeGeneratorResponse_File
	pbResp := runProtocGenGo(t, full)
	if pbResp.Error != nil {
		t.Fatalf("protoc-gen-go rejects the set (a randproto bug): %s", pbResp.GetError())
	}
	std = append(std, pbResp.File...)
	grpcResp := runProtocGenGoGRPC(t, full)
	if grpcResp.Error != nil {
		t.Fatalf("protoc-gen-go-grpc rejects the set (a randproto bug): %s", grpcResp.GetError())
	}
	std = append(std, grpcResp.File...)

	// protoc-gen-go, run in-process, honours the API levels that the set's
	// files and parameter give: one builder per Hybrid or Opaque message
	// (in the !protoopaque half of a Hybrid file).
	if set.APILevels != nil {
		want := 0
		for _, l := range set.APILevels {
			if l != gofeaturespb.GoFeatures_API_OPEN {
				want++
			}
		}
		got := 0
		for _, f := range pbResp.File {
			if !strings.HasSuffix(f.GetName(), "_protoopaque.pb.go") {
				got += len(builderDecl.FindAllString(f.GetContent(), -1))
			}
		}
		if got != want {
			t.Fatalf("protoc-gen-go declares %d builders, the set has %d Hybrid or Opaque messages (parameter %q)", got, want, set.Parameter)
		}
	}

	files := map[string]string{}  // the output directory, as protoc would leave it
	origin := map[string]string{} // which plugin wrote a file
	for _, f := range std {
		if _, dup := files[f.GetName()]; dup {
			t.Fatalf("the standard generators write %s twice (a randproto bug)", f.GetName())
		}
		files[f.GetName()], origin[f.GetName()] = f.GetContent(), "protoc-gen-go"
	}

	out := t.TempDir()
	usesOptional, usesEditions := false, false
	for _, fd := range set.Files {
		usesEditions = usesEditions || fd.GetSyntax() == "editions"
		forEachField(fd, func(f *descriptorpb.FieldDescriptorProto) {
			usesOptional = usesOptional || f.GetProto3Optional()
		})
	}
	var rejected error
	var requests []*pluginpb.CodeGeneratorRequest
	for i, run := range set.Runs {
		req, err := set.Request(run)
		if err != nil {
			t.Fatal(err)
		}
		requests = append(requests, req)
		resp, err := respond(t, req, out)
		if err == nil && resp.Error != nil {
			err = fmt.Errorf("%s", resp.GetError())
		}
		if err != nil {
			rejected = err
			break
		}
		// Every example marshals: none lacks a required field.
		if bad, err := generator.UninitializedExamples(req); err != nil {
			t.Fatal(err)
		} else if len(bad) > 0 {
			t.Errorf("run %d: examples lack required fields:\n%s", i, strings.Join(bad, "\n"))
		}
		// Every example meets its buf.validate rules, but those relative
		// to the clock or written in CEL, and says which it does not meet.
		if exs, err := generator.BuiltExamples(req); err != nil {
			t.Fatal(err)
		} else {
			for _, ex := range exs {
				checkExampleRules(t, i, ex, &stats)
			}
		}
		// The second run on one thread: the plugin renders files in
		// parallel, and the order must not show.
		procs := runtime.GOMAXPROCS(1)
		again, err := respond(t, req, out)
		runtime.GOMAXPROCS(procs)
		if err != nil || again.Error != nil {
			t.Fatalf("run %d: the second run fails where the first did not: %v %s", i, err, again.GetError())
		}
		if !proto.Equal(resp, again) {
			t.Errorf("run %d: a second run on the same request is not byte-identical:\n%s", i, responseDiff(resp, again))
		}
		feat := resp.GetSupportedFeatures()
		if usesOptional && feat&uint64(pluginpb.CodeGeneratorResponse_FEATURE_PROTO3_OPTIONAL) == 0 {
			t.Errorf("the files use proto3 optional, the response does not declare FEATURE_PROTO3_OPTIONAL")
		}
		if usesEditions && (feat&uint64(pluginpb.CodeGeneratorResponse_FEATURE_SUPPORTS_EDITIONS) == 0 ||
			resp.GetMinimumEdition() > int32(descriptorpb.Edition_EDITION_2023) || resp.GetMaximumEdition() < int32(descriptorpb.Edition_EDITION_2023)) {
			t.Errorf("the files use edition 2023, the response declares features %b, editions %d to %d", feat, resp.GetMinimumEdition(), resp.GetMaximumEdition())
		}
		seen := map[string]bool{}
		for _, f := range resp.File {
			name, content := f.GetName(), f.GetContent()
			if f.InsertionPoint != nil {
				t.Errorf("%s: unexpected insertion point %q", name, f.GetInsertionPoint())
			}
			if seen[name] {
				t.Errorf("run %d writes %s twice (protoc fails: \"Tried to write the same file twice\")", i, name)
			} else if old, ok := files[name]; ok && (origin[name] == "protoc-gen-go" || old != content) {
				t.Errorf("run %d writes %s, already written by %s with other content", i, name, origin[name])
			}
			seen[name] = true
			if strings.HasSuffix(name, ".go") {
				stats.goFiles++
				if strings.Contains(content, "DO NOT EDIT") && !generatedHeader.MatchString(content) {
					t.Errorf("%s says DO NOT EDIT, but not in the line Go tools recognize (^// Code generated .* DO NOT EDIT\\.$)", name)
				}
				if formatted, err := format.Source([]byte(content)); err != nil {
					t.Errorf("%s does not parse: %v\n%s", name, err, numbered(content))
				} else if !bytes.Equal(formatted, []byte(content)) {
					t.Errorf("%s is not gofmt-clean:\n%s", name, testkit.Diff("gotutor", content, "gofmt", string(formatted)))
				}
			}
			files[name], origin[name] = content, fmt.Sprintf("gotutor (run %d)", i)
			writeFile(t, filepath.Join(out, filepath.FromSlash(name)), content)
		}
	}
	if dump != "" {
		for name, content := range files {
			writeFile(t, filepath.Join(dump, "out", filepath.FromSlash(name)), content)
		}
	}

	if rejected == nil {
		checkRegeneration(t, requests, out, files)
	}

	// The type check.
	goFiles := map[string]string{}
	for name, content := range files {
		if strings.HasSuffix(name, ".go") {
			goFiles[name] = content
		}
	}
	errs, opaqueBuild := typeCheck(t, goFiles, set.Module)
	if len(errs) == 0 && rejected == nil {
		stats.checked++
		if opaqueBuild {
			stats.opaqueBuilds++
		}
		if goTest && !t.Failed() {
			runGoTest(t, files, set.Module)
		}
		return stats
	}
	// Does the output of the standard generators compile by itself?
	stdFiles := map[string]string{}
	for _, f := range std {
		stdFiles[f.GetName()] = f.GetContent()
	}
	if stdErrs, _ := typeCheck(t, stdFiles, set.Module); len(stdErrs) > 0 {
		if !set.GoClash {
			t.Fatalf("the output of protoc-gen-go and protoc-gen-go-grpc does not type-check on a set without deliberate Go clashes (a randproto bug):\n%s", strings.Join(first(stdErrs, 10), "\n"))
		}
		if rejected != nil {
			stats.rejected++
			if strings.Contains(strings.TrimSpace(rejected.Error()), "\n") {
				t.Errorf("gotutor's error is not one line: %q", rejected)
			}
		}
		stats.clashes++
		return stats
	}
	if rejected != nil {
		t.Fatalf("gotutor rejects a set whose standard Go output compiles: %v", rejected)
	}
	t.Errorf("the output does not type-check (%d errors):\n%s", len(errs), strings.Join(first(errs, 15), "\n"))
	return stats
}

// The examples' rules.

// cannotMeet finds the notes of an example that say it does not meet a
// rule; the first group is the rule's id, if the note names one.
var cannotMeet = regexp.MustCompile(`does not meet the rule "([^"]*)"|depends on the clock|protovalidate cannot check it`)

// clockRules are the ids of the rules relative to the clock.
var clockRules = map[string]bool{"timestamp.lt_now": true, "timestamp.gt_now": true, "timestamp.within": true}

// checkExampleRules holds an example of run to its buf.validate rules,
// as protovalidate checks them: an example whose rules are all standard
// and not relative to the clock meets them; one that reaches rules
// relative to the clock or written in CEL may break those, and those
// only; gotutor's word (valid or not) is protovalidate's, and its notes
// say that the example cannot meet a rule only where such rules apply,
// naming only those.
func checkExampleRules(t testing.TB, run int, ex generator.BuiltExample, stats *caseStats) {
	t.Helper()
	where := fmt.Sprintf("run %d: %s: %s", run, ex.File, ex.Func)
	msg := ex.Message.ProtoReflect()
	facts := reachRules(msg.Descriptor())
	stats.examples++
	if facts.any {
		stats.ruled++
	}
	if facts.clock {
		stats.clock++
	}
	if facts.cel {
		stats.cel++
	}
	if !ex.Valid {
		stats.invalid++
	}
	err := protovalidate.Validate(ex.Message)
	var verr *protovalidate.ValidationError
	if err != nil && !errors.As(err, &verr) {
		t.Errorf("%s: protovalidate cannot check the example: %v", where, err)
		return
	}
	if (err == nil) != ex.Valid {
		t.Errorf("%s: gotutor takes the example for valid: %v; protovalidate says: %v", where, ex.Valid, err)
	}
	if err != nil && !ex.HasRules {
		t.Errorf("%s: the example breaks rules, and gotutor says that none apply: %v", where, err)
	}
	var broken []string
	if verr != nil {
		for _, v := range verr.Violations {
			if !clockRules[v.Proto.GetRuleId()] && !isCEL(v) {
				broken = append(broken, describeViolation(msg, v))
			}
		}
	}
	if len(broken) > 0 {
		t.Errorf("%s: the example breaks standard rules:\n\t%s\nthe example (%d fields set): %s", where, strings.Join(broken, "\n\t"), populated(msg), shortText(msg, 1500))
	}
	for _, n := range ex.Notes {
		m := cannotMeet.FindStringSubmatch(n)
		switch {
		case m == nil:
		case !facts.clock && !facts.cel:
			t.Errorf("%s: a note says the example cannot meet a rule, yet its rules are all standard and not relative to the clock: %q", where, n)
		case m[1] != "" && !clockRules[m[1]] && !facts.celIDs[m[1]]:
			t.Errorf("%s: a note says the example does not meet %q, a standard rule not relative to the clock: %q", where, m[1], n)
		}
	}
	// A field of the message itself whose rule is relative to the clock,
	// and that nothing else keeps unset (a oneof, the example's size, an
	// Open message of a Hybrid file left empty), is noted where left unset.
	notes := strings.Join(ex.Notes, "\n")
	if populated(msg) >= 40 || strings.Contains(notes, " is left empty: ") {
		return
	}
	inGroup := map[string]bool{}
	if mr, _ := protovalidate.ResolveMessageRules(msg.Descriptor()); mr != nil {
		for _, o := range mr.GetOneof() {
			for _, f := range o.GetFields() {
				inGroup[f] = true
			}
		}
	}
	fields := msg.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		fr, _ := protovalidate.ResolveFieldRules(fd)
		tr := fr.GetTimestamp()
		if fr == nil || fr.GetIgnore() == validate.Ignore_IGNORE_ALWAYS || fr.GetRequired() || tr == nil || !(tr.GetLtNow() || tr.GetGtNow() || tr.HasWithin()) ||
			fd.ContainingOneof() != nil && !fd.ContainingOneof().IsSynthetic() || inGroup[string(fd.Name())] || msg.Has(fd) {
			continue
		}
		if !strings.Contains(notes, string(fd.Name())+" is left unset: its rule") {
			t.Errorf("%s: %s, whose rule is relative to the clock, is left unset, and the notes do not say so: %q", where, fd.Name(), ex.Notes)
		}
	}
}

// mapKeyMatches reports whether k is the key that e subscripts.
func mapKeyMatches(k protoreflect.MapKey, e *validate.FieldPathElement) bool {
	switch x := k.Interface().(type) {
	case bool:
		return e.HasBoolKey() && e.GetBoolKey() == x
	case string:
		return e.HasStringKey() && e.GetStringKey() == x
	case int32:
		return e.HasIntKey() && e.GetIntKey() == int64(x)
	case int64:
		return e.HasIntKey() && e.GetIntKey() == x
	case uint32:
		return e.HasUintKey() && e.GetUintKey() == uint64(x)
	case uint64:
		return e.HasUintKey() && e.GetUintKey() == x
	}
	return false
}

// isCEL reports whether v breaks a rule written in CEL.
func isCEL(v *protovalidate.Violation) bool {
	for _, e := range v.Proto.GetRule().GetElements() {
		if e.GetFieldName() == "cel" || e.GetFieldName() == "cel_expression" {
			return true
		}
	}
	return false
}

// describeViolation says which rule of which field of root v breaks, with
// what value; and, to tell the causes apart, the field's type, and how
// deep the message that holds it is in the example (and whether the
// example left it empty).
func describeViolation(root protoreflect.Message, v *protovalidate.Violation) string {
	path := protovalidate.FieldPathString(v.Proto.GetField())
	if path == "" {
		path = "the message"
	}
	// The message that holds the field (or, for a rule of a message, the
	// message), following the path from root.
	els := v.Proto.GetField().GetElements()
	holder, depth := root, 0
	var last protoreflect.FieldDescriptor // the field the path ends at
	for n, e := range els {
		fd := holder.Descriptor().Fields().ByNumber(protoreflect.FieldNumber(e.GetFieldNumber()))
		if fd == nil {
			break // a oneof
		}
		last = fd
		if n == len(els)-1 && v.FieldDescriptor != nil || !holder.Has(fd) {
			break
		}
		x := holder.Get(fd)
		switch {
		case fd.IsList() && fd.Message() != nil && int(e.GetIndex()) < x.List().Len():
			x = x.List().Get(int(e.GetIndex()))
		case fd.IsMap() && fd.MapValue().Message() != nil:
			var found protoreflect.Value
			x.Map().Range(func(k protoreflect.MapKey, val protoreflect.Value) bool {
				if mapKeyMatches(k, e) {
					found = val
					return false
				}
				return true
			})
			x = found
		case fd.IsList() || fd.IsMap() || fd.Message() == nil:
			x = protoreflect.Value{}
		}
		if !x.IsValid() {
			break
		}
		holder, depth, last = x.Message(), depth+1, nil
	}
	where := ""
	if holder != nil {
		where = fmt.Sprintf(" in %s at depth %d", holder.Descriptor().FullName(), depth)
		if depth > 0 && populated(holder) == 0 {
			where += " (left empty)"
		}
	}
	typ := ""
	if fd := last; fd != nil {
		switch {
		case fd.IsMap():
			typ = "map"
		case fd.IsList():
			typ = "repeated "
		}
		if fd.Message() != nil && !fd.IsMap() {
			typ += string(fd.Message().FullName())
		} else if !fd.IsMap() {
			typ += fd.Kind().String()
		}
		typ = " (" + typ + ")"
	}
	path += typ + where
	value := "unset"
	if v.FieldValue.IsValid() {
		value = valueText(v.FieldValue)
	}
	rules := ""
	if fd := cmp.Or(v.FieldDescriptor, last); fd != nil {
		if fr, _ := protovalidate.ResolveFieldRules(fd); fr != nil {
			rules = "; the field's rules: " + shortText(fr.ProtoReflect(), 400)
		}
	}
	message := v.Proto.GetMessage()
	if !utf8.ValidString(message) {
		message = strconv.Quote(message)
	}
	return fmt.Sprintf("%s: rule %s (%s), value %s%s", path, v.Proto.GetRuleId(), message, value, rules)
}

func valueText(v protoreflect.Value) string {
	switch x := v.Interface().(type) {
	case string:
		return strconv.Quote(x)
	case []byte:
		return fmt.Sprintf("%q", x)
	case protoreflect.Message:
		return shortText(x, 400)
	case protoreflect.List:
		var elems []string
		for i := 0; i < x.Len(); i++ {
			elems = append(elems, valueText(x.Get(i)))
		}
		return "[" + strings.Join(elems, ", ") + "]"
	case protoreflect.Map:
		var entries []string
		x.Range(func(k protoreflect.MapKey, v protoreflect.Value) bool {
			entries = append(entries, valueText(k.Value())+": "+valueText(v))
			return true
		})
		sort.Strings(entries)
		return "{" + strings.Join(entries, ", ") + "}"
	}
	return fmt.Sprint(v.Interface())
}

// shortText is m in the text format, on one line, cut after n bytes.
func shortText(m protoreflect.Message, n int) string {
	s := "{" + prototext.MarshalOptions{}.Format(m.Interface()) + "}"
	if len(s) > n {
		s = s[:n] + "..."
	}
	return s
}

// populated counts the fields set in m and the messages it holds.
func populated(m protoreflect.Message) int {
	n := 0
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		n++
		switch {
		case fd.IsList() && fd.Message() != nil:
			for i := 0; i < v.List().Len(); i++ {
				n += populated(v.List().Get(i).Message())
			}
		case fd.IsMap() && fd.MapValue().Message() != nil:
			v.Map().Range(func(_ protoreflect.MapKey, e protoreflect.Value) bool {
				n += populated(e.Message())
				return true
			})
		case !fd.IsList() && !fd.IsMap() && fd.Message() != nil:
			n += populated(v.Message())
		}
		return true
	})
	return n
}

// ruleFacts says what buf.validate rules a message reaches, its own and
// those of the messages its fields hold.
type ruleFacts struct {
	any, clock, cel bool
	celIDs          map[string]bool // the ids of the rules written in CEL
}

func reachRules(md protoreflect.MessageDescriptor) *ruleFacts {
	facts := &ruleFacts{celIDs: map[string]bool{}}
	seen := map[protoreflect.FullName]bool{}
	var scan func(m protoreflect.Message)
	scan = func(m protoreflect.Message) {
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.Name() == "cel" && fd.IsList():
				facts.cel = true
				for i := 0; i < v.List().Len(); i++ {
					facts.celIDs[v.List().Get(i).Message().Interface().(*validate.Rule).GetId()] = true
				}
			case fd.Name() == "cel_expression":
				facts.cel = true
			case m.Descriptor().FullName() == "buf.validate.TimestampRules" && (fd.Name() == "lt_now" || fd.Name() == "gt_now" || fd.Name() == "within"):
				facts.clock = true
			case fd.Message() != nil && !fd.IsList() && !fd.IsMap():
				scan(v.Message())
			}
			return true
		})
	}
	var walk func(md protoreflect.MessageDescriptor)
	walk = func(md protoreflect.MessageDescriptor) {
		if seen[md.FullName()] {
			return
		}
		seen[md.FullName()] = true
		if mr, _ := protovalidate.ResolveMessageRules(md); mr != nil && proto.Size(mr) > 0 {
			facts.any = true
			scan(mr.ProtoReflect())
		}
		for i := 0; i < md.Oneofs().Len(); i++ {
			if or, _ := protovalidate.ResolveOneofRules(md.Oneofs().Get(i)); or != nil && proto.Size(or) > 0 {
				facts.any = true
			}
		}
		for i := 0; i < md.Fields().Len(); i++ {
			fd := md.Fields().Get(i)
			if fr, _ := protovalidate.ResolveFieldRules(fd); fr != nil && fr.GetIgnore() != validate.Ignore_IGNORE_ALWAYS {
				facts.any = true
				scan(fr.ProtoReflect())
			}
			switch {
			case fd.IsMap() && fd.MapValue().Message() != nil:
				walk(fd.MapValue().Message())
			case fd.Message() != nil && !fd.IsMap():
				walk(fd.Message())
			}
		}
	}
	walk(md)
	return facts
}

func first(xs []string, n int) []string {
	if len(xs) > n {
		return append(xs[:n:n], fmt.Sprintf("... and %d more", len(xs)-n))
	}
	return xs
}

func forEachField(fd *descriptorpb.FileDescriptorProto, fn func(*descriptorpb.FieldDescriptorProto)) {
	var walk func([]*descriptorpb.DescriptorProto)
	walk = func(ms []*descriptorpb.DescriptorProto) {
		for _, m := range ms {
			for _, f := range m.Field {
				fn(f)
			}
			walk(m.NestedType)
		}
	}
	walk(fd.MessageType)
}

// respond runs gotutor in-process with out as the output directory.
func respond(t testing.TB, req *pluginpb.CodeGeneratorRequest, out string) (resp *pluginpb.CodeGeneratorResponse, err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("gotutor panics: %v\n%s", r, debug.Stack())
		}
	}()
	opts := generator.DefaultOptions()
	opts.Out = out
	// The request is cloned: the plugin must not depend on (or change) it.
	return generator.Respond(req, opts)
}

// checkRegeneration edits every file without a DO NOT EDIT header, runs
// every request again over the output and checks that the edits survive
// and the generated files come out the same.
func checkRegeneration(t testing.TB, requests []*pluginpb.CodeGeneratorRequest, out string, files map[string]string) {
	t.Helper()
	edited := map[string]bool{}
	for name, content := range files {
		if !strings.Contains(content, "DO NOT EDIT") {
			if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(name))); err == nil {
				edited[name] = true
				writeFile(t, filepath.Join(out, filepath.FromSlash(name)), content+"\n// edited by the user\n")
			}
		}
	}
	for i, req := range requests {
		resp, err := respond(t, req, out)
		if err != nil || resp.Error != nil {
			t.Errorf("regenerating run %d over its output fails: %v %s", i, err, resp.GetError())
			continue
		}
		for _, f := range resp.File {
			switch {
			case edited[f.GetName()]:
				t.Errorf("regenerating run %d rewrites %s, a file without a DO NOT EDIT header that the user edited", i, f.GetName())
			case files[f.GetName()] != f.GetContent():
				t.Errorf("regenerating run %d over its output changes %s:\n%s", i, f.GetName(), testkit.Diff(fmt.Sprintf("run %d", i), files[f.GetName()], "the rerun", f.GetContent()))
			}
		}
	}
}

func writeFile(t testing.TB, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func dumpSet(t testing.TB, dir string, set *randproto.Set) {
	t.Helper()
	for _, fd := range set.Files {
		writeFile(t, filepath.Join(dir, "proto", filepath.FromSlash(fd.GetName())), randproto.Format(fd))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "parameter: %q\nruns: %q\ngo clash: %v\n", set.Parameter, set.Runs, set.GoClash)
	writeFile(t, filepath.Join(dir, "set.txt"), b.String())
}

// The standard generators.

func runProtocGenGo(t testing.TB, req *pluginpb.CodeGeneratorRequest) *pluginpb.CodeGeneratorResponse {
	t.Helper()
	gen, err := protogen.Options{}.New(proto.Clone(req).(*pluginpb.CodeGeneratorRequest))
	if err != nil {
		t.Fatalf("protoc-gen-go: %v", err)
	}
	for _, f := range gen.Files {
		if f.Generate {
			internal_gengo.GenerateFile(gen, f)
		}
	}
	gen.SupportedFeatures = internal_gengo.SupportedFeatures
	gen.SupportedEditionsMinimum = internal_gengo.SupportedEditionsMinimum
	gen.SupportedEditionsMaximum = internal_gengo.SupportedEditionsMaximum
	return gen.Response()
}

var tools struct {
	once    sync.Once
	err     error
	grpcBin string
	modDir  string

	mu      sync.Mutex
	exports map[string]string // import path -> export data file
	imp     types.Importer
	fset    *token.FileSet
}

// setupTools builds protoc-gen-go-grpc (once per process, into a cache
// directory shared by processes) and lists the export data of the packages
// that generated code imports.
func setupTools(t testing.TB) {
	t.Helper()
	tools.once.Do(func() {
		tools.err = func() error {
			modDir, err := modroot.Dir()
			if err != nil {
				return err
			}
			tools.modDir = modDir
			sum, err := os.ReadFile(filepath.Join(tools.modDir, "go.sum"))
			if err != nil {
				return err
			}
			cache, err := os.UserCacheDir()
			if err != nil {
				cache = os.TempDir()
			}
			dir := filepath.Join(cache, "gotutor-fuzz", fmt.Sprintf("%x", hashOf(string(sum)+" "+goVersion())))
			bin := filepath.Join(dir, "protoc-gen-go-grpc")
			if _, err := os.Stat(bin); err != nil {
				tmp, err := os.MkdirTemp(filepath.Dir(dir), "build")
				if err != nil {
					if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
						return err
					}
					if tmp, err = os.MkdirTemp(filepath.Dir(dir), "build"); err != nil {
						return err
					}
				}
				if err := testkit.BuildPlugins(tools.modDir, tmp, testkit.ProtocGenGoGRPC); err != nil {
					return err
				}
				os.MkdirAll(filepath.Dir(bin), 0o755)
				// Atomic: other processes see the binary whole or not at all.
				if err := os.Rename(filepath.Join(tmp, "protoc-gen-go-grpc"), bin); err != nil {
					if _, statErr := os.Stat(bin); statErr != nil {
						return err
					}
				}
				os.RemoveAll(tmp)
			}
			tools.grpcBin = bin
			tools.exports = map[string]string{}
			tools.fset = token.NewFileSet()
			tools.imp = importer.ForCompiler(tools.fset, "gc", func(path string) (io.ReadCloser, error) {
				file, ok := tools.exports[path]
				if !ok {
					if err := listExports(path); err != nil {
						return nil, err
					}
					if file, ok = tools.exports[path]; !ok || file == "" {
						return nil, fmt.Errorf("no export data for %q", path)
					}
				}
				return os.Open(file)
			})
			// The packages generated code imports, in one go list.
			return listExports(
				"google.golang.org/grpc", "google.golang.org/grpc/codes", "google.golang.org/grpc/status",
				"google.golang.org/grpc/credentials", "google.golang.org/grpc/credentials/insecure",
				"google.golang.org/grpc/health", "google.golang.org/grpc/health/grpc_health_v1",
				"google.golang.org/grpc/reflection", "google.golang.org/grpc/test/bufconn",
				"google.golang.org/grpc/metadata", "google.golang.org/grpc/peer",
				"google.golang.org/protobuf/...",
				"context", "errors", "flag", "fmt", "io", "log", "log/slog", "math", "net", "os", "os/signal",
				"reflect", "strings", "sync", "syscall", "testing", "time", "unsafe", "encoding/json", "bytes",
				"strconv", "sort", "slices", "runtime", "net/http", "crypto/tls", "maps", "iter",
				// Request validation, and the options of files with rules.
				"buf.build/go/protovalidate", "google.golang.org/genproto/googleapis/rpc/errdetails",
				"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate")
		}()
	})
	if tools.err != nil {
		t.Fatal(tools.err)
	}
}

func goVersion() string {
	out, _ := exec.Command("go", "env", "GOVERSION").Output()
	return strings.TrimSpace(string(out))
}

func hashOf(s string) uint64 {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// listExports adds the export data of pkgs and their dependencies.
func listExports(pkgs ...string) error {
	cmd := exec.Command("go", append([]string{"list", "-export", "-deps", "-json=ImportPath,Export"}, pkgs...)...)
	cmd.Dir = tools.modDir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("go list -export %s: %v\n%s", strings.Join(pkgs, " "), err, stderr.String())
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct{ ImportPath, Export string }
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return err
		}
		tools.exports[p.ImportPath] = p.Export
	}
	return nil
}

func runProtocGenGoGRPC(t testing.TB, req *pluginpb.CodeGeneratorRequest) *pluginpb.CodeGeneratorResponse {
	t.Helper()
	setupTools(t)
	in, err := proto.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tools.grpcBin)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("protoc-gen-go-grpc: %v\n%s", err, stderr.String())
	}
	resp := &pluginpb.CodeGeneratorResponse{}
	if err := proto.Unmarshal(out, resp); err != nil {
		t.Fatalf("protoc-gen-go-grpc: %v", err)
	}
	return resp
}

// The type check.

type goPackage struct {
	path    string // import path; "<path>_test" for external tests
	dir     string
	name    string
	files   []*ast.File
	names   []string
	imports map[string]bool
	test    bool // an external test package
	inTest  []*ast.File
}

// typeCheck type-checks the Go files (output file name -> content) and
// returns the errors, each naming the file. Files are chosen by their
// //go:build lines as go build chooses them: when some file's constraint
// mentions the tag protoopaque (protoc-gen-go's two files for a Hybrid
// .proto, x.pb.go with !protoopaque and x_protoopaque.pb.go with
// protoopaque), the output is checked once without and once with the tag,
// and each build must type-check. opaqueBuild reports whether the second
// build ran.
func typeCheck(t testing.TB, files map[string]string, module string) (errs []string, opaqueBuild bool) {
	t.Helper()
	setupTools(t)
	tools.mu.Lock()
	defer tools.mu.Unlock()
	fset := token.NewFileSet()
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	var parsed []parsedFile
	for _, name := range names {
		f, err := parser.ParseFile(fset, name, files[name], parser.SkipObjectResolution)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		expr, err := buildConstraint(files[name])
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		if expr != nil && strings.Contains(expr.String(), "protoopaque") {
			opaqueBuild = true
		}
		if strings.HasSuffix(name, "_test.go") {
			errs = append(errs, checkTestFuncs(fset, f)...)
		}
		parsed = append(parsed, parsedFile{name: name, f: f, build: expr})
	}
	if len(errs) > 0 {
		return errs, opaqueBuild
	}
	tagSets := [][]string{nil}
	if opaqueBuild {
		tagSets = append(tagSets, []string{"protoopaque"})
	}
	used := map[string]bool{}
	for _, tags := range tagSets {
		var in []parsedFile
		for _, pf := range parsed {
			if pf.build == nil || pf.build.Eval(func(tag string) bool { return buildTag(tag, tags) }) {
				in = append(in, pf)
				used[pf.name] = true
			}
		}
		for _, e := range checkBuild(fset, in, module) {
			if tags != nil {
				e = "with -tags " + strings.Join(tags, ",") + ": " + e
			}
			errs = append(errs, e)
		}
	}
	for _, pf := range parsed {
		if !used[pf.name] {
			errs = append(errs, fmt.Sprintf("%s: in no build (//go:build %s)", pf.name, pf.build))
		}
	}
	return errs, opaqueBuild
}

// TestTypeCheckBuildTags: the type check of the fuzz test checks the two
// halves of a Hybrid file each in its own build, never together, and both.
func TestTypeCheckBuildTags(t *testing.T) {
	open := "//go:build !protoopaque\n\npackage p\n\ntype T struct{ X int }\n"
	opaque := "//go:build protoopaque\n\npackage p\n\ntype T struct{ x int }\n\nfunc (t *T) SetX(v int) { t.x = v }\n"
	for _, c := range []struct {
		name, use string
		ignore    bool
		want      []string // the one error: its prefix, then substrings in order
	}{
		{name: "both builds pass", use: "var _ = T{}"},
		{name: "open fields fail the opaque build", use: "var _ = T{X: 1}", want: []string{"with -tags protoopaque: ", "unknown field X"}},
		{name: "opaque methods fail the open build", use: "func f(t *T) { t.SetX(1) }", want: []string{"example.com/p/use.go:", "SetX"}},
		{name: "a file in no build", use: "var _ = T{}", ignore: true, want: []string{"example.com/p/never.go: ", "in no build"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{
				"example.com/p/x.pb.go":             open,
				"example.com/p/x_protoopaque.pb.go": opaque,
				"example.com/p/use.go":              "package p\n\n" + c.use + "\n",
			}
			if c.ignore {
				files["example.com/p/never.go"] = "//go:build ignore\n\npackage p\n"
			}
			errs, opaqueBuild := typeCheck(t, files, "")
			if !opaqueBuild {
				t.Error("no build with -tags protoopaque")
			}
			if len(c.want) == 0 {
				if len(errs) > 0 {
					t.Errorf("errors: %q", errs)
				}
				return
			}
			if len(errs) != 1 {
				t.Fatalf("got %d errors, want 1: %q", len(errs), errs)
			}
			if !strings.HasPrefix(errs[0], c.want[0]) {
				t.Fatalf("error %q does not start with %q", errs[0], c.want[0])
			}
			rest := errs[0]
			for _, w := range c.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("error %q lacks %q", errs[0], w)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

// TestTypeCheckValidation: the type check of the fuzz test finds the
// packages that generated code imports when requests have buf.validate
// rules (protovalidate, genproto's errdetails, and the Go package of
// buf/validate/validate.proto that protoc-gen-go's output imports), and
// still tells a name they lack.
func TestTypeCheckValidation(t *testing.T) {
	const src = `package p

import (
	"buf.build/go/protovalidate"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
)

var (
	_ = protovalidate.Validate
	_ = &errdetails.BadRequest_FieldViolation{}
	_ = validate.E_Field
	_ USE
)
`
	if errs, _ := typeCheck(t, map[string]string{"example.com/p/p.go": strings.Replace(src, "USE", "*protovalidate.ValidationError", 1)}, ""); len(errs) > 0 {
		t.Errorf("errors: %q", errs)
	}
	errs, _ := typeCheck(t, map[string]string{"example.com/p/p.go": strings.Replace(src, "USE", "protovalidate.NoSuchThing", 1)}, "")
	if len(errs) != 1 || !strings.Contains(errs[0], "NoSuchThing") {
		t.Errorf("a name protovalidate lacks: errors %q, want one naming it", errs)
	}
}

type parsedFile struct {
	name  string
	f     *ast.File
	build constraint.Expr // nil without a //go:build line
}

// buildConstraint returns the //go:build constraint of a Go file, if any:
// a line of the comments before the package clause.
func buildConstraint(src string) (constraint.Expr, error) {
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "package ") {
			break
		}
		if constraint.IsGoBuild(line) {
			return constraint.Parse(line)
		}
	}
	return nil, nil
}

// buildTag reports whether go build, for linux/amd64 with the gc compiler
// and the given -tags, satisfies tag.
func buildTag(tag string, tags []string) bool {
	switch tag {
	case "linux", "amd64", "unix", "gc":
		return true
	}
	if strings.HasPrefix(tag, "go1.") {
		return true
	}
	for _, t := range tags {
		if t == tag {
			return true
		}
	}
	return false
}

// checkBuild type-checks the files of one build.
func checkBuild(fset *token.FileSet, parsed []parsedFile, module string) []string {
	var errs []string
	pkgs := map[string]*goPackage{}
	importPathOf := func(dir string) string {
		if module != "" {
			if dir == "." {
				return module
			}
			return module + "/" + dir
		}
		return dir
	}
	for _, pf := range parsed {
		name, f := pf.name, pf.f
		dir := path.Dir(name)
		ip := importPathOf(dir)
		test := strings.HasSuffix(name, "_test.go")
		key := ip
		if test && strings.HasSuffix(f.Name.Name, "_test") {
			key = ip + "_test"
		}
		p := pkgs[key]
		if p == nil {
			p = &goPackage{path: key, dir: dir, name: f.Name.Name, imports: map[string]bool{}, test: key != ip}
			pkgs[key] = p
		}
		if test && key == ip {
			p.inTest = append(p.inTest, f)
		} else {
			p.files = append(p.files, f)
			p.names = append(p.names, name)
		}
		if !test && f.Name.Name != p.name {
			errs = append(errs, fmt.Sprintf("%s: package %s, but other files in %s are package %s", name, f.Name.Name, dir, p.name))
		}
		for _, spec := range f.Imports {
			p.imports[strings.Trim(spec.Path.Value, `"`)] = true
		}
	}
	for key, p := range pkgs {
		if p.test && pkgs[strings.TrimSuffix(key, "_test")] != nil && p.name != pkgs[strings.TrimSuffix(key, "_test")].name+"_test" {
			errs = append(errs, fmt.Sprintf("%s: external test package %s, want %s_test", p.dir, p.name, pkgs[strings.TrimSuffix(key, "_test")].name))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	// Dependency order; a cycle is an error.
	var order []*goPackage
	state := map[string]int{}
	var visit func(p *goPackage, stack []string)
	visit = func(p *goPackage, stack []string) {
		switch state[p.path] {
		case 1:
			errs = append(errs, fmt.Sprintf("import cycle: %s -> %s", strings.Join(stack, " -> "), p.path))
			return
		case 2:
			return
		}
		state[p.path] = 1
		var deps []string
		for imp := range p.imports {
			deps = append(deps, imp)
		}
		sort.Strings(deps)
		for _, imp := range deps {
			if q := pkgs[imp]; q != nil && !q.test {
				visit(q, append(stack, p.path))
			}
		}
		state[p.path] = 2
		order = append(order, p)
	}
	keys := make([]string, 0, len(pkgs))
	for k := range pkgs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		visit(pkgs[k], nil)
	}
	if len(errs) > 0 {
		return errs
	}
	checked := map[string]*types.Package{}
	imp := importerFunc(func(path string) (*types.Package, error) {
		if p, ok := checked[path]; ok {
			return p, nil
		}
		if pkgs[path] != nil {
			return nil, fmt.Errorf("generated package %s not checked yet", path)
		}
		return tools.imp.Import(path)
	})
	check := func(path string, files []*ast.File) *types.Package {
		conf := types.Config{
			Importer: imp,
			Sizes:    types.SizesFor("gc", "amd64"),
			Error: func(err error) {
				if len(errs) < 100 {
					errs = append(errs, err.Error())
				}
			},
		}
		pkg, _ := conf.Check(path, fset, files, nil)
		return pkg
	}
	for _, p := range order {
		if p.test {
			continue
		}
		pkg := check(p.path, p.files)
		checked[p.path] = pkg
		if p.name == "main" && pkg != nil {
			if fn, ok := pkg.Scope().Lookup("main").(*types.Func); !ok || fn.Type().(*types.Signature).Params().Len() != 0 {
				errs = append(errs, fmt.Sprintf("%s: package main without func main()", p.dir))
			}
		}
		if len(p.inTest) > 0 {
			check(p.path, append(append([]*ast.File{}, p.files...), p.inTest...))
		}
	}
	for _, p := range order {
		if p.test {
			check(p.path, p.files)
		}
	}
	return errs
}

// runGoTest writes the output into a temporary module example.com that
// requires what gotutor's go.mod requires, and gotutor itself from this
// checkout, and runs go vet and go test there (offline, from the module
// cache).
func runGoTest(t testing.TB, files map[string]string, module string) {
	t.Helper()
	setupTools(t)
	dir := t.TempDir()
	for name, content := range files {
		rel := name
		if module == "" {
			var ok bool
			if rel, ok = strings.CutPrefix(name, "example.com/"); !ok {
				t.Logf("go test skipped: %s is outside example.com/", name)
				return
			}
		}
		writeFile(t, filepath.Join(dir, filepath.FromSlash(rel)), content)
	}
	mod, err := os.ReadFile(filepath.Join(tools.modDir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("module example.com\n")
	inTool := false
	for _, line := range strings.Split(string(mod), "\n") {
		switch {
		case strings.HasPrefix(line, "module "):
			continue
		case strings.HasPrefix(line, "tool"):
			inTool = strings.HasSuffix(line, "(")
			continue
		case inTool:
			inTool = line != ")"
			continue
		}
		b.WriteString(line + "\n")
	}
	// The server mains import gotutor's runtime (package serve), from this
	// checkout.
	const gotutor = "github.com/gotutor/gotutor"
	fmt.Fprintf(&b, "require %s v0.0.0-00010101000000-000000000000\nreplace %s => %s\n", gotutor, gotutor, tools.modDir)
	writeFile(t, filepath.Join(dir, "go.mod"), b.String())
	sum, _ := os.ReadFile(filepath.Join(tools.modDir, "go.sum"))
	writeFile(t, filepath.Join(dir, "go.sum"), string(sum))
	runs := [][]string{{"vet", "./..."}, {"test", "-count=1", "-timeout=60s", "./..."}}
	for _, content := range files {
		if expr, _ := buildConstraint(content); expr != nil && strings.Contains(expr.String(), "protoopaque") {
			// Hybrid files: the Opaque half too, as go build -tags
			// protoopaque chooses it.
			runs = append(runs, []string{"vet", "-tags=protoopaque", "./..."}, []string{"test", "-tags=protoopaque", "-count=1", "-timeout=60s", "./..."})
			break
		}
	}
	for _, args := range runs {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("go %s in the generated module: %v\n%s", strings.Join(args, " "), err, out)
			return
		}
	}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// checkTestFuncs holds the test, benchmark, fuzz and example functions of a
// _test.go file to what go test (and its vet check "tests") accept.
func checkTestFuncs(fset *token.FileSet, f *ast.File) []string {
	var errs []string
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv != nil {
			continue
		}
		name := fn.Name.Name
		for _, kind := range []struct{ prefix, param string }{{"Test", "T"}, {"Benchmark", "B"}, {"Fuzz", "F"}} {
			rest, ok := strings.CutPrefix(name, kind.prefix)
			if !ok || name == "TestMain" {
				continue
			}
			if rest != "" && rest[0] >= 'a' && rest[0] <= 'z' {
				errs = append(errs, fmt.Sprintf("%s: %s has a malformed name: first letter after %q must not be lowercase", fset.Position(fn.Pos()), name, kind.prefix))
				continue
			}
			params := fn.Type.Params.List
			ok = len(params) == 1 && len(params[0].Names) <= 1 && fn.Type.Results == nil
			if ok {
				star, isStar := params[0].Type.(*ast.StarExpr)
				sel, isSel := star.X.(*ast.SelectorExpr)
				ok = isStar && isSel && sel.Sel.Name == kind.param
			}
			if !ok {
				errs = append(errs, fmt.Sprintf("%s: %s has the wrong signature for a %s function", fset.Position(fn.Pos()), name, strings.ToLower(kind.prefix)))
			}
		}
		if strings.HasPrefix(name, "Example") && (fn.Type.Params.NumFields() > 0 || fn.Type.Results != nil) {
			errs = append(errs, fmt.Sprintf("%s: %s has the wrong signature for an example", fset.Position(fn.Pos()), name))
		}
	}
	return errs
}

// Reporting helpers.

func numbered(s string) string {
	var b strings.Builder
	for i, line := range strings.Split(s, "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, line)
	}
	return b.String()
}

func responseDiff(a, b *pluginpb.CodeGeneratorResponse) string {
	var s strings.Builder
	if len(a.File) != len(b.File) {
		fmt.Fprintf(&s, "%d files, then %d\n", len(a.File), len(b.File))
	}
	for i := 0; i < len(a.File) && i < len(b.File); i++ {
		if a.File[i].GetName() != b.File[i].GetName() {
			fmt.Fprintf(&s, "file %d: %s, then %s\n", i, a.File[i].GetName(), b.File[i].GetName())
		} else if a.File[i].GetContent() != b.File[i].GetContent() {
			fmt.Fprintf(&s, "%s:\n%s", a.File[i].GetName(), testkit.Diff("first run", a.File[i].GetContent(), "second run", b.File[i].GetContent()))
		}
	}
	return s.String()
}
