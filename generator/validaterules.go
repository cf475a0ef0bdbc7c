package generator

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
)

// buf.validate rules (buf/validate/validate.proto), as protovalidate
// applies them: reading the rules of a field or a message, picking values
// that meet them, and breaking them on purpose, for the tests of
// validation.
//
// Each picker of a value tries candidates in order of preference (the
// rule's own example values, const, in, a well-known format, a value made
// from the pattern, then the default value adjusted to the bounds) and
// returns the first that meets every rule it can check; ok is false when
// none does. The example as a whole is then checked by protovalidate itself
// (see exampleBuilder.verify), which also judges the rules written in CEL.

// fieldRules returns f's buf.validate rules, nil when it has none or they
// are ignored always.
func fieldRules(f *protogen.Field) *validate.FieldRules {
	if !hasExtension(f.Desc.Options(), validate.E_Field) {
		return nil
	}
	r, err := protovalidate.ResolveFieldRules(f.Desc)
	if err != nil || r == nil || r.GetIgnore() == validate.Ignore_IGNORE_ALWAYS {
		return nil
	}
	return r
}

// checkRules checks m with the protovalidate validator v, which panics on
// some rules (items of wrappers, in v1.4.0): a panic is returned as an
// error, so that the plugin goes on.
func checkRules(v protovalidate.Validator, m proto.Message) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("protovalidate panicked: %v", r)
		}
	}()
	return v.Validate(m)
}

// messageOneofGroups are the oneof rules of buf.validate on a message:
// groups of fields of which at most one may be set (message-level oneof
// rules), those of which one must be, and the oneofs that must hold a
// member.
type messageOneofGroups struct {
	of            map[protoreflect.Name]int // field name → group
	required      map[int]bool
	requiredOneof map[*protogen.Oneof]bool
	members       map[int][]*protogen.Field // fields of each group and oneof (oneofs as -1-index)
	rules         bool                      // the message has buf.validate rules of its own
}

// scalarMember reports whether f's required oneof or group has a member
// that is not a message, which an example past its limits can set instead.
func (g messageOneofGroups) scalarMember(f *protogen.Field) bool {
	var members []*protogen.Field
	if f.Oneof != nil && g.requiredOneof[f.Oneof] {
		members = f.Oneof.Fields
	} else if i, ok := g.of[f.Desc.Name()]; ok {
		members = g.members[i]
	}
	for _, m := range members {
		if m.Message == nil && !m.Desc.IsList() && !m.Desc.IsMap() {
			return true
		}
	}
	return false
}

func messageOneofs(msg *protogen.Message) messageOneofGroups {
	g := messageOneofGroups{}
	for _, o := range msg.Oneofs {
		if o.Desc.IsSynthetic() {
			continue
		}
		if hasExtension(o.Desc.Options(), validate.E_Oneof) {
			if r, err := protovalidate.ResolveOneofRules(o.Desc); err == nil && r.GetRequired() {
				if g.requiredOneof == nil {
					g.requiredOneof = map[*protogen.Oneof]bool{}
				}
				g.requiredOneof[o] = true
				g.rules = true
			}
		}
	}
	if !hasExtension(msg.Desc.Options(), validate.E_Message) {
		return g
	}
	g.of, g.required, g.members = map[protoreflect.Name]int{}, map[int]bool{}, map[int][]*protogen.Field{}
	rules, err := protovalidate.ResolveMessageRules(msg.Desc)
	if err != nil || rules == nil {
		return g
	}
	g.rules = true
	for i, o := range rules.GetOneof() {
		g.required[i] = o.GetRequired()
		for _, name := range o.GetFields() {
			g.of[protoreflect.Name(name)] = i
			for _, f := range msg.Fields {
				if string(f.Desc.Name()) == name {
					g.members[i] = append(g.members[i], f)
				}
			}
		}
	}
	return g
}

// clockRule returns the name of a field's buf.validate rule that compares
// with the clock ("lt_now", "gt_now", "within", with its duration), which
// no fixed value can meet for long; "" when its rules have none.
func clockRule(rules *validate.FieldRules) (string, time.Duration) {
	t := rules.GetTimestamp()
	switch {
	case t == nil:
		return "", 0
	case t.GetLtNow():
		return "lt_now", 0
	case t.GetGtNow():
		return "gt_now", 0
	case t.HasWithin():
		return "within", t.GetWithin().AsDuration()
	}
	return "", 0
}

