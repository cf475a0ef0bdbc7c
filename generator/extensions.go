package generator

import (
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Reading the custom options that gotutor follows (google.api's,
// buf.validate's) from descriptors, whether or not they were parsed.

// extensionOf returns the value of the extension xt in the options opts, or
// nil. Options may hold extensions as unknown fields: the plugin reads its
// request without resolving them (see optionsLeftUnread), and a compiler
// run in-process may leave them so. Then xt's own records are decoded.
func extensionOf(opts proto.Message, xt protoreflect.ExtensionType) any {
	if opts == nil || !opts.ProtoReflect().IsValid() {
		return nil
	}
	if proto.HasExtension(opts, xt) {
		return proto.GetExtension(opts, xt)
	}
	v, ok := unknownExtension(opts.ProtoReflect().GetUnknown(), xt)
	if !ok {
		return nil
	}
	return xt.InterfaceOf(v)
}

// unknownExtension decodes the value of xt from unknown fields b: a
// message, or a list of messages or enums (the shapes of the extensions
// gotutor reads). It reports false when b does not hold xt, or holds it
// malformed.
func unknownExtension(b []byte, xt protoreflect.ExtensionType) (protoreflect.Value, bool) {
	xd := xt.TypeDescriptor()
	var v protoreflect.Value
	found := false
	wellFormed := unknownRecords(b, xd.Number(), func(typ protowire.Type, value []byte) bool {
		if !found {
			v, found = xt.New(), true
		}
		switch {
		case xd.Kind() == protoreflect.MessageKind && !xd.IsList():
			payload, _ := protowire.ConsumeBytes(value)
			return (proto.UnmarshalOptions{Merge: true}).Unmarshal(payload, v.Message().Interface()) == nil
		case xd.Kind() == protoreflect.MessageKind:
			payload, _ := protowire.ConsumeBytes(value)
			elem := v.List().NewElement()
			if err := proto.Unmarshal(payload, elem.Message().Interface()); err != nil {
				return false
			}
			v.List().Append(elem)
			return true
		case xd.Kind() == protoreflect.EnumKind && xd.IsList() && typ == protowire.BytesType:
			packed, _ := protowire.ConsumeBytes(value)
			for len(packed) > 0 {
				e, k := protowire.ConsumeVarint(packed)
				if k < 0 {
					return false
				}
				v.List().Append(protoreflect.ValueOfEnum(protoreflect.EnumNumber(e)))
				packed = packed[k:]
			}
			return true
		case xd.Kind() == protoreflect.EnumKind && xd.IsList() && typ == protowire.VarintType:
			e, _ := protowire.ConsumeVarint(value)
			v.List().Append(protoreflect.ValueOfEnum(protoreflect.EnumNumber(e)))
			return true
		}
		return false
	})
	return v, found && wellFormed
}

// hasExtension reports whether opts hold the extension xt, parsed or in
// their unknown fields (see extensionOf), without decoding it.
func hasExtension(opts proto.Message, xt protoreflect.ExtensionType) bool {
	if proto.HasExtension(opts, xt) {
		return true
	}
	found := false
	unknownRecords(opts.ProtoReflect().GetUnknown(), xt.TypeDescriptor().Number(), func(protowire.Type, []byte) bool {
		found = true
		return false
	})
	return found
}

// unknownRecords calls visit with the wire type and value of each record of
// field num in the unknown fields b, in order, until visit returns false. It
// returns false when b is malformed or visit stopped.
func unknownRecords(b []byte, num protowire.Number, visit func(typ protowire.Type, value []byte) bool) bool {
	for len(b) > 0 {
		n, typ, k := protowire.ConsumeTag(b)
		if k < 0 {
			return false
		}
		m := protowire.ConsumeFieldValue(n, typ, b[k:])
		if m < 0 {
			return false
		}
		if n == num && !visit(typ, b[k:k+m]) {
			return false
		}
		b = b[k+m:]
	}
	return true
}
