package generator

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
)

// Limits that keep the example of a huge or recursive message small. A field
// that is not required is left unset once either limit is reached; required
// fields are always set, so the example still marshals.
const (
	maxExampleDepth       = 3  // levels of nested messages below the example itself
	maxExampleAssignments = 48 // statements in one example constructor
	maxRecursion          = 1  // times a message type may recur inside itself
	maxRequiredDepth      = 16 // hard stop for chains of required message fields
	// maxRequiredAssignments bounds an example whose required fields alone
	// need more statements (a tree of required messages): past it, the
	// plugin fails with an error rather than write megabytes of example.
	maxRequiredAssignments = 10000
)

// fixedTimestampSeconds is 2023-11-14T22:13:20Z: examples never use the clock.
const fixedTimestampSeconds = 1700000000

// exampleBuilder writes the body of an example constructor as Go statements
// (one assignment per line, so the output is gofmt-clean without running
// gofmt) and builds the same value as a dynamic message, which gives its
// JSON for the guide and its size for the tests.
type exampleBuilder struct {
	im       *importSet
	lines    []string
	count    int
	overflow bool // the example needs more than maxRequiredAssignments

	buildableMemo map[*protogen.Message]bool
}

// example returns the Go statements of a constructor for msg, ending in a
// return statement, and the same value as a dynamic message.
func (b *exampleBuilder) example(msg *protogen.Message) (string, *dynamicpb.Message, error) {
	b.lines = b.lines[:0]
	b.count = 0
	b.overflow = false
	dm := dynamicpb.NewMessage(msg.Desc)
	if expr, ok := b.wellKnown(msg, dm, string(msg.Desc.Name())); ok {
		return "\treturn " + expr + "\n", dm, nil
	}
	b.emit("m := &" + b.im.ident(msg.GoIdent) + "{}")
	b.fill("m", msg, dm, 0, map[*protogen.Message]int{msg: 1})
	if b.overflow {
		return "", nil, fmt.Errorf("message %s: its required fields alone take more than %d assignments to set in an example; gotutor writes examples out in full, and does not write one this large", msg.Desc.FullName(), maxRequiredAssignments)
	}
	b.emit("return m")
	var sb strings.Builder
	for _, l := range b.lines {
		sb.WriteString("\t" + l + "\n")
	}
	return sb.String(), dm, nil
}

func (b *exampleBuilder) emit(line string) {
	b.lines = append(b.lines, line)
	b.count++
}

// fill assigns example values to the fields of the message held in target.
func (b *exampleBuilder) fill(target string, msg *protogen.Message, dm protoreflect.Message, depth int, seen map[*protogen.Message]int) {
	oneofDone := map[*protogen.Oneof]bool{}
	for _, f := range msg.Fields {
		required := f.Desc.Cardinality() == protoreflect.Required
		if !required && (depth >= maxExampleDepth || b.count >= maxExampleAssignments) {
			continue
		}
		if b.count >= maxRequiredAssignments {
			b.overflow = true
			return
		}
		if oneof := f.Oneof; oneof != nil && !oneof.Desc.IsSynthetic() {
			// The first member that can be filled is set: a message member
			// left empty could lack required fields, so the limits may pass
			// over it to the next one.
			if oneofDone[oneof] || f.Message != nil && !b.canNest(f.Message, depth, seen, false) {
				continue
			}
			oneofDone[oneof] = true
			b.fillOneofMember(target, f, dm, depth, seen)
			continue
		}
		b.fillField(target, f, dm, depth, seen, required)
	}
}

// canNest reports whether an example may descend into a message field. A
// required field ignores the recursion limit: leaving it unset would make
// the whole example fail to marshal, and a message that can be built at all
// has no cycle of required fields, so following them ends.
func (b *exampleBuilder) canNest(m *protogen.Message, depth int, seen map[*protogen.Message]int, required bool) bool {
	if !b.buildable(m) {
		return false
	}
	if required {
		return depth < maxRequiredDepth
	}
	return depth < maxExampleDepth && seen[m] <= maxRecursion
}

