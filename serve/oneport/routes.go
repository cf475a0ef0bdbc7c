package oneport

import (
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"slices"

	"connectrpc.com/vanguard"
	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// newTranscoder returns Vanguard's transcoder of the services named (each
// with its registered descriptor) to handler. A method's google.api.http
// rule that Vanguard cannot serve (a "**" before the last segment of its
// path, say, or a route that another method has) would make it refuse
// every service: that method's REST routes are left out instead, with a
// warning, and it is served over every other protocol.
func newTranscoder(names []string, handler http.Handler, logger *slog.Logger, opts ...vanguard.TranscoderOption) (*vanguard.Transcoder, error) {
	var services []protoreflect.ServiceDescriptor
	for _, name := range names {
		d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(name))
		if err != nil {
			return nil, err
		}
		sd, ok := d.(protoreflect.ServiceDescriptor)
		if !ok {
			return nil, fmt.Errorf("%s is a %T, not a service", name, d)
		}
		services = append(services, sd)
	}
	withoutREST := map[protoreflect.FullName]bool{}
	for {
		transcoded := make([]*vanguard.Service, len(services))
		for i, sd := range services {
			transcoded[i] = vanguard.NewServiceWithSchema(withoutRules(sd, withoutREST), handler)
		}
		transcoder, err := vanguard.NewTranscoder(transcoded, opts...)
		if err == nil {
			return transcoder, nil
		}
		method, ok := routeFailure(err, services)
		if !ok || withoutREST[method.FullName()] {
			return nil, err
		}
		withoutREST[method.FullName()] = true
		logger.Warn("REST route left out: it is served over gRPC, gRPC-Web and Connect only", "method", "/"+string(method.Parent().FullName())+"/"+string(method.Name()), "error", err.Error())
	}
}

// vanguardMethod finds the method that Vanguard names in its errors of
// REST routes: "failed to add REST route ... for method /pkg.Svc/Method:"
// and "nested additional bindings are not supported (method
// /pkg.Svc/Method)".
var vanguardMethod = regexp.MustCompile(`method /([^/\s]+)/([^/\s:)]+)[:)]`)

// routeFailure returns the method of services whose REST route err, of
// Vanguard, is about.
func routeFailure(err error, services []protoreflect.ServiceDescriptor) (protoreflect.MethodDescriptor, bool) {
	m := vanguardMethod.FindStringSubmatch(err.Error())
	if m == nil {
		return nil, false
	}
	i := slices.IndexFunc(services, func(sd protoreflect.ServiceDescriptor) bool { return string(sd.FullName()) == m[1] })
	if i < 0 {
		return nil, false
	}
	md := services[i].Methods().ByName(protoreflect.Name(m[2]))
	return md, md != nil
}

// withoutRules returns sd, whose methods named in without have no
// google.api.http rule. The descriptors are sd's own but for the methods'
// options, so messages keep the types registered for them.
func withoutRules(sd protoreflect.ServiceDescriptor, without map[protoreflect.FullName]bool) protoreflect.ServiceDescriptor {
	for i := range sd.Methods().Len() {
		if without[sd.Methods().Get(i).FullName()] {
			return serviceWithout{sd, methodsWithout{sd.Methods(), without}}
		}
	}
	return sd
}

type serviceWithout struct {
	protoreflect.ServiceDescriptor
	methods methodsWithout
}

func (s serviceWithout) Methods() protoreflect.MethodDescriptors { return s.methods }

type methodsWithout struct {
	protoreflect.MethodDescriptors
	without map[protoreflect.FullName]bool
}

func (ms methodsWithout) Get(i int) protoreflect.MethodDescriptor {
	return ms.wrap(ms.MethodDescriptors.Get(i))
}

func (ms methodsWithout) ByName(name protoreflect.Name) protoreflect.MethodDescriptor {
	return ms.wrap(ms.MethodDescriptors.ByName(name))
}

func (ms methodsWithout) wrap(md protoreflect.MethodDescriptor) protoreflect.MethodDescriptor {
	if md == nil || !ms.without[md.FullName()] {
		return md
	}
	return methodWithoutRule{md}
}

// methodWithoutRule is a method whose options lack its google.api.http
// rule.
type methodWithoutRule struct{ protoreflect.MethodDescriptor }

func (m methodWithoutRule) Options() protoreflect.ProtoMessage {
	options := proto.Clone(m.MethodDescriptor.Options())
	proto.ClearExtension(options, annotations.E_Http)
	return options
}
