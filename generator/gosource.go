package generator

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/gofeaturespb"
)

// goRenderer writes example values as Go expressions, the way a person
// writes them: one expression nested the way the data nests, composite
// literals for messages of the Open API, builders (T_builder{...}.Build())
// for those of the Opaque and Hybrid APIs. Identifiers are qualified for the
// file that im belongs to.
//
// The output is already gofmt-clean, so that no formatting pass is needed:
// a literal with several elements puts each on a line of its own, and keys
// and values are aligned in columns exactly where gofmt aligns them (see
// alignPairs).
type goRenderer struct{ im *importSet }

// maxOneLine is the longest composite literal that is written on one line.
const maxOneLine = 72

// expr returns v as a Go expression. indent is the indentation, in tabs, of
// the line where the expression starts; elide says that v is an element of
// a list or a map value, whose &T gofmt -s would drop.
func (r goRenderer) expr(v *Value, indent int, elide bool) string {
	switch v.Kind {
	case MessageValue:
		return r.message(v, indent, elide)
	case ListValue:
		elems := make([]pair, len(v.Elems))
		for i, e := range v.Elems {
			elems[i].value = r.expr(e, indent+1, true)
		}
		// Numbers, strings and enums go on one line when they fit.
		return composite("[]"+r.goType(v.Field)+"{", elems, "}", indent, len(v.Elems) <= 2 || v.Field.Message == nil)
	case MapValue:
		key, val := v.Field.Message.Fields[0], v.Field.Message.Fields[1]
		elems := make([]pair, len(v.Entries))
		for i, e := range v.Entries {
			elems[i] = pair{key: r.expr(e.Key, indent+1, false), value: r.expr(e.Value, indent+1, true)}
		}
		return composite("map["+r.goType(key)+"]"+r.goType(val)+"{", elems, "}", indent, len(elems) == 1)
	case EnumValue:
		return r.im.ident(v.Enum.GoIdent)
	}
	return r.literal(v.Field.Desc.Kind(), v.Scalar)
}

// message writes a message value as a composite literal or a builder.
func (r goRenderer) message(v *Value, indent int, elide bool) string {
	m := v.Message
	if s, ok := r.wellKnown(v); ok {
		return s
	}
	if v.FromJSON {
		return r.fromJSON(v, indent)
	}
	builder := usesBuilder(m)
	elems := make([]pair, 0, len(v.Fields))
	for _, fv := range v.Fields {
		f := fv.Field
		value := r.expr(fv.Value, indent+1, false)
		switch {
		case builder:
			// A builder has a field per oneof member, and pointers where
			// a value may be absent.
			if builderPointer(f) {
				value = r.pointer(f, value)
			}
			elems = append(elems, pair{key: f.BuilderFieldName(), value: value})
		case f.Oneof != nil && !f.Oneof.Desc.IsSynthetic():
			// The oneof's field holds the member's wrapper type.
			elems = append(elems, pair{key: f.Oneof.GoName, value: "&" + r.im.ident(f.GoIdent) + "{" + f.GoName + ": " + value + "}"})
		default:
			if hasPointer(f) {
				value = r.pointer(f, value)
			}
			elems = append(elems, pair{key: f.GoName, value: value})
		}
	}
	switch {
	case builder:
		return composite(r.im.ident(builderIdent(m))+"{", elems, "}.Build()", indent, len(elems) <= 2)
	case elide:
		return composite("{", elems, "}", indent, len(elems) <= 2)
	}
	return composite("&"+r.im.ident(m.GoIdent)+"{", elems, "}", indent, len(elems) <= 2)
}

// fromJSON writes a message value that no literal or builder sets in both
// builds of its Hybrid file (see Value.FromJSON) as a function literal that
// unmarshals its JSON.
func (r goRenderer) fromJSON(v *Value, indent int) string {
	tabs := strings.Repeat("\t", indent)
	typ := r.im.ident(v.Message.GoIdent)
	json := jsonOf(v.dynamic())
	quoted := "`" + json + "`"
	if !strconv.CanBackquote(json) {
		quoted = strconv.Quote(json)
	}
	return "func() *" + typ + " {\n" +
		tabs + "\t// -tags protoopaque makes this Open message Opaque: its JSON\n" +
		tabs + "\t// sets its fields in both builds.\n" +
		tabs + "\tm := new(" + typ + ")\n" +
		tabs + "\tif err := " + r.im.pkg(protojsonPackage) + ".Unmarshal([]byte(" + quoted + "), m); err != nil {\n" +
		tabs + "\t\tpanic(err)\n" +
		tabs + "\t}\n" +
		tabs + "\treturn m\n" +
		tabs + "}()"
}

