package scaffold

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
)

// importName returns the name of file relative to the first of importPaths
// that holds it, as protoc does with -I.
func importName(file string, importPaths []string) (string, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", err
	}
	for _, ip := range importPaths {
		ipAbs, err := filepath.Abs(ip)
		if err != nil {
			return "", err
		}
		rel, err := filepath.Rel(ipAbs, abs)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(rel), nil
		}
	}
	return "", fmt.Errorf("%s is in none of the import paths (-I) %s", file, strings.Join(importPaths, ", "))
}

// protosUnder returns the .proto files below root, as import names, sorted.
// Folders whose names start with "." are skipped.
func protosUnder(root string) ([]string, error) {
	var names []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != root && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".proto") {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(names)
	return names, err
}
