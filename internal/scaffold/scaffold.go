// Package scaffold makes and regenerates the Go modules of cmd/gotutor: a
// module with go.mod, buf.yaml, buf.gen.yaml, its .proto files under proto/
// and the output of protoc-gen-go, protoc-gen-go-grpc and
// protoc-gen-gotutor, with nothing but the go command.
//
// .proto files are compiled in-process (internal/protoreq, with buf's
// compiler, editions through 2024 included); protoc-gen-go and
// gotutor's generator run in-process; protoc-gen-go-grpc, a main package,
// runs as `go tool protoc-gen-go-grpc` in the module, at the version its
// go.mod pins. Everything is generated in memory before anything is
// written, so that an error leaves the disk as it was.
package scaffold

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"google.golang.org/protobuf/types/pluginpb"

	"github.com/gotutor/gotutor/generator"
	"github.com/gotutor/gotutor/internal/linked"
	"github.com/gotutor/gotutor/internal/modroot"
	"github.com/gotutor/gotutor/internal/protoreq"
)

// Options are the arguments of New and Gen.
type Options struct {
	// Proto is the .proto file of New.
	Proto string
	// ImportPaths are the folders that Proto's imports are relative to
	// (protoc's -I); by default, Proto's folder.
	ImportPaths []string
	// Dir is the module that New makes (by default Proto's base name,
	// which New refuses inside a gotutor module), or a folder inside the
	// module that Gen regenerates (by default ".").
	Dir string
	// Module is the module path of New, by default example.com/<Dir's name>.
	Module string
	// Templates is a folder of templates that replace built-in ones.
	Templates string
	// HTTP makes the server mains serve gRPC-Web, Connect and REST beside
	// gRPC, with a web page (gotutor's option http). New writes it down in
	// buf.gen.yaml; Gen reads it from there.
	HTTP bool
	// Versions are those that New's go.mod requires.
	Versions Versions
	// Progress gets one line per step; Out the result (the next commands,
	// what was written and kept).
	Progress, Out io.Writer
}

// file is one file to write, named relative to the module root.
type file struct {
	name    string
	content []byte
}

// job is one run of generation over a module's .proto files.
type job struct {
	o       *Options
	root    string // the module's folder, as the user can read it
	module  string
	fresh   bool              // the module folder does not exist yet (or is empty)
	overlay map[string][]byte // proto/NAME (below root) → content, not on disk yet
	// bufGen is the module's buf.gen.yaml with the M options of the protos
	// that new adds, written once everything else is; nil when it needs
	// none.
	bufGen []byte
}

