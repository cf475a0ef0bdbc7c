package stubs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	// The error details that stubs use most, google.rpc's, are known to
	// the registry whatever the services import.
	_ "google.golang.org/genproto/googleapis/rpc/errdetails"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/known/anypb"
)

// catalog is the services that the server serves, by full name, against
// which stubs name theirs.
type catalog struct {
	names []string // sorted
}

// method resolves a stub's service (full or short name) and method.
func (c *catalog) method(service, method, path string) (protoreflect.MethodDescriptor, error) {
	full := ""
	if slices.Contains(c.names, service) {
		full = service
	} else {
		var found []string
		for _, n := range c.names {
			if strings.HasSuffix(n, "."+service) {
				found = append(found, n)
			}
		}
		switch len(found) {
		case 0:
			return nil, fmt.Errorf("%s: unknown service %q (the server serves %s)", join(path, "service"), service, strings.Join(c.names, ", "))
		case 1:
			full = found[0]
		default:
			return nil, fmt.Errorf("%s: %q may be any of %s: give its full name", join(path, "service"), service, strings.Join(found, ", "))
		}
	}
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(full))
	if err != nil {
		return nil, fmt.Errorf("%s: the descriptor of %s is not registered", join(path, "service"), full)
	}
	sd, ok := d.(protoreflect.ServiceDescriptor)
	if !ok {
		return nil, fmt.Errorf("%s: %s is not a service", join(path, "service"), full)
	}
	md := sd.Methods().ByName(protoreflect.Name(method))
	if md == nil {
		return nil, fmt.Errorf("%s: %s has no method %q", join(path, "method"), full, method)
	}
	return md, nil
}

// stub is a Stub checked against its method, ready to match and answer.
type stub struct {
	Stub
	method     protoreflect.MethodDescriptor
	fullMethod string // "/helloworld.Greeter/SayHello"
	request    protoreflect.MessageType
	input      *matcher
	inputs     []*matcher
	headers    *headerMatcher // the stub's own, besides its input's
	response   proto.Message  // nil for a stream
	stream     []proto.Message
	status     *status.Status // nil: no error
	delay      time.Duration
	used       atomic.Int64
}

