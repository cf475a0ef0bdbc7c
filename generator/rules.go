package generator

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"buf.build/go/protovalidate"
	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// What an API declares about the values it accepts, read from the options
// of its descriptors: google.api resources and field behaviours
// (google/api/resource.proto, field_behavior.proto) and protovalidate's
// buf.validate rules. Examples follow them (see exampleBuilder).

// apiIndex holds what a request declares across its files: resources by
// type, from messages' google.api.resource and files'
// google.api.resource_definition.
type apiIndex struct {
	resources map[string]*annotations.ResourceDescriptor
	files     map[string]*protogen.File // by path
}

func indexAPI(gen *protogen.Plugin) *apiIndex {
	idx := &apiIndex{resources: map[string]*annotations.ResourceDescriptor{}, files: gen.FilesByPath}
	// A type may be declared in several files (an API's own resource and
	// other APIs' resource_definitions of it): its patterns are merged,
	// the wildcard "*" (any name) kept only when nothing else is known.
	add := func(r *annotations.ResourceDescriptor) {
		var patterns []string
		for _, p := range r.GetPattern() {
			if p != "*" && p != "" {
				patterns = append(patterns, p)
			}
		}
		if r.GetType() == "" || len(patterns) == 0 {
			return
		}
		known := idx.resources[r.GetType()]
		if known == nil {
			known = &annotations.ResourceDescriptor{Type: r.GetType()}
			idx.resources[r.GetType()] = known
		}
		for _, p := range patterns {
			if !slices.Contains(known.Pattern, p) {
				known.Pattern = append(known.Pattern, p)
			}
		}
	}
	var walk func([]*protogen.Message)
	walk = func(msgs []*protogen.Message) {
		for _, m := range msgs {
			if r, ok := extensionOf(m.Desc.Options(), annotations.E_Resource).(*annotations.ResourceDescriptor); ok {
				add(r)
			}
			walk(m.Messages)
		}
	}
	for _, f := range gen.Files {
		if defs, ok := extensionOf(f.Desc.Options(), annotations.E_ResourceDefinition).([]*annotations.ResourceDescriptor); ok {
			for _, r := range defs {
				add(r)
			}
		}
		walk(f.Messages)
	}
	return idx
}

// fileOf returns the file that declares m, nil when unknown.
func (idx *apiIndex) fileOf(m *protogen.Message) *protogen.File {
	if idx == nil {
		return nil
	}
	return idx.files[m.Desc.ParentFile().Path()]
}

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

// behaviors returns the google.api.field_behavior of f.
func behaviors(f *protogen.Field) []annotations.FieldBehavior {
	b, _ := extensionOf(f.Desc.Options(), annotations.E_FieldBehavior).([]annotations.FieldBehavior)
	return b
}

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

// fieldFacts is what a field declares, read once per file: reading
// options costs more than building the example.
type fieldFacts struct {
	behaviors []annotations.FieldBehavior
	rules     *validate.FieldRules
	// pattern is the resource name pattern that the field's values
	// follow, "" when none.
	pattern string
}

// facts returns what f declares, from the cache of b.
func (b *exampleBuilder) facts(f *protogen.Field) *fieldFacts {
	if ff, ok := b.factsMemo[f]; ok {
		return ff
	}
	if b.factsMemo == nil {
		b.factsMemo = map[*protogen.Field]*fieldFacts{}
	}
	ff := &fieldFacts{behaviors: behaviors(f), rules: fieldRules(f), pattern: b.api.resourcePattern(f)}
	b.factsMemo[f] = ff
	return ff
}

// resourcePattern returns the pattern of the resource names that the
// string field f holds, when f is the name field of a resource or a
// google.api.resource_reference; "" otherwise.
func (idx *apiIndex) resourcePattern(f *protogen.Field) string {
	if f.Desc.Kind() != protoreflect.StringKind {
		return ""
	}
	if r, ok := extensionOf(f.Parent.Desc.Options(), annotations.E_Resource).(*annotations.ResourceDescriptor); ok && len(r.GetPattern()) > 0 {
		nameField := r.GetNameField()
		if nameField == "" {
			nameField = "name"
		}
		if string(f.Desc.Name()) == nameField {
			return r.GetPattern()[0]
		}
	}
	ref, ok := extensionOf(f.Desc.Options(), annotations.E_ResourceReference).(*annotations.ResourceReference)
	if !ok {
		return ""
	}
	if t := ref.GetType(); t != "" && t != "*" {
		return idx.pattern(t)
	}
	if t := ref.GetChildType(); t != "" && t != "*" {
		return parentPattern(idx.pattern(t))
	}
	return ""
}

// pattern returns the first pattern of the resource type t. A type that no
// file of the request defines gets one made from its name, as most are:
// cloudresourcemanager.googleapis.com/Project is projects/{project}.
func (idx *apiIndex) pattern(t string) string {
	if idx != nil && idx.resources[t] != nil {
		return idx.resources[t].GetPattern()[0]
	}
	_, kind, _ := strings.Cut(t, "/")
	if kind == "" {
		return ""
	}
	singular := snake(kind)
	plural := lowerFirst(kind) + "s"
	if strings.HasSuffix(kind, "y") {
		plural = lowerFirst(strings.TrimSuffix(kind, "y")) + "ies"
	}
	return plural + "/{" + singular + "}"
}

// parentPattern drops the last collection and id of a pattern: the
// parent of projects/{project}/topics/{topic} is projects/{project}.
func parentPattern(p string) string {
	segs := strings.Split(p, "/")
	if len(segs) < 3 {
		return ""
	}
	return strings.Join(segs[:len(segs)-2], "/")
}

// instantiate fills the variables of a resource name pattern with example
// ids: projects/{project}/topics/{topic} gives
// projects/my-project/topics/my-topic (my-topic-2 for the second element of
// a list).
func instantiate(pattern string, i int) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(pattern, '{')
		if open < 0 {
			b.WriteString(pattern)
			return b.String()
		}
		end := strings.IndexByte(pattern[open:], '}')
		if end < 0 {
			b.WriteString(pattern)
			return b.String()
		}
		b.WriteString(pattern[:open])
		name, _, _ := strings.Cut(pattern[open+1:open+end], "=")
		id := exampleID(name)
		if i > 0 && open+end+1 == len(pattern) {
			id += "-" + strconv.Itoa(i+1)
		}
		b.WriteString(id)
		pattern = pattern[open+end+1:]
	}
}

// exampleID is the example value of one variable of a resource pattern.
func exampleID(name string) string {
	switch name {
	case "location", "region":
		return "us-central1"
	case "zone":
		return "us-central1-a"
	}
	return "my-" + strings.ReplaceAll(name, "_", "-")
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// snake turns CamelCase into snake_case.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hasBehavior reports whether bs holds b.
func hasBehavior(bs []annotations.FieldBehavior, b annotations.FieldBehavior) bool {
	return slices.Contains(bs, b)
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