// buildable reports whether any value of m is initialized: a cycle of
// required message fields (A requires B, B requires A) has no finite value,
// so a field of such a type must stay unset.
func (b *exampleBuilder) buildable(m *protogen.Message) bool {
	if b.buildableMemo == nil {
		b.buildableMemo = map[*protogen.Message]bool{}
	}
	if ok, known := b.buildableMemo[m]; known {
		return ok
	}
	b.buildableMemo[m] = false // a cycle back to m is unbuildable
	ok := true
	for _, f := range m.Fields {
		if f.Desc.Cardinality() == protoreflect.Required && f.Message != nil && !b.buildable(f.Message) {
			ok = false
			break
		}
	}
	b.buildableMemo[m] = ok
	return ok
}

func (b *exampleBuilder) fillField(target string, f *protogen.Field, dm protoreflect.Message, depth int, seen map[*protogen.Message]int, required bool) {
	fd := f.Desc
	lhs := target + "." + f.GoName
	switch {
	case fd.IsMap():
		key, val := f.Message.Fields[0], f.Message.Fields[1]
		keyExpr, keyValue := b.scalar(key, 0)
		mp := dm.Mutable(fd).Map()
		mapType := "map[" + b.goType(key) + "]" + b.goType(val)
		if val.Message == nil {
			expr, v := b.scalar(val, 0)
			b.emit(lhs + " = " + mapType + "{" + keyExpr + ": " + expr + "}")
			mp.Set(keyValue.MapKey(), v)
			return
		}
		if !b.canNest(val.Message, depth, seen, false) {
			return // an entry left empty could lack required fields
		}
		v := mp.NewValue()
		if expr, ok := b.wellKnown(val.Message, v.Message(), string(key.Desc.Name())); ok {
			b.emit(lhs + " = " + mapType + "{" + keyExpr + ": " + expr + "}")
		} else {
			b.emit(lhs + " = " + mapType + "{" + keyExpr + ": {}}")
			b.nest(lhs+"["+keyExpr+"]", val.Message, v.Message(), depth, seen, required)
		}
		mp.Set(keyValue.MapKey(), v)
	case fd.IsList():
		list := dm.Mutable(fd).List()
		if f.Message == nil {
			e0, v0 := b.scalar(f, 0)
			e1, v1 := b.scalar(f, 1)
			b.emit(lhs + " = []" + b.goType(f) + "{" + e0 + ", " + e1 + "}")
			list.Append(v0)
			list.Append(v1)
			return
		}
		if !required && !b.canNest(f.Message, depth, seen, false) {
			return
		}
		v := list.NewElement()
		if expr, ok := b.wellKnown(f.Message, v.Message(), string(fd.Name())); ok {
			b.emit(lhs + " = []" + b.goType(f) + "{" + expr + "}")
		} else {
			b.emit(lhs + " = []" + b.goType(f) + "{{}}")
			b.nest(lhs+"[0]", f.Message, v.Message(), depth, seen, required)
		}
		list.Append(v)
	case f.Message != nil:
		if !b.canNest(f.Message, depth, seen, required) {
			return
		}
		sub := dm.Mutable(fd).Message()
		if expr, ok := b.wellKnown(f.Message, sub, string(fd.Name())); ok {
			b.emit(lhs + " = " + expr)
			return
		}
		b.emit(lhs + " = &" + b.im.ident(f.Message.GoIdent) + "{}")
		b.nest(lhs, f.Message, sub, depth, seen, required)
	default:
		expr, v := b.scalar(f, 0)
		if hasPointer(f) {
			expr = b.pointerTo(f, expr)
		}
		b.emit(lhs + " = " + expr)
		dm.Set(fd, v)
	}
}

