// Package testdata holds gotutor's test cases and the tests that drive them.
//
// Each case is a folder of .proto files next to the files that
// protoc-gen-go, protoc-gen-go-grpc and protoc-gen-gotutor generate from
// them, committed ("golden"). The tests:
//
//   - TestGolden compiles each case in-process (internal/protoreq), runs the
//     two standard plugins as binaries and gotutor in-process, and compares
//     every output file with the committed one. gotutor's Go output must be
//     gofmt-clean and byte-identical on a second run.
//   - TestGeneratedPackages vets the case packages and runs their generated
//     tests with -race.
//   - TestProtoc runs the three plugins through a real protoc, compares the
//     output with the golden files, and runs protoc a second time over an
//     edited user-owned file.
//   - TestBuf runs `buf generate` (buf pinned in ../tools.mod) with
//     buf.gen.yaml and compares the output with the golden files. It is
//     skipped with -short: a cold build of buf takes minutes.
//   - TestDescriptorsProtoc and TestDescriptorsBuf compare the in-process
//     descriptors with protoc's (without source code info) and buf's
//     (with it).
//
// Run from the module root:
//
//	go test ./testdata          # everything; fails with a diff on stale output
//	go test ./testdata -update  # rewrite the golden files, then test them
//	go test -short ./testdata   # everything but buf
//
// `go test ./...` does not reach this package (go skips folders named
// testdata), nor the case packages below it: this package drives them.
package testdata

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/gotutor/gotutor/generator"
	"github.com/gotutor/gotutor/internal/protoreq"
	"github.com/gotutor/gotutor/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite the golden files with the current output")

const (
	// module is the Go module of the repository: the plugins get
	// module=<module>, so that file names are relative to the repository
	// root.
	module = "github.com/gotutor/gotutor"
	// importPath is the import path of this package, which the case
	// packages are below.
	importPath = module + "/testdata"
)

// binDir holds the plugins built once by TestMain.
var binDir string

// plugins built by TestMain, by the name protoc knows them by.
var plugins = map[string]string{
	"protoc-gen-go":      testkit.ProtocGenGo,
	"protoc-gen-go-grpc": testkit.ProtocGenGoGRPC,
	"protoc-gen-gotutor": testkit.ProtocGenGotutor,
}

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "gotutor-testdata-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binDir = dir
	if err := testkit.BuildPlugins("..", dir, sortedValues(plugins)...); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

func sortedValues(m map[string]string) []string {
	var vs []string
	for _, v := range m {
		vs = append(vs, v)
	}
	sort.Strings(vs)
	return vs
}

// testCase is one folder of testdata with .proto files.
type testCase struct {
	name   string   // the folder, "enums"
	protos []string // its .proto files, relative to testdata ("enums/enums.proto")
	// options are plugin options for all three plugins besides module=,
	// from the case's file plugin_options: one per line, # for comments.
	options []string
}

// parameter is the plugin parameter of the case.
func (c testCase) parameter() string {
	return strings.Join(append([]string{"module=" + module}, c.options...), ",")
}

// cases lists the folders of testdata that hold .proto files.
func cases(t *testing.T) []testCase {
	t.Helper()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var cs []testCase
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") || strings.HasPrefix(e.Name(), "_") {
			continue
		}
		c := testCase{name: e.Name()}
		err := filepath.WalkDir(e.Name(), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(p, ".proto") {
				c.protos = append(c.protos, filepath.ToSlash(p))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(c.protos) > 0 {
			sort.Strings(c.protos)
			c.options = pluginOptions(t, filepath.Join(e.Name(), optionsFile))
			cs = append(cs, c)
		}
	}
	if len(cs) == 0 {
		t.Fatal("no test cases: no folder of testdata holds a .proto file")
	}
	return cs
}

// optionsFile is the file of a case that holds its plugin options; it is
// input, like the .proto files.
const optionsFile = "plugin_options"

// pluginOptions reads a case's plugin_options file; none when it is absent.
func pluginOptions(t *testing.T, name string) []string {
	t.Helper()
	data, err := os.ReadFile(name)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var opts []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			opts = append(opts, line)
		}
	}
	return opts
}

