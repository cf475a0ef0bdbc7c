package scaffold

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/gotutor/gotutor/templates"
)

// Deploy is the data of the templates that render a module's container
// image and Kubernetes manifests (see deployFiles), which gotutor new writes
// once, beside the server mains, and never overwrites.
type Deploy struct {
	// Module is the module path; App the label app.kubernetes.io/part-of
	// of every object, from its last element.
	Module, App string
	// GoVersion is the go line of the module's go.mod, the version of the
	// builder image (golang:GoVersion).
	GoVersion string
	// Port is the port that the server listens on in the container;
	// MetricsPort the one of its Prometheus metrics (-metrics-addr).
	Port, MetricsPort int
	// Replace is the folder that go.mod replaces gotutor's module with (a
	// checkout of gotutor, which the module proxy does not have), which
	// the image's build mounts at ReplaceMount (the same path, or below
	// the builder's /src for a relative one); "" when gotutor is a
	// released version.
	Replace, ReplaceMount string
	// Servers are the module's server mains, in the order the protos
	// declare their services; Default is the first.
	Servers []*DeployServer
	Default *DeployServer
}

// DeployServer is one server main of a Deploy.
type DeployServer struct {
	Deploy *Deploy
	// Name names its Kubernetes objects and its folder under deploy/k8s:
	// the main's folder name, made a DNS label unique in the module.
	Name string
	// Command is the main's package folder, relative to the module root
	// (helloworld/cmd/greeter-server).
	Command string
	// Image is the name of its container image.
	Image string
}

// containerPort is the port that the server mains listen on in a container,
// serve.DefaultAddr's (a test holds them together).
const containerPort = 50051

// metricsPort is the port of the server mains' /metrics in a container
// (-metrics-addr), the one the README's examples use.
const metricsPort = 9090

// builderDir is the folder of the module in the Dockerfile's builder (its
// WORKDIR).
const builderDir = "/src"

// deployFile is one file that deployFiles renders: its name, relative to
// the module root, and the template and data that render it.
type deployFile struct {
	name, template string
	data           any
}

// newDeploy returns the deploy data of module, whose go.mod has the go line
// goVersion, for the server mains commands (package folders, in order).
func newDeploy(module, goVersion, replace string, commands []string) *Deploy {
	d := &Deploy{Module: module, App: k8sName(path.Base(module)), GoVersion: goVersion, Port: containerPort, MetricsPort: metricsPort, Replace: replace, ReplaceMount: replace}
	if replace != "" && !path.IsAbs(replace) {
		d.ReplaceMount = path.Join(builderDir, replace)
	}
	taken := map[string]bool{}
	for _, c := range commands {
		name := uniqueK8sName(c, taken)
		d.Servers = append(d.Servers, &DeployServer{Deploy: d, Name: name, Command: c, Image: name})
	}
	if len(d.Servers) > 0 {
		d.Default = d.Servers[0]
	}
	return d
}

// files lists the files of d: the Dockerfile and .dockerignore at the module
// root, deploy/k8s/kustomization.yaml over every server, and a folder of
// manifests per server. A module without server mains gets none.
func (d *Deploy) files() []deployFile {
	if len(d.Servers) == 0 {
		return nil
	}
	out := []deployFile{
		{"Dockerfile", "dockerfile_file", d},
		{".dockerignore", "dockerignore_file", d},
		{"deploy/k8s/kustomization.yaml", "k8s_all_file", d},
	}
	for _, s := range d.Servers {
		dir := "deploy/k8s/" + s.Name + "/"
		out = append(out,
			deployFile{dir + "kustomization.yaml", "k8s_kustomization_file", s},
			deployFile{dir + "deployment.yaml", "k8s_deployment_file", s},
			deployFile{dir + "service.yaml", "k8s_service_file", s},
			deployFile{dir + "hpa.yaml", "k8s_hpa_file", s},
			deployFile{dir + "pdb.yaml", "k8s_pdb_file", s},
		)
	}
	return out
}

