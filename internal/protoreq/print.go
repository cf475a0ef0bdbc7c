package protoreq

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
)

// PrintProto returns .proto source text that compiles to f: the same
// messages, fields, enums, extensions, services and options, in the same
// order, so that compiling the text gives f back (less its source code
// info, and with json_name filled in where f leaves it out). The compiler
// reads only source text, so this is how a file that is known only as a
// descriptor (one that a linked Go package registered) becomes an import;
// it is also how randproto's files are written out.
//
// Every type is named as f names it, which must be fully qualified, with a
// leading dot, and every option value is written out from the options
// messages. Options that are unknown fields are read with resolver (nil:
// protoregistry.GlobalTypes); one that it does not know either is an
// error, not left out. The leading comments of f's source code info, if
// any, are written before their elements.
func PrintProto(f *descriptorpb.FileDescriptorProto, resolver protoregistry.ExtensionTypeResolver) (string, error) {
	if resolver == nil {
		resolver = protoregistry.GlobalTypes
	}
	p := &printer{resolver: resolver, comments: commentsOf(f)}
	switch f.GetSyntax() {
	case "", "proto2":
		p.syntax = "proto2"
		p.line(0, `syntax = "proto2";`)
	case "proto3":
		p.syntax = "proto3"
		p.line(0, `syntax = "proto3";`)
	case "editions":
		p.syntax = "editions"
		year := strings.TrimPrefix(f.GetEdition().String(), "EDITION_")
		if _, err := strconv.Atoi(year); err != nil {
			return "", fmt.Errorf("%s: edition %s cannot be written in a .proto file", f.GetName(), f.GetEdition())
		}
		p.line(0, "edition = %s;", quote(year, false))
	default:
		return "", fmt.Errorf("%s: unknown syntax %q", f.GetName(), f.GetSyntax())
	}
	p.line(0, "")
	if f.GetPackage() != "" {
		p.line(0, "package %s;", f.GetPackage())
		p.line(0, "")
	}
	public := map[int32]bool{}
	for _, i := range f.GetPublicDependency() {
		public[i] = true
	}
	weak := map[int32]bool{}
	for _, i := range f.GetWeakDependency() {
		weak[i] = true
	}
	for i, dep := range f.GetDependency() {
		kind := ""
		switch {
		case public[int32(i)]:
			kind = "public "
		case weak[int32(i)]:
			kind = "weak "
		}
		p.line(0, "import %s%s;", kind, quote(dep, false))
	}
	for _, dep := range f.GetOptionDependency() {
		p.line(0, "import option %s;", quote(dep, false))
	}
	if len(f.GetDependency())+len(f.GetOptionDependency()) > 0 {
		p.line(0, "")
	}
	p.options(0, f.GetOptions())
	scope := ""
	if f.GetPackage() != "" {
		scope = "." + f.GetPackage()
	}
	p.decls(0, p.nested(0, scope, f.GetMessageType(), f.GetExtension()), nil, f.GetEnumType(), f.GetExtension())
	for _, s := range f.GetService() {
		p.line(0, "")
		p.comment(0, s)
		p.line(0, "service %s {", s.GetName())
		p.options(1, s.GetOptions())
		for _, m := range s.GetMethod() {
			p.comment(1, m)
			in, out := m.GetInputType(), m.GetOutputType()
			if m.GetClientStreaming() {
				in = "stream " + in
			}
			if m.GetServerStreaming() {
				out = "stream " + out
			}
			opts := p.optionEntries(m.GetOptions())
			if len(opts) == 0 {
				p.line(1, "rpc %s(%s) returns (%s);", m.GetName(), in, out)
				continue
			}
			p.line(1, "rpc %s(%s) returns (%s) {", m.GetName(), in, out)
			for _, o := range opts {
				p.line(2, "option %s;", o)
			}
			p.line(1, "}")
		}
		p.line(0, "}")
	}
	if p.err != nil {
		return "", fmt.Errorf("%s: %v", f.GetName(), p.err)
	}
	return p.b.String(), nil
}

