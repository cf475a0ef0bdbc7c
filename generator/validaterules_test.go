package generator

import (
	"strconv"
	"strings"
	"testing"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// TestWellKnownStrings checks every canned value of a string format, and the
// values spliced to a prefix or suffix, with protovalidate.
func TestWellKnownStrings(t *testing.T) {
	formats := map[string]bool{}
	for name := range wellKnownStrings {
		if !strings.HasPrefix(name, "bytes:") {
			formats[name] = true
		}
	}
	for name := range moreWellKnownStrings {
		formats[name] = true
	}
	for name := range formats {
		rules := formatRules(t, name)
		meets := stringChecker(rules)
		if bad := "\x00 <bad>"; meets(bad) {
			t.Errorf("%s: %q passes: the check cannot fail", name, bad)
		}
		values := append([]string{wellKnownStrings[name]}, moreWellKnownStrings[name]...)
		for _, v := range values {
			if !meets(v) {
				t.Errorf("%s: %q is not valid", name, v)
			}
		}
		// Every value of the list takes a turn as the first.
		seen := map[string]bool{}
		for i := range values {
			s, ok := stringFor(rules, "base", i)
			if !ok || !meets(s) {
				t.Errorf("%s: element %d: %q, %v; want a valid value", name, i, s, ok)
			}
			seen[s] = true
		}
		if len(seen) != len(values) {
			t.Errorf("%s: %d elements took %d values; want all different", name, len(values), len(seen))
		}
	}
}

// TestSplicedFormats checks the values that a format with a prefix or
// suffix rule gets.
func TestSplicedFormats(t *testing.T) {
	cases := []struct {
		format, prefix, suffix string
		maxLen                 uint64
		want                   string
	}{
		{"ipv4_with_prefixlen", "10.1.2.3/", "", 15, "10.1.2.3/24"},
		{"uri", "", ":user@example.com", 0, "mailto:user@example.com"},
		{"uri", "", "/x:user@example.com", 0, "https://example.com/path/x:user@example.com"},
		{"ip", "2001:db8::", ":1", 0, "2001:db8::1"},
		{"ipv4", "10.", ".7", 0, "10.192.0.7"},
		{"hostname", "api.", "", 0, "api.example.com"},
	}
	for _, c := range cases {
		rules := formatRules(t, c.format)
		if c.prefix != "" {
			rules.SetPrefix(c.prefix)
		}
		if c.suffix != "" {
			rules.SetSuffix(c.suffix)
		}
		if c.maxLen > 0 {
			rules.SetMaxLen(c.maxLen)
		}
		got, ok := stringFor(rules, "base", 0)
		if got != c.want || !ok {
			t.Errorf("%s with prefix %q, suffix %q: %q, %v; want %q, true", c.format, c.prefix, c.suffix, got, ok, c.want)
		}
		if !stringChecker(rules)(got) {
			t.Errorf("%s: protovalidate rejects %q", c.format, got)
		}
	}
}

// formatRules returns string rules that ask for the format name, as
// wellKnownStrings names it ("well_known_regex:1" for a header name).
func formatRules(t *testing.T, name string) *validate.StringRules {
	t.Helper()
	rules := &validate.StringRules{}
	rm := rules.ProtoReflect()
	field, num, _ := strings.Cut(name, ":")
	fd := rm.Descriptor().Fields().ByName(protoreflect.Name(field))
	if fd == nil {
		t.Fatalf("%s: not a field of StringRules", name)
	}
	if num == "" {
		rm.Set(fd, protoreflect.ValueOfBool(true))
		return rules
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		t.Fatal(err)
	}
	rm.Set(fd, protoreflect.ValueOfEnum(protoreflect.EnumNumber(n)))
	return rules
}

// TestAnyRules checks the examples of Any fields with any.in and
// any.not_in: each validates.
func TestAnyRules(t *testing.T) {
	gen := compileOne(t, `syntax = "proto3";
package x;
option go_package = "example.com/x";
import "buf/validate/validate.proto";
import "google/protobuf/any.proto";
message M {
  google.protobuf.Any in = 1 [(buf.validate.field).any.in = "type.googleapis.com/google.protobuf.Int32Value"];
  google.protobuf.Any in_string = 2 [(buf.validate.field).any = {in: ["type.googleapis.com/x.M", "type.googleapis.com/google.protobuf.StringValue"]}];
  google.protobuf.Any not_in = 3 [(buf.validate.field).any.not_in = "type.googleapis.com/google.protobuf.StringValue"];
  repeated google.protobuf.Any items = 4 [(buf.validate.field).repeated.items.any.in = "type.googleapis.com/x.M"];
}
`)
	b := &exampleBuilder{}
	built, err := b.example(gen.FilesByPath["x.proto"].Messages[0], true)
	if err != nil {
		t.Fatal(err)
	}
	if !built.valid {
		t.Errorf("the example breaks its rules: %v %s", built.violations, built.checkError)
	}
	if got, want := jsonOf(built.value.dynamic()), "x.M"; !strings.Contains(built.value.dynamic().String(), want) {
		t.Errorf("the example lacks %s: %s", want, got)
	}
}
