package randproto

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
)

// Format prints fd as .proto source: the source of a reproducer, and a
// cross-check of validity (protocompile must compile it). Types are written
// fully qualified (.pkg.Msg); comments of the source info come out as //
// lines before their elements.
func Format(fd *descriptorpb.FileDescriptorProto) string {
	p := &printer{fd: fd, comments: map[string]*descriptorpb.SourceCodeInfo_Location{}}
	for _, loc := range fd.GetSourceCodeInfo().GetLocation() {
		p.comments[pathKey(loc.Path)] = loc
	}
	p.file()
	return p.b.String()
}

type printer struct {
	fd       *descriptorpb.FileDescriptorProto
	b        strings.Builder
	comments map[string]*descriptorpb.SourceCodeInfo_Location
}

func pathKey(p []int32) string { return fmt.Sprint(p) }

func (p *printer) editions() bool { return p.fd.GetSyntax() == "editions" }
func (p *printer) proto3() bool   { return p.fd.GetSyntax() == "proto3" }

func (p *printer) line(indent int, format string, args ...any) {
	p.b.WriteString(strings.Repeat("  ", indent))
	fmt.Fprintf(&p.b, format, args...)
	p.b.WriteString("\n")
}

func (p *printer) comment(indent int, path []int32) {
	loc := p.comments[pathKey(path)]
	if loc == nil {
		return
	}
	write := func(text string) {
		text = strings.TrimSuffix(text, "\n")
		for _, l := range strings.Split(text, "\n") {
			p.line(indent, "//%s", l)
		}
	}
	for _, d := range loc.LeadingDetachedComments {
		write(d)
		p.line(0, "")
	}
	if loc.LeadingComments != nil {
		write(loc.GetLeadingComments())
	}
}

func (p *printer) file() {
	fd := p.fd
	switch fd.GetSyntax() {
	case "editions":
		p.line(0, "edition = %q;", strings.TrimPrefix(fd.GetEdition().String(), "EDITION_"))
	case "proto3":
		p.line(0, `syntax = "proto3";`)
	default:
		p.line(0, `syntax = "proto2";`)
	}
	p.line(0, "")
	if fd.Package != nil {
		p.line(0, "package %s;", fd.GetPackage())
		p.line(0, "")
	}
	public := map[int32]bool{}
	for _, i := range fd.PublicDependency {
		public[i] = true
	}
	for i, dep := range fd.Dependency {
		if public[int32(i)] {
			p.line(0, "import public %q;", dep)
		} else {
			p.line(0, "import %q;", dep)
		}
	}
	if len(fd.Dependency) > 0 {
		p.line(0, "")
	}
	o := fd.GetOptions()
	p.line(0, "option go_package = %s;", quote(o.GetGoPackage()))
	if o.GetDeprecated() {
		p.line(0, "option deprecated = true;")
	}
	for _, f := range features(o.GetFeatures()) {
		p.line(0, "option %s;", f)
	}
	for i, e := range fd.EnumType {
		p.line(0, "")
		p.enum(0, e, []int32{5, int32(i)})
	}
	for i, m := range fd.MessageType {
		p.line(0, "")
		p.message(0, m, []int32{4, int32(i)})
	}
	p.extensions(0, fd.Extension, []int32{7})
	for i, s := range fd.Service {
		p.line(0, "")
		p.service(s, []int32{6, int32(i)})
	}
}

func features(fs *descriptorpb.FeatureSet) []string {
	var out []string
	if fs == nil {
		return nil
	}
	if fs.FieldPresence != nil {
		out = append(out, "features.field_presence = "+fs.GetFieldPresence().String())
	}
	if fs.EnumType != nil {
		out = append(out, "features.enum_type = "+fs.GetEnumType().String())
	}
	if fs.RepeatedFieldEncoding != nil {
		out = append(out, "features.repeated_field_encoding = "+fs.GetRepeatedFieldEncoding().String())
	}
	if fs.MessageEncoding != nil {
		out = append(out, "features.message_encoding = "+fs.GetMessageEncoding().String())
	}
	if fs.Utf8Validation != nil {
		out = append(out, "features.utf8_validation = "+fs.GetUtf8Validation().String())
	}
	if l, ok := apiLevelOf(fs); ok {
		out = append(out, "features.(pb.go).api_level = "+l.String())
	}
	return out
}

