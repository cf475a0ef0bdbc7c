package generator

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"text/template"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/gotutor/gotutor/templates"

	// Registers StringValue, the payload of example Any values, so that
	// their JSON can be computed for the guides.
	_ "google.golang.org/protobuf/types/known/wrapperspb"
)

// generator renders gotutor's files for the services of a CodeGeneratorRequest.
type generator struct {
	opts Options // with Exists, ReadFile and Warn set
	tmpl *template.Template
	// version goes into the headers of generated files.
	version string
	// module is the value of the option module=: a prefix cut from every
	// file name.
	module string
}

// newGenerator parses the built-in templates, then those of opts.Templates.
// module is the value of the option module=.
func newGenerator(opts Options, module string) (*generator, error) {
	tmpl, err := parseTemplates(opts.Templates)
	if err != nil {
		return nil, err
	}
	below := func(name string) string { return filepath.Join(opts.Out, filepath.FromSlash(name)) }
	if opts.Exists == nil {
		opts.Exists = func(name string) bool {
			_, err := os.Lstat(below(name))
			return err == nil
		}
	}
	if opts.ReadFile == nil {
		opts.ReadFile = func(name string) ([]byte, error) { return os.ReadFile(below(name)) }
	}
	if opts.Warn == nil {
		opts.Warn = func(msg string) { fmt.Fprintln(os.Stderr, "protoc-gen-gotutor: "+msg) }
	}
	return &generator{opts: opts, tmpl: tmpl, version: Version(), module: module}, nil
}

// templateFuncs are the functions of the templates (see TEMPLATES.md):
// q, pkg, goValue and include are stand-ins, bound per file at execution
// (see render).
var templateFuncs = template.FuncMap{
	"q":          func(protogen.GoIdent) string { return "" },
	"pkg":        func(string) string { return "" },
	"goValue":    func(*Value, int) string { return "" },
	"include":    func(string, any) string { return "" },
	"comment":    goComment,
	"shellQuote": shellQuote,
}

// maxIncludeDepth bounds the nesting of include, which a template that
// includes itself would otherwise recurse in until the stack overflows.
const maxIncludeDepth = 64

// includeFunc returns the template function {{include NAME DATA}}: what
// the template NAME of tmpl writes for DATA, as a string that a template
// passes on ({{comment 0 (include "servicer_doc" .)}}).
func includeFunc(tmpl *template.Template) func(string, any) (string, error) {
	var bufs []*bytes.Buffer // one per level of nesting, reused
	depth := 0
	return func(name string, data any) (string, error) {
		if depth >= maxIncludeDepth {
			return "", fmt.Errorf("include %q: nested more than %d deep", name, maxIncludeDepth)
		}
		if depth == len(bufs) {
			bufs = append(bufs, new(bytes.Buffer))
		}
		b := bufs[depth]
		b.Reset()
		depth++
		defer func() { depth-- }()
		err := tmpl.ExecuteTemplate(b, name, data)
		return b.String(), err
	}
}

func parseTemplates(userDir string) (*template.Template, error) {
	tmpl, err := template.New("gotutor").Funcs(templateFuncs).ParseFS(templates.FS, "*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("built-in templates: %v", err)
	}
	if userDir == "" {
		return tmpl, nil
	}
	matches, err := filepath.Glob(filepath.Join(userDir, "*.tmpl"))
	if err == nil && len(matches) == 0 {
		if _, statErr := os.Stat(userDir); statErr != nil {
			return nil, fmt.Errorf("option templates=%s: %v", userDir, statErr)
		}
		return nil, fmt.Errorf("option templates=%s: no *.tmpl files in the directory", userDir)
	}
	for _, name := range matches {
		text, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("option templates=%s: %v", userDir, err)
		}
		// Named by its path, so that errors point at the user's file.
		if _, err := tmpl.New(name).Parse(string(text)); err != nil {
			return nil, err
		}
	}
	return tmpl, nil
}

// output is one file to write: which template renders it, with what data.
type output struct {
	name     string
	template string
	data     any
	pkgName  string
	doc      string // the template of the package's doc comment, if any
	owned    bool   // user-owned: written only when absent
	im       *importSet
}

