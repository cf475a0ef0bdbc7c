package corpus

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/gotutor/gotutor/internal/testkit"
)

// A folder of the corpus, and the server main of its module that the test
// starts and calls with the client main beside it.
type folder struct {
	name, server string
}

// wellKnown is where Debian's protoc keeps google/protobuf/*.proto.
const wellKnown = "/usr/include"

var folders = []folder{
	{"gapi2", "secretmanagerservice-server"},
	{"gateway", "abitofeverythingservice-server"},
	{"dapr", "dapr-server"},
	{"qdrant", "points-server"},
	{"containerd", "content-server"},
}

// corpusDir returns the corpus: GOTUTOR_CORPUS, or ../shared/corpus beside
// the checkout.
func corpusDir(t *testing.T) string {
	dir := os.Getenv("GOTUTOR_CORPUS")
	if dir == "" {
		dir = filepath.Join(testkit.Root(t), "..", "shared", "corpus")
	}
	if _, err := os.Stat(filepath.Join(dir, "SOURCES.md")); err != nil {
		testkit.Missing(t, "the corpus of real APIs is not at "+dir+" (set GOTUTOR_CORPUS to its folder)")
	}
	return dir
}

// TestCorpus runs each folder of the corpus through protoc, as a user runs
// it, and dapr through gotutor new too: the module must vet, pass its
// generated tests (without -race, for CI's time), and a server main must
// answer every call of its client main.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and builds five large modules")
	}
	corpus := corpusDir(t)
	if _, err := exec.LookPath("protoc"); err != nil {
		testkit.Missing(t, "protoc is not installed (Debian: protobuf-compiler, libprotobuf-dev)")
	}
	if _, err := os.Stat(filepath.Join(wellKnown, "google", "protobuf", "empty.proto")); err != nil {
		testkit.Missing(t, "protoc's well-known types are not in "+wellKnown+" (Debian: libprotobuf-dev)")
	}
	bin := t.TempDir()
	start := time.Now()
	if err := testkit.BuildPlugins(testkit.Root(t), bin, "./protoc-gen-gotutor", "./cmd/gotutor", testkit.ProtocGenGo, testkit.ProtocGenGoGRPC); err != nil {
		t.Fatal(err)
	}
	t.Logf("plugins and gotutor built in %s", time.Since(start).Round(time.Second))
	for _, f := range folders {
		t.Run("protoc/"+f.name, func(t *testing.T) {
			start := time.Now()
			defer func() { t.Logf("%s: %s", f.name, time.Since(start).Round(time.Second)) }()
			dir, fds := generate(t, bin, filepath.Join(corpus, f.name), "example.com/"+f.name)
			check(t, dir, f.server, methods(t, fds, f.server))
		})
	}
	t.Run("gotutor new/dapr", func(t *testing.T) {
		start := time.Now()
		defer func() { t.Logf("gotutor new dapr: %s", time.Since(start).Round(time.Second)) }()
		src := filepath.Join(corpus, "dapr")
		dir := filepath.Join(t.TempDir(), "dapr")
		cmd := exec.Command(filepath.Join(bin, "gotutor"), "new", "-I", src, "-o", dir, "-module", "example.com/dapr",
			filepath.Join(src, "dapr", "proto", "runtime", "v1", "dapr.proto"))
		cmd.Env = append(os.Environ(), "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("gotutor new: %v\n%s", err, out)
		}
		check(t, dir, "dapr-server", methods(t, descriptorSet(t, src), "dapr-server"))
	})
}