// New makes a Go module from o.Proto in o.Dir, or adds o.Proto to the
// gotutor module that o.Dir already is.
func New(ctx context.Context, o Options) error {
	if !strings.HasSuffix(o.Proto, ".proto") {
		return fmt.Errorf("%s is not a .proto file", o.Proto)
	}
	if st, err := os.Stat(o.Proto); err != nil {
		return fmt.Errorf("%s: no such file", o.Proto)
	} else if st.IsDir() {
		return fmt.Errorf("%s is a folder, not a .proto file", o.Proto)
	}
	dirGiven := o.Dir != ""
	if !dirGiven {
		o.Dir = strings.TrimSuffix(filepath.Base(o.Proto), ".proto")
	}
	if len(o.ImportPaths) == 0 {
		o.ImportPaths = []string{filepath.Dir(o.Proto)}
	}
	name, err := importName(o.Proto, o.ImportPaths)
	if err != nil {
		return err
	}
	// The proto first: nothing is looked at or written when it does not
	// compile.
	fmt.Fprintf(o.Progress, "compiling %s\n", o.Proto)
	c, err := protoreq.Build(ctx, protoreq.Input{ImportPaths: o.ImportPaths, Files: []string{name}})
	if err != nil {
		return err
	}
	if !dirGiven {
		if err := notInGotutorModule(ctx, o.Proto); err != nil {
			return err
		}
	}
	j := &job{o: &o, root: filepath.Clean(o.Dir)}

	entries, err := os.ReadDir(j.root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		j.fresh = true
	case err != nil:
		if st, statErr := os.Stat(j.root); statErr == nil && !st.IsDir() {
			return fmt.Errorf("%s exists and is not a folder", j.root)
		}
		return err
	case len(entries) == 0:
		j.fresh = true
	default:
		module, ok := "", false
		if _, err := os.Stat(filepath.Join(j.root, "go.mod")); err == nil {
			module, ok, err = gotutorModulePath(ctx, j.root)
			if err != nil {
				return err
			}
		}
		if !ok {
			return fmt.Errorf("%s is not empty and is not a gotutor module (a go.mod with tool %s): give an empty or new folder with -o", j.root, gotutorTool)
		}
		if o.Module != "" && o.Module != module {
			return fmt.Errorf("%s is the gotutor module %s, not %s: leave out -module to add %s to it", j.root, module, o.Module, o.Proto)
		}
		j.module = module
	}
	if j.fresh {
		j.module = o.Module
		if j.module == "" {
			abs, err := filepath.Abs(j.root)
			if err != nil {
				return err
			}
			j.module = "example.com/" + pathElem(filepath.Base(abs))
		}
	}

	if l, ok := linked.Lookup(name); ok {
		return fmt.Errorf("%s is linked into every server already (Go package %s): there is nothing to generate for it; import it from a .proto of yours", o.Proto, l.GoPackage)
	}
	j.overlay = map[string][]byte{}
	var localNames []string
	for n := range c.Local {
		localNames = append(localNames, n)
	}
	sort.Strings(localNames)
	for _, n := range localNames {
		if l, ok := linked.Lookup(n); ok {
			// The module compiles it as a built-in import, from the
			// descriptor of the package that registers it.
			fmt.Fprintf(o.Progress, "%s is linked into every server already (Go package %s): the module uses that package, and gets no copy of the file\n", n, l.GoPackage)
			continue
		}
		j.overlay[path.Join("proto", n)] = c.Local[n]
	}
	var extra []file
	if j.fresh {
		extra = []file{
			{"go.mod", []byte(goMod(j.module, o.Versions))},
			{"buf.yaml", []byte(bufYAML)},
		}
	}
	return j.run(ctx, extra)
}

// Gen regenerates the gotutor module that holds o.Dir from its .proto files
// under proto/: generated files are rewritten, user-owned ones kept.
func Gen(ctx context.Context, o Options) error {
	start := o.Dir
	if start == "" {
		start = "."
	}
	root, err := findModuleRoot(start)
	if err != nil {
		return err
	}
	module, ok, err := gotutorModulePath(ctx, root)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s is not a gotutor module's (it has no tool %s): make one with gotutor new x.proto", filepath.Join(root, "go.mod"), gotutorTool)
	}
	o.HTTP = true // unless buf.gen.yaml says otherwise (see run)
	j := &job{o: &o, root: root, module: module}
	return j.run(ctx, nil)
}

// notInGotutorModule fails when the current folder is inside a gotutor
// module: gotutor new without -o would make a module inside it, where the
// user, most likely, meant to add proto to it.
func notInGotutorModule(ctx context.Context, proto string) error {
	root, err := modroot.Find(".")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	module, ok, err := gotutorModulePath(ctx, root)
	if err != nil || !ok {
		return err
	}
	return fmt.Errorf("the current folder is inside the gotutor module %s (%s): to add %s to it, give -o %s; for a module of its own, give -o a folder", module, root, proto, root)
}

// findModuleRoot returns the folder of the go.mod in dir or above, as
// readable as dir is (relative when dir is).
func findModuleRoot(dir string) (string, error) {
	root, err := modroot.Find(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("no go.mod in %s or above: make a module with gotutor new x.proto", dir)
	}
	return root, err
}

