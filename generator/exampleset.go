package generator

import (
	"cmp"
	"slices"
	"strings"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// Example is an example value of one message and the function that builds it.
type Example struct {
	// Message is the message's Go type; Func the constructor returning a
	// pointer to it, declared in the file's package.
	Message protogen.GoIdent
	Func    protogen.GoIdent
	// ProtoName is the message's full proto name.
	ProtoName string
	// Value is the example itself, as data; templates write it as Go with
	// {{goValue .Value INDENT}}.
	Value *Value
	// Unset are the fields that the example leaves unset because their
	// buf.validate rule depends on the clock, in the order of the proto;
	// Violations are the rules that it does not meet, as protovalidate
	// reports them, sorted; CheckError is why protovalidate could not
	// check it, "" when it could. The constructor's doc tells of them.
	Unset      []UnsetField
	Violations []Violation
	CheckError string
	// HasRules says that buf.validate rules apply to the example, and
	// Valid that it meets all of them, as protovalidate checks them (the
	// rules written in CEL included).
	HasRules, Valid bool
	// JSON is the example in protojson form (one line), for grpcurl -d,
	// and Size its size in the wire format. Both are set only for examples
	// of requests.
	JSON string
	Size int

	// Broken is the example of a request changed so that it breaks one of
	// its rules, that of the field at the path BrokenField; nil when the
	// example has no rule that can be broken on purpose.
	Broken      *Value
	BrokenField string

	dynamic proto.Message // Value as a message
}

// refresh computes again what derives from the example's Value, after it
// changed: its message, JSON and size.
func (ex *Example) refresh() {
	ex.dynamic = ex.Value.dynamic()
	json, err := protojson.MarshalOptions{}.Marshal(ex.dynamic)
	if err != nil {
		json = []byte("{}")
	}
	ex.JSON = compactJSON(json)
	ex.Size = proto.Size(ex.dynamic)
}

// exampleSet hands out the examples of the methods of one file, each
// built once: one constructor per message and role (request or response),
// declared in the file's package. The two roles differ where the API says
// that the server sets a field (OUTPUT_ONLY) or only reads it
// (INPUT_ONLY); otherwise they share one constructor.
type exampleSet struct {
	f       *protogen.File
	taken   names // the package-level names of the file's Go package
	builder *exampleBuilder
	byKey   map[string]*Example // by constructor key and role
	list    []*Example          // in the order they were built
	err     error               // the first example that cannot be written
}

func newExampleSet(f *protogen.File, taken names, api *apiIndex) *exampleSet {
	return &exampleSet{f: f, taken: taken, builder: &exampleBuilder{api: api}, byKey: map[string]*Example{}}
}

// of returns the example of m, used by a method of s, for a request or a
// response. Only a request's example needs its JSON and size (the guide's
// grpcurl commands, the receive-limit test) and its broken twin (the
// validation tests).
func (set *exampleSet) of(s *protogen.Service, m *protogen.Message, request bool) *Example {
	key, name := string(m.Desc.FullName()), "Example"+m.GoIdent.GoName
	if m.GoIdent.GoImportPath != set.f.GoImportPath || m.Location.SourceFile != set.f.Desc.Path() {
		// A message of another file gets a constructor per service.
		key, name = s.GoName+"/"+key, "Example"+s.GoName+m.GoIdent.GoName
	}
	role, other := "/response", "/request"
	if request {
		role, other = other, role
	}
	ex, ok := set.byKey[key+role]
	if !ok {
		ex = set.build(m, name, role, set.byKey[key+other], request)
		set.byKey[key+role] = ex
	}
	if request && ex.HasRules && ex.Broken == nil {
		ex.Broken, ex.BrokenField = breakRule(ex.Value)
	}
	if request && ex.JSON == "" {
		ex.refresh()
	}
	return ex
}

// build builds the example of m for role, or returns twin, the example of
// the other role, when the two are the same.
func (set *exampleSet) build(m *protogen.Message, name, role string, twin *Example, request bool) *Example {
	built, err := set.builder.example(m, request)
	if err != nil {
		// newFile fails with the first such error; an empty value lets the
		// rest of the model be built meanwhile.
		set.err = cmp.Or(set.err, err)
		built = &builtExample{value: &Value{Kind: MessageValue, Message: m}, valid: true}
	}
	// The message form is needed to compare with the other role's example,
	// and for a request's JSON; most responses need neither.
	var dm proto.Message
	if twin != nil || request {
		dm = built.value.dynamic()
	}
	if twin != nil && twin.dynamic == nil {
		twin.dynamic = twin.Value.dynamic()
	}
	if twin != nil && proto.Equal(twin.dynamic, dm) && slices.Equal(twin.Unset, built.unset) &&
		slices.Equal(twin.Violations, built.violations) && twin.CheckError == built.checkError {
		return twin
	}
	if twin != nil {
		// ExampleTopicForRequest, beside ExampleTopic.
		name += "For" + strings.ToUpper(role[1:2]) + role[2:]
	}
	ex := &Example{
		Message:    m.GoIdent,
		Func:       set.f.GoImportPath.Ident(set.taken.unique(name)),
		ProtoName:  string(m.Desc.FullName()),
		Value:      built.value,
		HasRules:   built.hasRules,
		Valid:      built.valid,
		Unset:      built.unset,
		Violations: built.violations,
		CheckError: built.checkError,
		dynamic:    dm,
	}
	set.list = append(set.list, ex)
	return ex
}