type printer struct {
	b        strings.Builder
	syntax   string // proto2, proto3 or editions
	resolver protoregistry.ExtensionTypeResolver
	comments map[proto.Message]*descriptorpb.SourceCodeInfo_Location
	err      error
}

// commentsOf returns the location of each element of f that has a leading
// comment in f's source code info, by element.
func commentsOf(f *descriptorpb.FileDescriptorProto) map[proto.Message]*descriptorpb.SourceCodeInfo_Location {
	byPath := map[string]*descriptorpb.SourceCodeInfo_Location{}
	for _, loc := range f.GetSourceCodeInfo().GetLocation() {
		if loc.LeadingComments != nil || len(loc.LeadingDetachedComments) > 0 {
			byPath[fmt.Sprint(loc.GetPath())] = loc
		}
	}
	if len(byPath) == 0 {
		return nil
	}
	out := map[proto.Message]*descriptorpb.SourceCodeInfo_Location{}
	add := func(e proto.Message, path ...int32) {
		if loc := byPath[fmt.Sprint(path)]; loc != nil {
			out[e] = loc
		}
	}
	sub := func(path []int32, elems ...int32) []int32 { return append(slices.Clip(path), elems...) }
	enum := func(e *descriptorpb.EnumDescriptorProto, path []int32) {
		add(e, path...)
		for i, v := range e.GetValue() {
			add(v, sub(path, 2, int32(i))...)
		}
	}
	var message func(m *descriptorpb.DescriptorProto, path []int32)
	message = func(m *descriptorpb.DescriptorProto, path []int32) {
		add(m, path...)
		for i, f := range m.GetField() {
			add(f, sub(path, 2, int32(i))...)
		}
		for i, n := range m.GetNestedType() {
			message(n, sub(path, 3, int32(i)))
		}
		for i, e := range m.GetEnumType() {
			enum(e, sub(path, 4, int32(i)))
		}
		for i, x := range m.GetExtension() {
			add(x, sub(path, 6, int32(i))...)
		}
		for i, o := range m.GetOneofDecl() {
			add(o, sub(path, 8, int32(i))...)
		}
	}
	for i, m := range f.GetMessageType() {
		message(m, []int32{4, int32(i)})
	}
	for i, e := range f.GetEnumType() {
		enum(e, []int32{5, int32(i)})
	}
	for i, s := range f.GetService() {
		add(s, 6, int32(i))
		for j, m := range s.GetMethod() {
			add(m, 6, int32(i), 2, int32(j))
		}
	}
	for i, x := range f.GetExtension() {
		add(x, 7, int32(i))
	}
	return out
}

// comment writes the leading comments of the element e, if it has any:
// the detached ones, each followed by a blank line, then its own.
func (p *printer) comment(indent int, e proto.Message) {
	loc := p.comments[e]
	if loc == nil {
		return
	}
	write := func(text string) {
		for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
			p.line(indent, "//%s", l)
		}
	}
	for _, d := range loc.GetLeadingDetachedComments() {
		write(d)
		p.line(0, "")
	}
	if loc.LeadingComments != nil {
		write(loc.GetLeadingComments())
	}
}

// known returns m with its unknown fields read as the extensions of
// p.resolver that they are, or m itself when it has none.
func (p *printer) known(m protoreflect.Message) protoreflect.Message {
	if len(m.GetUnknown()) == 0 {
		return m
	}
	b, err := proto.MarshalOptions{AllowPartial: true}.Marshal(m.Interface())
	if err != nil {
		p.fail("%s: %v", m.Descriptor().FullName(), err)
		return m
	}
	n := m.Type().New()
	if err := (proto.UnmarshalOptions{AllowPartial: true, Resolver: p.resolver}).Unmarshal(b, n.Interface()); err != nil {
		p.fail("%s: %v", m.Descriptor().FullName(), err)
		return m
	}
	return n
}