// run compiles the module's .proto files (those on disk under proto/ and
// those of the overlay), runs the three plugins and writes the result.
func (j *job) run(ctx context.Context, extra []file) error {
	o := j.o
	if o.Templates == "" && !j.fresh {
		// The templates that new was given, which it wrote down in
		// buf.gen.yaml for buf generate.
		if t := bufGenOption(j.root, "templates"); t != "" {
			o.Templates = t
			if !filepath.IsAbs(t) {
				o.Templates = filepath.Join(j.root, filepath.FromSlash(t))
			}
		}
	}
	if !j.fresh && bufGenOption(j.root, "http") == "false" {
		o.HTTP = false // as new was told
	}
	if o.Templates != "" {
		if st, err := os.Stat(o.Templates); err != nil || !st.IsDir() {
			return fmt.Errorf("templates folder %s: not found", o.Templates)
		}
	}
	protoRoot := filepath.Join(j.root, "proto")
	names := map[string]bool{}
	if !j.fresh {
		onDisk, err := protosUnder(protoRoot)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		for _, n := range onDisk {
			names[n] = true
		}
	}
	overlay := map[string][]byte{} // by path, for the compiler
	for n, data := range j.overlay {
		names[strings.TrimPrefix(n, "proto/")] = true
		overlay[filepath.Join(j.root, filepath.FromSlash(n))] = data
	}
	if len(names) == 0 {
		return fmt.Errorf("no .proto files under %s", protoRoot)
	}
	var files []string
	for n := range names {
		files = append(files, n)
	}
	sort.Strings(files)
	if j.overlay == nil {
		fmt.Fprintf(o.Progress, "compiling %s under %s\n", count(len(files), ".proto file"), protoRoot)
	}
	c, err := protoreq.Build(ctx, protoreq.Input{ImportPaths: []string{protoRoot}, Files: files, Overlay: overlay})
	if err != nil {
		return err
	}
	lu, err := useLinked(c.Request.GetProtoFile(), files)
	if err != nil {
		return err
	}
	c.Request.FileToGenerate = lu.generate
	ms := append(mappings(c.Request.GetProtoFile(), lu.generate, j.module), lu.mappings...)
	builtins := builtinImports(c)
	for _, n := range lu.notes {
		fmt.Fprintln(o.Progress, n)
	}
	if j.fresh {
		for _, m := range ms {
			if !m.linked {
				fmt.Fprintln(o.Progress, m.note())
			}
		}
		recorded := j.gotutorOptions()
		recorded.Templates = bufTemplates(o.Templates, j.root)
		extra = append(extra, file{"buf.gen.yaml", []byte(bufGenYAML(j.module, ms, recorded, builtins, lu.left...))})
	} else if bufGen, err := os.ReadFile(filepath.Join(j.root, "buf.gen.yaml")); err == nil {
		if j.overlay != nil {
			// new, into the module: its buf.gen.yaml gets the M options
			// of the protos it adds, as new's own would have had them.
			var added []mapping
			if bufGen, added = addMOptions(bufGen, ms); len(added) > 0 {
				j.bufGen = bufGen
				for _, m := range added {
					if !m.linked {
						fmt.Fprintln(o.Progress, m.note())
					}
				}
			}
		}
		j.checkBufGen(bufGen, ms, builtins, lu.left...)
	}
	c.Request.Parameter = &[]string{parameter(j.module, ms)}[0]

	fmt.Fprintln(o.Progress, "generating Go types (protoc-gen-go, in-process)")
	goFiles, err := runGo(c.Request)
	if err != nil {
		return err
	}
	fmt.Fprintln(o.Progress, "generating the servicers, mains, tests and guides (protoc-gen-gotutor, in-process)")
	gt, err := runGotutor(c.Request, j.root, j.gotutorOptions())
	if err != nil {
		return err
	}

	out := newFileSet()
	var overlayNames []string
	for n := range j.overlay {
		overlayNames = append(overlayNames, n)
	}
	sort.Strings(overlayNames)
	for _, n := range overlayNames {
		out.add(n, j.overlay[n])
	}
	for _, f := range extra {
		out.add(f.name, f.content)
	}
	for _, f := range goFiles {
		out.add(f.GetName(), []byte(f.GetContent()))
	}
	for _, f := range gt.files {
		out.add(f.GetName(), []byte(f.GetContent()))
	}
	if out.err != nil {
		return out.err
	}
	all := append(out.names(), gt.kept...)

	if j.fresh {
		if err := j.writeFresh(ctx, c.Request, out, all); err != nil {
			return err
		}
		j.next(all)
		return nil
	}
	var deploy []file // new into an existing module: the new servers' deploy files
	if j.overlay != nil {
		if deploy, err = deployFilesOf(j.root, j.module, all, o.Templates); err != nil {
			return err
		}
	}
	fmt.Fprintln(o.Progress, "generating gRPC stubs (go tool protoc-gen-go-grpc)")
	grpcFiles, err := runGrpc(ctx, c.Request, j.root)
	if err != nil {
		return err
	}
	for _, f := range grpcFiles {
		out.add(f.GetName(), []byte(f.GetContent()))
	}
	if out.err != nil {
		return out.err
	}
	produced := map[string]bool{}
	for _, n := range append(out.names(), gt.kept...) {
		produced[n] = true
	}
	compiled := map[string]bool{} // with those left to linked packages, whose old Go code goes
	for _, f := range files {
		compiled[f] = true
	}
	left, err := findLeftovers(j.root, produced, compiled)
	if err != nil {
		return err
	}
	if err := j.writeExisting(out, gt.kept, left.generated); err != nil {
		return err
	}
	for _, w := range gt.warnings {
		fmt.Fprintf(o.Progress, "warning: %s\n", w)
	}
	for _, name := range left.scaffolded {
		fmt.Fprintf(o.Progress, "warning: %s was scaffolded for a service or file that the protos no longer declare, and no longer builds: move what you want to keep, then delete it\n", filepath.Join(j.root, filepath.FromSlash(name)))
	}
	stale, err := staleDeploys(j.root, j.module, all)
	if err != nil {
		return err
	}
	for _, name := range stale {
		fmt.Fprintf(o.Progress, "warning: %s deploys %s, a server main that the protos no longer declare: delete it, and its line in %s\n", filepath.Join(j.root, "deploy", "k8s", name), name, filepath.Join(j.root, "deploy", "k8s", "kustomization.yaml"))
	}
	if j.overlay != nil { // new, into an existing module
		fmt.Fprintln(o.Progress, "go mod tidy")
		if err := goRun(ctx, j.root, "mod", "tidy"); err != nil {
			return err
		}
		if err := j.writeDeployOnce(deploy); err != nil {
			return err
		}
		if j.bufGen != nil {
			name := filepath.Join(j.root, "buf.gen.yaml")
			if err := writeFile(name, j.bufGen); err != nil {
				return err
			}
			fmt.Fprintf(o.Out, "%-9s %s (the M options of the new protos)\n", "updated", name)
		}
		j.next(append(all, out.names()...))
	}
	return nil
}