// claim counts one more call answered, false if Times are used up.
func (s *stub) claim() bool {
	for {
		n := s.used.Load()
		if s.Times > 0 && n >= int64(s.Times) {
			return false
		}
		if s.used.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// exhausted says whether Times are used up.
func (s *stub) exhausted() bool {
	return s.Times > 0 && s.used.Load() >= int64(s.Times)
}

// matchAt says whether message n (from 0) of a call, with its headers,
// matches: Inputs[n] if the stub has Inputs, else Input.
func (s *stub) matchAt(n int, req any, md map[string][]string) bool {
	if s.headers != nil && !s.headers.match(md) {
		return false
	}
	in := s.input
	if len(s.inputs) > 0 {
		if n >= len(s.inputs) {
			return false
		}
		in = s.inputs[n]
	}
	return in.match(req, md)
}

// compile checks st against the server's services and makes it ready;
// its errors name the field, under path.
func compile(c *catalog, st Stub, path string) (*stub, error) {
	md, err := c.method(st.Service, st.Method, path)
	if err != nil {
		return nil, err
	}
	s := &stub{Stub: st, method: md, fullMethod: fmt.Sprintf("/%s/%s", md.Parent().FullName(), md.Name())}
	if s.request, err = messageType(md.Input()); err != nil {
		return nil, fmt.Errorf("%s: %v", join(path, "method"), err)
	}
	response, err := messageType(md.Output())
	if err != nil {
		return nil, fmt.Errorf("%s: %v", join(path, "method"), err)
	}
	if s.input, err = compileInput(s.request, st.Input, join(path, "input")); err != nil {
		return nil, err
	}
	if len(st.Inputs) > 0 && !md.IsStreamingClient() {
		return nil, fmt.Errorf("%s: %s takes one request: match it with input", join(path, "inputs"), md.Name())
	}
	for i, in := range st.Inputs {
		m, err := compileInput(s.request, in, fmt.Sprintf("%s[%d]", join(path, "inputs"), i))
		if err != nil {
			return nil, err
		}
		s.inputs = append(s.inputs, m)
	}
	if s.headers, err = compileHeaders(st.Headers, join(path, "headers")); err != nil {
		return nil, err
	}
	out, outPath := st.Output, join(path, "output")
	if s.status, err = compileStatus(out, outPath); err != nil {
		return nil, err
	}
	if out.Data != nil || (out.Stream == nil && s.status == nil) {
		if s.response, err = decodeMessage(response, out.Data, join(outPath, "data")); err != nil {
			return nil, err
		}
	}
	if out.Stream != nil && !md.IsStreamingServer() {
		return nil, fmt.Errorf("%s: %s answers one response: give it as data", join(outPath, "stream"), md.Name())
	}
	for i, e := range out.Stream {
		p := fmt.Sprintf("%s[%d]", join(outPath, "stream"), i)
		m, ok := e.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: want a %s (an object), got %s", p, md.Output().FullName(), describe(e))
		}
		msg, err := decodeMessage(response, m, p)
		if err != nil {
			return nil, err
		}
		s.stream = append(s.stream, msg)
	}
	if out.Delay != "" {
		if s.delay, err = time.ParseDuration(out.Delay); err != nil || s.delay < 0 {
			return nil, fmt.Errorf("%s: want a duration such as \"100ms\", got %q", join(outPath, "delay"), out.Delay)
		}
	}
	return s, nil
}

// messageType is md's Go type, which its generated package registers.
func messageType(md protoreflect.MessageDescriptor) (protoreflect.MessageType, error) {
	mt, err := protoregistry.GlobalTypes.FindMessageByName(md.FullName())
	if err != nil {
		return nil, fmt.Errorf("the type of %s is not registered", md.FullName())
	}
	return mt, nil
}

func compileStatus(out Output, path string) (*status.Status, error) {
	code := codes.OK
	switch {
	case out.Code != nil:
		code = codes.Code(*out.Code)
	case out.Error != "":
		code = codes.Unknown
	}
	if code == codes.OK {
		if out.Error != "" || len(out.Details) > 0 {
			return nil, fmt.Errorf("%s: an error needs a code other than OK", join(path, "code"))
		}
		return nil, nil
	}
	p := &spb.Status{Code: int32(code), Message: out.Error}
	for i, d := range out.Details {
		dp := fmt.Sprintf("%s[%d]", join(path, "details"), i)
		b, err := json.Marshal(d)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", dp, err)
		}
		if _, ok := d["@type"]; !ok {
			return nil, fmt.Errorf("%s: missing \"@type\" (such as \"type.googleapis.com/google.rpc.ErrorInfo\")", dp)
		}
		a := &anypb.Any{}
		if err := protojson.Unmarshal(b, a); err != nil {
			return nil, fmt.Errorf("%s: %s", dp, protoError(err))
		}
		p.Details = append(p.Details, a)
	}
	return status.FromProto(p), nil
}

// decodeMessage checks v (fields by either name) against mt and returns
// it as a message; its errors name the field under path.
func decodeMessage(mt protoreflect.MessageType, v map[string]any, path string) (proto.Message, error) {
	norm, err := normalize(mt.Descriptor(), v, path, false)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(norm)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	msg := mt.New().Interface()
	if err := protojson.Unmarshal(b, msg); err != nil {
		return nil, fmt.Errorf("%s: %s", path, protoError(err))
	}
	return msg, nil
}

// protoErrorPrefix is how protojson starts its errors, which say nothing
// to whoever wrote the stub (the line is that of JSON they did not write).
var protoErrorPrefix = regexp.MustCompile(`^proto:\s*(\(line \d+:\d+\):\s*)?`)

func protoError(err error) string {
	return protoErrorPrefix.ReplaceAllString(err.Error(), "")
}

// normalize checks the fields of v, a message md in JSON, and returns it
// with every field named as protojson writes it (lowerCamel). With regex,
// the values are regular expressions, compiled.
func normalize(md protoreflect.MessageDescriptor, v any, path string, regex bool) (map[string]any, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: want a %s (an object), got %s", path, md.FullName(), describe(v))
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make(map[string]any, len(obj))
	for _, k := range keys {
		fd := md.Fields().ByJSONName(k)
		if fd == nil {
			fd = md.Fields().ByName(protoreflect.Name(k))
		}
		if fd == nil {
			return nil, fmt.Errorf("%s: %s has no field %q", join(path, k), md.FullName(), k)
		}
		if _, dup := out[fd.JSONName()]; dup {
			return nil, fmt.Errorf("%s: %s is given twice", join(path, k), fd.Name())
		}
		nv, err := normalizeField(fd, obj[k], join(path, k), regex)
		if err != nil {
			return nil, err
		}
		out[fd.JSONName()] = nv
	}
	return out, nil
}

