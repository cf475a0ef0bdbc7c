package scaffold

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health/grpc_health_v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/kustomize/api/krusty"
	kustypes "sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"

	"github.com/gotutor/gotutor/internal/testkit"
	"github.com/gotutor/gotutor/serve"
	"github.com/gotutor/gotutor/serve/oneport"
	"github.com/gotutor/gotutor/serve/stubs"
)

// TestContainerPort: the port of the container is the one that a server
// main listens on by default, on loopback (serve.DefaultAddr).
func TestContainerPort(t *testing.T) {
	_, port, err := net.SplitHostPort(serve.DefaultAddr)
	if err != nil || port != strconv.Itoa(containerPort) {
		t.Errorf("serve.DefaultAddr = %q, containerPort = %d: not the same port", serve.DefaultAddr, containerPort)
	}
}

func TestK8sNames(t *testing.T) {
	long := strings.Repeat("x", 70)
	for in, want := range map[string]string{
		"greeter-server":     "greeter-server",
		"My_Svc__-server":    "my-svc-server",
		"9lives-server":      "s-9lives-server",
		"---":                "s",
		long + "-server":     strings.Repeat("x", maxK8sName),
		"über--grüße-server": "ber-gr-e-server",
	} {
		if got := k8sName(in); got != want {
			t.Errorf("k8sName(%q) = %q, want %q", in, got, want)
		}
	}
	taken := map[string]bool{}
	var got []string
	for _, c := range []string{
		"a/v1/cmd/greeter-server", "b/v1/cmd/greeter-server", "c/v1/cmd/greeter-server", "cmd/greeter-server",
		"a/cmd/" + long + "-server", "cmd/" + long + "-server", "b/cmd/" + long + "-server",
	} {
		got = append(got, uniqueK8sName(c, taken))
	}
	want := []string{
		"greeter-server", "v1-greeter-server", "c-v1-greeter-server", "greeter-server-2",
		strings.Repeat("x", maxK8sName), strings.Repeat("x", maxK8sName-2) + "-2", "b-" + strings.Repeat("x", maxK8sName-2),
	}
	if !slices.Equal(got, want) {
		t.Errorf("uniqueK8sName = %q, want %q", got, want)
	}
	for _, name := range got {
		if len(name+"-headless") > 63 {
			t.Errorf("%s-headless is longer than a Service's name may be", name)
		}
	}
}

func TestServerCommands(t *testing.T) {
	got := serverCommands([]string{
		"z/cmd/zeta-server/server_gotutor.go", "z/cmd/zeta-server/main.go", "z/cmd/zeta-client/main.go",
		"a/cmd/alpha-server/main.go", "z/cmd/zeta-server/main.go", "cmd/x-server/main.go", "x-server/main.go",
	})
	if want := []string{"z/cmd/zeta-server", "a/cmd/alpha-server", "cmd/x-server"}; !slices.Equal(got, want) {
		t.Errorf("serverCommands = %q, want %q", got, want)
	}
	if files := newDeploy("example.com/m", "1.26", "", nil).files(); len(files) != 0 {
		t.Errorf("a module without server mains gets %d deploy files", len(files))
	}
}

// TestDeployRendered renders the files of a module with two server mains,
// a released gotutor and one from a checkout relative to the module, and
// checks all of them.
func TestDeployRendered(t *testing.T) {
	for _, replace := range []string{"", "../gotutor"} {
		d := newDeploy("example.com/acme/shop", "1.26.7", replace, []string{"shop/v1/cmd/orders-server", "shop/v1/cmd/billing-server"})
		files, err := d.render("")
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		for _, f := range files {
			testkit.WriteFile(t, filepath.Join(dir, filepath.FromSlash(f.name)), string(f.content))
		}
		testkit.WriteFile(t, filepath.Join(dir, "go.mod"), "module example.com/acme/shop\n\ngo 1.26.7\n")
		checkDeploy(t, dir, d)
		if t.Failed() {
			for _, f := range files {
				t.Logf("%s:\n%s", f.name, f.content)
			}
			return
		}
	}
}