// gotutorOptions are the options of protoc-gen-gotutor for the run.
func (j *job) gotutorOptions() generator.Options {
	opts := generator.DefaultOptions()
	opts.Templates = j.o.Templates
	opts.HTTP = j.o.HTTP
	return opts
}

// writeFresh writes a new module: in a folder beside the target, where go
// mod tidy resolves the tools and protoc-gen-go-grpc runs, then the
// container and Kubernetes files of the server mains among names (once
// go.mod has its final go line), then renamed to the target. An error
// leaves no target behind.
func (j *job) writeFresh(ctx context.Context, req *pluginpb.CodeGeneratorRequest, out *fileSet, names []string) (err error) {
	o := j.o
	abs, err := filepath.Abs(j.root)
	if err != nil {
		return err
	}
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, 0o777); err != nil {
		return err
	}
	staging, err := os.MkdirTemp(parent, filepath.Base(abs)+".gotutor-tmp-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(staging)
		}
	}()
	if err := os.Chmod(staging, 0o755); err != nil {
		return err
	}
	for _, f := range out.files {
		if err := writeFile(filepath.Join(staging, filepath.FromSlash(f.name)), f.content); err != nil {
			return err
		}
	}
	// Tidy before protoc-gen-go-grpc: go tool needs the go.sum that tidy
	// writes. The stubs import only grpc, which the generated mains and
	// tests already import, so they need no second tidy.
	fmt.Fprintln(o.Progress, "resolving dependencies (go mod tidy)")
	if err := goRun(ctx, staging, "mod", "tidy"); err != nil {
		return err
	}
	fmt.Fprintln(o.Progress, "generating gRPC stubs (go tool protoc-gen-go-grpc)")
	grpcFiles, err := runGrpc(ctx, req, staging)
	if err != nil {
		return err
	}
	for _, f := range grpcFiles {
		if out.has(f.GetName()) {
			return fmt.Errorf("protoc-gen-go-grpc and another plugin both generate %s", f.GetName())
		}
		if err := writeFile(filepath.Join(staging, filepath.FromSlash(f.GetName())), []byte(f.GetContent())); err != nil {
			return err
		}
	}
	deploy, err := deployFilesOf(staging, j.module, names, o.Templates)
	if err != nil {
		return err
	}
	for _, f := range deploy {
		if out.has(f.name) {
			return fmt.Errorf("gotutor new and a plugin both write %s", f.name)
		}
		if err := writeFile(filepath.Join(staging, filepath.FromSlash(f.name)), f.content); err != nil {
			return err
		}
	}
	if _, err := os.Stat(abs); err == nil {
		if err := os.Remove(abs); err != nil { // empty, checked by New
			return err
		}
	}
	if err := os.Rename(staging, abs); err != nil {
		return err
	}
	fmt.Fprintf(o.Progress, "wrote %s in %s\n", count(len(out.files)+len(grpcFiles)+len(deploy)+1, "file"), j.root) // +1: go.sum
	return nil
}

