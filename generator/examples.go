package generator

import (
	"fmt"
	"strconv"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
)

// Limits that keep the example of a huge or recursive message small. A field
// that is not required is left unset once either limit is reached; required
// fields are always set, so the example still marshals.
const (
	maxExampleDepth  = 3  // levels of nested messages below the example itself
	maxExampleFields = 48 // fields set in one example, all levels together
	maxRecursion     = 1  // times a message type may recur inside itself
	maxRequiredDepth = 16 // hard stop for chains of required message fields
	// maxRequiredFields bounds an example whose required fields alone need
	// more (a tree of required messages): past it, the plugin fails with an
	// error rather than write megabytes of example.
	maxRequiredFields = 10000
)

// fixedTimestampSeconds is 2023-11-14T22:13:20Z: examples never use the clock.
const fixedTimestampSeconds = 1700000000

// ValueKind says what a Value holds.
type ValueKind int

const (
	ScalarValue  ValueKind = iota // a number, bool, string or bytes
	EnumValue                     // a value of an enum
	MessageValue                  // a message, with the fields that are set
	ListValue                     // the elements of a repeated field
	MapValue                      // the entries of a map field
)

// Value is an example value held as data: a tree that nests the way the
// message does. Both of its written forms come from it: Go source (the
// goValue template function, a composite literal or a builder, qualified
// for the file that prints it) and JSON (Example.JSON).
type Value struct {
	Kind ValueKind
	// Field is the field that holds the value; for an element of a list,
	// the list field; for a map's key or value, the key or value field of
	// the map's entry. Nil for the root of an example.
	Field *protogen.Field
	// Message is the type of a MessageValue, and Fields the fields it sets,
	// in the order of the proto.
	Message *protogen.Message
	Fields  []*FieldValue
	// Elems are the elements of a ListValue, Entries those of a MapValue.
	Elems   []*Value
	Entries []*MapEntry
	// Scalar is the value of a ScalarValue (its kind is Field's), Enum that
	// of an EnumValue.
	Scalar protoreflect.Value
	Enum   *protogen.EnumValue
}

// FieldValue is one field set in a message value.
type FieldValue struct {
	Field *protogen.Field
	Value *Value
}

// MapEntry is one entry of a map value.
type MapEntry struct {
	Key, Value *Value
}

// exampleBuilder builds example values. It is used for one file at a time.
type exampleBuilder struct {
	count    int  // fields set so far in the current example
	overflow bool // the example needs more than maxRequiredFields

	buildableMemo map[*protogen.Message]bool
}

// example returns the example value of msg.
func (b *exampleBuilder) example(msg *protogen.Message) (*Value, error) {
	b.count = 0
	b.overflow = false
	v := b.message(nil, msg, string(msg.Desc.Name()), 0, map[*protogen.Message]int{msg: 1})
	if b.overflow {
		return nil, fmt.Errorf("message %s: its required fields alone take more than %d fields to set in an example; gotutor writes examples out in full, and does not write one this large", msg.Desc.FullName(), maxRequiredFields)
	}
	return v, nil
}

// message returns the example of a message held by field (nil at the
// root); word names it, for the well-known types that show a word.
func (b *exampleBuilder) message(field *protogen.Field, msg *protogen.Message, word string, depth int, seen map[*protogen.Message]int) *Value {
	if v := wellKnown(field, msg, word); v != nil {
		return v
	}
	v := &Value{Kind: MessageValue, Field: field, Message: msg}
	oneofDone := map[*protogen.Oneof]bool{}
	for _, f := range msg.Fields {
		required := f.Desc.Cardinality() == protoreflect.Required
		if !required && (depth >= maxExampleDepth || b.count >= maxExampleFields) {
			continue
		}
		if b.count >= maxRequiredFields {
			b.overflow = true
			return v
		}
		if oneof := f.Oneof; oneof != nil && !oneof.Desc.IsSynthetic() {
			// The first member that can be filled is set: a message member
			// left empty could lack required fields, so the limits may pass
			// over it to the next one.
			if oneofDone[oneof] || f.Message != nil && !b.canNest(f.Message, depth, seen, false) {
				continue
			}
			oneofDone[oneof] = true
		}
		if fv := b.field(f, depth, seen, required); fv != nil {
			v.Fields = append(v.Fields, &FieldValue{Field: f, Value: fv})
		}
	}
	return v
}

// field returns the example value of one field of a message at depth, or
// nil when the limits leave it unset.
func (b *exampleBuilder) field(f *protogen.Field, depth int, seen map[*protogen.Message]int, required bool) *Value {
	fd := f.Desc
	switch {
	case fd.IsMap():
		key, val := f.Message.Fields[0], f.Message.Fields[1]
		entry := &MapEntry{Key: b.scalar(key, 0)}
		if val.Message == nil {
			entry.Value = b.scalar(val, 0)
		} else {
			if !b.canNest(val.Message, depth, seen, false) {
				return nil // an entry left empty could lack required fields
			}
			entry.Value = b.nest(val, val.Message, string(key.Desc.Name()), depth, seen, required)
		}
		b.count++
		return &Value{Kind: MapValue, Field: f, Entries: []*MapEntry{entry}}
	case fd.IsList():
		list := &Value{Kind: ListValue, Field: f}
		if f.Message == nil {
			list.Elems = []*Value{b.scalar(f, 0), b.scalar(f, 1)}
		} else {
			if !required && !b.canNest(f.Message, depth, seen, false) {
				return nil
			}
			list.Elems = []*Value{b.nest(f, f.Message, string(fd.Name()), depth, seen, required)}
		}
		b.count++
		return list
	case f.Message != nil:
		if !b.canNest(f.Message, depth, seen, required) {
			return nil
		}
		b.count++
		return b.nest(f, f.Message, string(fd.Name()), depth, seen, required)
	}
	b.count++
	return b.scalar(f, 0)
}

