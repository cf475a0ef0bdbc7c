package generator

import (
	"bytes"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/pluginpb"
)

// TestWriteResponseMatchesMarshal checks that the streamed response is
// byte for byte what proto.Marshal writes, with and without files, and
// leaves the response as it was.
func TestWriteResponseMatchesMarshal(t *testing.T) {
	big := strings.Repeat("package p // a line long enough to need a two-byte length\n", 300)
	for _, resp := range []*pluginpb.CodeGeneratorResponse{
		{},
		{Error: proto.String("x.proto: something is wrong")},
		{
			SupportedFeatures: proto.Uint64(3),
			MinimumEdition:    proto.Int32(998),
			MaximumEdition:    proto.Int32(1000),
			File: []*pluginpb.CodeGeneratorResponse_File{
				{Name: proto.String("a/a_gotutor.go"), Content: proto.String(big)},
				{Name: proto.String("a/empty.go"), Content: proto.String("")},
				{Name: proto.String("a/b.go"), InsertionPoint: proto.String("imports"), Content: proto.String("x")},
			},
		},
	} {
		want, err := proto.Marshal(resp)
		if err != nil {
			t.Fatal(err)
		}
		before := proto.Clone(resp)
		var got bytes.Buffer
		if err := writeResponse(&got, resp); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("writeResponse(%v) wrote %d bytes that differ from proto.Marshal's %d", resp, got.Len(), len(want))
		}
		if !proto.Equal(resp, before) {
			t.Errorf("writeResponse changed the response: %v, was %v", resp, before)
		}
	}
}