// wellKnownStrings are valid examples of the string formats.
var wellKnownStrings = map[string]string{
	"email":                "user@example.com",
	"hostname":             "example.com",
	"ip":                   "192.0.2.1",
	"ipv4":                 "192.0.2.1",
	"ipv6":                 "2001:db8::1",
	"uri":                  "https://example.com/path",
	"uri_ref":              "/path",
	"address":              "example.com",
	"uuid":                 "123e4567-e89b-42d3-a456-426614174000",
	"tuuid":                "123e4567e89b42d3a456426614174000",
	"ip_with_prefixlen":    "192.0.2.1/24",
	"ipv4_with_prefixlen":  "192.0.2.1/24",
	"ipv6_with_prefixlen":  "2001:db8::1/64",
	"ip_prefix":            "192.0.2.0/24",
	"ipv4_prefix":          "192.0.2.0/24",
	"ipv6_prefix":          "2001:db8::/32",
	"host_and_port":        "example.com:8080",
	"ulid":                 "01ARZ3NDEKTSV4RRFFQ69G5FAV",
	"protobuf_fqn":         "example.v1.Thing",
	"protobuf_dot_fqn":     ".example.v1.Thing",
	"well_known_regex:1":   "x-example", // HTTP_HEADER_NAME
	"well_known_regex:2":   "example",   // HTTP_HEADER_VALUE
	"bytes:ip":             "\xc0\x00\x02\x01",
	"bytes:ipv4":           "\xc0\x00\x02\x01",
	"bytes:ipv6":           "\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01",
	"bytes:uuid":           "\x12\x3e\x45\x67\xe8\x9b\x42\xd3\xa4\x56\x42\x66\x14\x17\x40\x00",
	"bytes:ipv4_prefixlen": "",
}

