package oneport

import (
	"errors"

	"connectrpc.com/connect"
	"connectrpc.com/vanguard"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// codecs returns Vanguard's JSON and binary codecs, whose errors in
// decoding a client's message (malformed, of the wrong types, bad base64,
// invalid UTF-8, nested too deep) are InvalidArgument, the client's fault,
// rather than Unknown.
//
// The JSON codec leaves unset fields out, as protojson and connect-go do
// by default, where Vanguard's writes them: an unset google.protobuf.Value
// would be written null, which every client reads back as a Value set to
// NullValue. What the servicer returns is then what a client decodes.
func codecs() []vanguard.TranscoderOption {
	return []vanguard.TranscoderOption{
		vanguard.WithCodec(func(res vanguard.TypeResolver) vanguard.Codec {
			json := vanguard.NewJSONCodec(res)
			json.MarshalOptions.EmitUnpopulated = false
			return jsonCodec{json}
		}),
		vanguard.WithCodec(func(res vanguard.TypeResolver) vanguard.Codec { return protoCodec{vanguard.NewProtoCodec(res)} }),
	}
}

// invalid makes err, of decoding a client's message, InvalidArgument.
func invalid(err error) error {
	var connectErr *connect.Error
	if err == nil || errors.As(err, &connectErr) {
		return err
	}
	return connect.NewError(connect.CodeInvalidArgument, err)
}

// jsonCodec is Vanguard's JSON codec, whose decoding errors are
// InvalidArgument. Only clients' messages are JSON: the gRPC server's
// answers are binary.
type jsonCodec struct{ *vanguard.JSONCodec }

func (c jsonCodec) Unmarshal(data []byte, msg proto.Message) error {
	return invalid(c.JSONCodec.Unmarshal(data, msg))
}

func (c jsonCodec) UnmarshalField(data []byte, msg proto.Message, field protoreflect.FieldDescriptor) error {
	return invalid(c.JSONCodec.UnmarshalField(data, msg, field))
}

// protoCodec is Vanguard's binary codec, whose errors of decoding, and of
// encoding a message decoded from a client's JSON or REST path (say, a
// string of invalid UTF-8 from a path's escapes), are InvalidArgument.
type protoCodec struct{ *vanguard.ProtoCodec }

func (c protoCodec) Unmarshal(data []byte, msg proto.Message) error {
	return invalid(c.ProtoCodec.Unmarshal(data, msg))
}

func (c protoCodec) MarshalAppend(base []byte, msg proto.Message) ([]byte, error) {
	b, err := c.ProtoCodec.MarshalAppend(base, msg)
	return b, invalid(err)
}

func (c protoCodec) MarshalAppendStable(base []byte, msg proto.Message) ([]byte, error) {
	b, err := c.ProtoCodec.MarshalAppendStable(base, msg)
	return b, invalid(err)
}
