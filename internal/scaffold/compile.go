package scaffold

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/bufbuild/protocompile"
	"github.com/bufbuild/protocompile/reporter"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/gotutor/gotutor/internal/protoreq"
)

// compiled is a compiled set of .proto files.
type compiled struct {
	// req lists the files to generate and everything they import; its
	// parameter is empty (each plugin gets its own, see parameter).
	req *pluginpb.CodeGeneratorRequest
	// local holds the content of every file of req that was read from an
	// import path (or the overlay), by its import name ("greet/greet.proto"):
	// the files to copy and generate. Standard imports that protocompile
	// provides itself (google/protobuf/*.proto) are not in it.
	local map[string][]byte
}

// compile compiles files, named relative to importPaths (the first one that
// has the file wins, as with protoc's -I), reading overlay[path] instead of
// the file system where it has the path. Errors in a .proto read
// "PATH:LINE:COL: message", PATH being where the file is on disk (joined to
// its import path), so that an editor can open it.
func compile(ctx context.Context, importPaths, files []string, overlay map[string][]byte) (*compiled, error) {
	var mu sync.Mutex
	read := map[string][]byte{} // path on disk → content, for every file read
	accessor := func(p string) (io.ReadCloser, error) {
		data, ok := overlay[p]
		if !ok {
			var err error
			data, err = os.ReadFile(p)
			if err != nil {
				return nil, err
			}
		}
		mu.Lock()
		read[p] = data
		mu.Unlock()
		return io.NopCloser(bytes.NewReader(data)), nil
	}
	c := protocompile.Compiler{
		Resolver:       protocompile.WithStandardImports(&protocompile.SourceResolver{ImportPaths: importPaths, Accessor: accessor}),
		SourceInfoMode: protocompile.SourceInfoStandard,
	}
	linked, err := c.Compile(ctx, files...)
	if err != nil {
		var pos reporter.ErrorWithPos
		if errors.As(err, &pos) {
			p := pos.GetPosition()
			name := p.Filename
			for _, ip := range importPaths {
				if _, ok := read[filepath.Join(ip, name)]; ok {
					name = filepath.Join(ip, name)
					break
				}
			}
			msg := pos.Unwrap()
			if errors.Is(msg, fs.ErrNotExist) {
				var pe *fs.PathError
				if errors.As(msg, &pe) {
					// The file of an import, not found in any import path.
					rel := pe.Path
					for _, ip := range importPaths {
						if r, err := filepath.Rel(ip, pe.Path); err == nil && !strings.HasPrefix(r, "..") {
							rel = filepath.ToSlash(r)
							break
						}
					}
					msg = fmt.Errorf("import %q not found in %s (add the folder it is relative to with -I)", rel, strings.Join(importPaths, ", "))
				}
			}
			return nil, fmt.Errorf("%s:%d:%d: %v", name, p.Line, p.Col, msg)
		}
		return nil, err
	}
	descs := make([]protoreflect.FileDescriptor, len(linked))
	for i, f := range linked {
		descs[i] = f
	}
	req := protoreq.Request(descs, files, "")
	local := map[string][]byte{}
	for _, f := range req.GetProtoFile() {
		for _, ip := range importPaths {
			if data, ok := read[filepath.Join(ip, f.GetName())]; ok {
				local[f.GetName()] = data
				break
			}
		}
	}
	return &compiled{req: req, local: local}, nil
}

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