// generate renders the files for every file to generate that declares a
// service, and reports the warnings of their models. Files of one Go
// package share its namespace, so each package is one unit of work, its
// files handled in request order: names come out the same whatever the
// scheduling. Packages are independent, and are rendered on all CPUs; the
// result is in a fixed order whatever the scheduling.
func (g *generator) generate(gen *protogen.Plugin) ([]*pluginpb.CodeGeneratorResponse_File, error) {
	var files []*protogen.File
	for _, f := range gen.Files {
		if f.Generate && len(f.Services) > 0 {
			files = append(files, f)
		}
	}
	pkgs := indexGoPackages(gen)
	mo := &modelOptions{version: g.version, http: g.opts.HTTP, module: g.module, nameOf: pkgs.nameOf, api: indexAPI(gen), readFile: g.opts.ReadFile}
	groups := groupByPackage(files)
	results := make([]fileResult, len(files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(groups)) {
		wg.Go(func() {
			r := newRenderer(g.tmpl)
			for gi := int(next.Add(1) - 1); gi < len(groups); gi = int(next.Add(1) - 1) {
				taken := declaredNames(pkgs.files[files[groups[gi][0]].GoImportPath], gen.FilesByPath)
				for _, i := range groups[gi] {
					results[i] = g.generateFile(r, files[i], taken, mo)
				}
			}
		})
	}
	wg.Wait()
	var out []*pluginpb.CodeGeneratorResponse_File
	for i, r := range results {
		if r.err != nil {
			return nil, fmt.Errorf("%s: %v", files[i].Desc.Path(), r.err)
		}
		out = append(out, r.files...)
	}
	for _, r := range results {
		for _, w := range r.warnings {
			g.opts.Warn(w)
		}
	}
	return out, nil
}

// groupByPackage returns the indexes of files by Go package, in the order
// of the files.
func groupByPackage(files []*protogen.File) [][]int {
	var groups [][]int
	groupOf := map[protogen.GoImportPath]int{}
	for i, f := range files {
		gi, ok := groupOf[f.GoImportPath]
		if !ok {
			gi = len(groups)
			groupOf[f.GoImportPath] = gi
			groups = append(groups, nil)
		}
		groups[gi] = append(groups[gi], i)
	}
	return groups
}

// goPackages indexes the request's files by Go package: the name each
// package declares, and all of its files, whose generated code shares one
// namespace.
type goPackages struct {
	names map[protogen.GoImportPath]string
	files map[protogen.GoImportPath][]*protogen.File
}

func indexGoPackages(gen *protogen.Plugin) goPackages {
	p := goPackages{names: map[protogen.GoImportPath]string{}, files: map[protogen.GoImportPath][]*protogen.File{}}
	for _, f := range gen.Files {
		if _, ok := p.names[f.GoImportPath]; !ok {
			p.names[f.GoImportPath] = string(f.GoPackageName)
		}
		p.files[f.GoImportPath] = append(p.files[f.GoImportPath], f)
	}
	return p
}

func (p goPackages) nameOf(path protogen.GoImportPath) string { return p.names[path] }

// fileResult is what generating one .proto file gives.
type fileResult struct {
	files    []*pluginpb.CodeGeneratorResponse_File
	warnings []string
	err      error
}

// generateFile builds the model of f, a file whose Go package has the
// names taken, and renders its files.
func (g *generator) generateFile(r *renderer, f *protogen.File, taken names, mo *modelOptions) fileResult {
	file, err := newFile(f, taken, mo)
	if err != nil {
		return fileResult{err: err}
	}
	var out []*pluginpb.CodeGeneratorResponse_File
	for _, o := range outputs(file, mo.nameOf) {
		if o.owned && (!g.opts.Scaffold || g.opts.Exists(o.name)) {
			continue
		}
		content, err := r.render(o)
		if err != nil {
			return fileResult{err: err}
		}
		out = append(out, &pluginpb.CodeGeneratorResponse_File{Name: proto.String(o.name), Content: proto.String(content)})
	}
	return fileResult{files: out, warnings: file.warnings}
}

// outputs lists the files generated for one .proto file, in a fixed order.
// See the README's "What is generated" for the layout.
func outputs(file *File, nameOf func(protogen.GoImportPath) string) []output {
	prefix, importPath := file.prefix, file.GoImportPath
	dir := path.Dir(prefix)
	base := path.Base(prefix)
	pkg := file.GoPackageName
	goFile := func(name, tmpl string, data any, pkgPath protogen.GoImportPath, pkgName string, owned bool) output {
		return output{name: name, template: tmpl, data: data, pkgName: pkgName, owned: owned,
			im: newImportSet(pkgPath, nameOf)}
	}
	gotutorFile := goFile(prefix+"_gotutor.go", "gotutor_file", file, importPath, pkg, false)
	if file.HTTP && len(file.Services) > 0 {
		gotutorFile.im.blankImport(embedPackage) // the pages are embedded
	}
	helper := goFile(path.Join(dir, file.HelperPackageName, base+"_gotutor.go"), "helper_file", file, file.HelperImportPath, file.HelperPackageName, false)
	helper.doc = "helper_doc"
	outs := []output{
		gotutorFile,
		goFile(prefix+"_gotutor_test.go", "default_test_file", file, importPath+"_test", file.TestPackageName, false),
		helper,
	}
	for _, s := range file.Services {
		cmd := func(name string) string { return path.Join(dir, "cmd", name) }
		mainPkg := func(name string) protogen.GoImportPath {
			return protogen.GoImportPath(path.Join(string(importPath), "cmd", name))
		}
		outs = append(outs,
			goFile(path.Join(cmd(s.ClientCommand), "calls_gotutor.go"), "client_calls_file", s, mainPkg(s.ClientCommand), "main", false),
			goFile(path.Join(cmd(s.ServerCommand), "server_gotutor.go"), "server_file", s, mainPkg(s.ServerCommand), "main", false),
			goFile(path.Join(cmd(s.ServerCommand), "server_gotutor_test.go"), "server_test_file", s, mainPkg(s.ServerCommand), "main", false),
		)
		if s.LegacyMain {
			outs = append(outs, goFile(path.Join(cmd(s.ServerCommand), "server_legacy_gotutor.go"), "server_legacy_file", s, mainPkg(s.ServerCommand), "main", false))
		}
		outs = append(outs,
			output{name: path.Join(dir, s.GuideFile), template: "guide_file", data: s},
			goFile(path.Join(dir, s.ServicerFile), "servicer_file", s, importPath, pkg, true),
			goFile(path.Join(dir, s.ServicerTestFile), "servicer_test_file", s, importPath+"_test", file.TestPackageName, true),
			withDoc(goFile(path.Join(cmd(s.ServerCommand), "main.go"), "server_main_file", s, mainPkg(s.ServerCommand), "main", true), "server_main_doc"),
			withDoc(goFile(path.Join(cmd(s.ClientCommand), "main.go"), "client_main_file", s, mainPkg(s.ClientCommand), "main", true), "client_main_doc"),
		)
	}
	if file.HTTP {
		for _, s := range file.Services {
			outs = append(outs, output{name: path.Join(dir, s.PageFile), template: "page_file", data: s})
		}
	}
	return outs
}

func withDoc(o output, doc string) output {
	o.doc = doc
	return o
}

// renderer renders files, one at a time, with its own copy of the
// templates, whose per-file functions it binds.
type renderer struct {
	tmpl    *template.Template
	buf     bytes.Buffer
	include func(name string, data any) (string, error)
}

func newRenderer(tmpl *template.Template) *renderer {
	r := &renderer{tmpl: template.Must(tmpl.Clone())}
	r.include = includeFunc(r.tmpl)
	r.tmpl.Funcs(template.FuncMap{"include": r.include})
	return r
}

// render executes o's template. Go files get their header, package clause
// and import block around the body; the body is written gofmt-clean by the
// templates, so no formatting pass is needed (a test holds them to it).
func (r *renderer) render(o output) (string, error) {
	tmpl, buf := r.tmpl, &r.buf
	buf.Reset()
	if o.im != nil {
		tmpl.Funcs(template.FuncMap{
			"q": o.im.ident,
			"goValue": func(v *Value, indent int) string {
				return goRenderer{o.im}.expr(v, indent, false)
			},
			"pkg": func(key string) (string, error) {
				p, ok := knownPackages[key]
				if !ok {
					return "", fmt.Errorf("pkg %q: not a known package", key)
				}
				return o.im.pkg(p), nil
			},
		})
	}
	if err := tmpl.ExecuteTemplate(buf, o.template, o.data); err != nil {
		return "", err
	}
	if o.im == nil {
		return buf.String(), nil
	}
	header, doc, err := goHeader(r.include, o)
	if err != nil {
		return "", err
	}
	imports := o.im.block()
	body := bytes.Trim(buf.Bytes(), "\n")
	// One copy of the body, into a string of the right size.
	var s strings.Builder
	s.Grow(len(header) + len(doc) + len(o.pkgName) + len(imports) + len(body) + 16)
	s.WriteString(header)
	s.WriteString(doc)
	s.WriteString("package " + o.pkgName + "\n")
	if imports != "" {
		s.WriteString("\n" + imports)
	}
	if len(body) > 0 {
		s.WriteString("\n")
		s.Write(body)
		s.WriteString("\n")
	}
	return s.String(), nil
}

// goHeader returns the comments that start the Go file o, each ending in a
// newline: its header, and the package's doc comment ("" when it has
// none). The header of a generated file is the conventional "Code
// generated ... DO NOT EDIT." line that tools look for, with the version
// and source; that of a user-owned file is the template scaffold_notice.
func goHeader(include func(string, any) (string, error), o output) (header, doc string, err error) {
	if o.doc != "" {
		text, err := include(o.doc, o.data)
		if err != nil {
			return "", "", err
		}
		if doc = goComment(0, text); doc != "" {
			doc += "\n"
		}
	}
	if o.owned {
		text, err := include("scaffold_notice", o.data)
		if err != nil {
			return "", "", err
		}
		if header = goComment(0, text); header != "" {
			header += "\n\n"
		}
	} else {
		header = fmt.Sprintf("// Code generated by protoc-gen-gotutor. DO NOT EDIT.\n// version: %s\n", versionOf(o.data))
		if source := sourceOf(o.data); source != "" {
			header += "// source: " + source + "\n"
		}
		header += "\n"
	}
	return header, doc, nil
}

func sourceOf(data any) string {
	switch d := data.(type) {
	case *File:
		return d.Proto
	case *Service:
		return d.File.Proto
	}
	return ""
}

func versionOf(data any) string {
	switch d := data.(type) {
	case *File:
		return d.Version
	case *Service:
		return d.File.Version
	}
	return ""
}
