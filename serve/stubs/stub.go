package stubs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
	"google.golang.org/grpc/codes"
)

// A Stub is one stub, in gripmock's format: the calls of Method of
// Service whose request and headers Input (or Inputs, for the messages of
// a client's stream) matches get Output. It marshals to JSON as gripmock
// writes it.
type Stub struct {
	// ID names the stub in the admin API and the history. Stubs that have
	// none get one: derived from their file and place, or random for those
	// added through the API.
	ID string `json:"id,omitempty"`
	// Service is the service's full name ("helloworld.Greeter"), or its
	// last part ("Greeter") as older gripmock stubs have it.
	Service string `json:"service"`
	// Method is the method's name ("SayHello").
	Method string `json:"method"`
	// Headers matches the request's headers, as Input.Headers does
	// (gripmock's older place for it).
	Headers *Headers `json:"headers,omitempty"`
	// Input matches the request (of a unary call or a server's stream) or
	// each message (of a client's or bidirectional stream).
	Input Input `json:"input"`
	// Inputs matches a client's stream message by message: as many
	// messages, each matching its place. In a bidirectional stream, the
	// nth message matches Inputs[n].
	Inputs []Input `json:"inputs,omitempty"`
	// Output is the answer.
	Output Output `json:"output"`
	// Priority orders the stubs that match the same call: the highest
	// answers (among equals, the first loaded).
	Priority int `json:"priority,omitempty"`
	// Times, when positive, is how many calls the stub answers; after
	// that it matches no more.
	Times int `json:"times,omitempty"`
	// Source is where the stub comes from: its file, or "api".
	Source string `json:"source,omitempty"`
}

// Input matches a request message and its headers. Every rule given must
// hold; no rule matches every request.
type Input struct {
	// Equals is the whole request, in JSON as protojson writes it (fields
	// lowerCamel or snake_case): fields left out must be unset.
	Equals map[string]any `json:"equals,omitempty"`
	// Contains is part of the request: the fields given must have these
	// values (in nested messages too); the others may be anything.
	Contains map[string]any `json:"contains,omitempty"`
	// Matches maps fields to regular expressions (Go's syntax, unanchored)
	// that their values, as text, must match.
	Matches map[string]any `json:"matches,omitempty"`
	// AnyOf holds when any of its inputs does.
	AnyOf []Input `json:"anyOf,omitempty"`
	// IgnoreArrayOrder compares the lists of Equals and Contains as sets.
	IgnoreArrayOrder bool `json:"ignoreArrayOrder,omitempty"`
	// Headers matches the request's headers (gRPC metadata).
	Headers *Headers `json:"headers,omitempty"`
}

// Headers matches a request's headers (names in any case): Equals gives
// their values, Contains text that their values contain, Matches regular
// expressions that their values match. Headers not named may be anything.
type Headers struct {
	Equals   map[string]string `json:"equals,omitempty"`
	Contains map[string]string `json:"contains,omitempty"`
	Matches  map[string]string `json:"matches,omitempty"`
}