func (p *printer) enum(indent int, e *descriptorpb.EnumDescriptorProto, path []int32) {
	p.comment(indent, path)
	p.line(indent, "enum %s {", e.GetName())
	if e.GetOptions().GetAllowAlias() {
		p.line(indent+1, "option allow_alias = true;")
	}
	if e.GetOptions().GetDeprecated() {
		p.line(indent+1, "option deprecated = true;")
	}
	for _, f := range features(e.GetOptions().GetFeatures()) {
		p.line(indent+1, "option %s;", f)
	}
	for i, v := range e.Value {
		p.comment(indent+1, appendPath(path, 2, int32(i)))
		opt := ""
		if v.GetOptions().GetDeprecated() {
			opt = " [deprecated = true]"
		}
		p.line(indent+1, "%s = %d%s;", v.GetName(), v.GetNumber(), opt)
	}
	for _, r := range e.ReservedRange {
		p.line(indent+1, "reserved %d to %d;", r.GetStart(), r.GetEnd())
	}
	for _, n := range e.ReservedName {
		p.line(indent+1, "reserved %s;", p.reservedName(n))
	}
	p.line(indent, "}")
}

func (p *printer) reservedName(n string) string {
	if p.editions() {
		return n
	}
	return strconv.Quote(n)
}

func (p *printer) message(indent int, m *descriptorpb.DescriptorProto, path []int32) {
	p.comment(indent, path)
	p.line(indent, "message %s {", m.GetName())
	p.messageBody(indent+1, m, path)
	p.line(indent, "}")
}

func (p *printer) messageBody(indent int, m *descriptorpb.DescriptorProto, path []int32) {
	if m.GetOptions().GetDeprecated() {
		p.line(indent, "option deprecated = true;")
	}
	for _, f := range features(m.GetOptions().GetFeatures()) {
		p.line(indent, "option %s;", f)
	}
	for _, r := range ruleOptions(m.GetOptions()) {
		p.line(indent, "option %s;", r)
	}
	// Nested types that fields declare (map entries, groups) are printed
	// with their fields.
	inline := map[string]bool{}
	for _, f := range m.Field {
		if f.GetType() == descriptorpb.FieldDescriptorProto_TYPE_GROUP && !p.editions() {
			inline[f.GetTypeName()] = true
		}
	}
	nested := map[string]int{}
	for i, n := range m.NestedType {
		nested[n.GetName()] = i
	}
	entry := func(typeName string) *descriptorpb.DescriptorProto {
		i := strings.LastIndex(typeName, ".")
		if j, ok := nested[typeName[i+1:]]; ok && m.NestedType[j].GetOptions().GetMapEntry() {
			return m.NestedType[j]
		}
		return nil
	}
	for i, e := range m.EnumType {
		p.enum(indent, e, appendPath(path, 4, int32(i)))
	}
	for i, n := range m.NestedType {
		if n.GetOptions().GetMapEntry() || p.isInlineGroup(m, n) {
			continue
		}
		p.message(indent, n, appendPath(path, 3, int32(i)))
	}
	for i := 0; i < len(m.Field); i++ {
		f := m.Field[i]
		if f.OneofIndex != nil && !f.GetProto3Optional() {
			o := f.GetOneofIndex()
			p.line(indent, "oneof %s {", m.OneofDecl[o].GetName())
			for _, r := range ruleOptions(m.OneofDecl[o].GetOptions()) {
				p.line(indent+1, "option %s;", r)
			}
			for ; i < len(m.Field) && m.Field[i].OneofIndex != nil && m.Field[i].GetOneofIndex() == o; i++ {
				p.field(indent+1, m, m.Field[i], appendPath(path, 2, int32(i)), entry, true)
			}
			i--
			p.line(indent, "}")
			continue
		}
		p.field(indent, m, f, appendPath(path, 2, int32(i)), entry, false)
	}
	for _, r := range m.ReservedRange {
		p.line(indent, "reserved %s;", rangeText(r.GetStart(), r.GetEnd()))
	}
	for _, n := range m.ReservedName {
		p.line(indent, "reserved %s;", p.reservedName(n))
	}
	for _, r := range m.ExtensionRange {
		p.line(indent, "extensions %s;", rangeText(r.GetStart(), r.GetEnd()))
	}
	p.extensions(indent, m.Extension, appendPath(path, 6))
}

