package testdata

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/gotutor/gotutor/internal/protoreq"
	"github.com/gotutor/gotutor/internal/testkit"
)

// protocPath returns protoc's path. Its absence fails the test: CI installs
// it (Debian's protobuf-compiler), and so must a developer.
func protocPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("protoc")
	if err != nil {
		t.Fatalf("protoc is not on PATH (%v): this test runs the plugins through a real protoc; install it (Debian: apt-get install protobuf-compiler libprotobuf-dev)", err)
	}
	// The well-known types' .proto files come with protoc from most
	// distributions, but in Debian from libprotobuf-dev, which
	// protobuf-compiler only recommends.
	cmd := exec.Command(p, "-o", os.DevNull, "google/protobuf/any.proto", "google/protobuf/duration.proto",
		"google/protobuf/empty.proto", "google/protobuf/field_mask.proto", "google/protobuf/struct.proto",
		"google/protobuf/timestamp.proto", "google/protobuf/wrappers.proto")
	cmd.Dir = t.TempDir()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s does not find the well-known types (google/protobuf/*.proto) on its default import path: %v\n%s\nInstall them (Debian: apt-get install libprotobuf-dev; protobuf-compiler only recommends it, so apt-get install --no-install-recommends protobuf-compiler leaves them out)", p, err, out)
	}
	return p
}

// isEditions reports whether a file of the case is in an edition rather
// than proto2 or proto3.
// builtinSet returns the built-in imports (internal/protoreq.IsBuiltin) of
// the case's files as a marshalled FileDescriptorSet, nil when there are
// none.
func builtinSet(t *testing.T, c testCase) []byte {
	t.Helper()
	set := &descriptorpb.FileDescriptorSet{}
	for _, fd := range compile(t, c).GetProtoFile() {
		if protoreq.IsBuiltin(fd.GetName()) {
			set.File = append(set.File, fd)
		}
	}
	if len(set.File) == 0 {
		return nil
	}
	b, err := proto.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func isEditions(t *testing.T, c testCase) bool {
	t.Helper()
	for _, fd := range compile(t, c).GetProtoFile() {
		if fd.GetSyntax() == "editions" {
			return true
		}
	}
	return false
}

// readCommitted returns the committed files of a case (its .proto files
// aside), by name relative to the repository root.
func readCommitted(t *testing.T, c testCase) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, name := range committed(t, filepath.Join("..", "testdata", c.name)) {
		content, err := os.ReadFile(filepath.Join("..", filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = content
	}
	return files
}

// readTree returns the files below dir by slash-separated name relative to
// dir, with prefix before each name.
func readTree(t *testing.T, dir, prefix string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		content, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files[prefix+filepath.ToSlash(rel)] = content
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// stdOutput reports whether a file is protoc-gen-go's or protoc-gen-go-grpc's.
func stdOutput(name string) bool {
	return strings.HasSuffix(name, ".pb.go")
}

// normalize replaces, in the standard plugins' files, the version of protoc
// that they name by "(unknown)", as the golden files (made without protoc)
// have it. gotutor's files are left as they are.
func normalize(files map[string][]byte) map[string][]byte {
	out := map[string][]byte{}
	for name, content := range files {
		if stdOutput(name) {
			content = normalizeProtocVersion(content)
		}
		out[name] = content
	}
	return out
}

// TestProtoc runs protoc with the three plugins, as a user would, for every
// case (protoc 3.21 must fail on the editions case, as it cannot read
// editions): in an empty folder, with --*_out=. and
// module= as the only option. The output must be the golden files byte for
// byte (but for the protoc version the standard plugins write in their
// headers). Then it edits one user-owned file, deletes another, and runs
// the same command again: the edit survives byte for byte, the deleted file
// comes back, and every other file is unchanged.
func TestProtoc(t *testing.T) {
	protoc := protocPath(t)
	version, err := exec.Command(protoc, "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("%s --version: %v\n%s", protoc, err, version)
	}
	t.Logf("%s: %s", protoc, bytes.TrimSpace(version))
	testdataDir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases(t) {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			args := []string{"-I", testdataDir}
			for _, name := range []string{"protoc-gen-go", "protoc-gen-go-grpc", "protoc-gen-gotutor"} {
				args = append(args, "--plugin="+name+"="+filepath.Join(binDir, name))
			}
			for _, lang := range []string{"go", "go-grpc", "gotutor"} {
				args = append(args, "--"+lang+"_out=.", "--"+lang+"_opt="+c.parameter())
			}
			if set := builtinSet(t, c); set != nil {
				// protoc finds the built-in imports (google/api,
				// buf/validate...) in a descriptor set, as they are not on
				// disk.
				name := filepath.Join(t.TempDir(), "builtin.binpb")
				if err := os.WriteFile(name, set, 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--descriptor_set_in="+name)
			}
			args = append(args, c.protos...)
			runProtoc := func() {
				t.Helper()
				cmd := exec.Command(protoc, args...)
				cmd.Dir = out
				if msg, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("protoc %s: %v\n%s", strings.Join(args, " "), err, msg)
				}
			}
			if isEditions(t, c) {
				// protoc before 27 (Debian's is 3.21) cannot parse editions:
				// it must fail on the file itself, at its edition line,
				// before any plugin runs and without writing anything.
				// TestGolden and TestBuf check this case's output.
				cmd := exec.Command(protoc, args...)
				cmd.Dir = out
				if msg, err := cmd.CombinedOutput(); err != nil {
					if !bytes.Contains(msg, []byte("No syntax specified")) || !bytes.Contains(msg, []byte("Expected top-level statement")) {
						t.Fatalf("protoc %s failed, but not as a protoc that cannot read editions does: %v\n%s", strings.Join(args, " "), err, msg)
					}
					if written := readTree(t, out, ""); len(written) > 0 {
						t.Fatalf("protoc failed on editions but wrote %d files", len(written))
					}
					t.Logf("%s cannot read editions, as expected:\n%s", protoc, msg)
					return
				}
				// A protoc that reads editions: the checks below apply.
			}

			runProtoc()
			first := readTree(t, out, "")
			golden := readCommitted(t, c)
			if d := compareSets(golden, normalize(first), "the golden files", "protoc's output"); d != "" {
				t.Fatalf("protoc's output is not the golden output:\n%s", d)
			}

			// Run again over an edited and a deleted user-owned file.
			var owned []string
			for _, name := range sortedKeys(first) {
				if !stdOutput(name) && !isGenerated(name) {
					owned = append(owned, name)
				}
			}
			if len(owned) < 2 {
				t.Fatalf("protoc wrote %d user-owned files, want a servicer, its test and two mains per service", len(owned))
			}
			edited, deleted := owned[len(owned)-1], owned[0]
			editedPath := filepath.Join(out, filepath.FromSlash(edited))
			editedContent := append(bytes.Clone(first[edited]), "\n// An edit of the user's: regenerating must keep it.\n"...)
			if err := os.WriteFile(editedPath, editedContent, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Remove(filepath.Join(out, filepath.FromSlash(deleted))); err != nil {
				t.Fatal(err)
			}
			// Generated files are rewritten even when they are not stale;
			// make them stale to see it.
			var generated string
			for _, name := range sortedKeys(first) {
				if isGenerated(name) && strings.HasSuffix(name, ".go") {
					generated = name
					break
				}
			}
			if err := os.WriteFile(filepath.Join(out, filepath.FromSlash(generated)), []byte("stale"), 0o644); err != nil {
				t.Fatal(err)
			}

			runProtoc()
			second := readTree(t, out, "")
			if got := second[edited]; !bytes.Equal(got, editedContent) {
				t.Errorf("the second protoc run changed the user-owned %s:\n%s", edited, testkit.Diff("the edit", editedContent, "the second run", got))
			}
			want := first
			want[edited] = editedContent
			if d := compareSets(want, second, "the first run (plus the edit)", "the second"); d != "" {
				t.Errorf("the second protoc run does not give the first run's files back (%s deleted, %s made stale, %s edited):\n%s", deleted, generated, edited, d)
			}
		})
	}
}

// TestBuf runs `buf generate` with buf.gen.yaml, buf being the version
// pinned in ../tools.mod and run with `go tool`, and the plugins run by the
// go command as buf.gen.yaml says. It generates every case, the edition
// 2023 one included, into a new folder below testdata (the plugins' go
// commands need to run inside the module), and compares it with the golden
// files. With -short it is skipped: the first build of buf takes minutes.
func TestBuf(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: buf generate builds buf from ../tools.mod (about 2.5 minutes with a cold build cache); run go test ./testdata without -short")
	}
	toolsMod, err := filepath.Abs(filepath.Join("..", "tools.mod"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.MkdirTemp(".", ".buf-out-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(out) })

	// buf.gen.yaml gives every case the same options: a case with options
	// of its own is left out of that run and generated on its own, with a
	// template that adds them.
	template, err := os.ReadFile("buf.gen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const opt = "opt: module=github.com/gotutor/gotutor/testdata"
	if n := bytes.Count(template, []byte(opt)); n != 3 {
		t.Fatalf("buf.gen.yaml has %d lines %q, want one per plugin", n, opt)
	}
	// A case that imports built-in files (google/api, buf/validate...,
	// which are not on disk) is given to buf as an image, which the
	// in-process compiler makes: buf reads those imports from nowhere else.
	type run struct {
		input string
		args  []string
	}
	runs := []run{{"..", []string{"--template", filepath.Join("..", "buf.gen.yaml")}}}
	for _, c := range cases(t) {
		builtin := builtinSet(t, c) != nil
		if len(c.options) == 0 && !builtin {
			continue
		}
		runs[0].args = append(runs[0].args, "--exclude-path", filepath.Join("..", c.name))
		withOptions := strings.ReplaceAll(string(template), opt, "opt: ["+strings.Join(append([]string{strings.TrimPrefix(opt, "opt: ")}, c.options...), ", ")+"]")
		if !builtin {
			runs = append(runs, run{"..", []string{"--template", withOptions, "--path", filepath.Join("..", c.name)}})
			continue
		}
		image, err := proto.Marshal(&descriptorpb.FileDescriptorSet{File: compile(t, c).GetProtoFile()})
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(t.TempDir(), c.name+".binpb")
		if err := os.WriteFile(name, image, 0o644); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, run{name, []string{"--template", withOptions, "--path", c.name}})
	}
	for _, r := range runs {
		start := time.Now()
		cmd := exec.Command("go", append([]string{"tool", "-modfile=" + toolsMod, "buf", "generate", r.input}, r.args...)...)
		cmd.Dir = out
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go tool -modfile=%s buf generate %s %s: %v\n%s", toolsMod, r.input, strings.Join(r.args[2:], " "), err, msg)
		}
		t.Logf("go tool buf generate %s %s: %v", filepath.Base(r.input), strings.Join(r.args[2:], " "), time.Since(start).Round(time.Millisecond))
	}

	got := readTree(t, out, "testdata/")
	seen := map[string]bool{}
	for _, c := range cases(t) {
		t.Run(c.name, func(t *testing.T) {
			mine := map[string][]byte{}
			for name, content := range got {
				if strings.HasPrefix(name, "testdata/"+c.name+"/") {
					mine[name] = content
					seen[name] = true
				}
			}
			if d := compareSets(readCommitted(t, c), normalize(mine), "the golden files", "buf's output"); d != "" {
				t.Errorf("buf's output is not the golden output:\n%s", d)
			}
		})
	}
	for _, name := range sortedKeys(got) {
		if !seen[name] {
			t.Errorf("buf generated %s, outside every case", path.Clean(name))
		}
	}
}