// moreWellKnownStrings are other valid values of the formats, of other
// lengths and first octets, for fields that add length or affix rules to
// the format, and for lists and map keys whose values must differ; tried
// after the canned one, from the i-th on for the i-th element of a list.
var moreWellKnownStrings = map[string][]string{
	"email":               {"admin@example.org", "a.b@example.net", "x@example.com"},
	"hostname":            {"api.example.com", "example.org", "a.example.net"},
	"address":             {"example.org", "192.0.2.10", "2001:db8::2"},
	"uri":                 {"https://example.com", "https://example.org/a", "http://example.net/b?c=1", "urn:example:1", "mailto:user@example.com"},
	"uri_ref":             {"/other", "a/b", "https://example.com/x"},
	"uuid":                {"9b2f3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "00112233-4455-4677-8899-aabbccddeeff"},
	"tuuid":               {"9b2f3c4d5e6f4a7b8c9d0e1f2a3b4c5d", "00112233445546778899aabbccddeeff"},
	"host_and_port":       {"example.org:443", "192.0.2.1:80", "[2001:db8::1]:8080"},
	"ulid":                {"01BX5ZZKBKACTAV9WEVGEMMVRZ", "01H8XGJWBWBAQ4ZK6Z8Z9QW3Y5"},
	"protobuf_fqn":        {"example.v1.Other", "acme.Thing"},
	"protobuf_dot_fqn":    {".example.v1.Other", ".acme.Thing"},
	"well_known_regex:1":  {"x-other", "content-type"},
	"well_known_regex:2":  {"other", "text/plain"},
	"ip":                  {"10.0.0.1", "172.16.0.1", "198.51.100.10", "203.0.113.254", "192.168.100.200", "::1", "2001:db8::1", "2001:db8:85a3::8a2e:370:7334"},
	"ipv4":                {"10.0.0.1", "172.16.0.1", "198.51.100.10", "203.0.113.254", "192.168.100.200", "127.0.0.1"},
	"ipv6":                {"::1", "fe80::1", "2001:db8:1::1", "2001:db8:85a3::8a2e:370:7334", "2001:db8:0:0:0:0:0:1", "2001:0db8:0000:0000:0000:0000:0000:0001"},
	"ip_prefix":           {"10.0.0.0/8", "172.16.0.0/12", "198.51.100.0/24", "192.168.100.0/22", "2001:db8::/32", "2001:db8:abcd:12::/64", "::/0"},
	"ipv4_prefix":         {"10.0.0.0/8", "172.16.0.0/12", "198.51.100.0/24", "192.168.100.0/22", "203.0.113.0/24"},
	"ipv6_prefix":         {"fe80::/10", "2001:db8:1::/48", "2001:db8:abcd::/48", "2001:db8:abcd:12::/64", "2001:0db8:0000:0000::/64", "::/0"},
	"ip_with_prefixlen":   {"10.0.0.1/8", "172.16.0.1/12", "198.51.100.10/24", "192.168.100.200/22", "2001:db8::1/64", "::1/128"},
	"ipv4_with_prefixlen": {"10.0.0.1/8", "172.16.0.1/12", "198.51.100.10/24", "192.168.100.200/22", "203.0.113.254/24"},
	"ipv6_with_prefixlen": {"fe80::1/10", "2001:db8:1::1/48", "2001:db8:abcd::1/48", "2001:db8:abcd:12::1/64", "::1/128", "::/0"},
}

// moreWellKnownBytes are the addresses of moreWellKnownStrings as bytes,
// for the bytes formats ip, ipv4 and ipv6.
var moreWellKnownBytes = func() map[string][][]byte {
	out := map[string][][]byte{}
	for _, name := range []string{"ip", "ipv4", "ipv6"} {
		for _, s := range moreWellKnownStrings[name] {
			out[name] = append(out[name], netip.MustParseAddr(s).AsSlice())
		}
	}
	return out
}()

// stringFor returns a string that meets r; i numbers the elements of a
// list, which should differ.
func stringFor(r *validate.StringRules, base string, i int) (string, bool) {
	candidates := listed(i, r.GetExample(), r.HasConst(), r.GetConst(), r.GetIn())
	var splicedFrom, splicedTo int
	if wk := r.ProtoReflect().WhichOneof(r.ProtoReflect().Descriptor().Oneofs().ByName("well_known")); wk != nil {
		name := string(wk.Name())
		if name == "well_known_regex" {
			name += ":" + strconv.Itoa(int(r.GetWellKnownRegex()))
		}
		if s, ok := wellKnownStrings[name]; ok {
			// The i-th element of a list starts at the i-th value.
			all := rotate(append([]string{s}, moreWellKnownStrings[name]...), i)
			candidates = append(candidates, all[0])
			// Longer, where a length rule wants it, as the format allows.
			if need := int(max(r.GetMinLen(), r.GetLen(), r.GetMinBytes(), r.GetLenBytes())) - len(all[0]); need > 0 {
				if padded, ok := padFormat(name, all[0], need); ok {
					candidates = append(candidates, padded)
				}
			}
			candidates = append(candidates, all[1:]...)
			// Spliced values may not be valid: protovalidate checks them.
			splicedFrom = len(candidates)
			candidates = append(candidates, spliced(all, r.GetPrefix(), r.GetSuffix())...)
			splicedTo = len(candidates)
		}
	}
	if i > 0 {
		// A list element's number goes first, where a cut to the length
		// rules keeps it, so that elements differ.
		base = strconv.Itoa(i+1) + base
	}
	shaped := shape(base, r.GetPrefix(), r.GetContains(), r.GetSuffix(), lengths{
		min: int(r.GetMinLen()), max: int(r.GetMaxLen()), exact: int(r.GetLen()),
		minBytes: int(r.GetMinBytes()), maxBytes: int(r.GetMaxBytes()), exactBytes: int(r.GetLenBytes()),
		hasMax: r.HasMaxLen(), hasMaxBytes: r.HasMaxBytes(), hasExact: r.HasLen(), hasExactBytes: r.HasLenBytes(),
	})
	if r.HasPattern() {
		candidates = append(candidates, fromPattern(r.GetPattern(), r.GetPrefix(), r.GetSuffix(), int(max(r.GetMinLen(), r.GetLen(), r.GetMinBytes(), r.GetLenBytes())), i)...)
	}
	candidates = append(candidates, shaped, base)
	if nc := r.GetNotContains(); nc != "" {
		// Field names hold underscores, a common thing to forbid.
		for _, c := range []string{shaped, base} {
			candidates = append(candidates, strings.ReplaceAll(c, nc, ""), strings.ReplaceAll(c, nc, "-"))
		}
	}
	var meetsAll func(string) bool
	for k, c := range candidates {
		for _, v := range avoiding(c, r.GetNotIn()) {
			if !stringMeets(r, v) {
				continue
			}
			if k >= splicedFrom && k < splicedTo {
				if meetsAll == nil {
					meetsAll = stringChecker(r)
				}
				if !meetsAll(v) {
					continue
				}
			}
			return v, true
		}
	}
	return shaped, false
}

// stringChecker returns a check of a string against all of r, its format
// included, by protovalidate on a message whose one field carries r.
func stringChecker(r *validate.StringRules) func(string) bool {
	opts := &descriptorpb.FieldOptions{}
	proto.SetExtension(opts, validate.E_Field, validate.FieldRules_builder{String: r}.Build())
	file, err := protodesc.NewFile(&descriptorpb.FileDescriptorProto{
		Name:       proto.String("gotutor/string_check.proto"),
		Package:    proto.String("gotutor.check"),
		Syntax:     proto.String("proto3"),
		Dependency: []string{validate.File_buf_validate_validate_proto.Path()},
		MessageType: []*descriptorpb.DescriptorProto{{
			Name: proto.String("Check"),
			Field: []*descriptorpb.FieldDescriptorProto{{
				Name: proto.String("s"), JsonName: proto.String("s"), Number: proto.Int32(1),
				Type:    descriptorpb.FieldDescriptorProto_TYPE_STRING.Enum(),
				Label:   descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum(),
				Options: opts,
			}},
		}},
	}, protoregistry.GlobalFiles)
	if err != nil {
		return func(string) bool { return false }
	}
	// A validator of its own: the global one would keep this one-off
	// message's evaluator for the life of the process.
	validator, err := protovalidate.New()
	if err != nil {
		return func(string) bool { return false }
	}
	desc := file.Messages().Get(0)
	return func(s string) bool {
		m := dynamicpb.NewMessage(desc)
		m.Set(desc.Fields().Get(0), protoreflect.ValueOfString(s))
		return checkRules(validator, m) == nil
	}
}

// spliced returns the values of a format that a prefix or suffix rule asks
// for, made of the values vals: the prefix replaces each possible start of
// a value, the suffix each possible end. "10.1.2.3/" and "192.0.2.0/24"
// give "10.1.2.3/24", among others; ":u@example.com" and
// "https://example.com/a" give "https://example.com/a:u@example.com".
func spliced(vals []string, prefix, suffix string) []string {
	if prefix == "" && suffix == "" {
		return nil
	}
	var out []string
	for _, v := range vals {
		for start := range len(v) + 1 {
			if prefix == "" && start > 0 {
				break
			}
			for end := len(v); end >= start; end-- {
				if suffix == "" && end < len(v) {
					break
				}
				out = append(out, prefix+v[start:end]+suffix)
			}
		}
	}
	return out
}

// listed returns the values that rules list, in order of preference: their
// examples, their const (when they have one), then their in. The i-th
// element of a list starts at the i-th example and the i-th value of in,
// so that elements differ.
func listed[T any](i int, examples []T, hasConst bool, constant T, in []T) []T {
	out := append([]T(nil), rotate(examples, i)...)
	if hasConst {
		out = append(out, constant)
	}
	return append(out, rotate(in, i)...)
}

// rotate returns xs starting at its i-th element (wrapping around), so
// that the elements of a list take different values from an in rule.
func rotate[T any](xs []T, i int) []T {
	if len(xs) == 0 {
		return xs
	}
	i %= len(xs)
	return append(slices.Clone(xs[i:]), xs[:i]...)
}

// padFormat returns s, a valid value of the string format name, made n
// characters longer where the format has room (a name's label, a path),
// and ok false for the formats of fixed length (addresses, UUIDs, ULIDs).
func padFormat(name, s string, n int) (string, bool) {
	pad := strings.Repeat("x", n)
	switch name {
	case "email":
		return strings.Replace(s, "@", pad+"@", 1), true
	case "hostname", "address", "host_and_port":
		return strings.Replace(s, ".", pad+".", 1), true
	case "uri", "uri_ref", "protobuf_fqn", "protobuf_dot_fqn", "well_known_regex:1", "well_known_regex:2":
		return s + pad, true
	}
	return "", false
}

// avoiding returns s, or variants of it, when s is one of the values a
// rule forbids.
func avoiding(s string, notIn []string) []string {
	if !slices.Contains(notIn, s) {
		return []string{s}
	}
	var out []string
	for n := 2; n < 6; n++ {
		if v := s + strconv.Itoa(n); !slices.Contains(notIn, v) {
			out = append(out, v)
		}
	}
	return out
}

// stringMeets checks the rules of r that can be checked without CEL, but
// for the well-known formats, whose candidates are valid as written.
func stringMeets(r *validate.StringRules, s string) bool {
	n, nb := utf8.RuneCountInString(s), len(s)
	switch {
	case r.HasConst() && s != r.GetConst(),
		len(r.GetIn()) > 0 && !slices.Contains(r.GetIn(), s),
		slices.Contains(r.GetNotIn(), s),
		r.HasLen() && n != int(r.GetLen()),
		r.HasMinLen() && n < int(r.GetMinLen()),
		r.HasMaxLen() && n > int(r.GetMaxLen()),
		r.HasLenBytes() && nb != int(r.GetLenBytes()),
		r.HasMinBytes() && nb < int(r.GetMinBytes()),
		r.HasMaxBytes() && nb > int(r.GetMaxBytes()),
		!strings.HasPrefix(s, r.GetPrefix()),
		!strings.HasSuffix(s, r.GetSuffix()),
		!strings.Contains(s, r.GetContains()),
		r.HasNotContains() && strings.Contains(s, r.GetNotContains()):
		return false
	}
	if r.HasPattern() {
		re, err := regexp.Compile(r.GetPattern())
		if err != nil || !re.MatchString(s) {
			return false
		}
	}
	return true
}

// lengths are the length rules of a string or bytes value, in characters
// and in bytes.
type lengths struct {
	min, max, exact, minBytes, maxBytes, exactBytes int
	hasMax, hasMaxBytes, hasExact, hasExactBytes    bool
}

// shape makes base meet the prefix, contains, suffix and length rules:
// prefix + base + contains + suffix, padded with 'x' or cut in the middle.
// Lengths in bytes and in characters differ for non-ASCII text: when there
// are rules in bytes, base loses its non-ASCII characters, so that padding
// and cutting change both by the same amount, and the lengths are counted
// in bytes unless there are rules in characters too.
func shape(base, prefix, contains, suffix string, l lengths) string {
	count := utf8.RuneCountInString
	if l.minBytes > 0 || l.hasMaxBytes || l.hasExactBytes {
		base = strings.Map(func(r rune) rune {
			if r >= utf8.RuneSelf {
				return -1
			}
			return r
		}, base)
		if l.min == 0 && !l.hasMax && !l.hasExact {
			count = func(s string) int { return len(s) }
		}
	}
	middle := base
	if !strings.Contains(prefix+base+suffix, contains) {
		middle += contains
	}
	want := -1 // the length to reach, if any
	switch {
	case l.hasExact:
		want = l.exact
	case l.hasExactBytes:
		want = l.exactBytes
	}
	lo := max(l.min, l.minBytes)
	hi := math.MaxInt
	if l.hasMax {
		hi = l.max
	}
	if l.hasMaxBytes {
		hi = min(hi, l.maxBytes)
	}
	fixed := count(prefix + suffix)
	n := fixed + count(middle)
	target := n
	switch {
	case want >= 0:
		target = want
	case n < lo:
		target = lo
	case n > hi:
		target = hi
	}
	switch {
	case target > n:
		middle += strings.Repeat("x", target-n)
	case target < n:
		keep := max(target-fixed, 0)
		r := []rune(middle)
		if contains != "" && keep >= count(contains) {
			middle = contains + strings.Repeat("x", keep-count(contains))
		} else if keep < len(r) {
			middle = string(r[:keep])
		}
	}
	return prefix + middle + suffix
}

// fromPattern returns strings that match the regular expression pattern,
// shortest first, each at least minLen long where the pattern allows it.
// i shifts the repetitions, so that elements of a list differ.
func fromPattern(pattern, prefix, suffix string, minLen, i int) []string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	// Not simplified: Simplify writes x{7,14} as seven x and nested x?,
	// which gives 7 or 14 copies and nothing between.
	var out, padded []string
	for k := 2 * i; k <= 2*i+12 || k <= minLen+2*i; k++ {
		s := fromRegexp(re, k, i)
		out = append(out, s)
		if prefix != "" || suffix != "" {
			// A pattern that leaves room around it (unanchored) can take
			// the prefix and suffix too.
			out = append(out, prefix+s+suffix)
		}
		if short := minLen - utf8.RuneCountInString(s); short > 0 {
			// ... and padding, to reach a minimum length that the
			// pattern's own strings fall short of: tried last.
			pad := strings.Repeat("x", short)
			padded = append(padded, s+pad, pad+s)
		}
	}
	return append(out, padded...)
}

