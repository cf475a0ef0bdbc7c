// Command gotutor makes a working Go gRPC module from a .proto file, with
// nothing but Go installed: no protoc, no plugins on PATH.
//
//	gotutor new PATH/TO/x.proto [-o DIR] [-module PATH] [-templates DIR] [-http=false] [-I DIR]...
//	gotutor gen [-C DIR] [-templates DIR]
//	gotutor version
//
// new makes DIR (by default the proto's base name) a Go module: go.mod,
// with grpc, protobuf and the three code generators pinned (the generators
// as tool dependencies); buf.yaml and buf.gen.yaml; the proto and its local
// imports under DIR/proto; and everything protoc-gen-go, protoc-gen-go-grpc
// and protoc-gen-gotutor generate from it. Then `go test ./...` passes in DIR
// and its server and client mains run. gen regenerates such a module from
// its protos: generated files are rewritten, those of services that are
// gone removed, and the files that are yours (servicers, mains, their tests)
// are never overwritten.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/gotutor/gotutor/generator"
	"github.com/gotutor/gotutor/internal/scaffold"
)

const usage = `gotutor makes a working Go gRPC module from a .proto file, with only Go installed.

Usage:
  gotutor new PATH/TO/x.proto [-o DIR] [-module PATH] [-templates DIR] [-http=false] [-I DIR]
      make the module DIR (default: the proto's base name), module path
      example.com/DIR unless -module; then cd DIR && go test ./...
      -o naming a gotutor module adds the proto to it
  gotutor gen [-C DIR] [-templates DIR]
      regenerate the module in DIR (default: .) from its protos under proto/;
      files that are yours (servicers, mains, their tests) are never overwritten;
      generated files of services that are gone are removed
  gotutor version
      print gotutor's version
`

const (
	newUsage = "usage: gotutor new PATH/TO/x.proto [-o DIR] [-module PATH] [-templates DIR] [-http=false] [-I DIR]"
	genUsage = "usage: gotutor gen [-C DIR] [-templates DIR]"
)

func main() {
	// On ^C the go commands that gotutor runs are stopped, and a module
	// being made is removed: nothing half-made is left.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs gotutor with args and returns its exit code: 0, 1 when the
// command failed, 2 when it was not understood.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	case "version", "-version", "--version":
		if len(args) > 1 {
			fmt.Fprintf(stderr, "gotutor version: unexpected argument %q\n", args[1])
			return 2
		}
		fmt.Fprintf(stdout, "gotutor %s\n", generator.Version())
		return 0
	case "new":
		return runNew(ctx, args[1:], stdout, stderr)
	case "gen":
		return runGen(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "gotutor: unknown command %q: the commands are new, gen and version (gotutor help)\n", args[0])
	return 2
}

func runNew(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o := scaffold.Options{Progress: stderr, Out: stdout}
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	fs.StringVar(&o.Dir, "o", "", "the module's folder (default: the proto's base name)")
	fs.StringVar(&o.Module, "module", "", "the module path (default: example.com/<folder name>)")
	fs.StringVar(&o.Templates, "templates", "", "a folder of *.tmpl files that replace built-in templates of the same name")
	http := fs.Bool("http", true, "serve gRPC-Web, Connect, REST and a web page beside gRPC on the server main's port; -http=false for plain grpc-go (gen keeps the choice)")
	fs.Func("I", "a folder that the proto's imports are relative to (repeatable; default: the proto's folder)", func(s string) error {
		o.ImportPaths = append(o.ImportPaths, s)
		return nil
	})
	positional, code := parse(fs, args, newUsage, stdout, stderr)
	if code >= 0 {
		return code
	}
	switch len(positional) {
	case 0:
		fmt.Fprintf(stderr, "gotutor new: which .proto file?\n%s\n", newUsage)
		return 2
	case 1:
		o.Proto = positional[0]
	default:
		fmt.Fprintf(stderr, "gotutor new: one .proto file, not %d (its imports are found and copied)\n%s\n", len(positional), newUsage)
		return 2
	}
	versions, err := scaffold.CurrentVersions()
	if err != nil {
		fmt.Fprintf(stderr, "gotutor: %v\n", err)
		return 1
	}
	o.Versions = versions
	o.HTTP = *http
	if err := scaffold.New(ctx, o); err != nil {
		fmt.Fprintf(stderr, "gotutor: %v\n", err)
		return 1
	}
	return 0
}

func runGen(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o := scaffold.Options{Progress: stderr, Out: stdout}
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.StringVar(&o.Dir, "C", "", "a folder of the module to regenerate (default: .)")
	fs.StringVar(&o.Templates, "templates", "", "a folder of *.tmpl files that replace built-in templates of the same name (default: buf.gen.yaml's templates= option)")
	positional, code := parse(fs, args, genUsage, stdout, stderr)
	if code >= 0 {
		return code
	}
	if len(positional) > 0 {
		fmt.Fprintf(stderr, "gotutor gen: unexpected argument %q: gen regenerates from the protos under the module's proto/ folder\n%s\n", positional[0], genUsage)
		return 2
	}
	if err := scaffold.Gen(ctx, o); err != nil {
		fmt.Fprintf(stderr, "gotutor: %v\n", err)
		return 1
	}
	return 0
}

// parse parses flags given before, after or between the positional
// arguments, and returns the positional ones. code is the exit code when
// the command must stop (help asked for, or a bad flag), else -1.
func parse(fs *flag.FlagSet, args []string, usageLine string, stdout, stderr io.Writer) (positional []string, code int) {
	fs.SetOutput(io.Discard)
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprintln(stdout, usageLine)
				fs.SetOutput(stdout)
				fs.PrintDefaults()
				return nil, 0
			}
			fmt.Fprintf(stderr, "gotutor %s: %v\n%s\n", fs.Name(), err, usageLine)
			return nil, 2
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, -1
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), -1
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}