// deployTemplates are the built-in templates of deployFiles.
var deployTemplates = []string{
	"dockerfile_file.tmpl", "dockerignore_file.tmpl", "k8s_all_file.tmpl", "k8s_kustomization_file.tmpl",
	"k8s_deployment_file.tmpl", "k8s_service_file.tmpl", "k8s_hpa_file.tmpl", "k8s_pdb_file.tmpl",
}

// render renders the files of d with the built-in templates, replaced by
// those that the *.tmpl files of userDir define, as the generator does
// with the others ("" for none).
func (d *Deploy) render(userDir string) ([]file, error) {
	tmpl, err := parseDeployTemplates(userDir)
	if err != nil {
		return nil, err
	}
	var out []file
	for _, f := range d.files() {
		var b bytes.Buffer
		if err := tmpl.ExecuteTemplate(&b, f.template, f.data); err != nil {
			return nil, fmt.Errorf("%s: %v", f.name, err)
		}
		out = append(out, file{f.name, b.Bytes()})
	}
	return out, nil
}

// parseDeployTemplates parses the built-in deploy templates, then the
// *.tmpl files of userDir. A user's folder also holds templates of the
// generator, which call functions that only the generator defines (q,
// pkg, comment...): they are parsed without checking that their functions
// exist, and never run here. A deploy template of the user's that calls one
// fails when it runs, naming the function.
func parseDeployTemplates(userDir string) (*template.Template, error) {
	tmpl, err := template.New("deploy").ParseFS(templates.FS, deployTemplates...)
	if err != nil {
		return nil, fmt.Errorf("built-in templates: %v", err)
	}
	if userDir == "" {
		return tmpl, nil
	}
	names, err := filepath.Glob(filepath.Join(userDir, "*.tmpl"))
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		text, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		// Named by its path, so that errors point at the user's file.
		t := parse.New(name)
		t.Mode = parse.SkipFuncCheck
		trees := map[string]*parse.Tree{}
		if _, err := t.Parse(string(text), "", "", trees); err != nil {
			return nil, err
		}
		for treeName, tree := range trees {
			if _, err := tmpl.AddParseTree(treeName, tree); err != nil {
				return nil, err
			}
		}
	}
	return tmpl, nil
}

// serverCommands returns the package folders of the server mains among
// names (the files of a run, slash-separated, relative to the module
// root), in the order of names, without repeats.
func serverCommands(names []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		dir := path.Dir(n)
		if path.Base(n) == "main.go" && strings.HasSuffix(dir, "-server") && path.Base(path.Dir(dir)) == "cmd" && !seen[dir] {
			seen[dir] = true
			out = append(out, dir)
		}
	}
	return out
}

// staleDeploys returns the folders of deploy/k8s below root that gotutor
// new wrote for a server main that is not among names (a run's files) any
// more: those named like a server's (…-server) with a deployment.yaml,
// which are the user's to delete. Other folders, the user's own, are left
// out.
func staleDeploys(root, module string, names []string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(root, "deploy", "k8s"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	current := map[string]bool{}
	for _, s := range newDeploy(module, "", "", serverCommands(names)).Servers {
		current[s.Name] = true
	}
	var stale []string
	for _, e := range entries {
		if !e.IsDir() || current[e.Name()] || !strings.HasSuffix(e.Name(), "-server") {
			continue
		}
		if _, err := os.Stat(filepath.Join(root, "deploy", "k8s", e.Name(), "deployment.yaml")); err == nil {
			stale = append(stale, e.Name())
		}
	}
	return stale, nil
}

// readGoMod returns, from one reading of the go.mod in dir, the version of
// its go line and the folder that it replaces gotutor's module with, if it
// is a folder (a checkout of gotutor; "" otherwise).
func readGoMod(dir string) (goVersion, replace string, err error) {
	name := filepath.Join(dir, "go.mod")
	data, err := os.ReadFile(name)
	if err != nil {
		return "", "", err
	}
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 2 && fields[0] == "go" && goVersion == "" {
			goVersion = fields[1]
		}
		fields = strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "replace"))
		if len(fields) == 3 && fields[0] == gotutorModule && fields[1] == "=>" && (filepath.IsAbs(fields[2]) || strings.HasPrefix(fields[2], ".")) {
			replace = fields[2]
		}
	}
	if goVersion == "" {
		return "", "", fmt.Errorf("%s has no go line", name)
	}
	return goVersion, replace, nil
}