func (p *printer) line(indent int, format string, args ...any) {
	p.b.WriteString(strings.Repeat("  ", indent))
	fmt.Fprintf(&p.b, format, args...)
	p.b.WriteByte('\n')
}

func (p *printer) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf(format, args...)
	}
}

// decls writes the members (fields, oneofs), messages, enums and
// extensions declared in one scope: the file (no members) or a message.
// The scope's messages come from order, which writes each in its place:
// around the fields and extensions that are written with a nested type.
func (p *printer) decls(indent int, order *nested, members []member, enums []*descriptorpb.EnumDescriptorProto, exts []*descriptorpb.FieldDescriptorProto) {
	var extMembers []member
	for _, f := range exts {
		extMembers = append(extMembers, member{fields: []*descriptorpb.FieldDescriptorProto{f}, ext: true})
	}
	all := mergeMembers(members, extMembers, order)
	for i := 0; i < len(all); {
		m := all[i]
		if !m.ext {
			for _, f := range m.fields {
				order.before(f)
			}
			if m.oneof == nil {
				p.field(indent, m.fields[0], false, order.with(m.fields[0]), order.scope)
			} else {
				p.comment(indent, m.oneof)
				p.line(indent, "oneof %s {", m.oneof.GetName())
				p.options(indent+1, m.oneof.GetOptions())
				for _, f := range m.fields {
					p.field(indent+1, f, true, order.with(f), order.scope)
				}
				p.line(indent, "}")
			}
			i++
			continue
		}
		extendee := m.fields[0].GetExtendee()
		j := i + 1
		for j < len(all) && all[j].ext && all[j].fields[0].GetExtendee() == extendee {
			j++
		}
		for _, e := range all[i:j] {
			order.before(e.fields[0])
		}
		if indent == 0 {
			p.line(0, "")
		}
		p.line(indent, "extend %s {", extendee)
		for _, e := range all[i:j] {
			p.field(indent+1, e.fields[0], false, order.with(e.fields[0]), order.scope)
		}
		p.line(indent, "}")
		i = j
	}
	order.rest()
	for _, e := range enums {
		p.enum(indent, e)
	}
}

// member is a field, a oneof with its fields, or an extension.
type member struct {
	fields []*descriptorpb.FieldDescriptorProto
	oneof  *descriptorpb.OneofDescriptorProto
	ext    bool
}

// mergeMembers returns a scope's fields and its extensions in one list,
// each in its order, where the nested types written with them (groups,
// map entries) come in the order of the scope's messages.
func mergeMembers(fields, exts []member, order *nested) []member {
	// next returns the index in ms of the first member that is written
	// with a nested type, and that type's index among the messages.
	next := func(ms []member) (int, int) {
		for i, m := range ms {
			for _, f := range m.fields {
				if k := order.index(f); k >= 0 {
					return i, k
				}
			}
		}
		return -1, -1
	}
	var out []member
	for {
		i, ki := next(fields)
		j, kj := next(exts)
		if i < 0 || j < 0 {
			break
		}
		if ki < kj {
			out, fields = append(out, fields[:i+1]...), fields[i+1:]
		} else {
			out, exts = append(out, exts[:j+1]...), exts[j+1:]
		}
	}
	return append(append(out, fields...), exts...)
}

// nested writes the messages declared in a scope in their order, among
// its fields: a map's entry and a group's body are written with their
// field, so the other messages must come around that field as they came
// around it in the file, or the compiler would list them in another order.
type nested struct {
	p        *printer
	indent   int
	scope    string
	messages []*descriptorpb.DescriptorProto
	with     func(*descriptorpb.FieldDescriptorProto) *descriptorpb.DescriptorProto
	inline   map[*descriptorpb.DescriptorProto]bool
	next     int // messages[:next] are written, or written with a field
}