// fromRegexp writes one string that re matches, repeating each unbounded
// repetition k times (as far as its bounds allow), taking alternative k
// (modulo their number) of each alternation, and moving each character
// class's rune shift places (see classRune), so that the elements of a
// list differ.
func fromRegexp(re *syntax.Regexp, k, shift int) string {
	var b strings.Builder
	var walk func(*syntax.Regexp)
	repeat := func(sub *syntax.Regexp, lo, hi int) {
		n := max(k, lo)
		if hi >= 0 {
			n = min(n, hi)
		}
		for range n {
			walk(sub)
		}
	}
	walk = func(re *syntax.Regexp) {
		switch re.Op {
		case syntax.OpLiteral:
			for _, r := range re.Rune {
				b.WriteRune(r)
			}
		case syntax.OpCharClass:
			b.WriteRune(classRune(re.Rune, shift))
		case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
			b.WriteRune('a')
		case syntax.OpCapture:
			walk(re.Sub[0])
		case syntax.OpConcat:
			for _, sub := range re.Sub {
				walk(sub)
			}
		case syntax.OpAlternate:
			// k also takes turns among the alternatives, so that each is
			// tried.
			walk(re.Sub[k%len(re.Sub)])
		case syntax.OpStar:
			repeat(re.Sub[0], 0, -1)
		case syntax.OpPlus:
			repeat(re.Sub[0], 1, -1)
		case syntax.OpQuest:
			repeat(re.Sub[0], 0, 1)
		case syntax.OpRepeat:
			repeat(re.Sub[0], re.Min, re.Max)
		}
	}
	walk(re)
	return b.String()
}