// TestDeployTemplatesOverridden: a template of the user's folder replaces a
// built-in deploy template, and the generator's templates there, which call
// functions that only the generator defines, do not stop the others.
func TestDeployTemplatesOverridden(t *testing.T) {
	dir := t.TempDir()
	testkit.WriteFile(t, filepath.Join(dir, "servicer_doc.tmpl"), "{{define \"servicer_doc\"}}{{comment 0 (printf \"%s\" .GoName)}} {{q .Servicer}}{{end}}\n")
	testkit.WriteFile(t, filepath.Join(dir, "pdb.tmpl"), "{{define \"k8s_pdb_file\"}}# ours: {{.Name}} of {{.Deploy.App}}\n{{end}}\n")
	d := newDeploy("example.com/shop", "1.26", "", []string{"cmd/orders-server"})
	files, err := d.render(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range files {
		got[f.name] = string(f.content)
	}
	if pdb := got["deploy/k8s/orders-server/pdb.yaml"]; pdb != "# ours: orders-server of shop\n" {
		t.Errorf("pdb.yaml = %q, want the user's template's", pdb)
	}
	if !strings.Contains(got["Dockerfile"], "FROM --platform=$BUILDPLATFORM golang:1.26 AS build\n") {
		t.Errorf("the Dockerfile is not the built-in one:\n%s", got["Dockerfile"])
	}
	// A deploy template of the user's that calls a generator's function
	// fails, naming the file and the function.
	testkit.WriteFile(t, filepath.Join(dir, "hpa.tmpl"), "{{define \"k8s_hpa_file\"}}{{comment 0 .Name}}{{end}}\n")
	_, err = d.render(dir)
	if err == nil || !strings.Contains(err.Error(), "deploy/k8s/orders-server/hpa.yaml") || !strings.Contains(err.Error(), `"comment"`) {
		t.Errorf("rendering a template that calls comment: %v", err)
	}
}

// TestNewDeploy makes a module with two services, in the order Zeta, Alpha:
// gotutor new writes the container and Kubernetes files of both server
// mains, the first by default, with go.mod's go line and replace. Then a
// proto with a third service, added to the module: its folder is written,
// the files that exist are kept, and the user is told to list the new
// folder. gen writes none of them.
func TestNewDeploy(t *testing.T) {
	if testing.Short() {
		t.Skip("makes a module (go mod tidy, go tool protoc-gen-go-grpc)")
	}
	// What CurrentVersions finds in a gotutor binary's build info, which a
	// test binary of this package lacks.
	checkout, err := findCheckout()
	if err != nil {
		t.Fatal(err)
	}
	versions := Versions{
		Grpc: testkit.ModuleVersion(t, grpcModule), Protobuf: testkit.ModuleVersion(t, protoModule),
		GrpcGen: GrpcGenVersion, Gotutor: "(devel)", Checkout: checkout,
	}
	src := t.TempDir()
	testkit.WriteFile(t, filepath.Join(src, "dual.proto"), `syntax = "proto3";
package dual.v1;
option go_package = "example.com/dual/dual/v1;dualv1";
service Zeta { rpc Ping(PingRequest) returns (PingReply); }
service Alpha { rpc Ping(PingRequest) returns (PingReply); }
message PingRequest { string name = 1; }
message PingReply { string message = 1; }
`)
	// Without go_package: new maps it into the module, in buf.gen.yaml
	// too.
	testkit.WriteFile(t, filepath.Join(src, "extra.proto"), `syntax = "proto3";
package extra.v1;
service Gamma { rpc Get(GetRequest) returns (GetReply); }
message GetRequest { string id = 1; }
message GetReply { string id = 1; }
`)
	dir := filepath.Join(t.TempDir(), "dual")
	var progress, out strings.Builder
	o := Options{Dir: dir, Module: "example.com/dual", Versions: versions, HTTP: true, Progress: &progress, Out: &out}
	o.Proto = filepath.Join(src, "dual.proto")
	if err := New(t.Context(), o); err != nil {
		t.Fatalf("New: %v\n%s", err, progress.String())
	}
	goVersion, _, err := readGoMod(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := newDeploy("example.com/dual", goVersion, versions.Checkout, []string{"dual/v1/cmd/zeta-server", "dual/v1/cmd/alpha-server"})
	checkDeploy(t, dir, d)
	for _, s := range d.Servers {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(s.Command), "main.go")); err != nil {
			t.Errorf("the Dockerfile builds %s, which has no main.go: %v", s.Command, err)
		}
	}
	onDisk := 0
	err = filepath.WalkDir(dir, func(_ string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			onDisk++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "wrote " + strconv.Itoa(onDisk) + " files in " + dir + "\n"; !strings.Contains(progress.String(), want) {
		t.Errorf("gotutor new did not print %q (the deploy files counted):\n%s", want, progress.String())
	}
	if t.Failed() {
		return
	}

	// Yours: edited, then kept.
	dockerfile := filepath.Join(dir, "Dockerfile")
	testkit.ReplaceIn(t, dockerfile, "EXPOSE 50051\n", "EXPOSE 50051\nLABEL edited=yes\n")
	deployment := filepath.Join(dir, "deploy", "k8s", "zeta-server", "deployment.yaml")
	testkit.ReplaceIn(t, deployment, "cpu: 100m", "cpu: 200m")
	before := map[string][]byte{}
	for _, name := range d.filesOnDisk(t, dir) {
		before[name] = testkit.ReadFile(t, filepath.Join(dir, filepath.FromSlash(name)))
	}

	progress.Reset()
	out.Reset()
	o.Proto, o.Module = filepath.Join(src, "extra.proto"), ""
	if err := New(t.Context(), o); err != nil {
		t.Fatalf("New into the module: %v\n%s", err, progress.String())
	}
	for name, content := range before {
		if got := testkit.ReadFile(t, filepath.Join(dir, filepath.FromSlash(name))); string(got) != string(content) {
			t.Errorf("gotutor new into the module changed %s", name)
		}
		if want := "kept      " + filepath.Join(dir, filepath.FromSlash(name)) + " (yours)\n"; !strings.Contains(out.String(), want) {
			t.Errorf("gotutor new into the module did not print %q:\n%s", want, out.String())
		}
	}
	all := newDeploy("example.com/dual", goVersion, versions.Checkout, []string{"dual/v1/cmd/zeta-server", "dual/v1/cmd/alpha-server", "extra/v1/cmd/gamma-server"})
	for _, name := range all.filesOnDisk(t, dir) {
		if _, ok := before[name]; !ok {
			if want := "wrote     " + filepath.Join(dir, filepath.FromSlash(name)) + "\n"; !strings.Contains(out.String(), want) {
				t.Errorf("gotutor new into the module did not print %q:\n%s", want, out.String())
			}
		}
	}
	bufGen := filepath.Join(dir, "buf.gen.yaml")
	if want := "updated   " + bufGen + " (the M options of the new protos)\n"; !strings.Contains(out.String(), want) {
		t.Errorf("gotutor new into the module did not print %q:\n%s", want, out.String())
	}
	if got := strings.Count(string(testkit.ReadFile(t, bufGen)), "- Mextra.proto=example.com/dual/extra/v1;extrav1\n"); got != 3 {
		t.Errorf("buf.gen.yaml has the M option of extra.proto %d times, want once per plugin", got)
	}
	if strings.Contains(progress.String(), "lacks the option") {
		t.Errorf("gotutor new into the module warned that buf.gen.yaml lacks an option:\n%s", progress.String())
	}
	gamma := all.Servers[2]
	checkServerManifests(t, filepath.Join(dir, "deploy", "k8s", gamma.Name), gamma)
	kustomization := filepath.Join(dir, "deploy", "k8s", "kustomization.yaml")
	if want := "note: " + kustomization + " does not list deploy/k8s/gamma-server: add - gamma-server to its resources for kubectl apply -k deploy/k8s to deploy it\n"; !strings.Contains(progress.String(), want) {
		t.Errorf("gotutor new into the module did not say %q:\n%s", want, progress.String())
	}

	// gen leaves them all alone, the deleted one too.
	if err := os.Remove(filepath.Join(dir, "deploy", "k8s", "gamma-server", "hpa.yaml")); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := Gen(t.Context(), Options{Dir: dir, Progress: io.Discard, Out: &out}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "deploy") || strings.Contains(out.String(), "Dockerfile") {
		t.Errorf("gen wrote or named deploy files:\n%s", out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "deploy", "k8s", "gamma-server", "hpa.yaml")); err == nil {
		t.Error("gen wrote hpa.yaml back")
	}

	// Gamma gone from the protos: gen names its deploy folder, which it
	// leaves, and no other, a folder of the user's own included.
	testkit.WriteFile(t, filepath.Join(dir, "deploy", "k8s", "cache-server", "notes.txt"), "not gotutor's: no deployment.yaml\n")
	testkit.WriteFile(t, filepath.Join(dir, "deploy", "k8s", "redis", "deployment.yaml"), "# the user's own\n")
	extra, err := filepath.Glob(filepath.Join(dir, "proto", "*", "extra.proto"))
	if err == nil && len(extra) == 0 {
		extra, err = filepath.Glob(filepath.Join(dir, "proto", "extra.proto"))
	}
	if err != nil || len(extra) != 1 {
		t.Fatalf("extra.proto under proto/: %q, %v", extra, err)
	}
	if err := os.Remove(extra[0]); err != nil {
		t.Fatal(err)
	}
	progress.Reset()
	if err := Gen(t.Context(), Options{Dir: dir, Progress: &progress, Out: io.Discard}); err != nil {
		t.Fatal(err)
	}
	gammaDir := filepath.Join(dir, "deploy", "k8s", "gamma-server")
	want := "warning: " + gammaDir + " deploys gamma-server, a server main that the protos no longer declare: delete it, and its line in " + kustomization + "\n"
	if !strings.Contains(progress.String(), want) || strings.Count(progress.String(), "deploys ") != 1 {
		t.Errorf("gen without gamma did not say, once, %q:\n%s", want, progress.String())
	}
	if _, err := os.Stat(gammaDir); err != nil {
		t.Errorf("gen removed the user's deploy folder: %v", err)
	}
}

// filesOnDisk returns the names of d's files that are in dir.
func (d *Deploy) filesOnDisk(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	for _, f := range d.files() {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f.name))); err != nil {
			t.Errorf("%s: %v", f.name, err)
			continue
		}
		names = append(names, f.name)
	}
	return names
}

