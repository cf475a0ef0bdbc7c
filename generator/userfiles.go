package generator

import (
	"go/ast"
	"go/parser"
	"go/token"
)

// What the model takes from the user's own files, the ones gotutor
// scaffolds once and never overwrites: which methods a servicer defines,
// and whether a server main calls the plumbing of its generated file.

// definedMethods returns the names of the methods that the type recv
// declares in src, the Go source of the file name; an error when src does
// not parse.
func definedMethods(name string, src []byte, recv string) (map[string]bool, error) {
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	defined := map[string]bool{}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv == nil || len(fn.Recv.List) != 1 {
			continue
		}
		typ := fn.Recv.List[0].Type
		if star, ok := typ.(*ast.StarExpr); ok {
			typ = star.X
		}
		if id, ok := typ.(*ast.Ident); ok && id.Name == recv {
			defined[fn.Name.Name] = true
		}
	}
	return defined, nil
}

// usesServerConfig reports whether src, the Go source of a server main's
// main.go (the file name), uses the type serverConfig without declaring
// it. Such a main predates the runtime package (serve), when its generated
// server_gotutor.go declared serverConfig: server_legacy_gotutor.go then
// declares it over the runtime, so that the main still builds.
func usesServerConfig(name string, src []byte) bool {
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