// writeExisting writes the files of a run over an existing module, each
// through a temporary file renamed into place, removes the generated files
// of an earlier run that this one did not produce (and the folders that
// leaves empty), and says for each file whether it was written, unchanged,
// kept or removed.
func (j *job) writeExisting(out *fileSet, kept, stale []string) error {
	type line struct{ verb, name string }
	var lines []line
	for _, f := range out.files {
		p := filepath.Join(j.root, filepath.FromSlash(f.name))
		if old, err := os.ReadFile(p); err == nil && string(old) == string(f.content) {
			lines = append(lines, line{"unchanged", f.name})
			continue
		}
		if err := writeFile(p, f.content); err != nil {
			return err
		}
		lines = append(lines, line{"wrote", f.name})
	}
	for _, k := range kept {
		lines = append(lines, line{"kept", k + " (yours)"})
	}
	for _, name := range stale {
		p := filepath.Join(j.root, filepath.FromSlash(name))
		if err := os.Remove(p); err != nil {
			return err
		}
		// The folder goes too if that emptied it (a helper package, a
		// client's command); Remove fails on a folder that is not empty,
		// which the module root never is (it holds go.mod).
		root := filepath.Clean(j.root)
		for dir := filepath.Dir(p); dir != root; dir = filepath.Dir(dir) {
			if os.Remove(dir) != nil {
				break
			}
		}
		lines = append(lines, line{"removed", name + " (no longer generated)"})
	}
	sort.SliceStable(lines, func(a, b int) bool { return lines[a].name < lines[b].name })
	for _, l := range lines {
		fmt.Fprintf(j.o.Out, "%-9s %s\n", l.verb, filepath.Join(j.root, filepath.FromSlash(l.name)))
	}
	return nil
}