// checkDeploy checks the deploy files of d in the module dir: the
// Dockerfile, .dockerignore, and the manifests of each server, alone and
// all together through kustomize.
func checkDeploy(t *testing.T, dir string, d *Deploy) {
	t.Helper()
	goVersion, _, err := readGoMod(dir)
	if err != nil {
		t.Fatal(err)
	}
	checkDockerfile(t, string(testkit.ReadFile(t, filepath.Join(dir, "Dockerfile"))), d, goVersion)
	checkDockerignore(t, string(testkit.ReadFile(t, filepath.Join(dir, ".dockerignore"))), d)

	// deploy/k8s: every server, each one's objects once.
	root := filepath.Join(dir, "deploy", "k8s")
	var k kustypes.Kustomization
	strict(t, "deploy/k8s/kustomization.yaml", testkit.ReadFile(t, filepath.Join(root, "kustomization.yaml")), &k)
	var want []string
	for _, s := range d.Servers {
		want = append(want, s.Name)
	}
	if !slices.Equal(k.Resources, want) {
		t.Errorf("deploy/k8s/kustomization.yaml's resources are %q, want %q", k.Resources, want)
	}
	objs := kustomize(t, root)
	if len(objs) != 5*len(d.Servers) {
		t.Errorf("kubectl kustomize deploy/k8s gives %d objects, want 5 per server", len(objs))
	}
	seen := map[string]bool{}
	for _, o := range objs {
		key := o.kind + "/" + o.name
		if seen[key] {
			t.Errorf("kubectl kustomize deploy/k8s gives %s twice", key)
		}
		seen[key] = true
	}
	for _, s := range d.Servers {
		checkServerManifests(t, filepath.Join(root, s.Name), s)
	}
}

