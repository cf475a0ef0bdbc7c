package generator

import "google.golang.org/protobuf/encoding/protowire"

// Field numbers of the wire format that keepServiceSourceInfo reads.
const (
	requestFileToGenerate = 1  // CodeGeneratorRequest.file_to_generate
	requestProtoFile      = 15 // CodeGeneratorRequest.proto_file
	fileName              = 1  // FileDescriptorProto.name
	fileService           = 6  // FileDescriptorProto.service
	fileSourceCodeInfo    = 9  // FileDescriptorProto.source_code_info
	sourceCodeLocation    = 1  // SourceCodeInfo.location
	locationPath          = 1  // SourceCodeInfo.Location.path
)

// keepServiceSourceInfo rewrites in, a CodeGeneratorRequest in the wire
// format, in place and returns it shortened: the source code info of every
// proto_file keeps only the locations of services and what they hold
// (paths that start with FileDescriptorProto.service), and only in the files
// to generate. The comments of services and methods are all that gotutor
// reads of it (plainComment of their Comments.Leading), and protogen gives
// the same ones for the locations kept; the locations of every message,
// field and enum are the bulk of a request (54 of the 73 MB of
// googleapis'), which reading, protodesc and protogen's comments would
// otherwise each go through.
//
// Each proto_file is rewritten only if it parses down to the paths of its
// locations; any other bytes are kept as they are, so that a malformed
// request stays malformed for proto.Unmarshal to reject.
func keepServiceSourceInfo(in []byte) []byte {
	generate := map[string]bool{}
	if !eachField(in, func(num protowire.Number, _ protowire.Type, value []byte) {
		if num == requestFileToGenerate {
			name, _ := protowire.ConsumeBytes(value)
			generate[string(name)] = true
		}
	}) {
		return in
	}
	// Every piece is written where it was or before, no longer than it
	// was, so out never overtakes the bytes still to read.
	out := in[:0]
	for rest := in; len(rest) > 0; {
		num, typ, n := protowire.ConsumeField(rest)
		field := rest[:n]
		rest = rest[n:]
		if num != requestProtoFile || typ != protowire.BytesType {
			out = append(out, field...)
			continue
		}
		_, _, tagLen := protowire.ConsumeTag(field)
		file, _ := protowire.ConsumeBytes(field[tagLen:])
		out = appendFile(out, field, file, generate)
	}
	return out
}

// appendFile appends to out the proto_file field, whose value is file,
// with the source code info that keepServiceSourceInfo keeps: none for a
// file not in generate, the locations of services for one in it.
func appendFile(out, field, file []byte, generate map[string]bool) []byte {
	name, size := "", 0
	if !eachField(file, func(num protowire.Number, typ protowire.Type, value []byte) {
		if num == fileName && typ == protowire.BytesType {
			b, _ := protowire.ConsumeBytes(value)
			name = string(b)
		}
	}) {
		return append(out, field...)
	}
	keep, wellFormed := generate[name], true
	eachField(file, func(num protowire.Number, typ protowire.Type, value []byte) {
		switch {
		case num != fileSourceCodeInfo || typ != protowire.BytesType:
			size += protowire.SizeTag(num) + len(value)
		case keep:
			n := serviceLocationsSize(value)
			wellFormed = wellFormed && n >= 0
			size += protowire.SizeTag(num) + protowire.SizeBytes(n)
		}
	})
	if !wellFormed {
		return append(out, field...)
	}
	out = protowire.AppendTag(out, requestProtoFile, protowire.BytesType)
	out = protowire.AppendVarint(out, uint64(size))
	eachField(file, func(num protowire.Number, typ protowire.Type, value []byte) {
		if num != fileSourceCodeInfo || typ != protowire.BytesType {
			out = protowire.AppendTag(out, num, typ)
			out = append(out, value...)
		} else if keep {
			out = appendServiceLocations(out, value)
		}
	})
	return out
}

// serviceLocationsSize returns the size of what appendServiceLocations
// writes for the source_code_info field whose value is value, without its
// tag, or -1 when value is malformed.
func serviceLocationsSize(value []byte) int {
	info, n := protowire.ConsumeBytes(value)
	if n < 0 {
		return -1
	}
	size := 0
	if !eachField(info, func(num protowire.Number, typ protowire.Type, v []byte) {
		if num != sourceCodeLocation || typ != protowire.BytesType {
			size += protowire.SizeTag(num) + len(v)
		} else if isServiceLocation(v) {
			size += protowire.SizeTag(num) + len(v)
		}
	}) {
		return -1
	}
	return size
}

// appendServiceLocations appends the source_code_info field whose value is
// value with the locations of services only; serviceLocationsSize has
// checked that it is well formed.
func appendServiceLocations(out, value []byte) []byte {
	info, _ := protowire.ConsumeBytes(value)
	out = protowire.AppendTag(out, fileSourceCodeInfo, protowire.BytesType)
	out = protowire.AppendVarint(out, uint64(serviceLocationsSize(value)))
	eachField(info, func(num protowire.Number, typ protowire.Type, v []byte) {
		if num != sourceCodeLocation || typ != protowire.BytesType || isServiceLocation(v) {
			out = protowire.AppendTag(out, num, typ)
			out = append(out, v...)
		}
	})
	return out
}

// isServiceLocation reports whether value, that of a location field,
// holds a path that starts with FileDescriptorProto.service: a service, a
// method or one of their options. A malformed location is kept, for
// proto.Unmarshal to judge.
func isServiceLocation(value []byte) bool {
	loc, n := protowire.ConsumeBytes(value)
	if n < 0 {
		return true
	}
	first, found := int64(-1), false
	wellFormed := eachField(loc, func(num protowire.Number, typ protowire.Type, v []byte) {
		if num != locationPath || found {
			return
		}
		found = true
		if typ == protowire.BytesType { // packed, as protoc writes it
			v, _ = protowire.ConsumeBytes(v)
		}
		if x, k := protowire.ConsumeVarint(v); k > 0 {
			first = int64(int32(x))
		}
	})
	return !wellFormed || first == fileService
}

// eachField calls fn with each field of the message b: its number, its
// wire type and its value as encoded after the tag (a length-prefixed
// value with its length). It reports whether b was well formed to the end;
// fn is not called past the first malformed field.
func eachField(b []byte, fn func(num protowire.Number, typ protowire.Type, value []byte)) bool {
	for len(b) > 0 {
		num, typ, tagLen := protowire.ConsumeTag(b)
		if tagLen < 0 {
			return false
		}
		n := protowire.ConsumeFieldValue(num, typ, b[tagLen:])
		if n < 0 {
			return false
		}
		fn(num, typ, b[tagLen:tagLen+n])
		b = b[tagLen+n:]
	}
	return true
}
