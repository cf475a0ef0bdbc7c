package generator

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The package is meant to be read top-down: each file builds on files
// below it and never on one that builds on it, and no function is longer
// than a screen or two. These tests hold it to that.

// maxFuncLines is the longest a function of the package may be, from its
// func keyword to its closing brace.
const maxFuncLines = 80

// parsePackage parses the non-test Go files of the package, with the
// parser's object resolution: an identifier that the file does not declare
// is left unresolved, so the names a file takes from its siblings are the
// unresolved ones that a sibling declares.
func parsePackage(t *testing.T) (*token.FileSet, map[string]*ast.File) {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = f
	}
	return fset, files
}

// fileDependencies returns, for each file, the files whose top-level
// names it uses (the receiver types of its methods included), with one of
// those names for each.
func fileDependencies(files map[string]*ast.File) map[string]map[string]string {
	declaredIn := map[string]string{} // top-level name → file
	for name, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					declaredIn[d.Name.Name] = name
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						declaredIn[s.Name.Name] = name
					case *ast.ValueSpec:
						for _, id := range s.Names {
							declaredIn[id.Name] = name
						}
					}
				}
			}
		}
	}
	deps := map[string]map[string]string{}
	for name, f := range files {
		deps[name] = map[string]string{}
		for _, id := range f.Unresolved {
			if from, ok := declaredIn[id.Name]; ok && from != name {
				deps[name][from] = id.Name
			}
		}
	}
	return deps
}

// TestNoMutualFileDependencies checks that no two files of the package use
// each other's top-level names: one of them must come first.
func TestNoMutualFileDependencies(t *testing.T) {
	_, files := parsePackage(t)
	deps := fileDependencies(files)
	var pairs []string
	for a, uses := range deps {
		for b, name := range uses {
			if back, ok := deps[b][a]; ok && a < b {
				pairs = append(pairs, fmt.Sprintf("%s uses %s of %s, which uses %s of %s", a, name, b, back, a))
			}
		}
	}
	sort.Strings(pairs)
	for _, p := range pairs {
		t.Error(p)
	}
}

// TestFunctionLength checks that no function of the package runs over
// maxFuncLines lines.
func TestFunctionLength(t *testing.T) {
	fset, files := parsePackage(t)
	for name, f := range files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			lines := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
			if lines > maxFuncLines {
				t.Errorf("%s: %s is %d lines long; split it to at most %d", name, funcName(fn), lines, maxFuncLines)
			}
		}
	}
}

// funcName is fn's name, with its receiver's type for a method.
func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	recv := fn.Recv.List[0].Type
	if star, ok := recv.(*ast.StarExpr); ok {
		recv = star.X
	}
	if index, ok := recv.(*ast.IndexExpr); ok {
		recv = index.X
	}
	if id, ok := recv.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}