// output is what the three plugins generate for one case: file name
// (relative to the repository root) to content.
type output struct {
	std     map[string][]byte // protoc-gen-go and protoc-gen-go-grpc
	gotutor map[string][]byte
}

func (o output) all() map[string][]byte {
	m := map[string][]byte{}
	for k, v := range o.std {
		m[k] = v
	}
	for k, v := range o.gotutor {
		m[k] = v
	}
	return m
}

// compile returns the request protoc would send for the case's files.
func compile(t *testing.T, c testCase) *pluginpb.CodeGeneratorRequest {
	t.Helper()
	req, err := protoreq.Compile(context.Background(), []string{"."}, c.protos, c.parameter())
	if err != nil {
		t.Fatalf("compiling %s: %v", strings.Join(c.protos, " "), err)
	}
	return req
}

// runBinary runs a plugin binary on req and returns its files.
func runBinary(t *testing.T, name string, req *pluginpb.CodeGeneratorRequest) map[string][]byte {
	t.Helper()
	in, err := proto.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(binDir, name))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, stderr.Bytes())
	}
	resp := &pluginpb.CodeGeneratorResponse{}
	if err := proto.Unmarshal(out, resp); err != nil {
		t.Fatalf("%s: reading its response: %v", name, err)
	}
	return responseFiles(t, name, resp)
}

// runGotutor runs gotutor in-process on req, with an empty directory as
// out=, so that every user-owned file is emitted too.
func runGotutor(t *testing.T, req *pluginpb.CodeGeneratorRequest) map[string][]byte {
	t.Helper()
	opts := generator.DefaultOptions()
	opts.Out = t.TempDir()
	resp, err := generator.Respond(req, opts)
	if err != nil {
		t.Fatalf("gotutor: %v", err)
	}
	return responseFiles(t, "gotutor", resp)
}

func responseFiles(t *testing.T, name string, resp *pluginpb.CodeGeneratorResponse) map[string][]byte {
	t.Helper()
	if resp.Error != nil {
		t.Fatalf("%s: the response is an error: %s", name, resp.GetError())
	}
	files := map[string][]byte{}
	for _, f := range resp.File {
		if f.GetInsertionPoint() != "" {
			t.Errorf("%s: %s: unexpected insertion point %q", name, f.GetName(), f.GetInsertionPoint())
		}
		if _, dup := files[f.GetName()]; dup {
			t.Errorf("%s: %s is generated twice", name, f.GetName())
		}
		files[f.GetName()] = []byte(f.GetContent())
	}
	return files
}

// generate runs the three plugins on the case.
func generate(t *testing.T, c testCase) output {
	t.Helper()
	req := compile(t, c)
	o := output{std: map[string][]byte{}}
	for _, name := range []string{"protoc-gen-go", "protoc-gen-go-grpc"} {
		for k, v := range runBinary(t, name, req) {
			if _, dup := o.std[k]; dup {
				t.Errorf("%s is generated by two plugins", k)
			}
			o.std[k] = v
		}
	}
	o.gotutor = runGotutor(t, req)
	for k := range o.gotutor {
		if _, dup := o.std[k]; dup {
			t.Errorf("%s is generated by gotutor and by a standard plugin", k)
		}
	}
	prefix := "testdata/" + c.name + "/"
	for k := range o.all() {
		if !strings.HasPrefix(k, prefix) {
			t.Errorf("%s is generated outside the case's folder %s", k, prefix)
		}
	}
	return o
}

// isGenerated tells gotutor's generated files (rewritten on every run) from
// its user-owned ones (written only when absent): the names of the former
// contain "gotutor".
func isGenerated(name string) bool {
	return strings.Contains(path.Base(name), "gotutor")
}

const generatedHeader = "// Code generated by protoc-gen-gotutor. DO NOT EDIT.\n"

