package generator

import (
	"strings"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
)

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
	// FromJSON says that the Go form of a MessageValue unmarshals it from
	// its JSON. It is set for an Open message of a Hybrid file that sets
	// fields: protoc-gen-go gives such a message exported fields, but makes
	// it Opaque with -tags protoopaque, so no literal or builder sets its
	// fields in both builds.
	FromJSON bool
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

// jsonOf is m in protojson form, on one line.
func jsonOf(m proto.Message) string {
	b, err := protojson.Marshal(m)
	if err != nil {
		return "{}"
	}
	return compactJSON(b)
}

// compactJSON removes the spaces protojson inserts at random, so that the
// guide is byte-identical across runs.
func compactJSON(b []byte) string {
	var out strings.Builder
	inString, escaped := false, false
	for _, c := range string(b) {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ' ' || c == '\n' || c == '\t'):
			continue
		}
		out.WriteRune(c)
	}
	return out.String()
}