// checkBufGen warns when the module's buf.gen.yaml, data, lacks an M
// option that gotutor used: buf generate would then fail on that file; or
// when it does not leave out a file of excluded, which the server links
// already. It warns too when the protos use built-in imports that neither
// buf.yaml's deps nor buf.gen.yaml's note (which gotutor new writes)
// account for.
func (j *job) checkBufGen(data []byte, ms []mapping, builtins []string, excluded ...string) {
	for _, name := range excluded {
		if !strings.Contains(string(data), "- proto/"+name+"\n") {
			fmt.Fprintf(j.o.Progress, "warning: buf.gen.yaml does not leave out proto/%s, which the server links already: buf generate would generate it; add it to exclude_paths (inputs: - directory: proto, exclude_paths: [proto/%s])\n", name, name)
		}
	}
	for _, m := range missingOptions(data, ms) {
		fmt.Fprintf(j.o.Progress, "warning: buf.gen.yaml lacks the option %s: add it to each plugin's opt, or buf generate will fail on %s\n", m.option(), m.file)
	}
	seen := map[string]bool{}
	for _, opt := range mOption.FindAllStringSubmatch(string(data), -1) {
		if l, ok := linked.Lookup(opt[1]); ok && opt[2] != l.GoPackage && !seen[opt[0]] {
			seen[opt[0]] = true
			fmt.Fprintf(j.o.Progress, "warning: buf.gen.yaml has the option %s, which makes buf generate a second copy of a file that every server links already (Go package %s), and the programs panic at start: remove it from each plugin's opt\n", opt[0], l.GoPackage)
		}
	}
	if len(builtins) == 0 || strings.Contains(string(data), builtinsMarker) {
		return
	}
	bufYAML, _ := os.ReadFile(filepath.Join(j.root, "buf.yaml"))
	var missing []string
	for _, dep := range bsrDeps(builtins) {
		if !strings.Contains(string(bufYAML), dep) {
			missing = append(missing, dep)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(j.o.Progress, "warning: the protos import %s, which gotutor has built in but buf does not find: buf generate will fail until buf.yaml's deps list %s (then buf dep update)\n", strings.Join(builtins, ", "), strings.Join(missing, " and "))
	}
}

// addMOptions returns data, a buf.gen.yaml, with the options of ms that
// it lacks added to the opt list of each plugin, after its last item and
// as that item is indented, and the mappings it added. It adds none to a
// buf.gen.yaml that is not laid out as gotutor new writes it (three opt
// lists of one item to a line): checkBufGen then says what it lacks.
func addMOptions(data []byte, ms []mapping) ([]byte, []mapping) {
	missing := missingOptions(data, ms)
	if len(missing) == 0 {
		return data, nil
	}
	lines := strings.SplitAfter(string(data), "\n")
	// The last item of each opt list: where the options go.
	var ends []int
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "opt:" {
			continue
		}
		last := -1
		for k := i + 1; k < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[k]), "- ") && indent(lines[k]) > indent(lines[i]); k++ {
			last = k
		}
		if last < 0 {
			return data, nil
		}
		ends = append(ends, last)
	}
	if len(ends) != 3 || !strings.HasSuffix(lines[ends[2]], "\n") {
		return data, nil
	}
	var b strings.Builder
	for i, line := range lines {
		b.WriteString(line)
		if slices.Contains(ends, i) {
			prefix := line[:indent(line)]
			for _, m := range missing {
				b.WriteString(prefix + "- " + m.option() + "\n")
			}
		}
	}
	return []byte(b.String()), missing
}

// missingOptions returns the mappings of ms whose M option data, a
// buf.gen.yaml, lacks.
func missingOptions(data []byte, ms []mapping) []mapping {
	var missing []mapping
	for _, m := range ms {
		if !strings.Contains(string(data), m.option()) {
			missing = append(missing, m)
		}
	}
	return missing
}

// indent is the number of spaces that line begins with.
func indent(line string) int { return len(line) - len(strings.TrimLeft(line, " ")) }

// mOption is an M option of buf.gen.yaml: the file, and its import path.
var mOption = regexp.MustCompile(`\bM([^=\s]+\.proto)=([^;\s]+)(;[^\s]*)?`)