func rangeText(start, end int32) string {
	switch {
	case end == 536870912:
		return fmt.Sprintf("%d to max", start)
	case end == start+1:
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d to %d", start, end-1)
}

func (p *printer) isInlineGroup(parent, n *descriptorpb.DescriptorProto) bool {
	if p.editions() {
		return false
	}
	for _, f := range parent.Field {
		if f.GetType() == descriptorpb.FieldDescriptorProto_TYPE_GROUP && strings.HasSuffix(f.GetTypeName(), "."+n.GetName()) {
			return true
		}
	}
	return false
}

func (p *printer) extensions(indent int, xs []*descriptorpb.FieldDescriptorProto, path []int32) {
	for i, x := range xs {
		p.comment(indent, appendPath(path, int32(i)))
		p.line(indent, "extend %s {", x.GetExtendee())
		p.field(indent+1, nil, x, nil, nil, false)
		p.line(indent, "}")
	}
}

var scalarNames = map[descriptorpb.FieldDescriptorProto_Type]string{
	descriptorpb.FieldDescriptorProto_TYPE_DOUBLE: "double", descriptorpb.FieldDescriptorProto_TYPE_FLOAT: "float",
	descriptorpb.FieldDescriptorProto_TYPE_INT64: "int64", descriptorpb.FieldDescriptorProto_TYPE_UINT64: "uint64",
	descriptorpb.FieldDescriptorProto_TYPE_INT32: "int32", descriptorpb.FieldDescriptorProto_TYPE_FIXED64: "fixed64",
	descriptorpb.FieldDescriptorProto_TYPE_FIXED32: "fixed32", descriptorpb.FieldDescriptorProto_TYPE_BOOL: "bool",
	descriptorpb.FieldDescriptorProto_TYPE_STRING: "string", descriptorpb.FieldDescriptorProto_TYPE_BYTES: "bytes",
	descriptorpb.FieldDescriptorProto_TYPE_UINT32: "uint32", descriptorpb.FieldDescriptorProto_TYPE_SFIXED32: "sfixed32",
	descriptorpb.FieldDescriptorProto_TYPE_SFIXED64: "sfixed64", descriptorpb.FieldDescriptorProto_TYPE_SINT32: "sint32",
	descriptorpb.FieldDescriptorProto_TYPE_SINT64: "sint64",
}

func typeText(f *descriptorpb.FieldDescriptorProto) string {
	if n, ok := scalarNames[f.GetType()]; ok {
		return n
	}
	return f.GetTypeName()
}

func (p *printer) field(indent int, m *descriptorpb.DescriptorProto, f *descriptorpb.FieldDescriptorProto, path []int32,
	entry func(string) *descriptorpb.DescriptorProto, inOneof bool) {
	if path != nil {
		p.comment(indent, path)
	}
	var opts []string
	if f.DefaultValue != nil {
		opts = append(opts, "default = "+defaultText(f))
	}
	if f.JsonName != nil && f.GetJsonName() != jsonCamelCase(f.GetName()) {
		opts = append(opts, "json_name = "+quote(f.GetJsonName()))
	}
	o := f.GetOptions()
	if o != nil && o.Packed != nil {
		opts = append(opts, fmt.Sprintf("packed = %v", o.GetPacked()))
	}
	if o.GetDeprecated() {
		opts = append(opts, "deprecated = true")
	}
	opts = append(opts, features(o.GetFeatures())...)
	opts = append(opts, ruleOptions(o)...)
	optText := ""
	if len(opts) > 0 {
		optText = " [" + strings.Join(opts, ", ") + "]"
	}
	if entry != nil {
		if e := entry(f.GetTypeName()); e != nil && f.GetLabel() == descriptorpb.FieldDescriptorProto_LABEL_REPEATED {
			p.line(indent, "map<%s, %s> %s = %d%s;", typeText(e.Field[0]), typeText(e.Field[1]), f.GetName(), f.GetNumber(), optText)
			return
		}
	}
	label := ""
	switch {
	case inOneof:
	case f.GetLabel() == descriptorpb.FieldDescriptorProto_LABEL_REPEATED:
		label = "repeated "
	case p.editions():
	case f.GetLabel() == descriptorpb.FieldDescriptorProto_LABEL_REQUIRED:
		label = "required "
	case p.proto3():
		if f.GetProto3Optional() {
			label = "optional "
		}
	default:
		label = "optional "
	}
	if f.GetType() == descriptorpb.FieldDescriptorProto_TYPE_GROUP && !p.editions() && m != nil {
		name := f.GetTypeName()[strings.LastIndex(f.GetTypeName(), ".")+1:]
		p.line(indent, "%sgroup %s = %d%s {", label, name, f.GetNumber(), optText)
		for i, n := range m.NestedType {
			if n.GetName() == name {
				p.messageBody(indent+1, n, appendPath(path[:len(path)-2], 3, int32(i)))
			}
		}
		p.line(indent, "}")
		return
	}
	p.line(indent, "%s%s %s = %d%s;", label, typeText(f), f.GetName(), f.GetNumber(), optText)
}

func defaultText(f *descriptorpb.FieldDescriptorProto) string {
	v := f.GetDefaultValue()
	switch f.GetType() {
	case descriptorpb.FieldDescriptorProto_TYPE_STRING:
		return quote(v)
	case descriptorpb.FieldDescriptorProto_TYPE_BYTES:
		return `"` + v + `"` // already C-escaped
	}
	return v
}

// quote writes s as a proto string literal.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\%03o`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func (p *printer) service(s *descriptorpb.ServiceDescriptorProto, path []int32) {
	p.comment(0, path)
	p.line(0, "service %s {", s.GetName())
	if s.GetOptions().GetDeprecated() {
		p.line(1, "option deprecated = true;")
	}
	for i, m := range s.Method {
		p.comment(1, appendPath(path, 2, int32(i)))
		in, out := m.GetInputType(), m.GetOutputType()
		if m.GetClientStreaming() {
			in = "stream " + in
		}
		if m.GetServerStreaming() {
			out = "stream " + out
		}
		var opts []string
		if m.GetOptions().GetDeprecated() {
			opts = append(opts, "option deprecated = true;")
		}
		if m.GetOptions() != nil && m.GetOptions().IdempotencyLevel != nil {
			opts = append(opts, "option idempotency_level = "+m.GetOptions().GetIdempotencyLevel().String()+";")
		}
		if len(opts) == 0 {
			p.line(1, "rpc %s(%s) returns (%s);", m.GetName(), in, out)
			continue
		}
		p.line(1, "rpc %s(%s) returns (%s) {", m.GetName(), in, out)
		for _, o := range opts {
			p.line(2, "%s", o)
		}
		p.line(1, "}")
	}
	p.line(0, "}")
}