// Output is a stub's answer: Data (the response message, in JSON as
// protojson writes it), or Stream for a server's stream (a message each),
// and an error when Error or Code is set (Code, a gRPC code by number or
// name, is Unknown when only Error is), with Details (messages in JSON
// with their "@type", such as google.rpc.ErrorInfo). Headers are sent as
// the response's headers, and the answer waits Delay ("100ms") first.
type Output struct {
	Data    map[string]any    `json:"data,omitempty"`
	Stream  []any             `json:"stream,omitempty"`
	Error   string            `json:"error,omitempty"`
	Code    *int              `json:"code,omitempty"`
	Details []map[string]any  `json:"details,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
	Delay   string            `json:"delay,omitempty"`
}

// Parse reads the stubs of one file (name says its format: .yaml or .yml
// is YAML, anything else JSON), which holds a stub or a list of them.
// Its errors name the file and the place: the line and column of a syntax
// error, or the field's path ("[1].output.code").
func Parse(name string, data []byte) ([]Stub, error) {
	var tree any
	if strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") {
		var y any
		if err := yaml.Unmarshal(data, &y); err != nil {
			msg := strings.TrimPrefix(err.Error(), "yaml: ")
			if m := yamlLine.FindStringSubmatch(msg); m != nil {
				return nil, fmt.Errorf("%s:%s: %s", name, m[1], m[2])
			}
			return nil, fmt.Errorf("%s: %s", name, msg)
		}
		var err error
		if tree, err = fromYAML(y, ""); err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
	} else {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&tree); err != nil {
			return nil, fmt.Errorf("%s:%s", name, jsonError(data, err))
		}
		if dec.More() {
			return nil, fmt.Errorf("%s:%s: more after the stubs", name, position(data, dec.InputOffset()))
		}
	}
	stubs, err := decodeStubs(tree)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return stubs, nil
}

// yamlLine finds the line in an error of YAML's.
var yamlLine = regexp.MustCompile(`^line (\d+): (.*)$`)

// jsonError is err of decoding data, after its line and column ("3:14:
// invalid character...").
func jsonError(data []byte, err error) string {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return fmt.Sprintf("%s: %s", position(data, syntax.Offset), syntax.Error())
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return position(data, int64(len(data))) + ": unexpected end of JSON"
	}
	return " " + err.Error()
}

// position is the line and column (from 1) of offset in data, "3:14".
func position(data []byte, offset int64) string {
	offset = min(offset, int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("%d:%d", line, col)
}

// fromYAML turns what YAML decoded into JSON's values (numbers as
// json.Number), so that both formats match alike.
func fromYAML(v any, path string) (any, error) {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			var err error
			if out[k], err = fromYAML(e, join(path, k)); err != nil {
				return nil, err
			}
		}
		return out, nil
	case map[any]any:
		return nil, fmt.Errorf("%s: keys must be text", orRoot(path))
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			var err error
			if out[i], err = fromYAML(e, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return nil, err
			}
		}
		return out, nil
	case int, int64, uint64, float64:
		return json.Number(fmt.Sprint(v)), nil
	case nil, string, bool:
		return v, nil
	}
	// Timestamps and the like: their text.
	return fmt.Sprint(v), nil
}

// decodeStubs reads one stub or a list of them.
func decodeStubs(tree any) ([]Stub, error) {
	switch t := tree.(type) {
	case map[string]any:
		s, err := decodeStub(t, "")
		if err != nil {
			return nil, err
		}
		return []Stub{s}, nil
	case []any:
		stubs := make([]Stub, len(t))
		for i, e := range t {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("[%d]: want a stub (an object), got %s", i, describe(e))
			}
			var err error
			if stubs[i], err = decodeStub(m, fmt.Sprintf("[%d]", i)); err != nil {
				return nil, err
			}
		}
		return stubs, nil
	}
	return nil, fmt.Errorf("want a stub (an object) or a list of stubs, got %s", describe(tree))
}

// object reads the fields of a JSON object, by their lowerCamel or
// snake_case names, and fails on those it does not know.
type object struct {
	path   string
	fields map[string]any // by lowerCamel name
	keys   map[string]string
}

func newObject(v any, path, what string) (*object, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: want %s (an object), got %s", orRoot(path), what, describe(v))
	}
	o := &object{path: path, fields: map[string]any{}, keys: map[string]string{}}
	for k, e := range m {
		c := lowerCamel(k)
		if other, dup := o.keys[c]; dup {
			return nil, fmt.Errorf("%s: both %q and %q", orRoot(path), other, k)
		}
		o.fields[c], o.keys[c] = e, k
	}
	return o, nil
}

// take returns the field named name (lowerCamel), nil if absent or null,
// with its path.
func (o *object) take(name string) (any, string) {
	v := o.fields[name]
	delete(o.fields, name)
	return v, join(o.path, name)
}

// done fails if fields are left that take did not read.
func (o *object) done() error {
	var left []string
	for c := range o.fields {
		left = append(left, o.keys[c])
	}
	if len(left) == 0 {
		return nil
	}
	slices.Sort(left)
	return fmt.Errorf("%s: unknown field %q", join(o.path, left[0]), left[0])
}

func (o *object) str(name string) (string, error) {
	v, path := o.take(name)
	if v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s: want a string, got %s", path, describe(v))
	}
	return s, nil
}

func (o *object) integer(name string) (int, error) {
	v, path := o.take(name)
	if v == nil {
		return 0, nil
	}
	n, ok := v.(json.Number)
	if ok {
		if i, err := n.Int64(); err == nil && i >= -1<<31 && i < 1<<31 {
			return int(i), nil
		}
	}
	return 0, fmt.Errorf("%s: want an integer, got %s", path, describe(v))
}

func (o *object) boolean(name string) (bool, error) {
	v, path := o.take(name)
	if v == nil {
		return false, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("%s: want true or false, got %s", path, describe(v))
	}
	return b, nil
}

// message reads a JSON object that a message's descriptor checks later.
func (o *object) message(name string) (map[string]any, error) {
	v, path := o.take(name)
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: want an object, got %s", path, describe(v))
	}
	return m, nil
}

func (o *object) list(name string) ([]any, string, error) {
	v, path := o.take(name)
	if v == nil {
		return nil, path, nil
	}
	l, ok := v.([]any)
	if !ok {
		return nil, path, fmt.Errorf("%s: want a list, got %s", path, describe(v))
	}
	return l, path, nil
}

func (o *object) strings(name string) (map[string]string, error) {
	v, path := o.take(name)
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: want an object of strings, got %s", path, describe(v))
	}
	out := make(map[string]string, len(m))
	for k, e := range m {
		switch e := e.(type) {
		case string:
			out[k] = e
		case json.Number:
			out[k] = e.String()
		case bool:
			out[k] = fmt.Sprint(e)
		default:
			return nil, fmt.Errorf("%s: want a string, got %s", join(path, k), describe(e))
		}
	}
	return out, nil
}

func decodeStub(m map[string]any, path string) (s Stub, err error) {
	o, err := newObject(m, path, "a stub")
	if err != nil {
		return s, err
	}
	if s.ID, err = o.str("id"); err != nil {
		return s, err
	}
	if s.Service, err = o.str("service"); err != nil {
		return s, err
	}
	if s.Method, err = o.str("method"); err != nil {
		return s, err
	}
	if s.Priority, err = o.integer("priority"); err != nil {
		return s, err
	}
	if s.Times, err = o.integer("times"); err != nil {
		return s, err
	}
	if s.Times < 0 {
		return s, fmt.Errorf("%s: want 0 (no bound) or more, got %d", join(path, "times"), s.Times)
	}
	if v, p := o.take("headers"); v != nil {
		if s.Headers, err = decodeHeaders(v, p); err != nil {
			return s, err
		}
	}
	if v, p := o.take("input"); v != nil {
		if s.Input, err = decodeInput(v, p); err != nil {
			return s, err
		}
	}
	inputs, p, err := o.list("inputs")
	if err != nil {
		return s, err
	}
	for i, e := range inputs {
		in, err := decodeInput(e, fmt.Sprintf("%s[%d]", p, i))
		if err != nil {
			return s, err
		}
		s.Inputs = append(s.Inputs, in)
	}
	if v, p := o.take("output"); v != nil {
		if s.Output, err = decodeOutput(v, p); err != nil {
			return s, err
		}
	}
	// gripmock's sessions scope stubs to the clients that name them; here
	// every client sees every stub.
	o.take("session")
	if err := o.done(); err != nil {
		return s, err
	}
	switch {
	case s.Service == "":
		return s, fmt.Errorf("%s: missing", join(path, "service"))
	case s.Method == "":
		return s, fmt.Errorf("%s: missing", join(path, "method"))
	}
	return s, nil
}

func decodeInput(v any, path string) (in Input, err error) {
	o, err := newObject(v, path, "an input")
	if err != nil {
		return in, err
	}
	if in.Equals, err = o.message("equals"); err != nil {
		return in, err
	}
	if in.Contains, err = o.message("contains"); err != nil {
		return in, err
	}
	if in.Matches, err = o.message("matches"); err != nil {
		return in, err
	}
	if in.IgnoreArrayOrder, err = o.boolean("ignoreArrayOrder"); err != nil {
		return in, err
	}
	if v, p := o.take("headers"); v != nil {
		if in.Headers, err = decodeHeaders(v, p); err != nil {
			return in, err
		}
	}
	anyOf, p, err := o.list("anyOf")
	if err != nil {
		return in, err
	}
	for i, e := range anyOf {
		a, err := decodeInput(e, fmt.Sprintf("%s[%d]", p, i))
		if err != nil {
			return in, err
		}
		in.AnyOf = append(in.AnyOf, a)
	}
	return in, o.done()
}

func decodeHeaders(v any, path string) (h *Headers, err error) {
	o, err := newObject(v, path, "headers")
	if err != nil {
		return nil, err
	}
	h = &Headers{}
	if h.Equals, err = o.strings("equals"); err != nil {
		return nil, err
	}
	if h.Contains, err = o.strings("contains"); err != nil {
		return nil, err
	}
	if h.Matches, err = o.strings("matches"); err != nil {
		return nil, err
	}
	return h, o.done()
}

func decodeOutput(v any, path string) (out Output, err error) {
	o, err := newObject(v, path, "an output")
	if err != nil {
		return out, err
	}
	if out.Data, err = o.message("data"); err != nil {
		return out, err
	}
	if out.Stream, _, err = o.list("stream"); err != nil {
		return out, err
	}
	if out.Error, err = o.str("error"); err != nil {
		return out, err
	}
	if c, p := o.take("code"); c != nil {
		code, err := decodeCode(c, p)
		if err != nil {
			return out, err
		}
		out.Code = &code
	}
	details, p, err := o.list("details")
	if err != nil {
		return out, err
	}
	for i, d := range details {
		m, ok := d.(map[string]any)
		if !ok {
			return out, fmt.Errorf("%s[%d]: want a message with its \"@type\" (an object), got %s", p, i, describe(d))
		}
		out.Details = append(out.Details, m)
	}
	if out.Headers, err = o.strings("headers"); err != nil {
		return out, err
	}
	if d, p := o.take("delay"); d != nil {
		s, ok := d.(string)
		if !ok {
			return out, fmt.Errorf("%s: want a duration such as \"100ms\", got %s", p, describe(d))
		}
		out.Delay = s
	}
	return out, o.done()
}

// protoCodeNames are gRPC's codes' names in the proto (google.rpc.Code),
// by number.
var protoCodeNames = []string{"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"}

// codeNames are gRPC's codes by their names in the proto
// (google.rpc.Code) and in Go (codes.Code's String).
var codeNames = map[string]int{}

func init() {
	for i, name := range protoCodeNames {
		codeNames[name] = i
		codeNames[lowerCamel(strings.ToLower(name))] = i
	}
	codeNames["canceled"] = 1
}

// codeName is c's name in the proto ("NOT_FOUND"), or its number for a
// code that gRPC does not define.
func codeName(c codes.Code) string {
	if int(c) < len(protoCodeNames) {
		return protoCodeNames[c]
	}
	return fmt.Sprint(uint32(c))
}

func decodeCode(v any, path string) (int, error) {
	switch c := v.(type) {
	case json.Number:
		if i, err := c.Int64(); err == nil && i >= 0 && i <= 16 {
			return int(i), nil
		}
	case string:
		if i, ok := codeNames[c]; ok {
			return i, nil
		}
		if i, ok := codeNames[strings.ToLower(c[:min(1, len(c))])+c[min(1, len(c)):]]; ok {
			return i, nil
		}
	}
	return 0, fmt.Errorf("%s: want a gRPC code (0 to 16, or a name such as NOT_FOUND), got %s", path, describe(v))
}

// lowerCamel is name in lowerCamel case: snake_case becomes snakeCase.
func lowerCamel(name string) string {
	if !strings.Contains(name, "_") {
		return name
	}
	var b strings.Builder
	up := false
	for _, r := range name {
		switch {
		case r == '_':
			up = true
		case up:
			b.WriteRune(unicode.ToUpper(r))
			up = false
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// join is the path of field name in path.
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func orRoot(path string) string {
	if path == "" {
		return "the file"
	}
	return path
}

// describe is v as an error message shows it: its JSON, short.
func describe(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case nil:
		return "null"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 40 {
		return string(b[:37]) + "..."
	}
	return string(b)
}