// deployFilesOf returns the deploy files of the module in dir (its go.mod
// read for the go line and gotutor's replace), module path module, whose
// server mains are the main.go files among names, rendered with the
// templates of userDir ("" for the built-in ones alone). A module without
// server mains gets none.
func deployFilesOf(dir, module string, names []string, userDir string) ([]file, error) {
	commands := serverCommands(names)
	if len(commands) == 0 {
		return nil, nil
	}
	goVersion, replace, err := readGoMod(dir)
	if err != nil {
		return nil, err
	}
	return newDeploy(module, goVersion, replace, commands).render(userDir)
}

// writeDeployOnce writes the files that do not exist yet below root, and
// says for each whether it wrote or kept it. A new server's folder beside
// an existing deploy/k8s/kustomization.yaml is not in its resources: a
// line asks the user to add it.
func (j *job) writeDeployOnce(files []file) error {
	var added []string
	for _, f := range files {
		p := filepath.Join(j.root, filepath.FromSlash(f.name))
		if _, err := os.Lstat(p); err == nil {
			fmt.Fprintf(j.o.Out, "%-9s %s (yours)\n", "kept", p)
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err := writeFile(p, f.content); err != nil {
			return err
		}
		fmt.Fprintf(j.o.Out, "%-9s %s\n", "wrote", p)
		if dir, base := path.Split(f.name); base == "kustomization.yaml" && dir != "deploy/k8s/" {
			added = append(added, path.Base(dir))
		}
	}
	all := filepath.Join(j.root, "deploy", "k8s", "kustomization.yaml")
	data, err := os.ReadFile(all)
	if err != nil {
		return nil
	}
	for _, name := range added {
		if !bytes.Contains(data, []byte("- "+name+"\n")) {
			fmt.Fprintf(j.o.Progress, "note: %s does not list deploy/k8s/%s: add - %s to its resources for kubectl apply -k deploy/k8s to deploy it\n", all, name, name)
		}
	}
	return nil
}

// k8sName returns s as a Kubernetes name that a Service can take (an RFC
// 1035 label: lower case letters, digits and '-', starting with a letter),
// short enough for the suffix -headless.
func k8sName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	name := b.String()
	switch {
	case name == "":
		name = "s"
	case name[0] < 'a':
		name = "s-" + name
	}
	return truncate(name, "")
}

// maxK8sName is the longest name of a server: a Service's name is at most
// 63 characters, and the headless Service's adds -headless.
const maxK8sName = 63 - len("-headless")

// truncate returns name with suffix, name shortened for both to fit in
// maxK8sName.
func truncate(name, suffix string) string {
	if n := maxK8sName - len(suffix); len(name) > n {
		name = strings.TrimRight(name[:n], "-")
	}
	return name + suffix
}

// uniqueK8sName returns the name of the server main command (a package
// folder): its folder's name, or, when another main of the module took it
// (a service of the same name in another package), that name with the
// folders above cmd/ before it, then a number.
func uniqueK8sName(command string, taken map[string]bool) string {
	elems := strings.Split(command, "/")
	base := elems[len(elems)-1]
	parents := elems[:max(len(elems)-2, 0)] // without cmd/ and the main's own folder
	name := k8sName(base)
	for i := len(parents) - 1; taken[name] && i >= 0; i-- {
		name = k8sName(strings.Join(parents[i:], "-") + "-" + base)
	}
	for n := 2; taken[name]; n++ {
		name = truncate(k8sName(base), fmt.Sprintf("-%d", n))
	}
	taken[name] = true
	return name
}