func (p *printer) nested(indent int, scope string, messages []*descriptorpb.DescriptorProto, fields ...[]*descriptorpb.FieldDescriptorProto) *nested {
	n := &nested{p: p, indent: indent, scope: scope, messages: messages, with: p.inlined(scope, messages), inline: map[*descriptorpb.DescriptorProto]bool{}}
	for _, f := range slices.Concat(fields...) {
		if m := n.with(f); m != nil {
			n.inline[m] = true
		}
	}
	return n
}

// index returns the index among the messages of the one that f is
// written with, -1 for none.
func (n *nested) index(f *descriptorpb.FieldDescriptorProto) int {
	if m := n.with(f); m != nil {
		return slices.Index(n.messages, m)
	}
	return -1
}

// before writes the messages that come before the one that f is written
// with, if any.
func (n *nested) before(f *descriptorpb.FieldDescriptorProto) {
	i := n.index(f)
	if i < 0 {
		return
	}
	for ; n.next < i; n.next++ {
		n.write(n.messages[n.next])
	}
	if n.next == i {
		n.next++
	}
}

// rest writes the messages not yet written.
func (n *nested) rest() {
	for ; n.next < len(n.messages); n.next++ {
		n.write(n.messages[n.next])
	}
}

func (n *nested) write(m *descriptorpb.DescriptorProto) {
	if !n.inline[m] {
		n.p.message(n.indent, m, n.scope)
	}
}

// inlined returns, for a field or extension declared in scope, the type
// among messages (the types declared in scope) that it is written with: a
// map's entry, or a group's body; nil for other fields.
func (p *printer) inlined(scope string, messages []*descriptorpb.DescriptorProto) func(*descriptorpb.FieldDescriptorProto) *descriptorpb.DescriptorProto {
	byName := map[string]*descriptorpb.DescriptorProto{}
	for _, m := range messages {
		byName[m.GetName()] = m
	}
	return func(f *descriptorpb.FieldDescriptorProto) *descriptorpb.DescriptorProto {
		n := byName[lastName(f.GetTypeName())]
		if n == nil || f.GetTypeName() != scope+"."+n.GetName() {
			return nil
		}
		if p.isGroup(f) {
			return n
		}
		if n.GetOptions().GetMapEntry() && f.Extendee == nil && f.GetLabel() == descriptorpb.FieldDescriptorProto_LABEL_REPEATED && f.GetType() == descriptorpb.FieldDescriptorProto_TYPE_MESSAGE {
			return n
		}
		return nil
	}
}

func (p *printer) message(indent int, m *descriptorpb.DescriptorProto, scope string) {
	if indent == 0 {
		p.line(0, "")
	}
	p.comment(indent, m)
	p.line(indent, "%smessage %s {", visibility(m.GetVisibility()), m.GetName())
	p.messageBody(indent+1, m, scope+"."+m.GetName())
	p.line(indent, "}")
}

// messageBody writes what is inside the braces of the message whose full
// name is name: its options, its fields (those of a oneof inside its
// block, map fields as maps, groups with their body), its nested
// declarations, extension ranges and reserved numbers and names.
func (p *printer) messageBody(indent int, m *descriptorpb.DescriptorProto, name string) {
	p.options(indent, m.GetOptions())
	order := p.nested(indent, name, m.GetNestedType(), m.GetField(), m.GetExtension())
	var members []member
	done := map[int32]bool{}
	for i, f := range m.GetField() {
		if f.OneofIndex == nil || f.GetProto3Optional() {
			members = append(members, member{fields: []*descriptorpb.FieldDescriptorProto{f}})
			continue
		}
		oi := f.GetOneofIndex()
		if done[oi] {
			continue
		}
		done[oi] = true
		if int(oi) >= len(m.GetOneofDecl()) {
			p.fail("field %s of %s is in oneof %d, which the message lacks", f.GetName(), name, oi)
			return
		}
		o := member{oneof: m.GetOneofDecl()[oi]}
		for _, g := range m.GetField()[i:] {
			if g.OneofIndex != nil && g.GetOneofIndex() == oi && !g.GetProto3Optional() {
				o.fields = append(o.fields, g)
			}
		}
		members = append(members, o)
	}
	p.decls(indent, order, members, m.GetEnumType(), m.GetExtension())
	for _, r := range m.GetExtensionRange() {
		opts := p.optionEntries(r.GetOptions())
		p.line(indent, "extensions %s%s;", rangeText(r.GetStart(), r.GetEnd()-1), compact(opts))
	}
	if len(m.GetReservedRange()) > 0 {
		var rs []string
		for _, r := range m.GetReservedRange() {
			rs = append(rs, rangeText(r.GetStart(), r.GetEnd()-1))
		}
		p.line(indent, "reserved %s;", strings.Join(rs, ", "))
	}
	p.reservedNames(indent, m.GetReservedName())
}