// nest fills a nested message; an element of a list or map that the limits
// leave empty stays an empty message, which is still valid.
func (b *exampleBuilder) nest(target string, m *protogen.Message, dm protoreflect.Message, depth int, seen map[*protogen.Message]int, required bool) {
	if !b.canNest(m, depth, seen, required) {
		return
	}
	seen[m]++
	b.fill(target, m, dm, depth+1, seen)
	seen[m]--
}

func (b *exampleBuilder) fillOneofMember(target string, f *protogen.Field, dm protoreflect.Message, depth int, seen map[*protogen.Message]int) {
	lhs := target + "." + f.Oneof.GoName
	wrapper := "&" + b.im.ident(f.GoIdent)
	if f.Message == nil {
		expr, v := b.scalar(f, 0)
		b.emit(lhs + " = " + wrapper + "{" + f.GoName + ": " + expr + "}")
		dm.Set(f.Desc, v)
		return
	}
	sub := dm.Mutable(f.Desc).Message()
	if expr, ok := b.wellKnown(f.Message, sub, string(f.Desc.Name())); ok {
		b.emit(lhs + " = " + wrapper + "{" + f.GoName + ": " + expr + "}")
		return
	}
	b.emit(lhs + " = " + wrapper + "{" + f.GoName + ": &" + b.im.ident(f.Message.GoIdent) + "{}}")
	b.nest(target+"."+f.Oneof.GoName+".("+"*"+b.im.ident(f.GoIdent)+")."+f.GoName, f.Message, sub, depth, seen, false)
}

// hasPointer reports whether protoc-gen-go gives the field a pointer type
// (explicit presence outside a oneof: proto2, proto3 optional, editions).
func hasPointer(f *protogen.Field) bool {
	fd := f.Desc
	if !fd.HasPresence() || fd.IsList() || fd.IsMap() || f.Message != nil || fd.Kind() == protoreflect.BytesKind {
		return false
	}
	return f.Oneof == nil || f.Oneof.Desc.IsSynthetic()
}

func (b *exampleBuilder) pointerTo(f *protogen.Field, expr string) string {
	if f.Enum != nil {
		return expr + ".Enum()"
	}
	helper := map[protoreflect.Kind]string{
		protoreflect.BoolKind: "Bool", protoreflect.StringKind: "String",
		protoreflect.Int32Kind: "Int32", protoreflect.Sint32Kind: "Int32", protoreflect.Sfixed32Kind: "Int32",
		protoreflect.Int64Kind: "Int64", protoreflect.Sint64Kind: "Int64", protoreflect.Sfixed64Kind: "Int64",
		protoreflect.Uint32Kind: "Uint32", protoreflect.Fixed32Kind: "Uint32",
		protoreflect.Uint64Kind: "Uint64", protoreflect.Fixed64Kind: "Uint64",
		protoreflect.FloatKind: "Float32", protoreflect.DoubleKind: "Float64",
	}[f.Desc.Kind()]
	return b.im.pkg(protoPackage) + "." + helper + "(" + expr + ")"
}

// goType is the Go type of a single value of f (an element, for lists).
func (b *exampleBuilder) goType(f *protogen.Field) string {
	switch {
	case f.Message != nil:
		return "*" + b.im.ident(f.Message.GoIdent)
	case f.Enum != nil:
		return b.im.ident(f.Enum.GoIdent)
	}
	return map[protoreflect.Kind]string{
		protoreflect.BoolKind: "bool", protoreflect.StringKind: "string", protoreflect.BytesKind: "[]byte",
		protoreflect.Int32Kind: "int32", protoreflect.Sint32Kind: "int32", protoreflect.Sfixed32Kind: "int32",
		protoreflect.Int64Kind: "int64", protoreflect.Sint64Kind: "int64", protoreflect.Sfixed64Kind: "int64",
		protoreflect.Uint32Kind: "uint32", protoreflect.Fixed32Kind: "uint32",
		protoreflect.Uint64Kind: "uint64", protoreflect.Fixed64Kind: "uint64",
		protoreflect.FloatKind: "float32", protoreflect.DoubleKind: "float64",
	}[f.Desc.Kind()]
}

