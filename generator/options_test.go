package generator

import "testing"

// TestParameterRoundTrip checks that the parameter of some options, read
// back over the default options, gives the same options.
func TestParameterRoundTrip(t *testing.T) {
	for _, want := range []Options{
		DefaultOptions(),
		{Out: "gen", Templates: "my templates", Scaffold: false, HTTP: false},
		{Out: ".", Templates: "", Scaffold: true, HTTP: false},
	} {
		param := want.Parameter()
		got := DefaultOptions()
		module, rest, err := parseParameter(param, &got)
		if err != nil {
			t.Errorf("%+v: parameter %q: %v", want, param, err)
			continue
		}
		if got.Out != want.Out || got.Templates != want.Templates || got.Scaffold != want.Scaffold || got.HTTP != want.HTTP || module != "" || rest != "" {
			t.Errorf("%+v: parameter %q reads back as %+v, module %q, rest %q", want, param, got, module, rest)
		}
	}
	if p := DefaultOptions().Parameter(); p != "" {
		t.Errorf("the default options' parameter is %q, want none", p)
	}
	if p := (Options{Out: ".", Templates: "t", Scaffold: true, HTTP: false}).Parameter(); p != "http=false,templates=t" {
		t.Errorf("parameter %q, want http=false,templates=t", p)
	}
}

// TestParseParameter checks how the plugin parameter is split between
// gotutor and protogen.
func TestParseParameter(t *testing.T) {
	opts := DefaultOptions()
	module, rest, err := parseParameter("paths=import,module=example.com/m,Ma.proto=example.com/m/a,http=false,scaffold", &opts)
	if err != nil {
		t.Fatal(err)
	}
	if module != "example.com/m" || rest != "paths=import,Ma.proto=example.com/m/a" || opts.HTTP || !opts.Scaffold {
		t.Errorf("module %q, rest %q, options %+v", module, rest, opts)
	}
	if _, _, err := parseParameter("module=example.com/m,paths=source_relative", &opts); err == nil {
		t.Error("module= with paths=source_relative: no error")
	}
}
