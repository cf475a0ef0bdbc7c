package randproto

import (
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/gotutor/gotutor/internal/protoreq"
)

// Format prints fd as .proto source, with the comments of its source info
// (see protoreq.PrintProto): the source of a reproducer, and a cross-check
// of validity (protocompile must compile it). The options of a set's files
// are all of packages that this binary links (descriptor.proto's, Go's
// features, buf.validate's), so printing cannot fail but for a bug, which
// it panics on.
func Format(fd *descriptorpb.FileDescriptorProto) string {
	text, err := protoreq.PrintProto(fd, nil)
	if err != nil {
		panic("randproto: " + err.Error())
	}
	return text
}