// checkDockerfile checks that the Dockerfile is multi-stage, builds the
// default server main static and trimmed with go.mod's Go, and runs it as
// a user that is not root, listening beyond loopback on the port it
// exposes.
func checkDockerfile(t *testing.T, text string, d *Deploy, goVersion string) {
	t.Helper()
	stages := parseDockerfile(t, text)
	if len(stages) < 2 {
		t.Fatalf("the Dockerfile has %d stages, want a builder and the image", len(stages))
	}
	build, final := stages[0], stages[len(stages)-1]
	if want := "golang:" + goVersion; build.image != want || build.name == "" {
		t.Errorf("the builder is FROM %s AS %q, want %s AS a name (go.mod's go line)", build.image, build.name, want)
	}
	if final.image != "gcr.io/distroless/static-debian12:nonroot" && final.image != "scratch" {
		t.Errorf("the image is FROM %s, want distroless's static nonroot or scratch", final.image)
	}
	if got := build.get("WORKDIR"); len(got) != 1 || got[0] != builderDir {
		t.Errorf("the builder's WORKDIR is %q, want %s (ReplaceMount is below it)", got, builderDir)
	}
	if got := build.get("ARG"); !slices.Contains(got, "SERVER="+d.Default.Command) {
		t.Errorf("the builder's ARGs are %q, want SERVER=%s", got, d.Default.Command)
	}
	var goBuild string
	for _, run := range build.get("RUN") {
		if strings.Contains(run, "go build") {
			goBuild = run
		}
		if d.Replace != "" && strings.Contains(run, "go ") && !strings.Contains(run, "--mount=type=bind,from=gotutor,target="+d.ReplaceMount+" ") {
			t.Errorf("RUN %s does not mount gotutor's checkout at %s", run, d.ReplaceMount)
		}
	}
	binary := ""
	if fields := strings.Fields(goBuild); len(fields) > 0 {
		if i := slices.Index(fields, "-o"); i >= 0 && i+1 < len(fields) {
			binary = fields[i+1]
		}
		if fields[len(fields)-1] != "./$SERVER" {
			t.Errorf("go build builds %s, want ./$SERVER", fields[len(fields)-1])
		}
	}
	for _, want := range []string{"CGO_ENABLED=0 ", " -trimpath "} {
		if !strings.Contains(goBuild, want) {
			t.Errorf("the builder's go build lacks %q: %q", want, goBuild)
		}
	}
	if d.Replace == "" && strings.Contains(text, "gotutor=") {
		t.Error("the Dockerfile of a module without a replace mounts gotutor")
	}

	copies := final.get("COPY")
	if len(copies) != 1 || binary == "" || !strings.HasPrefix(copies[0], "--from="+build.name+" "+binary+" ") {
		t.Fatalf("the image's COPY is %q, want the builder's %s", copies, binary)
	}
	installed := strings.Fields(copies[0])[2]
	user := final.get("USER")
	if len(user) != 1 {
		t.Fatalf("the image's USER is %q, want one", user)
	}
	uid, _, _ := strings.Cut(user[0], ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 || n != deploymentUID {
		t.Errorf("the image runs as USER %s, want the numeric uid %d that deployment.yaml names (Kubernetes checks runAsNonRoot on numbers)", user[0], deploymentUID)
	}
	if got := final.get("EXPOSE"); len(got) != 1 || got[0] != strconv.Itoa(d.Port) {
		t.Errorf("the image EXPOSEs %q, want %d", got, d.Port)
	}
	entry := final.get("ENTRYPOINT")
	var argv []string
	if len(entry) != 1 || json.Unmarshal([]byte(entry[0]), &argv) != nil || len(argv) == 0 || argv[0] != installed {
		t.Fatalf("the image's ENTRYPOINT is %q, want [%q, flags...] in JSON form", entry, installed)
	}
	cfg := serverFlags(t, argv[1:])
	checkAddr(t, "the image's ENTRYPOINT -addr", cfg.Addr, d.Port)
	for _, s := range d.Servers {
		if want := "#   docker build --build-arg SERVER=" + s.Command + " -t " + s.Image + " .\n"; !strings.Contains(text, want) {
			t.Errorf("the Dockerfile does not say how to build %s: %q", s.Name, want)
		}
	}
}

// deploymentUID is the user that deployment.yaml runs the server as.
const deploymentUID = 65532

// stage is one stage of a Dockerfile: its base image, its name, and its
// instructions after FROM (keyword in upper case, arguments).
type stage struct {
	image, name string
	instrs      [][2]string
}

func (s stage) get(keyword string) []string {
	var out []string
	for _, in := range s.instrs {
		if in[0] == keyword {
			out = append(out, in[1])
		}
	}
	return out
}

// parseDockerfile splits text into stages, as docker build reads it:
// comment lines are dropped, even inside an instruction that a trailing
// backslash continues, and continued lines are joined.
func parseDockerfile(t *testing.T, text string) []stage {
	t.Helper()
	var stages []stage
	var cur strings.Builder
	flush := func() {
		line := strings.TrimSpace(cur.String())
		cur.Reset()
		if line == "" {
			return
		}
		keyword, args, _ := strings.Cut(line, " ")
		keyword, args = strings.ToUpper(keyword), strings.TrimSpace(args)
		if keyword == "FROM" {
			fields := strings.Fields(args)
			for len(fields) > 0 && strings.HasPrefix(fields[0], "--") {
				fields = fields[1:]
			}
			s := stage{}
			if len(fields) > 0 {
				s.image = fields[0]
			}
			if len(fields) == 3 && strings.EqualFold(fields[1], "AS") {
				s.name = fields[2]
			}
			stages = append(stages, s)
			return
		}
		if len(stages) == 0 {
			if keyword != "ARG" {
				t.Errorf("the Dockerfile has %s before its first FROM", keyword)
			}
			return
		}
		s := &stages[len(stages)-1]
		s.instrs = append(s.instrs, [2]string{keyword, args})
	}
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") {
			continue
		}
		if rest, ok := strings.CutSuffix(trimmed, "\\"); ok {
			cur.WriteString(rest + " ")
			continue
		}
		cur.WriteString(trimmed)
		flush()
	}
	flush()
	return stages
}