// niceRune picks a readable rune of a character class (pairs of bounds):
// a lower-case letter if there is one, then upper case, a digit, anything.
func niceRune(ranges []rune) rune {
	for _, want := range []rune{'a', 'A', '0', '-', '_', '.'} {
		for j := 0; j+1 < len(ranges); j += 2 {
			if ranges[j] <= want && want <= ranges[j+1] {
				return want
			}
		}
	}
	for j := 0; j+1 < len(ranges); j += 2 {
		for _, lo := range []rune{'a', 'A', '0'} {
			if ranges[j] <= lo+25 && lo <= ranges[j+1] {
				return max(ranges[j], lo)
			}
		}
	}
	if len(ranges) > 0 {
		return ranges[0]
	}
	return 'a'
}

// classRune is the rune that a string made from a pattern takes for a
// character class: its nice rune (niceRune), moved shift places (up to 9)
// within the nice rune's range: [0-9] gives 0, 1, 2...
func classRune(ranges []rune, shift int) rune {
	nice := niceRune(ranges)
	for j := 0; j+1 < len(ranges); j += 2 {
		if ranges[j] <= nice && nice <= ranges[j+1] {
			return ranges[j] + (nice-ranges[j]+rune(shift%10))%(ranges[j+1]-ranges[j]+1)
		}
	}
	return nice
}

