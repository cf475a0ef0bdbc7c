package generator

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
)

// Options are the plugin's own parameters, given to protoc as
// --gotutor_opt=name=value (or after the colon of --gotutor_out), and what
// programs that run the generator in-process supply besides. protogen
// handles the standard parameters (paths, M...) itself.
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
	// ReadFile reads a user-owned file (named relative to Out), which the
	// generated code follows: the servicer, whose methods the default
	// servicer no longer answers once written, and the server main. Nil
	// reads on disk below Out. Not a plugin option: programs that run the
	// generator in-process may supply the files. It may be called from
	// several goroutines.
	ReadFile func(name string) ([]byte, error)
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

// Parameter returns opts as the plugin parameter that sets them over
// DefaultOptions: name=value for each option of FlagSet whose value is not
// its default, in FlagSet's order of names ("http=false,templates=tmpl"),
// "" when every one is. It is what --gotutor_opt or buf.gen.yaml's opt
// give the plugin, and what Respond reads back from a request. Exists,
// ReadFile and Warn are not plugin options, and are left out. A value
// cannot hold a comma, which separates the options.
func (opts Options) Parameter() string {
	defaults := DefaultOptions()
	def := defaults.FlagSet()
	var params []string
	opts.FlagSet().VisitAll(func(f *flag.Flag) {
		if v := f.Value.String(); v != def.Lookup(f.Name).Value.String() {
			params = append(params, f.Name+"="+v)
		}
	})
	return strings.Join(params, ",")
}

// parseParameter reads the plugin parameter, options separated by commas.
// gotutor's own, those of FlagSet, are set on opts. module= is gotutor's
// too: protogen cuts it from the names of the files it writes itself, and
// gotutor writes its own, so gotutor cuts it (see outputPrefix). The rest,
// protogen's options (paths=, M..., ...), is returned for protogen.
func parseParameter(param string, opts *Options) (module, rest string, err error) {
	fs := opts.FlagSet()
	var forProtogen []string
	sourceRelative := false
	for _, p := range strings.Split(param, ",") {
		name, value, _ := strings.Cut(p, "=")
		switch {
		case name == "module":
			module = value
		case fs.Lookup(name) != nil:
			if err := setOption(fs, name, value); err != nil {
				return "", "", err
			}
		default:
			if name == "paths" {
				sourceRelative = value == "source_relative"
			}
			forProtogen = append(forProtogen, p)
		}
	}
	if module != "" && sourceRelative {
		// File names follow the .proto files, not Go import paths.
		return "", "", errors.New("cannot use module= with paths=source_relative")
	}
	return module, strings.Join(forProtogen, ","), nil
}

// setOption sets the option name of fs to value, with an error that names
// the option.
func setOption(fs *flag.FlagSet, name, value string) error {
	f := fs.Lookup(name)
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

// unknownOption returns protogen's ParamFunc, which protogen calls with
// the options that it does not know: parseParameter has taken gotutor's,
// so the option is nobody's.
func unknownOption(fs *flag.FlagSet) func(name, value string) error {
	return func(name, _ string) error {
		var known []string
		fs.VisitAll(func(f *flag.Flag) { known = append(known, f.Name) })
		return fmt.Errorf("unknown option %q (gotutor's options are %s; protogen's are paths, module, M, annotate_code, default_api_level, apilevelM)", name, strings.Join(known, ", "))
	}
}