// scalar returns the example value of a scalar or enum field as a Go
// expression and as a protoreflect value; i numbers the elements of a list.
// A declared [default = ...] wins, so proto2 examples show their defaults.
func (b *exampleBuilder) scalar(f *protogen.Field, i int) (string, protoreflect.Value) {
	fd := f.Desc
	if f.Enum != nil {
		v := exampleEnumValue(f, i)
		return b.im.ident(v.GoIdent), protoreflect.ValueOfEnum(v.Desc.Number())
	}
	if fd.HasDefault() && !fd.IsList() {
		return b.literal(fd.Kind(), fd.Default())
	}
	n := int64(fd.Number()) + int64(i)
	name := string(fd.Name())
	if fd.IsList() {
		name += " " + strconv.Itoa(i+1)
	}
	var v protoreflect.Value
	switch fd.Kind() {
	case protoreflect.BoolKind:
		v = protoreflect.ValueOfBool(i == 0)
	case protoreflect.StringKind:
		v = protoreflect.ValueOfString(name)
	case protoreflect.BytesKind:
		v = protoreflect.ValueOfBytes([]byte(name))
	case protoreflect.Int32Kind, protoreflect.Sfixed32Kind:
		v = protoreflect.ValueOfInt32(int32(n % 1e6))
	case protoreflect.Sint32Kind:
		v = protoreflect.ValueOfInt32(-int32(n % 1e6))
	case protoreflect.Int64Kind, protoreflect.Sfixed64Kind:
		v = protoreflect.ValueOfInt64(1<<33 + n)
	case protoreflect.Sint64Kind:
		v = protoreflect.ValueOfInt64(-(1<<33 + n))
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		v = protoreflect.ValueOfUint32(3e9 + uint32(n%1e6))
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		v = protoreflect.ValueOfUint64(1<<63 + uint64(n))
	case protoreflect.FloatKind:
		v = protoreflect.ValueOfFloat32(float32(n%1e6) + 0.5)
	case protoreflect.DoubleKind:
		v = protoreflect.ValueOfFloat64(float64(n) + 0.25)
	}
	return b.literal(fd.Kind(), v)
}

// literal spells v as a Go expression of the field's Go type.
func (b *exampleBuilder) literal(kind protoreflect.Kind, v protoreflect.Value) (string, protoreflect.Value) {
	switch kind {
	case protoreflect.BoolKind:
		return strconv.FormatBool(v.Bool()), v
	case protoreflect.StringKind:
		return strconv.Quote(v.String()), v
	case protoreflect.BytesKind:
		return "[]byte(" + strconv.Quote(string(v.Bytes())) + ")", v
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		bits := 64
		if kind == protoreflect.FloatKind {
			bits = 32
		}
		f := v.Float()
		special := ""
		switch {
		case math.IsInf(f, 1):
			special = b.im.pkg(mathPackage) + ".Inf(1)"
		case math.IsInf(f, -1):
			special = b.im.pkg(mathPackage) + ".Inf(-1)"
		case math.IsNaN(f):
			special = b.im.pkg(mathPackage) + ".NaN()"
		default:
			return strconv.FormatFloat(f, 'g', -1, bits), v
		}
		if bits == 32 {
			special = "float32(" + special + ")"
		}
		return special, v
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return strconv.FormatUint(v.Uint(), 10), v
	}
	return strconv.FormatInt(v.Int(), 10), v
}

// exampleEnumValue picks the first declared non-zero value (the zero value
// says nothing on the wire), falling back to the first value.
func exampleEnumValue(f *protogen.Field, i int) *protogen.EnumValue {
	if f.Desc.HasDefault() && !f.Desc.IsList() {
		num := f.Desc.DefaultEnumValue().Number()
		for _, v := range f.Enum.Values {
			if v.Desc.Number() == num {
				return v
			}
		}
	}
	// One value per number (aliases share one), deprecated ones last.
	var nonZero, deprecated []*protogen.EnumValue
	seen := map[protoreflect.EnumNumber]bool{}
	for _, v := range f.Enum.Values {
		if n := v.Desc.Number(); n != 0 && !seen[n] {
			seen[n] = true
			if opts, ok := v.Desc.Options().(*descriptorpb.EnumValueOptions); ok && opts.GetDeprecated() {
				deprecated = append(deprecated, v)
			} else {
				nonZero = append(nonZero, v)
			}
		}
	}
	nonZero = append(nonZero, deprecated...)
	if len(nonZero) == 0 {
		return f.Enum.Values[0]
	}
	return nonZero[i%len(nonZero)]
}