// bytesFor returns bytes that meet r; the i-th element of a list starts at
// the i-th value of the rules' examples, in and format.
func bytesFor(r *validate.BytesRules, base []byte, i int) ([]byte, bool) {
	candidates := listed(i, r.GetExample(), r.HasConst(), r.GetConst(), r.GetIn())
	if wk := r.ProtoReflect().WhichOneof(r.ProtoReflect().Descriptor().Oneofs().ByName("well_known")); wk != nil {
		name := string(wk.Name())
		var all [][]byte
		if s, ok := wellKnownStrings["bytes:"+name]; ok && s != "" {
			all = append(all, []byte(s))
		}
		all = append(all, moreWellKnownBytes[name]...)
		candidates = append(candidates, rotate(all, i)...)
	}
	if r.HasPattern() {
		for _, s := range fromPattern(r.GetPattern(), string(r.GetPrefix()), string(r.GetSuffix()), int(max(r.GetMinLen(), r.GetLen())), i) {
			candidates = append(candidates, []byte(s))
		}
	}
	shaped := []byte(shape(string(base), string(r.GetPrefix()), string(r.GetContains()), string(r.GetSuffix()), lengths{
		minBytes: int(r.GetMinLen()), maxBytes: int(r.GetMaxLen()), exactBytes: int(r.GetLen()),
		hasMaxBytes: r.HasMaxLen(), hasExactBytes: r.HasLen(),
	}))
	candidates = append(candidates, shaped, base)
	for _, c := range candidates {
		if bytesMeet(r, c) {
			return c, true
		}
	}
	return shaped, false
}

func bytesMeet(r *validate.BytesRules, b []byte) bool {
	in := func(list [][]byte) bool {
		return slices.ContainsFunc(list, func(x []byte) bool { return bytes.Equal(x, b) })
	}
	switch {
	case r.HasConst() && !bytes.Equal(b, r.GetConst()),
		len(r.GetIn()) > 0 && !in(r.GetIn()),
		in(r.GetNotIn()),
		r.HasLen() && len(b) != int(r.GetLen()),
		r.HasMinLen() && len(b) < int(r.GetMinLen()),
		r.HasMaxLen() && len(b) > int(r.GetMaxLen()),
		!bytes.HasPrefix(b, r.GetPrefix()),
		!bytes.HasSuffix(b, r.GetSuffix()),
		!bytes.Contains(b, r.GetContains()),
		(r.GetIp() && len(b) != 4 && len(b) != 16) || (r.GetIpv4() && len(b) != 4) || (r.GetIpv6() && len(b) != 16) || (r.GetUuid() && len(b) != 16):
		return false
	}
	if r.HasPattern() {
		re, err := regexp.Compile(r.GetPattern())
		if err != nil || !utf8.Valid(b) || !re.Match(b) {
			return false
		}
	}
	return true
}

// numberRules are the rules of a number of any kind, as float64 for
// floating point and as int64 or uint64 otherwise.
type numberRules[T int64 | uint64 | float64] struct {
	constant   *T
	lo, hi     *T // bounds, if any
	loIn, hiIn bool
	in, notIn  []T
	examples   []T
	finite     bool
	// nonZero says that 0 does not do: the field is required and has no
	// presence, so that 0 is unset.
	nonZero bool
}

// readNumberRules reads the rules message of a numeric kind (Int32Rules,
// DoubleRules, ...), which all name their fields alike, converting each
// value with conv.
func readNumberRules[T int64 | uint64 | float64](m protoreflect.Message, conv func(protoreflect.Value) T) numberRules[T] {
	var n numberRules[T]
	fields := m.Descriptor().Fields()
	get := func(name string) (T, bool) {
		fd := fields.ByName(protoreflect.Name(name))
		if fd == nil || !m.Has(fd) {
			var zero T
			return zero, false
		}
		return conv(m.Get(fd)), true
	}
	list := func(name string) []T {
		fd := fields.ByName(protoreflect.Name(name))
		if fd == nil {
			return nil
		}
		l := m.Get(fd).List()
		out := make([]T, l.Len())
		for j := range out {
			out[j] = conv(l.Get(j))
		}
		return out
	}
	if v, ok := get("const"); ok {
		n.constant = &v
	}
	if v, ok := get("gt"); ok {
		n.lo = &v
	}
	if v, ok := get("gte"); ok {
		n.lo, n.loIn = &v, true
	}
	if v, ok := get("lt"); ok {
		n.hi = &v
	}
	if v, ok := get("lte"); ok {
		n.hi, n.hiIn = &v, true
	}
	n.in, n.notIn, n.examples = list("in"), list("not_in"), list("example")
	if fd := fields.ByName("finite"); fd != nil {
		n.finite = m.Get(fd).Bool()
	}
	return n
}

// meets reports whether v meets the rules. Bounds with lo above hi mean
// outside the range, as protovalidate reads them.
func (n numberRules[T]) meets(v T) bool {
	if n.nonZero && v == 0 {
		return false
	}
	if n.constant != nil && v != *n.constant {
		return false
	}
	if len(n.in) > 0 && !slices.Contains(n.in, v) || slices.Contains(n.notIn, v) {
		return false
	}
	if f := float64(v); n.finite && (math.IsInf(f, 0) || math.IsNaN(f)) {
		return false
	}
	aboveLo := n.lo == nil || v > *n.lo || n.loIn && v == *n.lo
	belowHi := n.hi == nil || v < *n.hi || n.hiIn && v == *n.hi
	if n.lo != nil && n.hi != nil && *n.lo > *n.hi {
		return aboveLo || belowHi
	}
	return aboveLo && belowHi
}

