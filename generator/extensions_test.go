package generator

import (
	"slices"
	"testing"

	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
)

// TestExtensionOfUnknown checks that an extension read from unknown fields,
// as the plugin reads its request (optionsLeftUnread), equals the one the
// linked Go package parses, for each shape gotutor reads.
func TestExtensionOfUnknown(t *testing.T) {
	cases := []struct {
		name string
		opts proto.Message
		xt   protoreflect.ExtensionType
		v    any
	}{
		{"message", &descriptorpb.MethodOptions{}, annotations.E_Http,
			&annotations.HttpRule{Pattern: &annotations.HttpRule_Get{Get: "/v1/{name=things/*}"}, AdditionalBindings: []*annotations.HttpRule{{Pattern: &annotations.HttpRule_Post{Post: "/v1/x"}, Body: "*"}}}},
		{"list of messages", &descriptorpb.FileOptions{}, annotations.E_ResourceDefinition,
			[]*annotations.ResourceDescriptor{{Type: "a.example.com/A", Pattern: []string{"as/{a}"}}, {Type: "b.example.com/B"}}},
		{"list of enums", &descriptorpb.FieldOptions{}, annotations.E_FieldBehavior,
			[]annotations.FieldBehavior{annotations.FieldBehavior_REQUIRED, annotations.FieldBehavior_IDENTIFIER, annotations.FieldBehavior(-3)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			proto.SetExtension(c.opts, c.xt, c.v)
			b, err := proto.Marshal(c.opts)
			if err != nil {
				t.Fatal(err)
			}
			unread := c.opts.ProtoReflect().New().Interface()
			if err := (proto.UnmarshalOptions{Resolver: optionsLeftUnread}).Unmarshal(b, unread); err != nil {
				t.Fatal(err)
			}
			if proto.HasExtension(unread, c.xt) || len(unread.ProtoReflect().GetUnknown()) == 0 {
				t.Fatal("the extension was resolved while the options were read")
			}
			got := extensionOf(unread, c.xt)
			if got == nil {
				t.Fatal("extensionOf from unknown fields: nil")
			}
			// Compared as options holding each value.
			back := c.opts.ProtoReflect().New().Interface()
			proto.SetExtension(back, c.xt, got)
			if !proto.Equal(back, c.opts) {
				t.Errorf("extensionOf from unknown fields = %v, want %v", got, c.v)
			}
		})
	}

	t.Run("packed enums", func(t *testing.T) {
		// protoc packs a list of enums unless told otherwise.
		field := annotations.E_FieldBehavior.TypeDescriptor().Number()
		b := protowire.AppendTag(nil, field, protowire.BytesType)
		b = protowire.AppendBytes(b, protowire.AppendVarint(protowire.AppendVarint(nil, 2), 3))
		b = protowire.AppendTag(b, field, protowire.VarintType)
		b = protowire.AppendVarint(b, 5)
		opts := &descriptorpb.FieldOptions{}
		opts.ProtoReflect().SetUnknown(b)
		want := []annotations.FieldBehavior{annotations.FieldBehavior_REQUIRED, annotations.FieldBehavior_OUTPUT_ONLY, annotations.FieldBehavior_IMMUTABLE}
		if got, _ := extensionOf(opts, annotations.E_FieldBehavior).([]annotations.FieldBehavior); !slices.Equal(got, want) {
			t.Errorf("extensionOf = %v, want %v", got, want)
		}
	})

	t.Run("absent or malformed", func(t *testing.T) {
		other := protowire.AppendVarint(protowire.AppendTag(nil, 50000, protowire.VarintType), 1)
		truncated := protowire.AppendTag(nil, annotations.E_Http.TypeDescriptor().Number(), protowire.BytesType)
		truncated = protowire.AppendVarint(truncated, 10) // ten bytes announced, none there
		for name, b := range map[string][]byte{"absent": other, "truncated": truncated} {
			opts := &descriptorpb.MethodOptions{}
			opts.ProtoReflect().SetUnknown(b)
			if got := extensionOf(opts, annotations.E_Http); got != nil {
				t.Errorf("%s: extensionOf = %v, want nil", name, got)
			}
		}
	})
}
