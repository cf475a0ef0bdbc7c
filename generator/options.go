package generator

import (
	"flag"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Options are the plugin's own parameters, given to protoc as
// --gotutor_opt=name=value (or after the colon of --gotutor_out).
// protogen handles the standard ones (paths, module, M...) itself.
type Options struct {
	// Out is the directory that protoc writes into, relative to the working
	// directory. The plugin looks there to decide whether a user-owned file
	// already exists; it never overwrites one that does.
	Out string
	// Templates is a directory of *.tmpl files parsed after the built-in
	// templates: a {{define}} with the name of a built-in one replaces it.
	Templates string
	// Scaffold, when false, emits only the generated files and none of the
	// user-owned ones (servicer, mains, user tests).
	Scaffold bool
	// HTTP, when true (the default), makes the server main serve gRPC-Web,
	// Connect and REST (google.api.http rules) beside gRPC on its one port,
	// with a web page to try each method; false keeps plain grpc-go.
	HTTP bool

	// Exists reports whether a user-owned file (named relative to Out)
	// already exists, so is not emitted. Nil looks on disk below Out. Not
	// a plugin option: programs that run the generator in-process set it
	// (gotutor gen, to list the files it keeps). It may be called from
	// several goroutines.
	Exists func(name string) bool
	// Warn reports what the user should know but does not stop generation
	// (methods their servicer does not define yet). Nil writes each on
	// stderr, after "protoc-gen-gotutor: ". Called in a fixed order.
	Warn func(msg string)
}

// DefaultOptions returns the options in effect when none is given.
func DefaultOptions() Options {
	return Options{Out: ".", Scaffold: true, HTTP: true}
}

// FlagSet returns a flag.FlagSet bound to opts, with one flag per option.
func (opts *Options) FlagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("protoc-gen-gotutor", flag.ContinueOnError)
	fs.StringVar(&opts.Out, "out", opts.Out, "the directory protoc writes to (--gotutor_out), where user-owned files are looked for")
	fs.StringVar(&opts.Templates, "templates", opts.Templates, "a directory of *.tmpl files that replace built-in templates of the same name")
	fs.BoolVar(&opts.Scaffold, "scaffold", opts.Scaffold, "emit the user-owned files (servicer, mains, tests) when they do not exist yet")
	fs.BoolVar(&opts.HTTP, "http", opts.HTTP, "serve gRPC-Web, Connect and REST beside gRPC on the server main's port, with a web page; false: plain grpc-go")
	return fs
}

// ParamFunc returns a function for protogen.Options.ParamFunc that sets the
// options of fs and names the option in every error.
func ParamFunc(fs *flag.FlagSet) func(name, value string) error {
	return func(name, value string) error {
		f := fs.Lookup(name)
		if f == nil {
			var known []string
			fs.VisitAll(func(f *flag.Flag) { known = append(known, f.Name) })
			sort.Strings(known)
			return fmt.Errorf("unknown option %q (gotutor's options are %s; protogen's are paths, module, M, annotate_code, default_api_level, apilevelM)", name, strings.Join(known, ", "))
		}
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
			if value == "" {
				value = "true"
			}
			if _, err := strconv.ParseBool(value); err != nil {
				return fmt.Errorf("option %s=%s: want true or false", name, value)
			}
		} else if value == "" {
			return fmt.Errorf("option %s needs a value (%s=DIR)", name, name)
		}
		if err := fs.Set(name, value); err != nil {
			return fmt.Errorf("option %s=%s: %v", name, value, err)
		}
		return nil
	}
}
