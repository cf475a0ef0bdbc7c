package scaffold

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"unicode"

	"google.golang.org/protobuf/types/descriptorpb"
)

// mapping is an M option that puts one .proto file's Go code inside the
// module, and why it is needed.
type mapping struct {
	file, importPath, why string
	// pkgName is the Go package name, when the last element of importPath
	// would make a poor one.
	pkgName string
	// linked says that importPath is a package that the generated code's
	// dependencies link, which registers the file (see useLinked).
	linked bool
}

// option is the plugin option, Mfile=importPath or Mfile=importPath;name.
func (m mapping) option() string {
	if m.pkgName != "" {
		return "M" + m.file + "=" + m.importPath + ";" + m.pkgName
	}
	return "M" + m.file + "=" + m.importPath
}

// note is the progress line that tells the user about it.
func (m mapping) note() string {
	pkg := ""
	if m.pkgName != "" {
		pkg = ", package " + m.pkgName
	}
	return fmt.Sprintf("%s %s: its Go code goes to %s%s (option %s in buf.gen.yaml)", m.file, m.why, m.importPath, pkg, m.option())
}

// mappings returns an M option for each file to generate whose Go import
// path is not inside module: those without go_package, and those whose
// go_package names another module (a proto copied from elsewhere, like the
// bundled examples). A file without go_package goes to MODULE/<its proto
// package as a path>, or MODULE/<its file name> when it has no package; a
// file with another module's go_package goes to MODULE/<the last folder of
// its go_package>, and keeps its package name, as protoc-gen-go keeps it.
func mappings(files []*descriptorpb.FileDescriptorProto, generate []string, module string) []mapping {
	gen := map[string]bool{}
	for _, name := range generate {
		gen[name] = true
	}
	var out []mapping
	for _, f := range files {
		if !gen[f.GetName()] {
			continue
		}
		goPkg := f.GetOptions().GetGoPackage()
		impPath, _, _ := strings.Cut(goPkg, ";")
		var why string
		switch {
		case impPath == "":
			why = "has no go_package"
		case impPath == module || strings.HasPrefix(impPath, module+"/"):
			continue
		default:
			why = fmt.Sprintf("has go_package %q, outside module %s", impPath, module)
		}
		var dir string
		if impPath != "" {
			// The folder that the go_package names, with its parent when it
			// is a version ("billing/v1").
			elems := strings.Split(impPath, "/")
			dir = elems[len(elems)-1]
			if len(elems) > 1 && versionElem.MatchString(dir) {
				dir = elems[len(elems)-2] + "/" + dir
			}
		} else {
			dir = strings.ReplaceAll(f.GetPackage(), ".", "/")
			if dir == "" {
				dir = strings.TrimSuffix(path.Base(f.GetName()), ".proto")
			}
		}
		m := mapping{file: f.GetName(), importPath: module + "/" + dir, why: why}
		if impPath == "" {
			m.pkgName = packageName(dir)
		}
		out = append(out, m)
	}
	return out
}

// packageName returns the Go package name for a folder: its last element,
// joined to the one before when it is a version ("shop/v1" → "shopv1", as
// buf's managed mode names them), without characters Go does not allow.
func packageName(dir string) string {
	elems := strings.Split(dir, "/")
	name := elems[len(elems)-1]
	if len(elems) > 1 && versionElem.MatchString(name) {
		name = elems[len(elems)-2] + name
	}
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	s := b.String()
	if s == "" || unicode.IsDigit(rune(s[0])) {
		s = "pb" + s
	}
	return s
}

var versionElem = regexp.MustCompile(`^v[0-9]+((alpha|beta)[0-9]*)?$`)

// parameter is the plugin parameter that every plugin gets: import paths
// (so output names follow Go import paths), module= (so they land in the
// module's folders), and the M options.
func parameter(module string, ms []mapping) string {
	params := []string{"paths=import", "module=" + module}
	for _, m := range ms {
		params = append(params, m.option())
	}
	return strings.Join(params, ",")
}
