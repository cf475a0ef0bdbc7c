package generator

import (
	"fmt"
	"strings"

	"google.golang.org/protobuf/compiler/protogen"

	"github.com/gotutor/gotutor/internal/linked"
)

// checkLinked holds the request to what the generated code links: gotutor's
// runtime, grpc-go, connect-go, protovalidate and genproto register .proto
// files at start (package linked), and a program in which a second Go
// package registers a file of the same path, or a name of the same file,
// panics before main. So a file of the request that is such a file must
// get the Go package that is linked, and is not generated; a file that
// declares names of a linked file must be left to that file's package, if
// it declares them the same way, and is an error otherwise. Each error
// names the file and what fixes it.
func checkLinked(gen *protogen.Plugin) error {
	for _, f := range gen.Files {
		path := f.Desc.Path()
		if l, ok := linked.Lookup(path); ok {
			if string(f.GoImportPath) != l.GoPackage {
				return fmt.Errorf("%s would get Go package %s, but the generated code links %s, which registers %s too: the programs would panic at start (file already registered); pass --gotutor_opt=M%s=%s (and the same M to --go_opt and --go-grpc_opt), and leave it out of the files to generate",
					path, string(f.GoImportPath), l.GoPackage, path, path, l.GoPackage)
			}
			f.Generate = false // its Go package is there already
			continue
		}
		c := linked.Check(f.Desc)
		if c == nil {
			continue
		}
		if !c.Compatible || !c.Linked.Importable() {
			return fmt.Errorf("%s declares %s, which %s declares too, and the generated code links it (Go package %s): the programs would panic at start (name already registered); give %s another package, or import %s instead of it",
				path, proseList(c.Names), c.Linked.Desc.Path(), c.Linked.GoPackage, path, c.Linked.Desc.Path())
		}
		if string(f.GoImportPath) != c.Linked.GoPackage {
			return fmt.Errorf("%s declares %s, as %s does, which the generated code links (Go package %s): the programs would panic at start (name already registered); pass --gotutor_opt=M%s=%s (and the same M to --go_opt and --go-grpc_opt) and leave it out of the files to generate, or give it another package",
				path, proseList(c.Names), c.Linked.Desc.Path(), c.Linked.GoPackage, path, c.Linked.GoPackage)
		}
		f.Generate = false // the linked package serves for it
	}
	return nil
}

// proseList lists names in prose: "a", "a and b", "a, b and c", up to five
// and then how many more.
func proseList(names []string) string {
	if len(names) > 5 {
		names = append(names[:5:5], fmt.Sprintf("%d more", len(names)-5))
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