func TestGolden(t *testing.T) {
	for _, c := range cases(t) {
		t.Run(c.name, func(t *testing.T) {
			o := generate(t, c)
			if len(o.gotutor) == 0 {
				t.Errorf("gotutor generated nothing for %s", strings.Join(c.protos, " "))
			}
			checkGotutorFiles(t, c, o.gotutor)

			// A second run gives the same bytes.
			again := runGotutor(t, compile(t, c))
			if diff := compareSets(o.gotutor, again, "the first run", "the second"); diff != "" {
				t.Errorf("a second run of gotutor differs from the first:\n%s", diff)
			}

			root := filepath.Join("..", "testdata", c.name)
			if *update {
				writeGolden(t, root, o.all())
			}
			if diff := compareTree(t, root, o.all()); diff != "" {
				t.Errorf("committed output is stale (go test ./testdata -update rewrites it):\n%s", diff)
			}
		})
	}
}

// checkGotutorFiles checks what can be checked of gotutor's output alone.
func checkGotutorFiles(t *testing.T, c testCase, files map[string][]byte) {
	t.Helper()
	for _, name := range sortedKeys(files) {
		content := files[name]
		if strings.HasSuffix(name, ".go") {
			formatted, err := format.Source(content)
			if err != nil {
				t.Errorf("%s does not parse: %v", name, err)
			} else if !bytes.Equal(formatted, content) {
				t.Errorf("%s is not gofmt-clean; gofmt would change:\n%s", name, testkit.Diff(name, content, "gofmt", formatted))
			}
			header := bytes.HasPrefix(content, []byte(generatedHeader))
			if isGenerated(name) && !header {
				t.Errorf("%s: a generated file (its name contains gotutor) does not start with %q", name, generatedHeader)
			}
			if !isGenerated(name) && bytes.Contains(content, []byte("DO NOT EDIT")) {
				t.Errorf("%s: a user-owned file says DO NOT EDIT", name)
			}
		}
	}
	// Files without a service get nothing from gotutor.
	for _, p := range c.protos {
		fd := descriptorOf(t, c, p)
		if len(fd.GetService()) > 0 {
			continue
		}
		base := strings.TrimSuffix(path.Base(p), ".proto") + "_gotutor"
		for name := range files {
			if strings.HasPrefix(path.Base(name), base) {
				t.Errorf("%s has no service, yet gotutor generated %s", p, name)
			}
		}
	}
}

// descriptorOf returns the compiled descriptor of one of the case's files.
func descriptorOf(t *testing.T, c testCase, file string) *descriptorpb.FileDescriptorProto {
	t.Helper()
	for _, fd := range compile(t, c).GetProtoFile() {
		if fd.GetName() == file {
			return fd
		}
	}
	t.Fatalf("%s is not in its own request", file)
	return nil
}

// writeGolden writes files below the repository root and removes the
// files of the case's folder that are no longer generated.
func writeGolden(t *testing.T, root string, files map[string][]byte) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join("..", filepath.FromSlash(name))
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, content) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", name)
	}
	for _, name := range committed(t, root) {
		if _, ok := files[name]; !ok {
			if err := os.Remove(filepath.Join("..", filepath.FromSlash(name))); err != nil {
				t.Fatal(err)
			}
			t.Logf("removed %s: no longer generated", name)
		}
	}
	removeEmptyDirs(t, root)
}

func removeEmptyDirs(t *testing.T, root string) {
	t.Helper()
	var dirs []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	slices.Reverse(dirs) // children first
	for _, d := range dirs {
		if entries, err := os.ReadDir(d); err == nil && len(entries) == 0 {
			os.Remove(d)
		}
	}
}