// checkDockerignore checks that .dockerignore keeps .git out, and none of
// what go build needs.
func checkDockerignore(t *testing.T, text string, d *Deploy) {
	t.Helper()
	var patterns []string
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			patterns = append(patterns, line)
		}
	}
	if !slices.Contains(patterns, ".git") {
		t.Errorf(".dockerignore does not leave out .git: %q", patterns)
	}
	needed := []string{"go.mod", "go.sum"}
	for _, s := range d.Servers {
		needed = append(needed, s.Command+"/main.go", s.Command+"/server_gotutor.go")
	}
	for _, name := range needed {
		for _, p := range patterns {
			if ignores(p, name) {
				t.Errorf(".dockerignore's %s leaves out %s, which go build needs", p, name)
			}
		}
	}
}

// ignores reports whether the .dockerignore pattern p leaves out name (or a
// folder above it); ** matches any number of folders.
func ignores(p, name string) bool {
	elems := strings.Split(name, "/")
	for i := 1; i <= len(elems); i++ {
		prefix := strings.Join(elems[:i], "/")
		if ok, _ := path.Match(p, prefix); ok {
			return true
		}
		if rest, ok := strings.CutPrefix(p, "**/"); ok {
			if m, _ := path.Match(rest, elems[i-1]); m {
				return true
			}
		}
	}
	return false
}

// object is one Kubernetes object of a kustomize build.
type object struct {
	kind, name string
	yaml       []byte
}

// kustomize builds the kustomization in dir as kubectl kustomize does,
// in-process, and decodes each object it yields strictly.
func kustomize(t *testing.T, dir string) []object {
	t.Helper()
	rm, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	var objs []object
	for _, r := range rm.Resources() {
		data, err := r.AsYAML()
		if err != nil {
			t.Fatal(err)
		}
		objs = append(objs, object{r.GetKind(), r.GetName(), data})
		decodeObject(t, "kustomize build "+dir+": "+r.GetKind()+"/"+r.GetName(), data)
	}
	return objs
}

// decodeObject decodes a Kubernetes object strictly into its API type
// (unknown and duplicate fields fail) by its apiVersion and kind, and
// returns it.
func decodeObject(t *testing.T, what string, data []byte) any {
	t.Helper()
	var tm metav1.TypeMeta
	if err := yaml.Unmarshal(data, &tm); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	var obj any
	switch tm.APIVersion + " " + tm.Kind {
	case "apps/v1 Deployment":
		obj = &appsv1.Deployment{}
	case "v1 Service":
		obj = &corev1.Service{}
	case "autoscaling/v2 HorizontalPodAutoscaler":
		obj = &autoscalingv2.HorizontalPodAutoscaler{}
	case "policy/v1 PodDisruptionBudget":
		obj = &policyv1.PodDisruptionBudget{}
	default:
		t.Fatalf("%s: unexpected object %s %s", what, tm.APIVersion, tm.Kind)
	}
	strict(t, what, data, obj)
	return obj
}

