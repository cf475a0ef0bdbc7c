package generator

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
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
	opts Options
	tmpl *template.Template
	// exists reports whether a user-owned file is already there.
	exists func(name string) bool
	// version goes into the headers of generated files.
	version string
	// module is the value of the standard option module=: a prefix cut
	// from every file name. protogen applies it only to its own files.
	module string
}

// newGenerator parses the built-in templates, then those of opts.Templates.
// module is the value of the option module=.
func newGenerator(opts Options, module string) (*generator, error) {
	tmpl, err := parseTemplates(opts.Templates)
	if err != nil {
		return nil, err
	}
	g := &generator{opts: opts, tmpl: tmpl, version: Version(), exists: opts.Exists, module: module}
	if g.exists == nil {
		g.exists = func(name string) bool {
			_, err := os.Lstat(filepath.Join(opts.Out, filepath.FromSlash(name)))
			return err == nil
		}
	}
	return g, nil
}

// templateFuncs are stand-ins, bound per file at execution (see render).
var templateFuncs = template.FuncMap{
	"q":       func(protogen.GoIdent) string { return "" },
	"pkg":     func(string) string { return "" },
	"goValue": func(*Value, int) string { return "" },
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
	doc      string // package doc comment, if any
	owned    bool   // user-owned: written only when absent
	im       *importSet
}

// generate renders the files for every file to generate that declares a
// service. Files are independent, so they are rendered on all CPUs; the
// result is in a fixed order whatever the scheduling.
func (g *generator) generate(gen *protogen.Plugin) ([]*pluginpb.CodeGeneratorResponse_File, error) {
	var files []*protogen.File
	for _, f := range gen.Files {
		if f.Generate && len(f.Services) > 0 {
			files = append(files, f)
		}
	}
	pkgs := indexGoPackages(gen)
	nameOf := pkgs.nameOf
	mo := &modelOptions{version: g.version, http: g.opts.HTTP, nameOf: nameOf, api: indexAPI(gen)}
	// Files of one Go package share its namespace, so each package is one
	// unit of work, its files handled in request order: names come out the
	// same whatever the scheduling. Packages are independent and are
	// rendered on all CPUs.
	var groups [][]int // indexes into files, per Go package
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

	results := make([][]*pluginpb.CodeGeneratorResponse_File, len(files))
	warnings := make([][]string, len(files))
	errs := make([]error, len(files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(groups)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tmpl := template.Must(g.tmpl.Clone())
			var buf bytes.Buffer
			for {
				gi := int(next.Add(1) - 1)
				if gi >= len(groups) {
					return
				}
				taken := declaredNames(pkgs.files[files[groups[gi][0]].GoImportPath], gen.FilesByPath)
				for _, i := range groups[gi] {
					model, err := newFile(files[i], taken, mo)
					if err != nil {
						errs[i] = err
						continue
					}
					results[i], warnings[i], errs[i] = g.renderFile(tmpl, &buf, files[i], model, nameOf)
				}
			}
		}()
	}
	wg.Wait()
	var out []*pluginpb.CodeGeneratorResponse_File
	for i, r := range results {
		if errs[i] != nil {
			return nil, fmt.Errorf("%s: %v", files[i].Desc.Path(), errs[i])
		}
		out = append(out, r...)
	}
	warn := g.opts.Warn
	if warn == nil {
		warn = func(msg string) { fmt.Fprintln(os.Stderr, "protoc-gen-gotutor: "+msg) }
	}
	for _, ws := range warnings {
		for _, w := range ws {
			warn(w)
		}
	}
	return out, nil
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

// renderFile renders the files of one .proto file.
func (g *generator) renderFile(tmpl *template.Template, buf *bytes.Buffer, f *protogen.File, file *File, nameOf func(protogen.GoImportPath) string) ([]*pluginpb.CodeGeneratorResponse_File, []string, error) {
	prefix := f.GeneratedFilenamePrefix
	if g.module != "" {
		trimmed, ok := strings.CutPrefix(prefix, g.module+"/")
		if !ok {
			return nil, nil, fmt.Errorf("the Go import path %q is not inside module=%s", f.GoImportPath, g.module)
		}
		prefix = trimmed
	}
	var warnings []string
	for _, s := range file.Services {
		name := path.Join(path.Dir(prefix), s.ServicerFile)
		var warning string
		s.Unwritten, warning = g.unwritten(name, s)
		if warning != "" {
			warnings = append(warnings, warning)
		}
		s.LegacyMain = g.legacyMain(path.Join(path.Dir(prefix), "cmd", s.ServerCommand, "main.go"))
	}
	var out []*pluginpb.CodeGeneratorResponse_File
	for _, o := range g.outputs(f, prefix, file, nameOf) {
		if o.owned && (!g.opts.Scaffold || g.exists(o.name)) {
			continue
		}
		content, err := render(tmpl, buf, o)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, &pluginpb.CodeGeneratorResponse_File{Name: proto.String(o.name), Content: proto.String(content)})
	}
	return out, warnings, nil
}