// committed lists the files below root (a case's folder) other than .proto
// files, as names relative to the repository root: every one of them must
// be generated.
func committed(t *testing.T, root string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasSuffix(p, ".proto") || d.Name() == optionsFile {
			return nil
		}
		rel, err := filepath.Rel("..", p)
		if err != nil {
			return err
		}
		names = append(names, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	return names
}

// compareTree compares the files below root (a case's folder, .proto files
// aside) with want, and describes each difference.
func compareTree(t *testing.T, root string, want map[string][]byte) string {
	t.Helper()
	got := map[string][]byte{}
	for _, name := range committed(t, root) {
		content, err := os.ReadFile(filepath.Join("..", filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		got[name] = content
	}
	var b strings.Builder
	for _, name := range sortedKeys(want) {
		if _, ok := got[name]; !ok {
			fmt.Fprintf(&b, "missing: %s is generated but not committed\n", name)
		}
	}
	for _, name := range sortedKeys(got) {
		w, ok := want[name]
		switch {
		case !ok && isGenerated(name):
			fmt.Fprintf(&b, "stale: %s is committed but no longer generated\n", name)
		case !ok:
			fmt.Fprintf(&b, "extra: %s is committed but not generated\n", name)
		case !bytes.Equal(got[name], w):
			fmt.Fprintf(&b, "differs: %s\n%s", name, testkit.Diff("committed", got[name], "generated", w))
		}
	}
	return b.String()
}

// compareSets describes how two sets of files differ, "" if they do not;
// aName and bName say where each set comes from.
func compareSets(a, b map[string][]byte, aName, bName string) string {
	var s strings.Builder
	for _, name := range sortedKeys(a) {
		if _, ok := b[name]; !ok {
			fmt.Fprintf(&s, "%s: only in %s\n", name, aName)
		} else if !bytes.Equal(a[name], b[name]) {
			fmt.Fprintf(&s, "%s differs:\n%s", name, testkit.Diff(aName, a[name], bName, b[name]))
		}
	}
	for _, name := range sortedKeys(b) {
		if _, ok := a[name]; !ok {
			fmt.Fprintf(&s, "%s: only in %s\n", name, bName)
		}
	}
	return s.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestGeneratedPackages vets every case package and runs their tests with
// the race detector, in two go commands over all of them; each case's
// subtest reports its own packages.
func TestGeneratedPackages(t *testing.T) {
	cs := cases(t)
	pkgs := casePackages(t)
	for _, c := range cs {
		if len(ofCase(pkgs, c.name)) == 0 {
			t.Errorf("go list ./... finds no package of the case %s", c.name)
		}
	}
	checkPackages(t, cs, pkgs)

	// The Hybrid API's packages must also build and pass with the Opaque
	// API's half of protoc-gen-go's output: the point of Hybrid is that
	// code written against it survives the switch.
	var hybrid []testCase
	var hybridPkgs []string
	for _, c := range cs {
		if matches, _ := filepath.Glob(filepath.Join(c.name, "*_protoopaque.pb.go")); len(matches) > 0 {
			hybrid = append(hybrid, c)
			hybridPkgs = append(hybridPkgs, ofCase(pkgs, c.name)...)
		}
	}
	if len(hybrid) == 0 {
		t.Fatal("no case uses the Hybrid API (no *_protoopaque.pb.go file)")
	}
	t.Run("protoopaque", func(t *testing.T) {
		checkPackages(t, hybrid, hybridPkgs, "-tags=protoopaque")
	})
}

// checkPackages runs go vet and go test -race on pkgs, with flags, and
// reports per case in a subtest.
func checkPackages(t *testing.T, cs []testCase, pkgs []string, flags ...string) {
	t.Helper()
	start := time.Now()
	vet := exec.Command("go", append(append([]string{"vet"}, flags...), pkgs...)...)
	vetOut, vetErr := vet.CombinedOutput()
	t.Logf("go vet %s of %d packages: %v", strings.Join(flags, " "), len(pkgs), time.Since(start).Round(time.Millisecond))
	vetByPkg := splitVetOutput(string(vetOut))

	start = time.Now()
	test := exec.Command("go", append(append([]string{"test", "-race", "-count=1", "-json"}, flags...), pkgs...)...)
	var stderr bytes.Buffer
	test.Stderr = &stderr
	testOut, testErr := test.Output()
	t.Logf("go test -race %s of %d packages: %v", strings.Join(flags, " "), len(pkgs), time.Since(start).Round(time.Millisecond))
	results, err := parseTestJSON(testOut)
	if err != nil {
		t.Fatalf("reading go test -json: %v\n%s", err, stderr.Bytes())
	}

	for _, c := range cs {
		t.Run(c.name, func(t *testing.T) {
			passed := 0
			for _, pkg := range ofCase(pkgs, c.name) {
				if out := vetByPkg[pkg]; out != "" {
					t.Errorf("go vet %s:\n%s", pkg, out)
				}
				r := results[pkg]
				switch {
				case r == nil:
					t.Errorf("go test %s: no result\n%s", pkg, stderr.Bytes())
				case r.action == "pass":
					passed += r.tests
				case r.action == "skip": // no test files
				default:
					t.Errorf("go test -race %s: %s\n%s", pkg, r.action, r.output.String())
				}
			}
			if passed == 0 && !t.Failed() {
				t.Errorf("no generated test ran in the case %s", c.name)
			}
			t.Logf("%d generated tests passed", passed)
		})
	}
	if vetErr != nil && len(vetByPkg) == 0 {
		t.Errorf("go vet: %v\n%s", vetErr, vetOut)
	}
	if testErr != nil && !t.Failed() {
		t.Errorf("go test: %v\n%s", testErr, stderr.Bytes())
	}
}

// casePackages lists the packages below testdata but testdata itself
// (which would run its own tests again).
func casePackages(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "./...").Output()
	if err != nil {
		t.Fatalf("go list ./... in testdata: %v\n%s", err, stderrOf(err))
	}
	var pkgs []string
	for _, p := range strings.Fields(string(out)) {
		if p != importPath {
			pkgs = append(pkgs, p)
		}
	}
	return pkgs
}

func stderrOf(err error) []byte {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.Stderr
	}
	return nil
}

// ofCase returns the packages of a case: its folder and those below it.
func ofCase(pkgs []string, name string) []string {
	var out []string
	prefix := importPath + "/" + name
	for _, p := range pkgs {
		if p == prefix || strings.HasPrefix(p, prefix+"/") {
			out = append(out, p)
		}
	}
	return out
}

// splitVetOutput maps each package to what go vet printed below its
// "# package" line.
func splitVetOutput(out string) map[string]string {
	m := map[string]string{}
	pkg := ""
	for _, line := range strings.SplitAfter(out, "\n") {
		if p, ok := strings.CutPrefix(line, "# "); ok {
			// "# pkg", "# pkg_test [pkg.test]" or "# [pkg_test]".
			p = strings.TrimPrefix(strings.TrimSpace(p), "[")
			p, _, _ = strings.Cut(p, " ")
			pkg = strings.TrimSuffix(strings.TrimSuffix(p, "]"), "_test")
			continue
		}
		if strings.TrimSpace(line) != "" {
			m[pkg] += line
		}
	}
	return m
}

type pkgResult struct {
	action string // pass, fail, skip
	tests  int    // top-level tests that passed
	output strings.Builder
}

// parseTestJSON reads the output of go test -json into a result per
// package, with build output attributed to the package that failed to build.
func parseTestJSON(out []byte) (map[string]*pkgResult, error) {
	results := map[string]*pkgResult{}
	get := func(pkg string) *pkgResult {
		if results[pkg] == nil {
			results[pkg] = &pkgResult{}
		}
		return results[pkg]
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var e struct {
			Action, Package, ImportPath, Test, Output string
		}
		if err := dec.Decode(&e); err != nil {
			return nil, err
		}
		switch {
		case e.Action == "build-output" || e.Action == "build-fail":
			// ImportPath is "pkg" or "pkg [pkg.test]".
			pkg, _, _ := strings.Cut(e.ImportPath, " ")
			get(pkg).output.WriteString(e.Output)
		case e.Package == "":
		case e.Action == "output":
			get(e.Package).output.WriteString(e.Output)
		case e.Test != "":
			if e.Action == "pass" && !strings.Contains(e.Test, "/") {
				get(e.Package).tests++
			}
		case e.Action == "pass" || e.Action == "fail" || e.Action == "skip":
			get(e.Package).action = e.Action
		}
	}
	return results, nil
}

// protocVersionLine matches the line where protoc-gen-go and
// protoc-gen-go-grpc name the compiler's version, which protoc gives and
// the in-process compiler does not ("(unknown)").
var protocVersionLine = regexp.MustCompile(`(?m)^(//\s+(?:- )?protoc\s+).*$`)

// normalizeProtocVersion replaces the version of protoc in a standard
// plugin's header by "(unknown)".
func normalizeProtocVersion(content []byte) []byte {
	return protocVersionLine.ReplaceAll(content, []byte("${1}(unknown)"))
}