// builtinImports returns the files that the module's own protos (those of
// c.Local) import and that came from protoreq's built-in imports of
// BuiltinDirs (not the well-known google/protobuf ones, which buf has too),
// sorted.
func builtinImports(c *protoreq.Output) []string {
	seen := map[string]bool{}
	var names []string
	for _, f := range c.Request.GetProtoFile() {
		if _, local := c.Local[f.GetName()]; !local {
			continue
		}
		for _, dep := range append(slices.Clone(f.GetDependency()), f.GetOptionDependency()...) {
			if _, local := c.Local[dep]; !local && !seen[dep] && protoreq.IsBuiltin(dep) {
				seen[dep] = true
				names = append(names, dep)
			}
		}
	}
	sort.Strings(names)
	return names
}

// next prints the commands to run next.
func (j *job) next(names []string) {
	var servers, clients, guides []string
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			continue
		}
		seen[n] = true
		dir := path.Dir(n)
		switch {
		case path.Base(n) == "main.go" && strings.HasSuffix(dir, "-server") && path.Base(path.Dir(dir)) == "cmd":
			servers = append(servers, dir)
		case path.Base(n) == "main.go" && strings.HasSuffix(dir, "-client") && path.Base(path.Dir(dir)) == "cmd":
			clients = append(clients, dir)
		case strings.HasSuffix(n, "_gotutor.md"):
			guides = append(guides, n)
		}
	}
	sort.Strings(servers)
	sort.Strings(clients)
	sort.Strings(guides)
	if len(servers) == 0 {
		fmt.Fprintln(j.o.Progress, "warning: the protos declare no service: gotutor writes servicers, mains, tests and guides for services, so this module holds only the protos' Go types; add a service, then run gotutor gen")
	}
	w := j.o.Out
	fmt.Fprintf(w, "Next:\n  cd %s\n  go test ./...\n", j.root)
	for _, s := range servers {
		fmt.Fprintf(w, "  go run ./%s\n", s)
	}
	for _, c := range clients {
		fmt.Fprintf(w, "  go run ./%s    # in a second terminal\n", c)
	}
	for _, g := range guides {
		fmt.Fprintf(w, "Read %s: the service, its methods, and grpcurl commands to call them.\n", g)
	}
}

// bufTemplates returns the templates folder as buf.gen.yaml, in root,
// should name it: relative to root when it is inside, else absolute.
func bufTemplates(templates, root string) string {
	if templates == "" {
		return ""
	}
	absT, err1 := filepath.Abs(templates)
	absR, err2 := filepath.Abs(root)
	if err1 != nil || err2 != nil {
		return templates
	}
	if rel, err := filepath.Rel(absR, absT); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(rel)
	}
	return absT
}

// fileSet is the files of one run, in the order added.
type fileSet struct {
	files []file
	index map[string]int
	err   error
}

func newFileSet() *fileSet { return &fileSet{index: map[string]int{}} }

func (s *fileSet) add(name string, content []byte) {
	if _, ok := s.index[name]; ok {
		if s.err == nil {
			s.err = fmt.Errorf("two plugins generate %s", name)
		}
		return
	}
	s.index[name] = len(s.files)
	s.files = append(s.files, file{name, content})
}

func (s *fileSet) has(name string) bool { _, ok := s.index[name]; return ok }

func (s *fileSet) names() []string {
	var n []string
	for _, f := range s.files {
		n = append(n, f.name)
	}
	return n
}

// writeFile writes content to name through a temporary file in the same
// folder, renamed into place: a reader never sees half a file.
func writeFile(name string, content []byte) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".gotutor-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(content)
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// pathElem turns a folder name into a module path element.
func pathElem(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_', r == '.', r == '~':
			b.WriteRune(r)
		default:
			b.WriteRune('-')
		}
	}
	s := strings.Trim(b.String(), "-.")
	if s == "" {
		return "app"
	}
	return s
}

func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