// linkedGoPackage returns the Go package that a user maps a file to, with
// an M option, instead of generating it: the files that the generated
// code's dependencies register already (genproto's google/api, google/rpc
// and google/type, cloud.google.com/go/longrunning's google/longrunning,
// grpc-go's grpc.health.v1), whose Go code of the user's own would make
// the programs panic at start on a file or a name registered twice.
func linkedGoPackage(fd *descriptorpb.FileDescriptorProto) (string, bool) {
	if fd.GetPackage() == "grpc.health.v1" {
		// qdrant's health_check.proto is grpc's health.proto with only
		// Check, under another path (the corpus gave it a go_package of
		// qdrant's go-client, which drops the file): the names are those
		// of grpc-go's health package, which every server links, so a
		// user leaves the file out and maps it there. Its Health service
		// is then grpc-go's, which the server main serves already.
		return "google.golang.org/grpc/health/grpc_health_v1", true
	}
	for _, dir := range []string{"google/api/", "google/rpc/", "google/type/", "google/longrunning/"} {
		if strings.HasPrefix(fd.GetName(), dir) {
			// The vendored copies keep their go_package: genproto's, or
			// cloud.google.com/go/longrunning's for longrunning.
			return fd.GetOptions().GetGoPackage(), true
		}
	}
	return "", false
}

// generate runs protoc on every .proto of src, the way a user would, into
// a new module named module: each file's Go package goes into the module,
// in a folder that is its .proto's (M options, given to all three
// plugins), except those of linkedGoPackage, which are mapped to their Go
// packages and not generated. It returns the module's folder, and the
// files with their imports.
func generate(t *testing.T, bin, src, module string) (string, *descriptorpb.FileDescriptorSet) {
	t.Helper()
	fds := descriptorSet(t, src)
	var mOpts, generated []string
	names := map[string]string{} // Go package name by folder
	for _, fd := range fds.GetFile() {
		name := fd.GetName()
		if strings.HasPrefix(name, "google/protobuf/") {
			continue
		}
		if pkg, ok := linkedGoPackage(fd); ok {
			mOpts = append(mOpts, "M"+name+"="+pkg)
			continue
		}
		goPkg := fd.GetOptions().GetGoPackage()
		pkgName := path.Base(goPkg)
		if i := strings.LastIndexByte(goPkg, ';'); i >= 0 {
			pkgName = goPkg[i+1:]
		}
		dir := path.Dir(name)
		if n, ok := names[dir]; ok && n != pkgName {
			t.Fatalf("%s: the files of %s are in Go packages %s and %s, which one import path cannot hold", src, dir, n, pkgName)
		}
		names[dir] = pkgName
		importPath := module
		if dir != "." {
			importPath += "/" + dir
		}
		mOpts = append(mOpts, "M"+name+"="+importPath+";"+pkgName)
		generated = append(generated, name)
	}

	dir := filepath.Join(t.TempDir(), path.Base(module))
	root := testkit.Root(t)
	testkit.WriteFile(t, filepath.Join(dir, "go.mod"), "module "+module+"\n\ngo 1.26\n\nrequire (\n"+
		"\tgithub.com/gotutor/gotutor v0.0.0-00010101000000-000000000000\n"+
		"\tgoogle.golang.org/grpc "+testkit.ModuleVersion(t, "google.golang.org/grpc")+"\n"+
		"\tgoogle.golang.org/protobuf "+testkit.ModuleVersion(t, "google.golang.org/protobuf")+"\n"+
		")\n\nreplace github.com/gotutor/gotutor => "+root+"\n")
	testkit.WriteFile(t, filepath.Join(dir, "go.sum"), string(testkit.ReadFile(t, filepath.Join(root, "go.sum"))))
	args := []string{"-I", src, "-I", wellKnown}
	for _, p := range []string{"go", "go-grpc", "gotutor"} {
		args = append(args, "--plugin=protoc-gen-"+p+"="+filepath.Join(bin, "protoc-gen-"+p), "--"+p+"_out=.", "--"+p+"_opt=module="+module)
		for _, m := range mOpts {
			args = append(args, "--"+p+"_opt="+m)
		}
	}
	protoc(t, dir, append(args, generated...)...)
	testkit.Go(t, dir, "mod", "tidy")
	return dir, fds
}

