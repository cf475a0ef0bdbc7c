package protoreq

import (
	"strings"
	"sync"

	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/gotutor/gotutor/internal/linked"

	// The Go packages of the built-in imports: linking them registers
	// their files in protoregistry.GlobalFiles, with every option they
	// set (the extensions of annotations, validate and the others are
	// linked too, so none is left an unknown field).
	_ "buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	_ "google.golang.org/genproto/googleapis/api"
	_ "google.golang.org/genproto/googleapis/api/annotations"
	_ "google.golang.org/genproto/googleapis/api/configchange"
	_ "google.golang.org/genproto/googleapis/api/distribution"
	_ "google.golang.org/genproto/googleapis/api/error_reason"
	_ "google.golang.org/genproto/googleapis/api/expr/v1alpha1"
	_ "google.golang.org/genproto/googleapis/api/expr/v1beta1"
	_ "google.golang.org/genproto/googleapis/api/httpbody"
	_ "google.golang.org/genproto/googleapis/api/label"
	_ "google.golang.org/genproto/googleapis/api/metric"
	_ "google.golang.org/genproto/googleapis/api/monitoredres"
	_ "google.golang.org/genproto/googleapis/api/serviceconfig"
	_ "google.golang.org/genproto/googleapis/api/visibility"
	_ "google.golang.org/genproto/googleapis/rpc/code"
	_ "google.golang.org/genproto/googleapis/rpc/context"
	_ "google.golang.org/genproto/googleapis/rpc/context/attribute_context"
	_ "google.golang.org/genproto/googleapis/rpc/errdetails"
	_ "google.golang.org/genproto/googleapis/rpc/http"
	_ "google.golang.org/genproto/googleapis/rpc/status"
	_ "google.golang.org/genproto/googleapis/type/calendarperiod"
	_ "google.golang.org/genproto/googleapis/type/color"
	_ "google.golang.org/genproto/googleapis/type/date"
	_ "google.golang.org/genproto/googleapis/type/datetime"
	_ "google.golang.org/genproto/googleapis/type/dayofweek"
	_ "google.golang.org/genproto/googleapis/type/decimal"
	_ "google.golang.org/genproto/googleapis/type/expr"
	_ "google.golang.org/genproto/googleapis/type/fraction"
	_ "google.golang.org/genproto/googleapis/type/interval"
	_ "google.golang.org/genproto/googleapis/type/latlng"
	_ "google.golang.org/genproto/googleapis/type/localized_text"
	_ "google.golang.org/genproto/googleapis/type/money"
	_ "google.golang.org/genproto/googleapis/type/month"
	_ "google.golang.org/genproto/googleapis/type/phone_number"
	_ "google.golang.org/genproto/googleapis/type/postaladdress"
	_ "google.golang.org/genproto/googleapis/type/quaternion"
	_ "google.golang.org/genproto/googleapis/type/timeofday"
)

// BuiltinDirs are the folders of the imports that are built in besides the
// well-known google/protobuf/*.proto: Google's API annotations and common
// types and messages (genproto's Go packages google.golang.org/genproto/
// googleapis/api/..., type/... and rpc/...), and protovalidate's rules
// (buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate).
// Their files are not read from disk: each is printed as .proto source
// from the descriptor that its Go package carries, and their go_package
// options name those packages, so generated code imports them.
var BuiltinDirs = []string{"google/api/", "google/type/", "google/rpc/", "buf/validate/"}

// IsBuiltin tells whether name (an import name) is one of the built-in
// imports: those of BuiltinDirs, and every other file that the generated
// code's own dependencies register (package linked: grpc-go's
// grpc/health/v1/health.proto, grpc/reflection/..., the CEL types that
// protovalidate uses), whose Go packages generated code may import; the
// well-known google/protobuf/*.proto aside.
func IsBuiltin(name string) bool {
	if f, ok := linked.Lookup(name); ok && f.Importable() && !strings.HasPrefix(name, "google/protobuf/") {
		return true
	}
	for _, dir := range BuiltinDirs {
		if strings.HasPrefix(name, dir) {
			if _, err := protoregistry.GlobalFiles.FindFileByPath(name); err == nil {
				return true
			}
		}
	}
	return false
}

// builtinSources holds the printed source of each built-in import, by
// name, once printed: the descriptors do not change.
var builtinSources sync.Map

// builtinSource returns the .proto source of the built-in import name,
// printed from its registered descriptor; ok is false when name is not
// built in.
func builtinSource(name string) (text string, ok bool, err error) {
	if !IsBuiltin(name) {
		return "", false, nil
	}
	if text, ok := builtinSources.Load(name); ok {
		return text.(string), true, nil
	}
	fd, err := protoregistry.GlobalFiles.FindFileByPath(name)
	if err != nil {
		return "", false, nil
	}
	text, err = PrintProto(protodesc.ToFileDescriptorProto(fd), nil)
	if err != nil {
		return "", true, err
	}
	builtinSources.Store(name, text)
	return text, true, nil
}