// wellKnown writes the well-known types that have a constructor the way a
// person would: structpb.NewStringValue("x"), wrapperspb.String("x").
func (r goRenderer) wellKnown(v *Value) (string, bool) {
	m := v.Message
	switch m.GoIdent.GoImportPath {
	case structpbPackage:
		if m.GoIdent.GoName == "Value" && len(v.Fields) == 1 && v.Fields[0].Field.Desc.Name() == "string_value" {
			return r.im.pkg(structpbPackage) + ".NewStringValue(" + r.expr(v.Fields[0].Value, 0, false) + ")", true
		}
	case wrapperspbPackage:
		if len(v.Fields) == 1 {
			return r.im.pkg(wrapperspbPackage) + "." + strings.TrimSuffix(m.GoIdent.GoName, "Value") + "(" + r.expr(v.Fields[0].Value, 0, false) + ")", true
		}
	case anypbPackage:
		// The payload's type must be registered for protojson to print it.
		r.im.blankImport(wrapperspbPackage)
	}
	return "", false
}

// usesBuilder reports whether examples of m are built with m's builder: the
// Opaque API has no exported fields, and the Hybrid API exists to migrate to
// it, so its examples use what survives the switch. The API level is as
// protogen resolves it (file and message features, default_api_level=,
// apilevelM), except for the packages of protobuf-go and genproto, whose
// code is generated once for everyone with the Open API.
func usesBuilder(m *protogen.Message) bool {
	p := string(m.GoIdent.GoImportPath)
	if strings.HasPrefix(p, "google.golang.org/protobuf/") || strings.HasPrefix(p, "google.golang.org/genproto/") {
		return false
	}
	return m.APILevel == gofeaturespb.GoFeatures_API_OPAQUE || m.APILevel == gofeaturespb.GoFeatures_API_HYBRID
}

// builderIdent is the builder type that protoc-gen-go declares for m.
func builderIdent(m *protogen.Message) protogen.GoIdent {
	return m.GoIdent.GoImportPath.Ident(m.GoIdent.GoName + "_builder")
}

// builderPointer reports whether a builder's field for f is a pointer:
// scalars and enums that may be absent, including members of a oneof, and
// bytes members of a oneof that declare a default.
func builderPointer(f *protogen.Field) bool {
	fd := f.Desc
	if f.Message != nil || fd.IsList() || fd.IsMap() {
		return false
	}
	if fd.Kind() == protoreflect.BytesKind {
		return f.Oneof != nil && !f.Oneof.Desc.IsSynthetic() && fd.HasDefault()
	}
	return fd.HasPresence()
}

// hasPointer reports whether protoc-gen-go gives the field of an Open
// struct a pointer type (explicit presence outside a oneof: proto2, proto3
// optional, editions).
func hasPointer(f *protogen.Field) bool {
	fd := f.Desc
	if !fd.HasPresence() || fd.IsList() || fd.IsMap() || f.Message != nil || fd.Kind() == protoreflect.BytesKind {
		return false
	}
	return f.Oneof == nil || f.Oneof.Desc.IsSynthetic()
}

// pointer returns a pointer to the scalar or enum value expr of field f.
func (r goRenderer) pointer(f *protogen.Field, expr string) string {
	switch {
	case f.Enum != nil:
		return expr + ".Enum()"
	case f.Desc.Kind() == protoreflect.BytesKind:
		return "new(" + expr + ")" // Go 1.26: new takes an expression
	}
	helper := map[protoreflect.Kind]string{
		protoreflect.BoolKind: "Bool", protoreflect.StringKind: "String",
		protoreflect.Int32Kind: "Int32", protoreflect.Sint32Kind: "Int32", protoreflect.Sfixed32Kind: "Int32",
		protoreflect.Int64Kind: "Int64", protoreflect.Sint64Kind: "Int64", protoreflect.Sfixed64Kind: "Int64",
		protoreflect.Uint32Kind: "Uint32", protoreflect.Fixed32Kind: "Uint32",
		protoreflect.Uint64Kind: "Uint64", protoreflect.Fixed64Kind: "Uint64",
		protoreflect.FloatKind: "Float32", protoreflect.DoubleKind: "Float64",
	}[f.Desc.Kind()]
	return r.im.pkg(protoPackage) + "." + helper + "(" + expr + ")"
}