func normalizeField(fd protoreflect.FieldDescriptor, v any, path string, regex bool) (any, error) {
	switch {
	case v == nil:
		return nil, nil
	case fd.IsList():
		l, ok := v.([]any)
		if !ok {
			if regex {
				// One expression for the whole list, as text.
				return normalizeSingle(fd, v, path, regex)
			}
			return nil, fmt.Errorf("%s: want a list, got %s", path, describe(v))
		}
		out := make([]any, len(l))
		for i, e := range l {
			var err error
			if out[i], err = normalizeSingle(fd, e, fmt.Sprintf("%s[%d]", path, i), regex); err != nil {
				return nil, err
			}
		}
		return out, nil
	case fd.IsMap():
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: want an object (a map), got %s", path, describe(v))
		}
		out := make(map[string]any, len(m))
		for k, e := range m {
			var err error
			if out[k], err = normalizeSingle(fd.MapValue(), e, join(path, k), regex); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return normalizeSingle(fd, v, path, regex)
}

// wellKnown says whether md is one of protobuf's own types, which
// protojson writes in a form of their own (a Timestamp as a string).
func wellKnown(md protoreflect.MessageDescriptor) bool {
	return strings.HasPrefix(string(md.FullName()), "google.protobuf.")
}

func normalizeSingle(fd protoreflect.FieldDescriptor, v any, path string, regex bool) (any, error) {
	if v == nil {
		return nil, nil
	}
	isMessage := fd.Kind() == protoreflect.MessageKind || fd.Kind() == protoreflect.GroupKind
	if isMessage && !wellKnown(fd.Message()) {
		if _, ok := v.(map[string]any); ok || !regex {
			return normalize(fd.Message(), v, path, regex)
		}
	}
	if regex {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("%s: want a regular expression (a string), got %s", path, describe(v))
		}
		re, err := regexp.Compile(s)
		if err != nil {
			return nil, fmt.Errorf("%s: the regular expression %q does not compile: %v", path, s, err)
		}
		return re, nil
	}
	want := ""
	switch fd.Kind() {
	case protoreflect.BoolKind:
		if _, ok := v.(bool); !ok {
			want = "true or false"
		}
	case protoreflect.StringKind:
		if _, ok := v.(string); !ok {
			want = "a string"
		}
	case protoreflect.BytesKind:
		if _, ok := v.(string); !ok {
			want = "a string (base64)"
		}
	case protoreflect.EnumKind:
		switch e := v.(type) {
		case string:
			if fd.Enum().Values().ByName(protoreflect.Name(e)) == nil {
				return nil, fmt.Errorf("%s: %s has no value %q", path, fd.Enum().FullName(), e)
			}
		case json.Number:
			if _, err := e.Int64(); err != nil {
				want = "a value of " + string(fd.Enum().FullName())
			}
		default:
			want = "a value of " + string(fd.Enum().FullName())
		}
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		switch v.(type) {
		case json.Number, string:
		default:
			want = "a number"
		}
	case protoreflect.MessageKind, protoreflect.GroupKind:
		// A well-known type: protojson checks it.
	default:
		switch n := v.(type) {
		case json.Number:
			if _, err := n.Int64(); err != nil {
				if _, err := fmt.Sscan(n.String(), new(uint64)); err != nil {
					want = "an integer"
				}
			}
		case string:
			if _, err := fmt.Sscan(n, new(int64)); err != nil {
				if _, err := fmt.Sscan(n, new(uint64)); err != nil {
					want = "an integer"
				}
			}
		default:
			want = "an integer"
		}
	}
	if want != "" {
		return nil, fmt.Errorf("%s: want %s, got %s", path, want, describe(v))
	}
	return v, nil
}

// matcher is an Input, compiled.
type matcher struct {
	equals      any // the whole request as tree writes it; nil: no rule
	contains    any // the part given, in the same form
	matches     any // of regular expressions
	anyOf       []*matcher
	ignoreOrder bool
	headers     *headerMatcher
}

func compileInput(mt protoreflect.MessageType, in Input, path string) (*matcher, error) {
	m := &matcher{ignoreOrder: in.IgnoreArrayOrder}
	if in.Equals != nil {
		msg, err := decodeMessage(mt, in.Equals, join(path, "equals"))
		if err != nil {
			return nil, err
		}
		m.equals = tree(msg)
	}
	if in.Contains != nil {
		norm, err := normalize(mt.Descriptor(), in.Contains, join(path, "contains"), false)
		if err != nil {
			return nil, err
		}
		msg, err := decodeMessage(mt, in.Contains, join(path, "contains"))
		if err != nil {
			return nil, err
		}
		m.contains = project(tree(msg), norm)
	}
	if in.Matches != nil {
		norm, err := normalize(mt.Descriptor(), in.Matches, join(path, "matches"), true)
		if err != nil {
			return nil, err
		}
		m.matches = norm
	}
	for i, a := range in.AnyOf {
		am, err := compileInput(mt, a, fmt.Sprintf("%s[%d]", join(path, "anyOf"), i))
		if err != nil {
			return nil, err
		}
		m.anyOf = append(m.anyOf, am)
	}
	var err error
	if m.headers, err = compileHeaders(in.Headers, join(path, "headers")); err != nil {
		return nil, err
	}
	return m, nil
}

