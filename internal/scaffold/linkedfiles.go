package scaffold

import (
	"fmt"
	"strings"

	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/gotutor/gotutor/internal/linked"
)

// linkedUse is what a run does with the files that the generated code's own
// dependencies register (package linked): it generates nothing for them and
// uses the Go package that is linked, since a program that registers a file
// twice, or a name twice, panics at start.
type linkedUse struct {
	// generate are the files to generate, without those.
	generate []string
	// mappings are the M options that point the others' Go code at the
	// linked packages, where their go_package does not already.
	mappings []mapping
	// notes say, one line each, which files of the module are left to the
	// linked packages.
	notes []string
	// left are those files, which buf generate must not generate either.
	left []string
}

// useLinked sorts out the files of the request, among which generate are
// the module's own: a file of the same path as a linked one, or that
// declares what a linked file declares and nothing else, the same way (a
// partial copy under another name, as qdrant's health_check.proto is of
// grpc's health.proto), is left to the linked Go package; a file that
// declares some names of a linked file otherwise is an error, since no
// program could link both.
func useLinked(files []*descriptorpb.FileDescriptorProto, generate []string) (linkedUse, error) {
	var u linkedUse
	gen := map[string]bool{}
	for _, name := range generate {
		gen[name] = true
	}
	reg, err := protodesc.NewFiles(&descriptorpb.FileDescriptorSet{File: files})
	if err != nil {
		return u, err
	}
	left := map[string]bool{}
	for _, f := range files {
		name := f.GetName()
		goPkg, _, _ := strings.Cut(f.GetOptions().GetGoPackage(), ";")
		if l, ok := linked.Lookup(name); ok {
			if !gen[name] {
				continue // a built-in import, or one that the module does not hold
			}
			left[name] = true
			if goPkg != l.GoPackage {
				u.mappings = append(u.mappings, mapping{file: name, importPath: l.GoPackage, linked: true})
			}
			u.notes = append(u.notes, fmt.Sprintf("%s is linked into every server already (Go package %s): gotutor generates nothing for it and uses that package", name, l.GoPackage))
			continue
		}
		fd, err := reg.FindFileByPath(name)
		if err != nil {
			return u, err
		}
		c := linked.Check(fd)
		if c == nil {
			continue
		}
		if !c.Compatible || !c.Linked.Importable() {
			return u, fmt.Errorf("%s declares %s, which %s declares too (Go package %s, which every server links): a program with both panics at start (\"already registered\"); give %s another package, or import %s instead of it",
				name, names(c.Names), c.Linked.Desc.Path(), c.Linked.GoPackage, name, c.Linked.Desc.Path())
		}
		left[name] = true
		m := mapping{file: name, importPath: c.Linked.GoPackage, linked: true}
		if goPkg != c.Linked.GoPackage {
			u.mappings = append(u.mappings, m)
		}
		u.notes = append(u.notes, fmt.Sprintf("%s declares %s as %s does, which every server links already (Go package %s): gotutor generates nothing for it and uses that package (option %s in buf.gen.yaml)",
			name, names(c.Names), c.Linked.Desc.Path(), c.Linked.GoPackage, m.option()))
	}
	for _, name := range generate {
		if left[name] {
			u.left = append(u.left, name)
		} else {
			u.generate = append(u.generate, name)
		}
	}
	return u, nil
}

// names lists names in prose: "a", "a and b", "a, b and c", up to five.
func names(list []string) string {
	if len(list) > 5 {
		list = append(list[:5:5], fmt.Sprintf("%d more", len(list)-5))
	}
	if len(list) == 1 {
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " and " + list[len(list)-1]
}