// goType is the Go type of a single value of f (an element, for lists).
func (r goRenderer) goType(f *protogen.Field) string {
	switch {
	case f.Message != nil:
		return "*" + r.im.ident(f.Message.GoIdent)
	case f.Enum != nil:
		return r.im.ident(f.Enum.GoIdent)
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

// literal spells v as a Go expression of the Go type of a field of kind.
func (r goRenderer) literal(kind protoreflect.Kind, v protoreflect.Value) string {
	switch kind {
	case protoreflect.BoolKind:
		return strconv.FormatBool(v.Bool())
	case protoreflect.StringKind:
		return strconv.Quote(v.String())
	case protoreflect.BytesKind:
		return "[]byte(" + strconv.Quote(string(v.Bytes())) + ")"
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		bits := 64
		if kind == protoreflect.FloatKind {
			bits = 32
		}
		f := v.Float()
		special := ""
		switch {
		case math.IsInf(f, 1):
			special = r.im.pkg(mathPackage) + ".Inf(1)"
		case math.IsInf(f, -1):
			special = r.im.pkg(mathPackage) + ".Inf(-1)"
		case math.IsNaN(f):
			special = r.im.pkg(mathPackage) + ".NaN()"
		default:
			return strconv.FormatFloat(f, 'g', -1, bits)
		}
		if bits == 32 {
			special = "float32(" + special + ")"
		}
		return special
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return strconv.FormatUint(v.Uint(), 10)
	case protoreflect.EnumKind:
		return strconv.FormatInt(int64(v.Enum()), 10)
	}
	return strconv.FormatInt(v.Int(), 10)
}

// pair is one element of a composite literal: a value, with its key in a
// struct or map literal.
type pair struct{ key, value string }

// composite writes a composite literal of elems between open and close. It
// goes on one line when short is true, every element fits on one line, and
// the whole is short; otherwise each element gets a line of its own, at
// indent+1.
func composite(open string, elems []pair, close string, indent int, short bool) string {
	if len(elems) == 0 {
		return open + close
	}
	if short {
		var b strings.Builder
		b.WriteString(open)
		for i, e := range elems {
			if i > 0 {
				b.WriteString(", ")
			}
			if e.key != "" {
				b.WriteString(e.key + ": ")
			}
			b.WriteString(e.value)
		}
		b.WriteString(close)
		if s := b.String(); len(s) <= maxOneLine && !strings.Contains(s, "\n") {
			return s
		}
	}
	pads := alignPairs(elems)
	tabs := strings.Repeat("\t", indent+1)
	var b strings.Builder
	b.WriteString(open + "\n")
	for i, e := range elems {
		b.WriteString(tabs)
		if e.key != "" {
			b.WriteString(e.key + ":" + strings.Repeat(" ", pads[i]))
		}
		b.WriteString(e.value + ",\n")
	}
	b.WriteString(tabs[1:] + close)
	return b.String()
}

// alignPairs returns the spaces that gofmt puts between each key's colon
// and its value in a composite literal written one element per line.
//
// gofmt (go/printer's exprList) aligns the values of consecutive key-value
// elements that each fit on one line, in a column one space past the
// longest key. An element that spans several lines stands alone, and a key
// whose length is far from the geometric mean of the keys before it in its
// column starts a new column, as long as it or its predecessor is longer
// than 40 bytes.
func alignPairs(elems []pair) []int {
	const smallSize, ratioLimit = 40, 2.5
	sizes := make([]int, len(elems)) // a key's length; 0 for a multi-line element
	for i, e := range elems {
		if !strings.Contains(e.value, "\n") {
			sizes[i] = len(e.key)
		}
	}
	pads := make([]int, len(elems))
	lnsum, count := 0.0, 0
	start := 0 // of the current column of values
	flush := func(end int) {
		width := 0
		for _, e := range elems[start:end] {
			width = max(width, utf8.RuneCountInString(e.key))
		}
		for i := start; i < end; i++ {
			pads[i] = width - utf8.RuneCountInString(elems[i].key) + 1
		}
		start = end
	}
	for i, size := range sizes {
		if i > 0 {
			prev := sizes[i-1]
			newColumn := true
			if prev > 0 && size > 0 {
				if count == 0 || prev <= smallSize && size <= smallSize {
					newColumn = false
				} else {
					ratio := float64(size) / math.Exp(lnsum/float64(count))
					newColumn = ratioLimit*ratio <= 1 || ratioLimit <= ratio
				}
			}
			if newColumn {
				// A new section: go/printer starts the mean over.
				flush(i)
				lnsum, count = 0, 0
			}
		}
		if size > 0 {
			lnsum += math.Log(float64(size))
			count++
		}
	}
	flush(len(elems))
	return pads
}