// project is the part of full (a message as tree writes it) that part
// gives, in full's form: the JSON values that protojson writes for them.
func project(full, part any) any {
	switch p := part.(type) {
	case map[string]any:
		f, ok := full.(map[string]any)
		if !ok {
			return full
		}
		out := make(map[string]any, len(p))
		for k, pv := range p {
			out[k] = project(f[k], pv)
		}
		return out
	case []any:
		f, ok := full.([]any)
		if !ok || len(f) != len(p) {
			return full
		}
		out := make([]any, len(p))
		for i := range p {
			out[i] = project(f[i], p[i])
		}
		return out
	}
	return full
}

// tree is msg in JSON as protojson writes it, every field included,
// decoded into maps, lists, strings, json.Numbers, bools and nils.
func tree(msg proto.Message) any {
	b, err := protojson.MarshalOptions{EmitUnpopulated: true}.Marshal(msg)
	if err != nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	return v
}

// match says whether the request req (as tree writes it), with its
// headers md, matches every rule of m.
func (m *matcher) match(req any, md map[string][]string) bool {
	if m.headers != nil && !m.headers.match(md) {
		return false
	}
	if m.equals != nil && !equal(req, m.equals, m.ignoreOrder, false) {
		return false
	}
	if m.contains != nil && !equal(req, m.contains, m.ignoreOrder, true) {
		return false
	}
	if m.matches != nil && !matchRegexps(req, m.matches) {
		return false
	}
	if len(m.anyOf) > 0 {
		return slices.ContainsFunc(m.anyOf, func(a *matcher) bool { return a.match(req, md) })
	}
	return true
}

// equal compares got with want; with partial, the objects of got may have
// more fields than want's; with unordered, lists are compared as sets.
func equal(got, want any, unordered, partial bool) bool {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || (!partial && len(g) != len(w)) {
			return false
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok || !equal(gv, wv, unordered, partial) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		if !unordered {
			for i := range w {
				if !equal(g[i], w[i], unordered, partial) {
					return false
				}
			}
			return true
		}
		used := make([]bool, len(g))
	next:
		for _, wv := range w {
			for i, gv := range g {
				if !used[i] && equal(gv, wv, unordered, partial) {
					used[i] = true
					continue next
				}
			}
			return false
		}
		return true
	}
	return got == want
}

// matchRegexps says whether the values of got match the expressions of
// want.
func matchRegexps(got, want any) bool {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok || !matchRegexps(gv, wv) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !matchRegexps(g[i], w[i]) {
				return false
			}
		}
		return true
	case *regexp.Regexp:
		return w.MatchString(text(got))
	}
	return true
}

// text is a value of tree as a regular expression sees it.
func text(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case nil:
		return ""
	case bool:
		return fmt.Sprint(v)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// headerMatcher is a Headers, compiled: names in lower case.
type headerMatcher struct {
	equals, contains map[string]string
	matches          map[string]*regexp.Regexp
}

func compileHeaders(h *Headers, path string) (*headerMatcher, error) {
	if h == nil {
		return nil, nil
	}
	m := &headerMatcher{equals: map[string]string{}, contains: map[string]string{}, matches: map[string]*regexp.Regexp{}}
	for k, v := range h.Equals {
		m.equals[strings.ToLower(k)] = v
	}
	for k, v := range h.Contains {
		m.contains[strings.ToLower(k)] = v
	}
	for k, v := range h.Matches {
		re, err := regexp.Compile(v)
		if err != nil {
			return nil, fmt.Errorf("%s: the regular expression %q does not compile: %v", join(join(path, "matches"), k), v, err)
		}
		m.matches[strings.ToLower(k)] = re
	}
	return m, nil
}

// match says whether a value of each header named matches.
func (m *headerMatcher) match(md map[string][]string) bool {
	for k, want := range m.equals {
		if !slices.Contains(md[k], want) {
			return false
		}
	}
	for k, want := range m.contains {
		if !slices.ContainsFunc(md[k], func(v string) bool { return strings.Contains(v, want) }) {
			return false
		}
	}
	for k, re := range m.matches {
		if !slices.ContainsFunc(md[k], re.MatchString) {
			return false
		}
	}
	return true
}
