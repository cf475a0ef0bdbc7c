package generator

import (
	"fmt"
	"net/url"
	"strings"

	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// httpRule returns the google.api.http rule of m, with its verb and path
// template; a nil rule when m has none, or one of a custom verb.
func httpRule(m *protogen.Method) (verb, path string, rule *annotations.HttpRule) {
	rule, ok := extensionOf(m.Desc.Options(), annotations.E_Http).(*annotations.HttpRule)
	if !ok {
		return "", "", nil
	}
	if verb, path = rulePattern(rule); verb == "" {
		return "", "", nil
	}
	return verb, path, rule
}

// rulePattern returns the verb and path template of rule; a verb of ""
// for a custom verb, whose path it returns all the same.
func rulePattern(rule *annotations.HttpRule) (verb, path string) {
	switch p := rule.GetPattern().(type) {
	case *annotations.HttpRule_Get:
		return "GET", p.Get
	case *annotations.HttpRule_Put:
		return "PUT", p.Put
	case *annotations.HttpRule_Post:
		return "POST", p.Post
	case *annotations.HttpRule_Delete:
		return "DELETE", p.Delete
	case *annotations.HttpRule_Patch:
		return "PATCH", p.Patch
	case *annotations.HttpRule_Custom:
		return "", p.Custom.GetPath()
	}
	return "", ""
}

// restRequest returns the google.api.http rule of a unary method (its verb
// and path template) and the request that calls it through the rule with
// the example request: the path's variables filled from the example
// (target, the path and query to request), the body as the rule says
// (JSON, or "" for none). All "" when the method has no rule, streams, or
// its example lacks a field that the path needs.
func restRequest(m *protogen.Method, in proto.Message) (verb, path, target, body string) {
	if m.Desc.IsStreamingClient() || m.Desc.IsStreamingServer() {
		return "", "", "", ""
	}
	verb, path, rule := httpRule(m)
	if rule == nil {
		return "", "", "", ""
	}
	msg := proto.Clone(in)
	target, used, ok := fillPath(path, msg.ProtoReflect())
	if !ok {
		return "", "", "", ""
	}
	switch field := rule.GetBody(); field {
	case "":
	case "*":
		for _, u := range used {
			u.m.Clear(u.fd)
		}
		body = jsonOf(msg)
	default:
		fd := msg.ProtoReflect().Descriptor().Fields().ByName(protoreflect.Name(field))
		if fd == nil || fd.Message() == nil || !msg.ProtoReflect().Has(fd) {
			return "", "", "", ""
		}
		body = jsonOf(msg.ProtoReflect().Get(fd).Message().Interface())
	}
	return verb, path, target, body
}

// unroutable says why the REST router of the server main (Vanguard) cannot
// take rule, a google.api.http rule of a method whose request is in, or
// one of its additional
// bindings, or "" when it can. The rules' grammar allows what the router
// does not: a "**" before the path's last segment (Firestore's
// ListDocuments), a colon before the verb (grpc-gateway's DoubleColon), a
// body that names a nested field, a path variable of a repeated field.
func unroutable(in protoreflect.MessageDescriptor, rule *annotations.HttpRule) string {
	for _, r := range append([]*annotations.HttpRule{rule}, rule.GetAdditionalBindings()...) {
		if why := unroutableRule(in, r); why != "" {
			return why
		}
	}
	return ""
}

// unroutableRule is unroutable for one rule, whose request is in.
func unroutableRule(in protoreflect.MessageDescriptor, rule *annotations.HttpRule) string {
	if body := rule.GetBody(); strings.Contains(body, ".") {
		return fmt.Sprintf("its body names a nested field (%s), where the server's REST router takes a field of the request itself", body)
	}
	_, path := rulePattern(rule)
	if verb := strings.LastIndex(path, ":"); verb > strings.LastIndex(path, "/") && verb > strings.LastIndex(path, "}") {
		path = path[:verb]
	}
	path, vars := parseTemplate(path)
	for _, v := range vars {
		if fd := fieldByPath(in, v.field); fd != nil && (fd.IsList() || fd.IsMap()) {
			return fmt.Sprintf("its path variable %s names a repeated field, which the server's REST router does not allow", v.field)
		}
	}
	if strings.Contains(path, ":") {
		return "its path has a colon before its verb, which the server's REST router does not allow"
	}
	segments := strings.Split(strings.Trim(path, "/"), "/")
	for i, segment := range segments {
		if segment == "**" && i < len(segments)-1 {
			return `its path has "**" before its last segment, which the server's REST router does not allow`
		}
	}
	return ""
}

// fieldByPath returns the field of in that a dotted path names
// ("shelf.name"), or nil.
func fieldByPath(in protoreflect.MessageDescriptor, path string) protoreflect.FieldDescriptor {
	var fd protoreflect.FieldDescriptor
	for name := range strings.SplitSeq(path, ".") {
		if in == nil {
			return nil
		}
		if fd = in.Fields().ByName(protoreflect.Name(name)); fd == nil {
			return nil
		}
		in = fd.Message()
	}
	return fd
}

// A pathVariable is a variable of a path template: "{name=shelves/*}" is
// the field path name and the pattern shelves/*; "{name}" has no pattern.
type pathVariable struct{ field, pattern string }

// parseTemplate returns the variables of a path template, in order, and
// the template with each variable replaced by its own segments (its
// pattern, or "*"): "/v1/{name=shelves/*}/books" is "/v1/shelves/*/books".
// A brace left open ends the variables.
func parseTemplate(template string) (flat string, vars []pathVariable) {
	var b strings.Builder
	for {
		open := strings.IndexByte(template, '{')
		end := strings.IndexByte(template, '}')
		if open < 0 || end < open {
			b.WriteString(template)
			return b.String(), vars
		}
		field, pattern, _ := strings.Cut(template[open+1:end], "=")
		vars = append(vars, pathVariable{field, pattern})
		b.WriteString(template[:open])
		if pattern == "" {
			pattern = "*"
		}
		b.WriteString(pattern)
		template = template[end+1:]
	}
}

// usedField is a field that a path variable took its value from, in the
// message that holds it.
type usedField struct {
	m  protoreflect.Message
	fd protoreflect.FieldDescriptor
}

// fillPath fills the variables of a path template ("/v1/{name=projects/*}",
// "/v1/{parent}/things") with the values of the example's fields, and
// returns the fields it used, which a body of "*" leaves out.
func fillPath(template string, m protoreflect.Message) (string, []usedField, bool) {
	var b strings.Builder
	var used []usedField
	for {
		open := strings.IndexByte(template, '{')
		if open < 0 {
			b.WriteString(template)
			return b.String(), used, true
		}
		end := strings.IndexByte(template[open:], '}')
		if end < 0 {
			return "", nil, false
		}
		b.WriteString(template[:open])
		fieldPath, pattern, _ := strings.Cut(template[open+1:open+end], "=")
		value, field, ok := fieldValue(m, fieldPath)
		if !ok || value == "" || pattern != "" && pattern != "*" && !matchesPattern(pattern, value) {
			return "", nil, false
		}
		used = append(used, field)
		if pattern == "" || !strings.Contains(pattern, "/") && !strings.Contains(pattern, "**") {
			value = url.PathEscape(value)
		}
		b.WriteString(value)
		template = template[open+end+1:]
	}
}

// fieldValue returns the string form of the field at the dotted path in m,
// and that field.
func fieldValue(m protoreflect.Message, path string) (string, usedField, bool) {
	names := strings.Split(path, ".")
	for i, name := range names {
		fd := m.Descriptor().Fields().ByName(protoreflect.Name(name))
		if fd == nil || fd.IsList() || fd.IsMap() || !m.Has(fd) {
			return "", usedField{}, false
		}
		v := m.Get(fd)
		if i < len(names)-1 {
			if fd.Message() == nil {
				return "", usedField{}, false
			}
			m = v.Message()
			continue
		}
		if fd.Message() != nil {
			return "", usedField{}, false
		}
		if fd.Enum() != nil {
			if ev := fd.Enum().Values().ByNumber(v.Enum()); ev != nil {
				return string(ev.Name()), usedField{m, fd}, true
			}
		}
		return v.String(), usedField{m, fd}, true
	}
	return "", usedField{}, false
}

// fitHTTPPath makes the example request of a method with a google.api.http
// rule fit the rule's path: a field that a path variable binds to a
// pattern ({name=things/*}) gets a value that matches it
// (things/my-thing), so that the REST call reaches the method. The
// resource name patterns usually see to it already. A resource name keeps
// to the patterns that the request declares for its resource: it takes
// another of them that fits the path, or stays as it is when none does
// (the API contradicts itself; the example then has no REST call). It
// reports whether it changed the example.
func fitHTTPPath(m *protogen.Method, in *Value, api *apiIndex) bool {
	_, path, rule := httpRule(m)
	if rule == nil {
		return false
	}
	changed := false
	_, vars := parseTemplate(path)
	for _, pv := range vars {
		fieldPath, pattern := pv.field, pv.pattern
		if pattern == "" || pattern == "*" || pattern == "**" {
			continue
		}
		v := in
		var target *Value
		for _, name := range strings.Split(fieldPath, ".") {
			target = nil
			for _, fv := range v.Fields {
				if string(fv.Field.Desc.Name()) == name {
					target = fv.Value
				}
			}
			if target == nil {
				break
			}
			v = target
		}
		if target == nil || target.Kind != ScalarValue || target.Field.Desc.Kind() != protoreflect.StringKind {
			continue
		}
		if matchesPattern(pattern, target.Scalar.String()) {
			continue
		}
		if resources := api.declaredPatterns(target.Field); len(resources) > 0 {
			for _, p := range resources {
				if name := instantiate(p, 0); matchesPattern(pattern, name) {
					target.Scalar = protoreflect.ValueOfString(name)
					changed = true
					break
				}
			}
			continue
		}
		target.Scalar = protoreflect.ValueOfString(fillPattern(pattern))
		changed = true
	}
	return changed
}

// matchesPattern reports whether value matches a path template's pattern:
// literal segments, * for one segment, ** for any number (at least one).
func matchesPattern(pattern, value string) bool {
	segs, vals := strings.Split(pattern, "/"), strings.Split(value, "/")
	for i, s := range segs {
		switch {
		case s == "**":
			return len(vals) > i
		case i >= len(vals) || vals[i] == "":
			return false
		case s != "*" && s != vals[i]:
			return false
		}
	}
	return len(vals) == len(segs)
}

// fillPattern writes an example value of a path pattern: each * is named
// after the collection before it (things/* gives things/my-thing).
func fillPattern(pattern string) string {
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		if s != "*" && s != "**" {
			continue
		}
		name := "id"
		if i > 0 {
			name = strings.TrimSuffix(segs[i-1], "s")
		}
		segs[i] = "my-" + strings.ReplaceAll(snake(name), "_", "-")
	}
	return strings.Join(segs, "/")
}

// shellQuote is the template function {{shellQuote S}}: S quoted for a
// POSIX shell, as one word.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