// strict decodes YAML into v, failing on unknown and duplicate fields.
func strict(t *testing.T, what string, data []byte, v any) {
	t.Helper()
	if err := yaml.UnmarshalStrict(data, v); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// documents decodes each object of the YAML file name (documents apart by
// ---) strictly.
func documents(t *testing.T, name string) []any {
	t.Helper()
	var objs []any
	for _, doc := range strings.Split(string(testkit.ReadFile(t, name)), "\n---\n") {
		objs = append(objs, decodeObject(t, name, []byte(doc)))
	}
	return objs
}

// checkServerManifests checks the folder of one server's manifests: each
// file decodes strictly, the objects fit together, and the kustomization
// yields them all.
func checkServerManifests(t *testing.T, dir string, s *DeployServer) {
	t.Helper()
	var k kustypes.Kustomization
	strict(t, "kustomization.yaml", testkit.ReadFile(t, filepath.Join(dir, "kustomization.yaml")), &k)
	if want := []string{"deployment.yaml", "service.yaml", "hpa.yaml", "pdb.yaml"}; !slices.Equal(k.Resources, want) {
		t.Errorf("%s/kustomization.yaml's resources are %q, want %q", s.Name, k.Resources, want)
	}
	if len(k.Images) != 1 || k.Images[0].Name != s.Image || k.Images[0].NewTag == "" {
		t.Errorf("%s/kustomization.yaml's images are %+v, want %s with a tag to retag", s.Name, k.Images, s.Image)
	}

	var (
		dep      *appsv1.Deployment
		services []*corev1.Service
		hpa      *autoscalingv2.HorizontalPodAutoscaler
		pdb      *policyv1.PodDisruptionBudget
	)
	for _, name := range k.Resources {
		for _, obj := range documents(t, filepath.Join(dir, name)) {
			switch o := obj.(type) {
			case *appsv1.Deployment:
				dep = o
			case *corev1.Service:
				services = append(services, o)
			case *autoscalingv2.HorizontalPodAutoscaler:
				hpa = o
			case *policyv1.PodDisruptionBudget:
				pdb = o
			}
		}
	}
	if dep == nil || len(services) != 2 || hpa == nil || pdb == nil {
		t.Fatalf("%s: a Deployment, 2 Services, an HPA and a PDB, got %v, %d, %v, %v", s.Name, dep != nil, len(services), hpa != nil, pdb != nil)
	}
	for _, m := range []metav1.ObjectMeta{dep.ObjectMeta, services[0].ObjectMeta, services[1].ObjectMeta, hpa.ObjectMeta, pdb.ObjectMeta, dep.Spec.Template.ObjectMeta} {
		if m.Labels["app.kubernetes.io/name"] != s.Name || m.Labels["app.kubernetes.io/part-of"] != s.Deploy.App || m.Labels["app.kubernetes.io/component"] != "server" {
			t.Errorf("%s: %s's labels are %v", s.Name, m.Name, m.Labels)
		}
	}
	podLabels := labels.Set(dep.Spec.Template.Labels)
	selects := func(what string, sel *metav1.LabelSelector) {
		t.Helper()
		ls, err := metav1.LabelSelectorAsSelector(sel)
		if err != nil || ls.Empty() || !ls.Matches(podLabels) {
			t.Errorf("%s: %s's selector %v does not select the pods (%v)", s.Name, what, sel, err)
		}
	}

	// The Deployment.
	if dep.Name != s.Name {
		t.Errorf("the Deployment is named %s, want %s", dep.Name, s.Name)
	}
	selects("the Deployment", dep.Spec.Selector)
	if dep.Spec.Replicas != nil {
		t.Errorf("%s: the Deployment sets replicas, which the HPA owns", s.Name)
	}
	pod := dep.Spec.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("%s: %d containers, want 1", s.Name, len(pod.Containers))
	}
	c := pod.Containers[0]
	if c.Image != s.Image {
		t.Errorf("%s: the container runs %s, want %s (kustomization's images)", s.Name, c.Image, s.Image)
	}
	cfg := serverFlags(t, c.Args)
	checkAddr(t, s.Name+"'s -addr", cfg.Addr, s.Deploy.Port)
	if len(c.Ports) != 2 || c.Ports[0].ContainerPort != int32(s.Deploy.Port) || c.Ports[0].Name != "grpc" ||
		c.Ports[1].ContainerPort != int32(s.Deploy.MetricsPort) || c.Ports[1].Name != "metrics" {
		t.Errorf("%s: the container's ports are %+v, want grpc %d and metrics %d", s.Name, c.Ports, s.Deploy.Port, s.Deploy.MetricsPort)
	}
	// Prometheus scrapes the port that -metrics-addr serves, from beyond
	// the pod.
	checkAddr(t, s.Name+"'s -metrics-addr", cfg.MetricsAddr, s.Deploy.MetricsPort)
	if serve.Loopback(cfg.MetricsAddr) != cfg.MetricsAddr {
		t.Errorf("%s: -metrics-addr=%s serves loopback only", s.Name, cfg.MetricsAddr)
	}
	scrape := dep.Spec.Template.Annotations
	if scrape["prometheus.io/scrape"] != "true" || scrape["prometheus.io/port"] != strconv.Itoa(s.Deploy.MetricsPort) || scrape["prometheus.io/path"] != "/metrics" {
		t.Errorf("%s: the pods' annotations %v do not ask Prometheus to scrape /metrics on %d", s.Name, scrape, s.Deploy.MetricsPort)
	}
	for what, p := range map[string]*corev1.Probe{"readinessProbe": c.ReadinessProbe, "livenessProbe": c.LivenessProbe} {
		if p == nil || p.GRPC == nil {
			t.Errorf("%s: %s is not a gRPC probe: %+v", s.Name, what, p)
			continue
		}
		if p.GRPC.Port != int32(s.Deploy.Port) {
			t.Errorf("%s: %s checks port %d, the server listens on %d", s.Name, what, p.GRPC.Port, s.Deploy.Port)
		}
		checkHealth(t, s.Name+"'s "+what, c.Args, ptrValue(p.GRPC.Service))
	}
	// SIGTERM comes after the preStop pause; then the server stops within
	// -grace: both before Kubernetes kills it.
	pause := time.Duration(0)
	if l := c.Lifecycle; l != nil && l.PreStop != nil && l.PreStop.Sleep != nil {
		pause = time.Duration(l.PreStop.Sleep.Seconds) * time.Second
	}
	if pod.TerminationGracePeriodSeconds == nil || time.Duration(*pod.TerminationGracePeriodSeconds)*time.Second <= pause+cfg.Grace {
		t.Errorf("%s: terminationGracePeriodSeconds %d is not above the preStop pause %v plus -grace %v", s.Name, ptrValue(pod.TerminationGracePeriodSeconds), pause, cfg.Grace)
	}
	if !slices.ContainsFunc(c.Args, func(a string) bool { return strings.HasPrefix(a, "-grace=") }) {
		t.Errorf("%s: the args leave -grace to its default: %q", s.Name, c.Args)
	}
	if cfg.MaxConnectionAge <= 0 || cfg.MaxConnectionAgeGrace <= 0 {
		t.Errorf("%s: -max-connection-age %v, -max-connection-age-grace %v: clients would never rebalance, or calls never end", s.Name, cfg.MaxConnectionAge, cfg.MaxConnectionAgeGrace)
	}
	if cfg.LogFormat != "json" {
		t.Errorf("%s: -log-format=%s, want json", s.Name, cfg.LogFormat)
	}
	for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, lim := c.Resources.Requests[r], c.Resources.Limits[r]
		if req.IsZero() || lim.IsZero() || req.Cmp(lim) > 0 {
			t.Errorf("%s: %s requests %v, limit %v", s.Name, r, req.String(), lim.String())
		}
	}
	if want := resource.MustParse("32Mi"); c.Resources.Limits.Memory().Cmp(want) < 0 {
		t.Errorf("%s: a memory limit of %v is too small for a Go server", s.Name, c.Resources.Limits.Memory())
	}
	// Non-root, read-only, no privileges: Kubernetes' restricted Pod
	// Security Standard, and the Dockerfile's user.
	psc, csc := pod.SecurityContext, c.SecurityContext
	if psc == nil || csc == nil {
		t.Fatalf("%s: no securityContext (pod %v, container %v)", s.Name, psc, csc)
	}
	if psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.RunAsUser == nil || *psc.RunAsUser != deploymentUID {
		t.Errorf("%s: runAsNonRoot %v, runAsUser %d; want true, %d", s.Name, ptrValue(psc.RunAsNonRoot), ptrValue(psc.RunAsUser), deploymentUID)
	}
	if psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("%s: seccompProfile %+v, want RuntimeDefault", s.Name, psc.SeccompProfile)
	}
	if csc.ReadOnlyRootFilesystem == nil || !*csc.ReadOnlyRootFilesystem || csc.AllowPrivilegeEscalation == nil || *csc.AllowPrivilegeEscalation ||
		csc.Capabilities == nil || !slices.Equal(csc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(csc.Capabilities.Add) > 0 {
		t.Errorf("%s: the container's securityContext %+v", s.Name, csc)
	}
	if csc.RunAsUser != nil || csc.RunAsNonRoot != nil && !*csc.RunAsNonRoot || csc.Privileged != nil && *csc.Privileged {
		t.Errorf("%s: the container's securityContext overrides the pod's user: %+v", s.Name, csc)
	}

	// The Services: one virtual address, one headless, both to the port.
	names := map[string]*corev1.Service{}
	for _, svc := range services {
		names[svc.Name] = svc
		selects("Service "+svc.Name, &metav1.LabelSelector{MatchLabels: svc.Spec.Selector})
		if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].Port != int32(s.Deploy.Port) ||
			svc.Spec.Ports[0].TargetPort != intstr.FromString(c.Ports[0].Name) && svc.Spec.Ports[0].TargetPort != intstr.FromInt32(c.Ports[0].ContainerPort) {
			t.Errorf("%s: Service %s's ports %+v do not reach the container's %+v", s.Name, svc.Name, svc.Spec.Ports, c.Ports)
		}
	}
	if svc := names[s.Name]; svc == nil || svc.Spec.ClusterIP == corev1.ClusterIPNone {
		t.Errorf("%s: no Service %s with a virtual address", s.Name, s.Name)
	}
	if svc := names[s.Name+"-headless"]; svc == nil || svc.Spec.ClusterIP != corev1.ClusterIPNone {
		t.Errorf("%s: no headless Service %s-headless", s.Name, s.Name)
	}

	// The HPA scales the Deployment on CPU, from 2 pods at least, which the
	// PDB lets one go of at a time.
	ref := hpa.Spec.ScaleTargetRef
	if ref.APIVersion != "apps/v1" || ref.Kind != "Deployment" || ref.Name != dep.Name {
		t.Errorf("%s: the HPA scales %+v", s.Name, ref)
	}
	if hpa.Spec.MinReplicas == nil || *hpa.Spec.MinReplicas < 2 || hpa.Spec.MaxReplicas < *hpa.Spec.MinReplicas {
		t.Errorf("%s: the HPA scales from %d to %d", s.Name, ptrValue(hpa.Spec.MinReplicas), hpa.Spec.MaxReplicas)
	}
	if m := hpa.Spec.Metrics; len(m) != 1 || m[0].Resource == nil || m[0].Resource.Name != corev1.ResourceCPU || m[0].Resource.Target.AverageUtilization == nil {
		t.Errorf("%s: the HPA's metrics are %+v, want CPU utilization", s.Name, m)
	}
	selects("the PDB", pdb.Spec.Selector)
	if mu := pdb.Spec.MaxUnavailable; mu == nil || mu.IntValue() < 1 || hpa.Spec.MinReplicas != nil && int32(mu.IntValue()) >= *hpa.Spec.MinReplicas {
		t.Errorf("%s: the PDB's maxUnavailable %v against the HPA's %d pods at least", s.Name, mu, ptrValue(hpa.Spec.MinReplicas))
	}

	// kustomize yields them all, the image retagged.
	objs := kustomize(t, dir)
	if len(objs) != 5 {
		t.Errorf("kubectl kustomize deploy/k8s/%s gives %d objects, want 5", s.Name, len(objs))
	}
	for _, o := range objs {
		if o.kind != "Deployment" {
			continue
		}
		var built appsv1.Deployment
		strict(t, "the built Deployment", o.yaml, &built)
		if got, want := built.Spec.Template.Spec.Containers[0].Image, k.Images[0].NewName+":"+k.Images[0].NewTag; got != want {
			t.Errorf("%s: kustomize gives the image %s, want %s", s.Name, got, want)
		}
	}
}