// pick returns a value that meets the rules, base if it does; i numbers
// the elements of a list, which should differ where the rules allow.
func (n numberRules[T]) pick(base T, one T, i int) (T, bool) {
	return n.pickIn(base, one, i, func(v T) (T, bool) { return v, true })
}

// pickIn is pick for a field whose Go type holds fewer values than T:
// fit turns a candidate into the value the field would hold (a float32),
// or says it does not fit (a 32-bit integer out of range).
func (n numberRules[T]) pickIn(base T, one T, i int, fit func(T) (T, bool)) (T, bool) {
	var candidates []T
	candidates = append(candidates, rotate(n.examples, i)...)
	if n.constant != nil {
		candidates = append(candidates, *n.constant)
	}
	candidates = append(candidates, rotate(n.in, i)...)
	candidates = append(candidates, base)
	step := T(i) * one
	if n.lo != nil {
		if n.loIn {
			candidates = append(candidates, *n.lo+step)
		}
		candidates = append(candidates, *n.lo+one+step)
	}
	if n.hi != nil {
		candidates = append(candidates, *n.hi-one-step, *n.hi-step)
	}
	if n.lo != nil && n.hi != nil {
		candidates = append(candidates, *n.lo+(*n.hi-*n.lo)/2)
	}
	for _, c := range candidates {
		for k := T(0); k < 4; k++ {
			if v, ok := fit(c + k*one); ok && n.meets(v) {
				return v, true
			}
		}
	}
	return base, false
}

// numberRulesFit reports whether the number rules named rules ("int32",
// "double"...) are of the kind of number that value holds. A proto may
// give a field rules of another type (protovalidate then refuses to
// compile them): such rules say nothing of the field's values.
func numberRulesFit(rules protoreflect.Name, value protoreflect.Value) bool {
	switch value.Interface().(type) {
	case int32, int64:
		return slices.Contains([]protoreflect.Name{"int32", "int64", "sint32", "sint64", "sfixed32", "sfixed64"}, rules)
	case uint32, uint64:
		return slices.Contains([]protoreflect.Name{"uint32", "uint64", "fixed32", "fixed64"}, rules)
	case float32, float64:
		return rules == "float" || rules == "double"
	}
	return false
}

// numberFor returns a value of a numeric field of kind that meets rules (a
// message of the oneof FieldRules.type), base if it does; nonZero says
// that 0 does not (see numberRules).
func numberFor(kind protoreflect.Kind, rules protoreflect.Message, base protoreflect.Value, i int, nonZero bool) (protoreflect.Value, bool) {
	floats := func() numberRules[float64] {
		n := readNumberRules(rules, func(x protoreflect.Value) float64 { return x.Float() })
		n.nonZero = nonZero
		return n
	}
	uints := func() numberRules[uint64] {
		n := readNumberRules(rules, func(x protoreflect.Value) uint64 { return x.Uint() })
		n.nonZero = nonZero
		return n
	}
	ints := func() numberRules[int64] {
		n := readNumberRules(rules, func(x protoreflect.Value) int64 { return x.Int() })
		n.nonZero = nonZero
		return n
	}
	switch kind {
	case protoreflect.FloatKind:
		// Checked as the float32 the field will hold.
		v, ok := floats().pickIn(base.Float(), 1, i, func(v float64) (float64, bool) {
			return float64(float32(v)), !math.IsInf(float64(float32(v)), 0) || math.IsInf(v, 0)
		})
		return protoreflect.ValueOfFloat32(float32(v)), ok
	case protoreflect.DoubleKind:
		v, ok := floats().pick(base.Float(), 1, i)
		return protoreflect.ValueOfFloat64(v), ok
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		v, ok := uints().pickIn(base.Uint(), 1, i, func(v uint64) (uint64, bool) {
			return v, v <= math.MaxUint32
		})
		return protoreflect.ValueOfUint32(uint32(v)), ok
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		v, ok := uints().pick(base.Uint(), 1, i)
		return protoreflect.ValueOfUint64(v), ok
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		v, ok := ints().pickIn(base.Int(), 1, i, func(v int64) (int64, bool) {
			return v, v >= math.MinInt32 && v <= math.MaxInt32
		})
		return protoreflect.ValueOfInt32(int32(v)), ok
	}
	v, ok := ints().pick(base.Int(), 1, i)
	return protoreflect.ValueOfInt64(v), ok
}