func (p *printer) reservedNames(indent int, names []string) {
	if len(names) == 0 {
		return
	}
	var ns []string
	for _, n := range names {
		if p.syntax == "editions" {
			ns = append(ns, n) // editions reserve identifiers, not strings
		} else {
			ns = append(ns, quote(n, false))
		}
	}
	p.line(indent, "reserved %s;", strings.Join(ns, ", "))
}

// isGroup tells whether f is a proto2 group, which is written with the
// group keyword. (In editions a delimited field is an ordinary message
// field with a feature, and protodesc describes it as TYPE_MESSAGE.)
func (p *printer) isGroup(f *descriptorpb.FieldDescriptorProto) bool {
	return f.GetType() == descriptorpb.FieldDescriptorProto_TYPE_GROUP && p.syntax == "proto2"
}

// field writes one field or extension, declared in scope. with is the
// nested type that it is written with: a map's entry, or a group's body.
func (p *printer) field(indent int, f *descriptorpb.FieldDescriptorProto, inOneof bool, with *descriptorpb.DescriptorProto, scope string) {
	p.comment(indent, f)
	label := ""
	switch {
	case inOneof:
	case with != nil && with.GetOptions().GetMapEntry():
	case f.GetLabel() == descriptorpb.FieldDescriptorProto_LABEL_REPEATED:
		label = "repeated "
	case p.syntax == "editions":
		// required and optional are features in editions.
	case f.GetLabel() == descriptorpb.FieldDescriptorProto_LABEL_REQUIRED:
		label = "required "
	case p.syntax == "proto2" || f.GetProto3Optional():
		label = "optional "
	}
	var opts []string
	if f.DefaultValue != nil {
		opts = append(opts, "default = "+defaultText(f))
	}
	if f.JsonName != nil && f.Extendee == nil && f.GetJsonName() != jsonName(f.GetName()) {
		opts = append(opts, "json_name = "+quote(f.GetJsonName(), false))
	}
	opts = append(opts, p.optionEntries(f.GetOptions())...)
	switch {
	case with != nil && with.GetOptions().GetMapEntry():
		var key, value *descriptorpb.FieldDescriptorProto
		for _, e := range with.GetField() {
			switch e.GetNumber() {
			case 1:
				key = e
			case 2:
				value = e
			}
		}
		if key == nil || value == nil {
			p.fail("map entry %s lacks its key or value", with.GetName())
			return
		}
		p.line(indent, "map<%s, %s> %s = %d%s;", typeText(key), typeText(value), f.GetName(), f.GetNumber(), compact(opts))
	case with != nil: // a group
		p.line(indent, "%sgroup %s = %d%s {", label, with.GetName(), f.GetNumber(), compact(opts))
		p.messageBody(indent+1, with, scope+"."+with.GetName())
		p.line(indent, "}")
	default:
		p.line(indent, "%s%s %s = %d%s;", label, typeText(f), f.GetName(), f.GetNumber(), compact(opts))
	}
}