// methods returns the methods of the service of fds whose server main is
// server (<service name in lower case>-server).
func methods(t *testing.T, fds *descriptorpb.FileDescriptorSet, server string) []string {
	t.Helper()
	for _, fd := range fds.GetFile() {
		for _, sd := range fd.GetService() {
			if strings.ToLower(sd.GetName())+"-server" == server {
				var names []string
				for _, md := range sd.GetMethod() {
					names = append(names, md.GetName())
				}
				return names
			}
		}
	}
	t.Fatalf("no service has the server main %s", server)
	return nil
}

// descriptorSet compiles every .proto of src with protoc and returns them
// with their imports.
func descriptorSet(t *testing.T, src string) *descriptorpb.FileDescriptorSet {
	t.Helper()
	var protos []string
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".proto") {
			rel, _ := filepath.Rel(src, p)
			protos = append(protos, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(protos)
	tmp := t.TempDir()
	set := filepath.Join(tmp, "set.pb")
	protoc(t, tmp, append([]string{"-I", src, "-I", wellKnown, "--include_imports", "--descriptor_set_out=" + set}, protos...)...)
	fds := &descriptorpb.FileDescriptorSet{}
	if err := proto.Unmarshal(testkit.ReadFile(t, set), fds); err != nil {
		t.Fatal(err)
	}
	return fds
}

// protoc runs protoc in dir; what it and the plugins print (warnings)
// goes to the test's log.
func protoc(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("protoc", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("protoc: %v\n%s", err, out)
	}
	if len(out) > 0 {
		t.Logf("protoc:\n%s", out)
	}
}

// check vets the module in dir, runs its tests, and starts its server
// main server, which the client main beside it calls: it must call each of
// the service's methods and exit 0.
func check(t *testing.T, dir, server string, methods []string) {
	t.Helper()
	start := time.Now()
	testkit.Go(t, dir, "vet", "./...")
	t.Logf("go vet: %s", time.Since(start).Round(time.Second))
	// The tests of every package but the server mains', of which only
	// server's run: each main's tests are one more binary to link, the
	// same tests for every service (one unary and one streaming method
	// over each protocol, one http rule), while the packages' tests call
	// every method. Those of the other mains are vetted above, which
	// type-checks them.
	var pkgs []string
	for _, p := range strings.Fields(testkit.Go(t, dir, "list", "./...")) {
		if name := path.Base(p); strings.HasSuffix(name, "-server") && path.Base(path.Dir(p)) == "cmd" && name != server {
			continue
		}
		pkgs = append(pkgs, p)
	}
	start = time.Now()
	// go vet ./... has vetted them: -vet=off saves go test's second pass.
	out := testkit.Go(t, dir, append([]string{"test", "-count=1", "-vet=off"}, pkgs...)...)
	t.Logf("go test: %s", time.Since(start).Round(time.Second))
	if strings.Contains(out, "FAIL") || !strings.Contains(out, "/"+server+"\t") {
		t.Fatalf("go test:\n%s", out)
	}

	var serverDir string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == server && filepath.Base(filepath.Dir(p)) == "cmd" {
			serverDir = p
			return fs.SkipAll
		}
		return err
	})
	if err != nil || serverDir == "" {
		t.Fatalf("no server main %s in %s (%v)", server, dir, err)
	}
	clientDir := filepath.Join(filepath.Dir(serverDir), strings.TrimSuffix(server, "-server")+"-client")
	bin := t.TempDir()
	testkit.Go(t, dir, "build", "-o", bin+string(os.PathSeparator), serverDir, clientDir)
	addr := testkit.StartServer(t, filepath.Join(bin, server))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	client := filepath.Base(clientDir)
	cmd := exec.CommandContext(ctx, filepath.Join(bin, client), "-addr", addr)
	got, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s -addr %s: %v\n%s", client, addr, err, got)
	}
	// It prints each answer as "Method: {json}", a line per message.
	for _, m := range methods {
		if !strings.HasPrefix(string(got), m+": ") && !strings.Contains(string(got), "\n"+m+": ") {
			t.Errorf("%s printed no answer of %s:\n%.2000s", client, m, got)
		}
	}
	t.Logf("%s printed %d lines for %d methods", client, strings.Count(string(got), "\n"), len(methods))
}
