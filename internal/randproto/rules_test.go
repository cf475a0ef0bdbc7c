package randproto

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/gotutor/gotutor/internal/protoreq"
)

// TestRuleWitnesses: every rule set that randproto draws can be met. The
// values it drew a field's rules around (its witness) meet them, as
// protovalidate checks them; and protovalidate compiles the rules of every
// message (no rule of the wrong type, no unknown field name).
func TestRuleWitnesses(t *testing.T) {
	checked, sets := 0, 0
	for seed := uint64(1); seed <= uint64(*cases); seed++ {
		set, err := New(seed, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(set.witnesses) == 0 {
			continue
		}
		sets++
		descs, err := set.Descriptors()
		if err != nil {
			t.Fatal(err)
		}
		fields := map[string]protoreflect.FieldDescriptor{}
		var oneofs []protoreflect.MessageDescriptor // every message, for its oneof rules
		var walk func(protoreflect.MessageDescriptors)
		walk = func(ms protoreflect.MessageDescriptors) {
			for i := 0; i < ms.Len(); i++ {
				m := ms.Get(i)
				for j := 0; j < m.Fields().Len(); j++ {
					fields[string(m.Fields().Get(j).FullName())] = m.Fields().Get(j)
				}
				// Every message compiles, with its rules.
				if err := protovalidate.Validate(dynamicpb.NewMessage(m)); err != nil && !isViolations(err) {
					t.Errorf("seed %d: %s: %v", seed, m.FullName(), err)
				}
				oneofs = append(oneofs, m)
				walk(m.Messages())
			}
		}
		for _, fd := range descs {
			walk(fd.Messages())
		}
		// A required message-level oneof has a member that, set alone to
		// its witness (or, without rules, to a value other than zero),
		// meets the oneof.
		for _, m := range oneofs {
			mr, _ := protovalidate.ResolveMessageRules(m)
			for _, o := range mr.GetOneof() {
				if !o.GetRequired() {
					continue
				}
				met := false
				for _, name := range o.GetFields() {
					fd := m.Fields().ByName(protoreflect.Name(name))
					if fd == nil || fd.Message() != nil {
						continue
					}
					dm := dynamicpb.NewMessage(m)
					if w := set.witnesses[string(fd.FullName())]; w != nil && !w.clock {
						setWitness(dm, fd, w)
					} else {
						dm.Set(fd, nonZeroValue(fd))
					}
					met = met || !slices.ContainsFunc(violations(protovalidate.Validate(dm)), func(v *protovalidate.Violation) bool {
						return v.Proto.GetRuleId() == "message.oneof" && len(v.Proto.GetField().GetElements()) == 0 &&
							strings.Contains(v.Proto.GetMessage(), strings.Join(o.GetFields(), ", "))
					})
				}
				if !met {
					t.Errorf("seed %d: %s: no member of the required oneof %q can be set", seed, m.FullName(), o.GetFields())
				}
				checked++
			}
		}
		names := make([]string, 0, len(set.witnesses))
		for name := range set.witnesses {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			w := set.witnesses[name]
			fd := fields[name]
			if fd == nil {
				t.Errorf("seed %d: a witness for %s, which the set does not declare", seed, name)
				continue
			}
			if w.clock {
				continue
			}
			dm := dynamicpb.NewMessage(fd.ContainingMessage())
			setWitness(dm, fd, w)
			checked++
			err := protovalidate.Validate(dm)
			if err == nil {
				continue
			}
			verr, ok := err.(*protovalidate.ValidationError)
			if !ok {
				t.Errorf("seed %d: %s: %v", seed, name, err)
				continue
			}
			for _, v := range verr.Violations {
				// The field's own rules: not those of a message it holds (an
				// empty message stands for any), nor the message's oneofs.
				if els := v.Proto.GetField().GetElements(); len(els) == 1 && els[0].GetFieldName() == string(fd.Name()) &&
					!strings.HasPrefix(v.Proto.GetRuleId(), "message.") {
					rules, _ := protovalidate.ResolveFieldRules(fd)
					t.Errorf("seed %d [%s]: %s = %v breaks its rule %s (%s): rules %s", seed, protovalidate.FieldPathString(v.Proto.GetField()), name, dm.Get(fd), v.Proto.GetRuleId(),
						v.Proto.GetMessage(), prototext.MarshalOptions{}.Format(rules))
				}
			}
		}
	}
	t.Logf("%d witnesses of %d sets with rules met their rules", checked, sets)
	if sets == 0 || checked < sets {
		t.Errorf("%d sets of %d with rules, %d witnesses checked: want some, and more witnesses than sets", sets, *cases, checked)
	}
}

func violations(err error) []*protovalidate.Violation {
	if verr, ok := err.(*protovalidate.ValidationError); ok {
		return verr.Violations
	}
	return nil
}

// nonZeroValue is a value of fd, a scalar or enum field, other than zero
// (zero for an enum whose only value is zero).
func nonZeroValue(fd protoreflect.FieldDescriptor) protoreflect.Value {
	switch fd.Kind() {
	case protoreflect.EnumKind:
		vs := fd.Enum().Values()
		for i := 0; i < vs.Len(); i++ {
			if vs.Get(i).Number() != 0 {
				return protoreflect.ValueOfEnum(vs.Get(i).Number())
			}
		}
		return protoreflect.ValueOfEnum(0)
	case protoreflect.StringKind:
		return protoreflect.ValueOfString("x")
	case protoreflect.BytesKind:
		return protoreflect.ValueOfBytes([]byte("x"))
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(true)
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		return numValue(fd.Kind(), 1.0)
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return numValue(fd.Kind(), uint64(1))
	}
	return numValue(fd.Kind(), int64(1))
}

func isViolations(err error) bool {
	_, ok := err.(*protovalidate.ValidationError)
	return ok
}

// setWitness sets fd of dm to the values of w.
func setWitness(dm *dynamicpb.Message, fd protoreflect.FieldDescriptor, w *witness) {
	switch {
	case fd.IsMap():
		mp := dm.Mutable(fd).Map()
		for i, k := range w.keys {
			mp.Set(witnessValue(fd.MapKey(), k, nil).MapKey(), witnessValue(fd.MapValue(), w.values[i], mp.NewValue))
		}
	case fd.IsList():
		list := dm.Mutable(fd).List()
		for _, v := range w.values {
			list.Append(witnessValue(fd, v, list.NewElement))
		}
	default:
		dm.Set(fd, witnessValue(fd, w.values[0], func() protoreflect.Value { return dm.NewField(fd) }))
	}
}

// witnessValue converts a witness to a value of fd; newMsg makes a new
// message for a message field.
func witnessValue(fd protoreflect.FieldDescriptor, v any, newMsg func() protoreflect.Value) protoreflect.Value {
	switch x := v.(type) {
	case nil:
		return newMsg()
	case proto.Message:
		m := newMsg()
		b, _ := proto.Marshal(x)
		proto.Unmarshal(b, m.Message().Interface())
		return m
	case enumNumber:
		return protoreflect.ValueOfEnum(protoreflect.EnumNumber(x))
	}
	if fd.Message() != nil {
		// A wrapper: the value goes into its field value.
		m := newMsg()
		vf := m.Message().Descriptor().Fields().ByName("value")
		m.Message().Set(vf, witnessValue(vf, v, nil))
		return m
	}
	switch x := v.(type) {
	case string:
		return protoreflect.ValueOfString(x)
	case []byte:
		return protoreflect.ValueOfBytes(x)
	case bool:
		return protoreflect.ValueOfBool(x)
	}
	return numValue(fd.Kind(), v)
}

// TestRulesApart: the rules come from a source of their own, so that each
// set, without its buf.validate options and import, is the set its seed
// gives with rulesOff (and the seeds kept in fuzz corpora keep their
// meaning).
func TestRulesApart(t *testing.T) {
	withRules := 0
	for seed := uint64(1); seed <= uint64(*cases); seed++ {
		with, err := New(seed, nil)
		if err != nil {
			t.Fatal(err)
		}
		rulesOff = true
		without, err := New(seed, nil)
		rulesOff = false
		if err != nil {
			t.Fatal(err)
		}
		if with.Features["rules"] {
			withRules++
		}
		if with.Parameter != without.Parameter || !reflect.DeepEqual(with.Runs, without.Runs) || len(with.Files) != len(without.Files) {
			t.Fatalf("seed %d: the set differs from the one without rules", seed)
		}
		for i := range with.Files {
			if stripped := stripRules(with.Files[i]); !proto.Equal(stripped, without.Files[i]) {
				t.Fatalf("seed %d: file %s, without its rules, differs from the one drawn without rules:\n%s\n\n%s", seed,
					with.Files[i].GetName(), Format(stripped), Format(without.Files[i]))
			}
		}
	}
	if withRules == 0 || withRules == *cases {
		t.Errorf("%d of %d seeds with rules: want some, not all", withRules, *cases)
	}
}

// stripRules returns a copy of fd without buf.validate options, and
// without the import of their file.
func stripRules(fd *descriptorpb.FileDescriptorProto) *descriptorpb.FileDescriptorProto {
	fd = proto.Clone(fd).(*descriptorpb.FileDescriptorProto)
	fd.Dependency = slices.DeleteFunc(fd.Dependency, func(d string) bool { return d == validateFile })
	clear := func(opts proto.Message) bool {
		if opts == nil || !opts.ProtoReflect().IsValid() {
			return false
		}
		m := opts.ProtoReflect()
		m.Range(func(fd protoreflect.FieldDescriptor, _ protoreflect.Value) bool {
			if fd.IsExtension() && fd.ParentFile().Path() == validateFile {
				m.Clear(fd)
			}
			return true
		})
		return proto.Size(opts) == 0
	}
	var walk func([]*descriptorpb.DescriptorProto)
	walk = func(ms []*descriptorpb.DescriptorProto) {
		for _, m := range ms {
			if clear(m.Options) {
				m.Options = nil
			}
			for _, f := range m.Field {
				if clear(f.Options) {
					f.Options = nil
				}
			}
			for _, o := range m.OneofDecl {
				if clear(o.Options) {
					o.Options = nil
				}
			}
			walk(m.NestedType)
		}
	}
	walk(fd.MessageType)
	return fd
}

// TestFormatRules: Format prints the rules so that they compile back to
// themselves.
func TestFormatRules(t *testing.T) {
	checked := 0
	for seed := uint64(1); seed <= uint64(*cases) && checked < 20; seed++ {
		set, err := New(seed, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !set.Features["rules"] {
			continue
		}
		checked++
		dir := t.TempDir()
		for _, fd := range set.Files {
			name := filepath.Join(dir, filepath.FromSlash(fd.GetName()))
			os.MkdirAll(filepath.Dir(name), 0o755)
			if err := os.WriteFile(name, []byte(Format(fd)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		req, err := protoreq.Compile(context.Background(), []string{dir}, set.Names(), "")
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		compiled := map[string]*descriptorpb.FileDescriptorProto{}
		for _, fd := range req.ProtoFile {
			compiled[fd.GetName()] = fd
		}
		n := 0
		for _, fd := range set.Files {
			want, got := ruleLines(fd), ruleLines(compiled[fd.GetName()])
			n += len(want)
			if !slices.Equal(want, got) {
				t.Errorf("seed %d: %s: rules before compiling:\n%s\nafter:\n%s", seed, fd.GetName(), strings.Join(want, "\n"), strings.Join(got, "\n"))
			}
		}
		if n == 0 {
			t.Errorf("seed %d has rules, but Format prints none", seed)
		}
	}
	if checked == 0 {
		t.Errorf("no seed of %d has rules", *cases)
	}
}

// ruleLines are the buf.validate rules of fd, one per element, in the text
// format.
func ruleLines(fd *descriptorpb.FileDescriptorProto) []string {
	var out []string
	add := func(name string, opts proto.Message) {
		if opts == nil || !opts.ProtoReflect().IsValid() {
			return
		}
		// Options that a compiler left unknown are read through the
		// extensions this binary links.
		b, err := proto.Marshal(opts)
		parsed := opts.ProtoReflect().New().Interface()
		if err != nil || (proto.UnmarshalOptions{Resolver: protoregistry.GlobalTypes}).Unmarshal(b, parsed) != nil {
			out = append(out, name+": unreadable options")
			return
		}
		for _, xt := range []protoreflect.ExtensionType{validate.E_Message, validate.E_Oneof, validate.E_Field} {
			if proto.HasExtension(parsed, xt) {
				out = append(out, name+": "+prototext.MarshalOptions{}.Format(proto.GetExtension(parsed, xt).(proto.Message)))
			}
		}
	}
	var walk func(string, []*descriptorpb.DescriptorProto)
	walk = func(scope string, ms []*descriptorpb.DescriptorProto) {
		for _, m := range ms {
			name := scope + "." + m.GetName()
			add(name, m.GetOptions())
			for _, f := range m.Field {
				add(name+"."+f.GetName(), f.GetOptions())
			}
			for _, o := range m.OneofDecl {
				add(name+"."+o.GetName(), o.GetOptions())
			}
			walk(name, m.NestedType)
		}
	}
	walk(fd.GetPackage(), fd.MessageType)
	return out
}

// TestRulePools: the strings that randproto draws for each format and
// pattern are what protovalidate takes for them (and strings of another
// format are not, so that the check can fail).
func TestRulePools(t *testing.T) {
	check := func(rules *validate.StringRules, s string) error {
		opts := &descriptorpb.FieldOptions{}
		proto.SetExtension(opts, validate.E_Field, validate.FieldRules_builder{String: rules}.Build())
		fdp := &descriptorpb.FileDescriptorProto{
			Name: proto.String("pool.proto"), Package: proto.String("pool"), Syntax: proto.String("proto3"),
			Dependency: []string{validateFile},
			MessageType: []*descriptorpb.DescriptorProto{{Name: proto.String("M"), Field: []*descriptorpb.FieldDescriptorProto{{
				Name: proto.String("s"), Number: proto.Int32(1), Label: descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum(),
				Type: descriptorpb.FieldDescriptorProto_TYPE_STRING.Enum(), Options: opts}}}},
		}
		fd, err := protodesc.NewFile(fdp, protoregistry.GlobalFiles)
		if err != nil {
			t.Fatal(err)
		}
		m := dynamicpb.NewMessage(fd.Messages().Get(0))
		m.Set(fd.Messages().Get(0).Fields().Get(0), protoreflect.ValueOfString(s))
		return protovalidate.Validate(m)
	}
	for _, f := range stringFormats {
		rules := &validate.StringRules{}
		if n, ok := strings.CutPrefix(f.name, "well_known_regex:"); ok {
			rules.SetWellKnownRegex(validate.KnownRegex(n[0] - '0'))
		} else {
			rules.ProtoReflect().Set(rules.ProtoReflect().Descriptor().Fields().ByName(protoreflect.Name(f.name)), protoreflect.ValueOfBool(true))
		}
		for _, s := range f.matches {
			if err := check(rules, s); err != nil {
				t.Errorf("%s: %q: %v", f.name, s, err)
			}
		}
		if f.name != "well_known_regex:2" && f.name != "uri_ref" && check(rules, "not valid, at all\n") == nil {
			t.Errorf("%s takes any string", f.name)
		}
	}
	for _, p := range stringPatterns {
		for _, s := range p.matches {
			if err := check(validate.StringRules_builder{Pattern: proto.String(p.pattern)}.Build(), s); err != nil {
				t.Errorf("%s: %q: %v", p.pattern, s, err)
			}
		}
	}
}