// ruleOptions are the buf.validate options among opts, as option
// assignments: (.buf.validate.field) = {string: {min_len: 3}}. Options
// that a compiler left unknown are read through the extensions this
// binary links.
func ruleOptions(opts proto.Message) []string {
	if opts == nil || !opts.ProtoReflect().IsValid() {
		return nil
	}
	m := opts.ProtoReflect()
	if len(m.GetUnknown()) > 0 {
		b, err := proto.Marshal(opts)
		if err == nil {
			parsed := m.New().Interface()
			if (proto.UnmarshalOptions{Resolver: protoregistry.GlobalTypes}).Unmarshal(b, parsed) == nil {
				m = parsed.ProtoReflect()
			}
		}
	}
	var fds []protoreflect.FieldDescriptor
	m.Range(func(fd protoreflect.FieldDescriptor, _ protoreflect.Value) bool {
		if fd.IsExtension() && strings.HasPrefix(string(fd.FullName()), "buf.validate.") {
			fds = append(fds, fd)
		}
		return true
	})
	sort.Slice(fds, func(i, j int) bool { return fds[i].Number() < fds[j].Number() })
	var out []string
	for _, fd := range fds {
		out = append(out, "(."+string(fd.FullName())+") = "+textValue(fd, m.Get(fd)))
	}
	return out
}

// textValue writes v, a value of fd, in the text format of option values.
func textValue(fd protoreflect.FieldDescriptor, v protoreflect.Value) string {
	if fd.IsList() {
		var elems []string
		for i := 0; i < v.List().Len(); i++ {
			elems = append(elems, textScalar(fd, v.List().Get(i)))
		}
		return "[" + strings.Join(elems, ", ") + "]"
	}
	return textScalar(fd, v)
}

func textScalar(fd protoreflect.FieldDescriptor, v protoreflect.Value) string {
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		m := v.Message()
		var fds []protoreflect.FieldDescriptor
		m.Range(func(fd protoreflect.FieldDescriptor, _ protoreflect.Value) bool {
			fds = append(fds, fd)
			return true
		})
		sort.Slice(fds, func(i, j int) bool { return fds[i].Number() < fds[j].Number() })
		var parts []string
		for _, f := range fds {
			parts = append(parts, string(f.Name())+": "+textValue(f, m.Get(f)))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case protoreflect.StringKind:
		return quote(v.String())
	case protoreflect.BytesKind:
		var b strings.Builder
		b.WriteByte('"')
		for _, c := range v.Bytes() {
			if c == '"' || c == '\\' || c < 0x20 || c >= 0x7f {
				fmt.Fprintf(&b, `\%03o`, c)
			} else {
				b.WriteByte(c)
			}
		}
		b.WriteByte('"')
		return b.String()
	case protoreflect.EnumKind:
		if ev := fd.Enum().Values().ByNumber(v.Enum()); ev != nil {
			return string(ev.Name())
		}
		return strconv.Itoa(int(v.Enum()))
	case protoreflect.FloatKind:
		return floatText(v.Float(), 32)
	case protoreflect.DoubleKind:
		return floatText(v.Float(), 64)
	}
	return fmt.Sprint(v.Interface())
}

func floatText(f float64, bits int) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	return strconv.FormatFloat(f, 'g', -1, bits)
}