func (p *printer) enum(indent int, e *descriptorpb.EnumDescriptorProto) {
	if indent == 0 {
		p.line(0, "")
	}
	p.comment(indent, e)
	p.line(indent, "%senum %s {", visibility(e.GetVisibility()), e.GetName())
	p.options(indent+1, e.GetOptions())
	for _, v := range e.GetValue() {
		p.comment(indent+1, v)
		p.line(indent+1, "%s = %d%s;", v.GetName(), v.GetNumber(), compact(p.optionEntries(v.GetOptions())))
	}
	if len(e.GetReservedRange()) > 0 {
		var rs []string
		for _, r := range e.GetReservedRange() {
			rs = append(rs, rangeText(r.GetStart(), r.GetEnd())) // inclusive in enums
		}
		p.line(indent+1, "reserved %s;", strings.Join(rs, ", "))
	}
	p.reservedNames(indent+1, e.GetReservedName())
	p.line(indent, "}")
}

// options writes one option statement for each option that opts sets.
func (p *printer) options(indent int, opts proto.Message) {
	for _, o := range p.optionEntries(opts) {
		p.line(indent, "option %s;", o)
	}
}

// optionEntries returns "name = value" for each option that opts sets (a
// repeated option once for each of its values), by field number.
func (p *printer) optionEntries(opts proto.Message) []string {
	if opts == nil {
		return nil
	}
	m := opts.ProtoReflect()
	if !m.IsValid() {
		return nil
	}
	m = p.known(m)
	if len(m.GetUnknown()) > 0 {
		p.fail("%s has options whose extensions are unknown", m.Descriptor().Name())
		return nil
	}
	var out []string
	for _, fd := range setFields(m) {
		name := string(fd.Name())
		if fd.IsExtension() {
			name = "(." + string(fd.FullName()) + ")"
		}
		v := m.Get(fd)
		if fd.IsList() {
			for i := range v.List().Len() {
				out = append(out, name+" = "+p.value(fd, v.List().Get(i)))
			}
			continue
		}
		out = append(out, name+" = "+p.value(fd, v))
	}
	return out
}

// setFields returns the fields that m sets, extensions included, by number.
func setFields(m protoreflect.Message) []protoreflect.FieldDescriptor {
	var fds []protoreflect.FieldDescriptor
	m.Range(func(fd protoreflect.FieldDescriptor, _ protoreflect.Value) bool {
		fds = append(fds, fd)
		return true
	})
	slices.SortFunc(fds, func(a, b protoreflect.FieldDescriptor) int { return int(a.Number()) - int(b.Number()) })
	return fds
}

// value returns v, a value of fd (one element of a list), as an option
// value: a message in braces, as a message literal.
func (p *printer) value(fd protoreflect.FieldDescriptor, v protoreflect.Value) string {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return strconv.FormatBool(v.Bool())
	case protoreflect.EnumKind:
		if ev := fd.Enum().Values().ByNumber(v.Enum()); ev != nil {
			return string(ev.Name())
		}
		return strconv.FormatInt(int64(v.Enum()), 10)
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return strconv.FormatInt(v.Int(), 10)
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return strconv.FormatUint(v.Uint(), 10)
	case protoreflect.FloatKind:
		return floatText(v.Float(), 32)
	case protoreflect.DoubleKind:
		return floatText(v.Float(), 64)
	case protoreflect.StringKind:
		return quote(v.String(), false)
	case protoreflect.BytesKind:
		return quote(string(v.Bytes()), true)
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return "{" + p.literal(v.Message()) + "}"
	}
	p.fail("option %s has a value of kind %s", fd.FullName(), fd.Kind())
	return ""
}