// wellKnown returns fixed, readable examples for the well-known types whose
// generic example would be invalid (Any, FieldMask, Value) or meaningless
// (Timestamp, Duration). word names the value (the field's name).
func (b *exampleBuilder) wellKnown(m *protogen.Message, dm protoreflect.Message, word string) (string, bool) {
	fields := dm.Descriptor().Fields()
	set := func(name string, v protoreflect.Value) { dm.Set(fields.ByName(protoreflect.Name(name)), v) }
	switch m.Desc.FullName() {
	case "google.protobuf.Timestamp":
		set("seconds", protoreflect.ValueOfInt64(fixedTimestampSeconds))
		return fmt.Sprintf("&%s{Seconds: %d}", b.im.ident(m.GoIdent), fixedTimestampSeconds), true
	case "google.protobuf.Duration":
		set("seconds", protoreflect.ValueOfInt64(90))
		return fmt.Sprintf("&%s{Seconds: 90}", b.im.ident(m.GoIdent)), true
	case "google.protobuf.Empty":
		return "&" + b.im.ident(m.GoIdent) + "{}", true
	case "google.protobuf.Any":
		// An Any holding a StringValue; the blank import of wrapperspb
		// registers the type so that protojson can print it.
		payload := "\n" + string(rune(len(word))) + word
		if len(word) > 127 {
			word, payload = "example", "\n\aexample"
		}
		b.im.blankImport(wrapperspbPackage)
		url := "type.googleapis.com/google.protobuf.StringValue"
		set("type_url", protoreflect.ValueOfString(url))
		set("value", protoreflect.ValueOfBytes([]byte(payload)))
		return fmt.Sprintf("&%s{TypeUrl: %q, Value: []byte(%s)}", b.im.ident(m.GoIdent), url, strconv.Quote(payload)), true
	case "google.protobuf.FieldMask":
		dm.Mutable(fields.ByName("paths")).List().Append(protoreflect.ValueOfString("name"))
		return fmt.Sprintf(`&%s{Paths: []string{"name"}}`, b.im.ident(m.GoIdent)), true
	case "google.protobuf.Value":
		set("string_value", protoreflect.ValueOfString(word))
		return fmt.Sprintf("%s.NewStringValue(%q)", b.im.pkg(structpbPackage), word), true
	case "google.protobuf.ListValue":
		elem := dm.Mutable(fields.ByName("values")).List().NewElement()
		elem.Message().Set(elem.Message().Descriptor().Fields().ByName("string_value"), protoreflect.ValueOfString(word))
		dm.Mutable(fields.ByName("values")).List().Append(elem)
		sp := b.im.pkg(structpbPackage)
		return fmt.Sprintf("&%s.ListValue{Values: []*%s.Value{%s.NewStringValue(%q)}}", sp, sp, sp, word), true
	case "google.protobuf.Struct":
		mp := dm.Mutable(fields.ByName("fields")).Map()
		v := mp.NewValue()
		v.Message().Set(v.Message().Descriptor().Fields().ByName("string_value"), protoreflect.ValueOfString(word))
		mp.Set(protoreflect.ValueOfString("key").MapKey(), v)
		sp := b.im.pkg(structpbPackage)
		return fmt.Sprintf(`&%s.Struct{Fields: map[string]*%s.Value{"key": %s.NewStringValue(%q)}}`, sp, sp, sp, word), true
	}
	return "", false
}