// unwritten returns the methods of s that the user's servicer, in the file
// name (relative to Out), does not define, which the default servicer it
// embeds answers; with a warning that names them, or says that the file
// does not parse. A servicer that is not there yet is scaffolded now, with
// every method.
func (g *generator) unwritten(name string, s *Service) ([]*Method, string) {
	src, err := os.ReadFile(filepath.Join(g.opts.Out, filepath.FromSlash(name)))
	if err != nil {
		return nil, ""
	}
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Sprintf("%s does not parse, so which methods %s defines is unknown: %v", name, s.Servicer.GoName, err)
	}
	defined := map[string]bool{}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv == nil || len(fn.Recv.List) != 1 {
			continue
		}
		recv := fn.Recv.List[0].Type
		if star, ok := recv.(*ast.StarExpr); ok {
			recv = star.X
		}
		if id, ok := recv.(*ast.Ident); ok && id.Name == s.Servicer.GoName {
			defined[fn.Name.Name] = true
		}
	}
	var missing []*Method
	var names []string
	for _, m := range s.Methods {
		m.Unwritten = !defined[m.GoName]
		if m.Unwritten {
			missing = append(missing, m)
			names = append(names, m.GoName)
		}
	}
	if len(missing) == 0 {
		return nil, ""
	}
	return missing, fmt.Sprintf("%s: %s does not define %s yet: %s answers with example values", name, s.Servicer.GoName, strings.Join(names, ", "), s.Default.GoName)
}

// legacyMain reports whether the user's main.go at name (relative to Out)
// is one that gotutor scaffolded before the runtime package: it uses the
// type serverConfig, which server_gotutor.go declared then, and does not
// declare it itself.
func (g *generator) legacyMain(name string) bool {
	src, err := os.ReadFile(filepath.Join(g.opts.Out, filepath.FromSlash(name)))
	if err != nil {
		return false
	}
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
	if err != nil {
		return false
	}
	uses, declares := false, false
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.TypeSpec:
			declares = declares || n.Name.Name == "serverConfig"
		case *ast.Ident:
			uses = uses || n.Name == "serverConfig"
		}
		return true
	})
	return uses && !declares
}

// outputs lists the files generated for one .proto file, in a fixed order.
// See the README's "What is generated" for the layout.
func (g *generator) outputs(f *protogen.File, prefix string, file *File, nameOf func(protogen.GoImportPath) string) []output {
	dir := path.Dir(prefix)
	base := path.Base(prefix)
	pkg := file.GoPackageName
	goFile := func(name, tmpl string, data any, importPath protogen.GoImportPath, pkgName string, owned bool) output {
		return output{name: name, template: tmpl, data: data, pkgName: pkgName, owned: owned,
			im: newImportSet(importPath, nameOf)}
	}
	gotutorFile := goFile(prefix+"_gotutor.go", "gotutor_file", file, f.GoImportPath, pkg, false)
	gotutorFile.im = file.im
	if file.HTTP && len(file.Services) > 0 {
		file.im.blankImport(embedPackage) // the pages are embedded
	}
	helper := goFile(path.Join(dir, file.HelperPackageName, base+"_gotutor.go"), "helper_file", file, file.HelperImportPath, file.HelperPackageName, false)
	helper.doc = fmt.Sprintf("// Package %s runs the services of %s in memory, for tests.\n", file.HelperPackageName, pkg)
	outs := []output{
		gotutorFile,
		goFile(prefix+"_gotutor_test.go", "default_test_file", file, f.GoImportPath+"_test", file.TestPackageName, false),
		helper,
	}
	for _, s := range file.Services {
		cmd := func(name string) string { return path.Join(dir, "cmd", name) }
		mainPkg := func(name string) protogen.GoImportPath {
			return protogen.GoImportPath(path.Join(string(f.GoImportPath), "cmd", name))
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
			goFile(path.Join(dir, s.ServicerFile), "servicer_file", s, f.GoImportPath, pkg, true),
			goFile(path.Join(dir, s.ServicerTestFile), "servicer_test_file", s, f.GoImportPath+"_test", file.TestPackageName, true),
			withDoc(goFile(path.Join(cmd(s.ServerCommand), "main.go"), "server_main_file", s, mainPkg(s.ServerCommand), "main", true),
				"// Command "+s.ServerCommand+" serves "+s.FullName+" on -addr, with gRPC health\n// checks, reflection, a log line per call, panic recovery and a bounded\n// graceful stop: see the runtime, package github.com/gotutor/gotutor/serve,\n// and -help.\n"),
			withDoc(goFile(path.Join(cmd(s.ClientCommand), "main.go"), "client_main_file", s, mainPkg(s.ClientCommand), "main", true),
				"// Command "+s.ClientCommand+" calls the methods of "+s.FullName+" with example\n// requests and prints the responses as JSON.\n"),
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

// render executes o's template. Go files get their header, package clause
// and import block around the body; the body is written gofmt-clean by the
// templates, so no formatting pass is needed (a test holds them to it).
func render(tmpl *template.Template, buf *bytes.Buffer, o output) (string, error) {
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
	var header string
	if o.owned {
		header = "// This file was scaffolded by protoc-gen-gotutor and is yours to edit:\n// regenerating never overwrites it.\n\n"
	} else {
		header = fmt.Sprintf("// Code generated by protoc-gen-gotutor. DO NOT EDIT.\n// version: %s\n", versionOf(o.data))
		if source := sourceOf(o.data); source != "" {
			header += "// source: " + source + "\n"
		}
		header += "\n"
	}
	imports := o.im.block()
	body := bytes.Trim(buf.Bytes(), "\n")
	// One copy of the body, into a string of the right size.
	var s strings.Builder
	s.Grow(len(header) + len(o.doc) + len(o.pkgName) + len(imports) + len(body) + 16)
	s.WriteString(header)
	s.WriteString(o.doc)
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