// serverFlags parses args with the flags of a server main (package serve's,
// with the one port and stubs, as scaffolded), and returns what they set;
// an argument that the server does not take fails the test.
func serverFlags(t *testing.T, args []string) serve.Config {
	t.Helper()
	cfg := serve.Config{OnePort: oneport.Split, Stubs: stubs.New}
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg.BindFlags(fs)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		t.Fatalf("the server main does not take %q: %v", args, err)
	}
	if _, err := cfg.NewLogger(io.Discard); err != nil {
		t.Errorf("the server main refuses %q: %v", args, err)
	}
	return cfg
}

// checkAddr checks that addr, the value of a flag, listens beyond
// loopback on port.
func checkAddr(t *testing.T, what, addr string, port int) {
	t.Helper()
	host, p, err := net.SplitHostPort(addr)
	if err != nil || p != strconv.Itoa(port) {
		t.Errorf("%s: %s, want port %d (%v)", what, addr, port, err)
	}
	if ip := net.ParseIP(host); host != "" && (ip == nil || !ip.IsUnspecified()) {
		t.Errorf("%s: %s listens on %s only, not on the container's interfaces", what, addr, host)
	}
}

// checkHealth serves a service through package serve with the args of the
// container (on a loopback port of its own), as a scaffolded main does, and
// checks that the health service answers the probe's service SERVING over
// plaintext gRPC, as Kubernetes' probe asks.
func checkHealth(t *testing.T, what string, args []string, service string) {
	t.Helper()
	cfg := serverFlags(t, args)
	if cfg.MetricsAddr != "" {
		// The container's port may be taken on this machine.
		cfg.MetricsAddr = "127.0.0.1:0"
	}
	services := []serve.Service{{Name: "scaffold.test.Probe"}}
	server, err := cfg.NewServer(slog.New(slog.DiscardHandler), services)
	if err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- cfg.Serve(ctx, lis, server, slog.New(slog.DiscardHandler), services) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("%s: Serve: %v", what, err)
		}
	}()
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithUserAgent("kube-probe/1.34"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	cctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	resp, err := grpc_health_v1.NewHealthClient(conn).Check(cctx, &grpc_health_v1.HealthCheckRequest{Service: service}, grpc.WaitForReady(true))
	if err != nil || resp.GetStatus() != grpc_health_v1.HealthCheckResponse_SERVING {
		t.Errorf("%s: health of %q: %v, %v; want SERVING", what, service, resp, err)
	}
}

// ptrValue returns *p, or the zero value for nil.
func ptrValue[T any](p *T) T {
	var v T
	if p != nil {
		v = *p
	}
	return v
}