// literal returns the fields that m sets, in the text format of a message
// literal (without its braces).
func (p *printer) literal(m protoreflect.Message) string {
	m = p.known(m)
	if len(m.GetUnknown()) > 0 {
		p.fail("a value of %s has unknown fields", m.Descriptor().FullName())
		return ""
	}
	var parts []string
	for _, fd := range setFields(m) {
		name := fd.TextName()
		if fd.IsExtension() {
			name = "[" + string(fd.FullName()) + "]"
		}
		v := m.Get(fd)
		switch {
		case fd.IsList():
			for i := range v.List().Len() {
				parts = append(parts, name+": "+p.value(fd, v.List().Get(i)))
			}
		case fd.IsMap():
			var keys []protoreflect.MapKey
			v.Map().Range(func(k protoreflect.MapKey, _ protoreflect.Value) bool {
				keys = append(keys, k)
				return true
			})
			slices.SortFunc(keys, func(a, b protoreflect.MapKey) int {
				return strings.Compare(p.value(fd.MapKey(), a.Value()), p.value(fd.MapKey(), b.Value()))
			})
			for _, k := range keys {
				parts = append(parts, name+": {key: "+p.value(fd.MapKey(), k.Value())+" value: "+p.value(fd.MapValue(), v.Map().Get(k))+"}")
			}
		default:
			parts = append(parts, name+": "+p.value(fd, v))
		}
	}
	return strings.Join(parts, " ")
}

// compact returns options as a field's or value's [...], "" for none.
func compact(opts []string) string {
	if len(opts) == 0 {
		return ""
	}
	return " [" + strings.Join(opts, ", ") + "]"
}

// typeText returns the type of a field as a .proto file writes it.
func typeText(f *descriptorpb.FieldDescriptorProto) string {
	switch f.GetType() {
	case descriptorpb.FieldDescriptorProto_TYPE_MESSAGE, descriptorpb.FieldDescriptorProto_TYPE_ENUM, descriptorpb.FieldDescriptorProto_TYPE_GROUP:
		return f.GetTypeName()
	}
	return strings.ToLower(strings.TrimPrefix(f.GetType().String(), "TYPE_"))
}

// defaultText returns a field's default value as its default option writes
// it. The descriptor holds strings as they are, bytes C-escaped, enum
// values by name, and numbers (inf, -inf and nan included) as .proto
// files write them.
func defaultText(f *descriptorpb.FieldDescriptorProto) string {
	switch f.GetType() {
	case descriptorpb.FieldDescriptorProto_TYPE_STRING:
		return quote(f.GetDefaultValue(), false)
	case descriptorpb.FieldDescriptorProto_TYPE_BYTES:
		return `"` + f.GetDefaultValue() + `"`
	}
	return f.GetDefaultValue()
}

// rangeText returns an inclusive range of numbers as reserved and
// extensions write it.
func rangeText(start, end int32) string {
	if start == end {
		return strconv.Itoa(int(start))
	}
	return fmt.Sprintf("%d to %d", start, end)
}

func visibility(v descriptorpb.SymbolVisibility) string {
	switch v {
	case descriptorpb.SymbolVisibility_VISIBILITY_LOCAL:
		return "local "
	case descriptorpb.SymbolVisibility_VISIBILITY_EXPORT:
		return "export "
	}
	return ""
}

// lastName returns the last element of a full name.
func lastName(fullName string) string {
	return fullName[strings.LastIndexByte(fullName, '.')+1:]
}

// jsonName returns the JSON name that protoc gives a field by default:
// underscores dropped, each letter after one upper-cased.
func jsonName(name string) string {
	var b strings.Builder
	up := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_':
			up = true
		case up && 'a' <= c && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
			up = false
		default:
			b.WriteByte(c)
			up = false
		}
	}
	return b.String()
}

// floatText returns a float as an option value writes it.
func floatText(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(f, 'g', -1, bits)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0" // a float, even when whole ("-0.0" keeps its sign)
	}
	return s
}

// quote returns s as a string literal. Printable ASCII stays as it is, and
// so does UTF-8 in a string; control characters, and in bytes everything
// that is not printable ASCII, are escaped in octal.
func quote(s string, bytes bool) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c == 0x7f || bytes && c >= 0x80:
			fmt.Fprintf(&b, `\%03o`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