// enumFor returns the number of an enum value that meets r, among the
// declared values (in order of preference), or ok false.
func enumFor(r *validate.EnumRules, preferred []protoreflect.EnumNumber) (protoreflect.EnumNumber, bool) {
	var candidates []protoreflect.EnumNumber
	for _, x := range r.GetExample() {
		candidates = append(candidates, protoreflect.EnumNumber(x))
	}
	if r.HasConst() {
		candidates = append(candidates, protoreflect.EnumNumber(r.GetConst()))
	}
	for _, x := range r.GetIn() {
		candidates = append(candidates, protoreflect.EnumNumber(x))
	}
	candidates = append(candidates, preferred...)
	for _, c := range candidates {
		switch {
		case !slices.Contains(preferred, c): // only declared values have a name
			continue
		case r.HasConst() && int32(c) != r.GetConst(),
			len(r.GetIn()) > 0 && !slices.Contains(r.GetIn(), int32(c)),
			slices.Contains(r.GetNotIn(), int32(c)),
			r.GetDefinedOnly() && !slices.Contains(preferred, c):
			continue
		}
		return c, true
	}
	return 0, false
}

// breakRule returns a copy of the valid example v (a request) with one
// field changed so that it breaks one of its buf.validate rules, as
// protovalidate checks it, and that field's path; nil and "" when no field
// of v can be broken this way. The generated tests send it, expecting
// codes.InvalidArgument.
func breakRule(v *Value) (*Value, string) {
	for i, fv := range v.Fields {
		if fieldRules(fv.Field) == nil {
			continue
		}
		name := fv.Field.Desc.TextName()
		for _, broken := range breakings(fv) {
			c := *v
			c.Fields = slices.Clone(v.Fields)
			if broken == nil {
				c.Fields = slices.Delete(c.Fields, i, i+1)
			} else {
				c.Fields[i] = broken
			}
			err := checkRules(protovalidate.GlobalValidator, c.dynamic())
			var verr *protovalidate.ValidationError
			if !errors.As(err, &verr) {
				continue
			}
			for _, viol := range verr.Violations {
				if path := protovalidate.FieldPathString(viol.Proto.GetField()); path == name || strings.HasPrefix(path, name+".") || strings.HasPrefix(path, name+"[") {
					return &c, path
				}
			}
		}
	}
	return nil, ""
}

// breakings are changes to one field that may break its rules: nil to
// leave it unset, then values that few rules accept.
func breakings(fv *FieldValue) []*FieldValue {
	out := []*FieldValue{nil}
	x := fv.Value
	if x.Kind == MessageValue {
		// Durations and timestamps: far in the past or the future.
		for _, f := range x.Message.Fields {
			if f.Desc.Name() == "seconds" && (x.Message.Desc.FullName() == "google.protobuf.Duration" || x.Message.Desc.FullName() == "google.protobuf.Timestamp") {
				for _, sec := range []int64{0, -100000000000, 100000000000} {
					m := &Value{Kind: MessageValue, Field: x.Field, Message: x.Message, Fields: []*FieldValue{{Field: f, Value: &Value{Kind: ScalarValue, Field: f, Scalar: protoreflect.ValueOfInt64(sec)}}}}
					out = append(out, &FieldValue{Field: fv.Field, Value: m})
				}
			}
		}
	}
	if x.Kind != ScalarValue {
		return out
	}
	with := func(pv protoreflect.Value) *FieldValue {
		return &FieldValue{Field: fv.Field, Value: &Value{Kind: ScalarValue, Field: x.Field, Scalar: pv}}
	}
	switch fv.Field.Desc.Kind() {
	case protoreflect.StringKind:
		out = append(out, with(protoreflect.ValueOfString("")), with(protoreflect.ValueOfString("not valid!")), with(protoreflect.ValueOfString(x.Scalar.String()+strings.Repeat("x", 300))))
	case protoreflect.BytesKind:
		out = append(out, with(protoreflect.ValueOfBytes(nil)), with(protoreflect.ValueOfBytes([]byte{0xff})))
	case protoreflect.BoolKind:
		out = append(out, with(protoreflect.ValueOfBool(!x.Scalar.Bool())))
	case protoreflect.FloatKind:
		out = append(out, with(protoreflect.ValueOfFloat32(0)), with(protoreflect.ValueOfFloat32(-1e30)), with(protoreflect.ValueOfFloat32(1e30)))
	case protoreflect.DoubleKind:
		out = append(out, with(protoreflect.ValueOfFloat64(0)), with(protoreflect.ValueOfFloat64(-1e300)), with(protoreflect.ValueOfFloat64(1e300)))
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		out = append(out, with(protoreflect.ValueOfInt32(0)), with(protoreflect.ValueOfInt32(math.MinInt32)), with(protoreflect.ValueOfInt32(math.MaxInt32)))
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		out = append(out, with(protoreflect.ValueOfInt64(0)), with(protoreflect.ValueOfInt64(math.MinInt64)), with(protoreflect.ValueOfInt64(math.MaxInt64)))
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		out = append(out, with(protoreflect.ValueOfUint32(0)), with(protoreflect.ValueOfUint32(math.MaxUint32)))
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		out = append(out, with(protoreflect.ValueOfUint64(0)), with(protoreflect.ValueOfUint64(math.MaxUint64)))
	}
	return out
}