// nest returns the value of a nested message; an element of a list or map
// that the limits leave empty stays an empty message, which is still valid.
func (b *exampleBuilder) nest(f *protogen.Field, m *protogen.Message, word string, depth int, seen map[*protogen.Message]int, required bool) *Value {
	if !b.canNest(m, depth, seen, required) {
		if v := wellKnown(f, m, word); v != nil {
			return v
		}
		return &Value{Kind: MessageValue, Field: f, Message: m}
	}
	seen[m]++
	v := b.message(f, m, word, depth+1, seen)
	seen[m]--
	return v
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

// scalar returns the example value of a scalar or enum field; i numbers the
// elements of a list. A declared [default = ...] wins, so proto2 examples
// show their defaults.
func (b *exampleBuilder) scalar(f *protogen.Field, i int) *Value {
	fd := f.Desc
	if f.Enum != nil {
		return &Value{Kind: EnumValue, Field: f, Enum: exampleEnumValue(f, i)}
	}
	if fd.HasDefault() && !fd.IsList() {
		return &Value{Kind: ScalarValue, Field: f, Scalar: fd.Default()}
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
	return &Value{Kind: ScalarValue, Field: f, Scalar: v}
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
// (Timestamp, Duration); nil for other messages. word names the value (the
// field's name).
func wellKnown(field *protogen.Field, m *protogen.Message, word string) *Value {
	v := &Value{Kind: MessageValue, Field: field, Message: m}
	set := func(name string, x *Value) {
		for _, f := range m.Fields {
			if string(f.Desc.Name()) == name {
				x.Field = f
				v.Fields = append(v.Fields, &FieldValue{Field: f, Value: x})
				return
			}
		}
	}
	scalar := func(x protoreflect.Value) *Value { return &Value{Kind: ScalarValue, Scalar: x} }
	switch m.Desc.FullName() {
	case "google.protobuf.Timestamp":
		set("seconds", scalar(protoreflect.ValueOfInt64(fixedTimestampSeconds)))
	case "google.protobuf.Duration":
		set("seconds", scalar(protoreflect.ValueOfInt64(90)))
	case "google.protobuf.Empty":
	case "google.protobuf.Any":
		// An Any holding a StringValue; the generated code imports
		// wrapperspb, which registers the type, so that protojson can
		// print it.
		payload := "\n" + string(rune(len(word))) + word
		if len(word) > 127 {
			payload = "\n\aexample"
		}
		set("type_url", scalar(protoreflect.ValueOfString("type.googleapis.com/google.protobuf.StringValue")))
		set("value", scalar(protoreflect.ValueOfBytes([]byte(payload))))
	case "google.protobuf.FieldMask":
		list := &Value{Kind: ListValue, Elems: []*Value{scalar(protoreflect.ValueOfString("name"))}}
		set("paths", list)
		list.Elems[0].Field = list.Field
	case "google.protobuf.Value":
		set("string_value", scalar(protoreflect.ValueOfString(word)))
	case "google.protobuf.ListValue":
		list := &Value{Kind: ListValue}
		set("values", list)
		list.Elems = []*Value{wellKnown(list.Field, list.Field.Message, word)}
	case "google.protobuf.Struct":
		entries := &Value{Kind: MapValue}
		set("fields", entries)
		key, val := entries.Field.Message.Fields[0], entries.Field.Message.Fields[1]
		entries.Entries = []*MapEntry{{
			Key:   &Value{Kind: ScalarValue, Field: key, Scalar: protoreflect.ValueOfString("key")},
			Value: wellKnown(val, val.Message, word),
		}}
	default:
		return nil
	}
	return v
}

// dynamic returns v, a message value, as a dynamic message: what gives its
// JSON and its size on the wire.
func (v *Value) dynamic() *dynamicpb.Message {
	dm := dynamicpb.NewMessage(v.Message.Desc)
	v.fill(dm)
	return dm
}

func (v *Value) fill(dm protoreflect.Message) {
	for _, fv := range v.Fields {
		fd := fv.Field.Desc
		x := fv.Value
		switch x.Kind {
		case ListValue:
			list := dm.Mutable(fd).List()
			for _, e := range x.Elems {
				if e.Kind == MessageValue {
					elem := list.NewElement()
					e.fill(elem.Message())
					list.Append(elem)
				} else {
					list.Append(e.reflect())
				}
			}
		case MapValue:
			mp := dm.Mutable(fd).Map()
			for _, e := range x.Entries {
				if e.Value.Kind == MessageValue {
					val := mp.NewValue()
					e.Value.fill(val.Message())
					mp.Set(e.Key.reflect().MapKey(), val)
				} else {
					mp.Set(e.Key.reflect().MapKey(), e.Value.reflect())
				}
			}
		case MessageValue:
			x.fill(dm.Mutable(fd).Message())
		default:
			dm.Set(fd, x.reflect())
		}
	}
}

// reflect returns a scalar or enum value as protoreflect holds it.
func (v *Value) reflect() protoreflect.Value {
	if v.Kind == EnumValue {
		return protoreflect.ValueOfEnum(v.Enum.Desc.Number())
	}
	return v.Scalar
}
