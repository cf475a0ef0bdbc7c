package generator

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// What an API declares about the values it accepts, in the google.api
// annotations of its descriptors: resources and field behaviours
// (google/api/resource.proto, field_behavior.proto). Examples follow them
// (see exampleBuilder); buf.validate's rules are in validaterules.go.

// apiIndex holds what a request declares across its files: resources by
// type, from messages' google.api.resource and files'
// google.api.resource_definition.
type apiIndex struct {
	resources map[string]*annotations.ResourceDescriptor
	files     map[string]*protogen.File // by path
}

func indexAPI(gen *protogen.Plugin) *apiIndex {
	idx := &apiIndex{resources: map[string]*annotations.ResourceDescriptor{}, files: gen.FilesByPath}
	// A type may be declared in several files (an API's own resource and
	// other APIs' resource_definitions of it): its patterns are merged,
	// the wildcard "*" (any name) kept only when nothing else is known.
	add := func(r *annotations.ResourceDescriptor) {
		var patterns []string
		for _, p := range r.GetPattern() {
			if p != "*" && p != "" {
				patterns = append(patterns, p)
			}
		}
		if r.GetType() == "" || len(patterns) == 0 {
			return
		}
		known := idx.resources[r.GetType()]
		if known == nil {
			known = &annotations.ResourceDescriptor{Type: r.GetType()}
			idx.resources[r.GetType()] = known
		}
		for _, p := range patterns {
			if !slices.Contains(known.Pattern, p) {
				known.Pattern = append(known.Pattern, p)
			}
		}
	}
	var walk func([]*protogen.Message)
	walk = func(msgs []*protogen.Message) {
		for _, m := range msgs {
			if r, ok := extensionOf(m.Desc.Options(), annotations.E_Resource).(*annotations.ResourceDescriptor); ok {
				add(r)
			}
			walk(m.Messages)
		}
	}
	for _, f := range gen.Files {
		if defs, ok := extensionOf(f.Desc.Options(), annotations.E_ResourceDefinition).([]*annotations.ResourceDescriptor); ok {
			for _, r := range defs {
				add(r)
			}
		}
		walk(f.Messages)
	}
	return idx
}

// fileOf returns the file that declares m, nil when unknown.
func (idx *apiIndex) fileOf(m *protogen.Message) *protogen.File {
	if idx == nil {
		return nil
	}
	return idx.files[m.Desc.ParentFile().Path()]
}

// behaviors returns the google.api.field_behavior of f.
func behaviors(f *protogen.Field) []annotations.FieldBehavior {
	b, _ := extensionOf(f.Desc.Options(), annotations.E_FieldBehavior).([]annotations.FieldBehavior)
	return b
}

// resourcePattern returns the pattern of the resource names that the
// string field f holds, when f is the name field of a resource or a
// google.api.resource_reference; "" otherwise. It is the first of
// resourcePatterns.
func (idx *apiIndex) resourcePattern(f *protogen.Field) string {
	if ps := idx.resourcePatterns(f); len(ps) > 0 {
		return ps[0]
	}
	return ""
}

// resourcePatterns returns every pattern that a name held by the string
// field f may follow, in the order declared: those of its resource when f
// is a resource's name field, those of the type it refers to, or the
// parents of those of a child_type. Nil when f declares none, or any name
// will do (a wildcard, the parent of a top-level resource). A type that
// the request does not define gets a pattern made from its name.
func (idx *apiIndex) resourcePatterns(f *protogen.Field) []string {
	return idx.namePatterns(f, true)
}

// declaredPatterns is resourcePatterns without the patterns made from a
// type's name: those that the request declares.
func (idx *apiIndex) declaredPatterns(f *protogen.Field) []string {
	return idx.namePatterns(f, false)
}

func (idx *apiIndex) namePatterns(f *protogen.Field, guess bool) []string {
	if f.Desc.Kind() != protoreflect.StringKind {
		return nil
	}
	if r, ok := extensionOf(f.Parent.Desc.Options(), annotations.E_Resource).(*annotations.ResourceDescriptor); ok && len(r.GetPattern()) > 0 {
		nameField := r.GetNameField()
		if nameField == "" {
			nameField = "name"
		}
		if string(f.Desc.Name()) == nameField {
			return concrete(r.GetPattern(), false)
		}
	}
	ref, ok := extensionOf(f.Desc.Options(), annotations.E_ResourceReference).(*annotations.ResourceReference)
	if !ok {
		return nil
	}
	t, parents := ref.GetType(), false
	if t == "" {
		t, parents = ref.GetChildType(), true
	}
	if t == "" || t == "*" || !guess && (idx == nil || idx.resources[t] == nil) {
		return nil
	}
	return concrete(idx.patterns(t), parents)
}

// concrete returns the patterns other than the wildcard, or their parents,
// without repeats.
func concrete(patterns []string, parents bool) []string {
	var out []string
	for _, p := range patterns {
		if parents {
			p = parentPattern(p)
		}
		if p != "" && p != "*" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// patterns returns the patterns of the resource type t. A type that no
// file of the request defines gets one made from its name, as most are:
// cloudresourcemanager.googleapis.com/Project is projects/{project}.
func (idx *apiIndex) patterns(t string) []string {
	if idx != nil && idx.resources[t] != nil {
		return idx.resources[t].GetPattern()
	}
	_, kind, _ := strings.Cut(t, "/")
	if kind == "" {
		return nil
	}
	singular := snake(kind)
	plural := lowerFirst(kind) + "s"
	if strings.HasSuffix(kind, "y") {
		plural = lowerFirst(strings.TrimSuffix(kind, "y")) + "ies"
	}
	return []string{plural + "/{" + singular + "}"}
}

// parentPattern returns the pattern of the parent of a resource: the
// pattern without its last collection and id (the parent of
// projects/{project}/topics/{topic} is projects/{project}), or without its
// last segment when that is a literal, a singleton resource (the parent of
// projects/{project}/cmekSettings is projects/{project}). A top-level
// resource has no parent: "".
func parentPattern(p string) string {
	segs := strings.Split(p, "/")
	n := len(segs) - 1 // a singleton's literal
	if strings.Contains(segs[n], "{") {
		n-- // a collection and its id
	}
	if n <= 0 {
		return ""
	}
	return strings.Join(segs[:n], "/")
}

// instantiate fills the variables of a resource name pattern with example
// ids: projects/{project}/topics/{topic} gives
// projects/my-project/topics/my-topic (my-topic-2 for the second element of
// a list).
func instantiate(pattern string, i int) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(pattern, '{')
		if open < 0 {
			b.WriteString(pattern)
			return b.String()
		}
		end := strings.IndexByte(pattern[open:], '}')
		if end < 0 {
			b.WriteString(pattern)
			return b.String()
		}
		b.WriteString(pattern[:open])
		name, _, _ := strings.Cut(pattern[open+1:open+end], "=")
		id := exampleID(name)
		if i > 0 && open+end+1 == len(pattern) {
			id += "-" + strconv.Itoa(i+1)
		}
		b.WriteString(id)
		pattern = pattern[open+end+1:]
	}
}

// exampleID is the example value of one variable of a resource pattern.
func exampleID(name string) string {
	switch name {
	case "location", "region":
		return "us-central1"
	case "zone":
		return "us-central1-a"
	}
	return "my-" + strings.ReplaceAll(name, "_", "-")
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// snake turns CamelCase into snake_case.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hasBehavior reports whether bs holds b.
func hasBehavior(bs []annotations.FieldBehavior, b annotations.FieldBehavior) bool {
	return slices.Contains(bs, b)
}
