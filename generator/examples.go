package generator

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"buf.build/go/protovalidate"
	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/gofeaturespb"
)

// Limits that keep the example of a huge or recursive message small. A field
// that is not required is left unset once either limit is reached; required
// fields are always set, so the example still marshals.
const (
	maxExampleDepth  = 3  // levels of nested messages below the example itself
	maxExampleFields = 48 // fields set in one example, all levels together
	maxRecursion     = 1  // times a message type may recur inside itself
	maxRequiredDepth = 16 // hard stop for chains of required message fields
	// maxRequiredFields bounds an example whose required fields alone need
	// more (a tree of required messages): past it, the plugin fails with an
	// error rather than write megabytes of example.
	maxRequiredFields = 10000
)

// fixedTimestampSeconds is 2023-11-14T22:13:20Z: examples never use the clock.
const fixedTimestampSeconds = 1700000000

// exampleBuilder builds example values. It is used for one file at a time.
//
// Examples follow what the API declares: a field whose google.api
// field_behavior is OUTPUT_ONLY is left out of a request (the server sets
// it) and INPUT_ONLY out of a response; REQUIRED fields and buf.validate
// required ones are always set; resource names follow their resource's
// pattern; values meet their buf.validate rules where a fixed value can.
type exampleBuilder struct {
	api      *apiIndex // resources of the whole request; nil reads none
	request  bool      // the example is sent by a client, not answered
	count    int       // fields set so far in the current example
	overflow bool      // the example needs more than maxRequiredFields
	hasRules bool      // some field of the example has buf.validate rules
	noSearch bool      // no search for values that meet CEL rules (tests)
	path     []string  // proto names of the fields from the root
	unset    []UnsetField

	buildableMemo map[*protogen.Message]bool
	factsMemo     map[*protogen.Field]*fieldFacts
	oneofsMemo    map[*protogen.Message]messageOneofGroups
}

// UnsetField is a field that an example leaves unset because its
// buf.validate rule compares with the clock, which no fixed value can meet
// for long.
type UnsetField struct {
	// Field is the field's path from the example's message ("a.b").
	Field string
	// Rule is the rule: "lt_now" (before now), "gt_now" (after now) or
	// "within" (within Within of now).
	Rule   string
	Within time.Duration
}

// Violation is a buf.validate rule that an example does not meet, as
// protovalidate reports it.
type Violation struct {
	// Rule is the rule's id ("string.min_len", or the id of a CEL rule);
	// Field the path of the field that breaks it, "" for the message
	// itself; Message protovalidate's message.
	Rule, Field, Message string
}

// builtExample is an example value and what was learnt building it.
type builtExample struct {
	value *Value
	// unset, violations and checkError are what the example leaves out
	// and why, and which rules it does not meet (see Example); hasRules
	// says that buf.validate rules apply to it, and valid that it meets
	// all of them (protovalidate says so).
	unset           []UnsetField
	violations      []Violation
	checkError      string
	hasRules, valid bool
}

// example returns the example value of msg, for a request or a response.
func (b *exampleBuilder) example(msg *protogen.Message, request bool) (*builtExample, error) {
	b.count = 0
	b.overflow = false
	b.request = request
	b.hasRules = false
	b.path = b.path[:0]
	b.unset = nil
	v := b.message(nil, msg, string(msg.Desc.Name()), 0, map[*protogen.Message]int{msg: 1})
	if b.overflow {
		return nil, fmt.Errorf("message %s: its required fields alone take more than %d fields to set in an example; gotutor writes examples out in full, and does not write one this large", msg.Desc.FullName(), maxRequiredFields)
	}
	ex := &builtExample{value: v, unset: b.unset, hasRules: b.hasRules, valid: true}
	if b.hasRules {
		verify(ex)
		// Rules that no picker reads (CEL) may still be met by other
		// values: a search tries them (see searchRules).
		if !ex.valid && ex.checkError == "" && !b.noSearch && b.searchRules(v) {
			*ex = builtExample{value: v, unset: b.unset, hasRules: true, valid: true}
			verify(ex)
		}
	}
	return ex, nil
}

// verify checks the example against its buf.validate rules with
// protovalidate, the rules written in CEL included, and records every rule
// it breaks.
func verify(ex *builtExample) {
	err := checkRules(protovalidate.GlobalValidator, ex.value.dynamic())
	if err == nil {
		return
	}
	ex.valid = false
	var verr *protovalidate.ValidationError
	if !errors.As(err, &verr) {
		ex.checkError = err.Error()
		return
	}
	for _, viol := range verr.Violations {
		ex.violations = append(ex.violations, Violation{
			Rule:    viol.Proto.GetRuleId(),
			Field:   protovalidate.FieldPathString(viol.Proto.GetField()),
			Message: viol.Proto.GetMessage(),
		})
	}
	// protovalidate visits map entries in Go's map order: sorted, the
	// violations are the same on every run.
	key := func(v Violation) string {
		return strconv.Quote(v.Rule) + " of " + cmp.Or(v.Field, "the message") + ": " + v.Message
	}
	slices.SortFunc(ex.violations, func(a, b Violation) int { return strings.Compare(key(a), key(b)) })
}

// fieldFacts is what a field declares, read once per file: reading
// options costs more than building the example.
type fieldFacts struct {
	behaviors []annotations.FieldBehavior
	rules     *validate.FieldRules
	// pattern is the resource name pattern that the field's values
	// follow, "" when none.
	pattern string
}

// facts returns what f declares, from the cache of b.
func (b *exampleBuilder) facts(f *protogen.Field) *fieldFacts {
	if ff, ok := b.factsMemo[f]; ok {
		return ff
	}
	if b.factsMemo == nil {
		b.factsMemo = map[*protogen.Field]*fieldFacts{}
	}
	ff := &fieldFacts{behaviors: behaviors(f), rules: fieldRules(f), pattern: b.api.resourcePattern(f)}
	b.factsMemo[f] = ff
	return ff
}

// message returns the example of a message held by field (nil at the
// root); word names it, for the well-known types that show a word.
func (b *exampleBuilder) message(field *protogen.Field, msg *protogen.Message, word string, depth int, seen map[*protogen.Message]int) *Value {
	if v := wellKnown(field, msg, word); v != nil {
		return v
	}
	v := &Value{Kind: MessageValue, Field: field, Message: msg}
	groups := b.oneofGroups(msg)
	oneofDone := map[*protogen.Oneof]bool{}
	groupDone := map[int]bool{}
	for _, f := range msg.Fields {
		required, ok := b.wants(f, groups, depth)
		if !ok {
			continue
		}
		if b.count >= maxRequiredFields {
			b.overflow = true
			return v
		}
		if oneof := f.Oneof; oneof != nil && !oneof.Desc.IsSynthetic() {
			// The first member that can be filled is set: a message member
			// left empty could lack required fields, so the limits may pass
			// over it to the next one.
			if oneofDone[oneof] || f.Message != nil && !b.canNest(f.Message, depth, seen, required) {
				continue
			}
			oneofDone[oneof] = true
		}
		g, inGroup := groups.of[f.Desc.Name()]
		if inGroup {
			if groupDone[g] {
				continue
			}
			groupDone[g] = true
		}
		fv := b.fieldAt(f, depth, seen, required)
		switch {
		case fv == nil:
		case inGroup && unsetAt(f, fv):
			// A member without presence at its zero value is unset: the
			// group's next member is set instead.
			groupDone[g] = false
		default:
			v.Fields = append(v.Fields, &FieldValue{Field: f, Value: fv})
		}
	}
	v.FromJSON = len(v.Fields) > 0 && openInHybridFile(msg, b.api.fileOf(msg))
	return v
}

// oneofGroups returns the oneof rules of buf.validate on msg, from the
// cache of b.
func (b *exampleBuilder) oneofGroups(msg *protogen.Message) messageOneofGroups {
	groups, ok := b.oneofsMemo[msg]
	if !ok {
		groups = messageOneofs(msg)
		if b.oneofsMemo == nil {
			b.oneofsMemo = map[*protogen.Message]messageOneofGroups{}
		}
		b.oneofsMemo[msg] = groups
	}
	if groups.rules {
		b.hasRules = true
	}
	return groups
}

// wants reports whether the example of a message at depth sets its field
// f, and whether f is required: set whatever the limits.
func (b *exampleBuilder) wants(f *protogen.Field, groups messageOneofGroups, depth int) (required, ok bool) {
	facts := b.facts(f)
	rules := facts.rules
	if rules != nil {
		b.hasRules = true
	}
	bs := facts.behaviors
	if b.request && hasBehavior(bs, annotations.FieldBehavior_OUTPUT_ONLY) || !b.request && hasBehavior(bs, annotations.FieldBehavior_INPUT_ONLY) {
		return false, false
	}
	required = f.Desc.Cardinality() == protoreflect.Required || hasBehavior(bs, annotations.FieldBehavior_REQUIRED) || rules.GetRequired() || zeroBreaks(f, rules)
	// A member of a oneof that must hold one is set too.
	oneofRequired := f.Oneof != nil && groups.requiredOneof[f.Oneof]
	if g, ok := groups.of[f.Desc.Name()]; ok && groups.required[g] {
		oneofRequired = true
	}
	pastLimits := depth >= maxExampleDepth || b.count >= maxExampleFields
	if oneofRequired && pastLimits && f.Message != nil && !f.Desc.IsList() && !f.Desc.IsMap() && groups.scalarMember(f) {
		return false, false // past the limits, a scalar member does
	}
	required = required || oneofRequired
	return required, required || !pastLimits
}

// zeroBreaks reports whether the zero value of f may break its rules: a
// scalar, a list or map that must not be empty.
func zeroBreaks(f *protogen.Field, rules *validate.FieldRules) bool {
	if rules == nil || rules.GetIgnore() == validate.Ignore_IGNORE_IF_ZERO_VALUE {
		return false
	}
	switch {
	case f.Desc.IsList():
		return rules.GetRepeated().GetMinItems() > 0
	case f.Desc.IsMap():
		return rules.GetMap().GetMinPairs() > 0
	}
	return f.Message == nil
}

// fieldAt returns the example value of the field f of a message at depth,
// or nil when it stays unset: the limits leave it so, or its rule depends
// on the clock.
func (b *exampleBuilder) fieldAt(f *protogen.Field, depth int, seen map[*protogen.Message]int, required bool) *Value {
	b.path = append(b.path, string(f.Desc.Name()))
	defer func() { b.path = b.path[:len(b.path)-1] }()
	rules := b.facts(f).rules
	if rule, within := clockRule(rules); rule != "" && !required {
		b.unset = append(b.unset, UnsetField{Field: strings.Join(b.path, "."), Rule: rule, Within: within})
		return nil
	}
	return b.field(f, depth, seen, required, rules)
}

// unsetAt reports whether the scalar field f, without presence, is unset
// when it holds v: at its zero value.
func unsetAt(f *protogen.Field, v *Value) bool {
	if f.Desc.HasPresence() || f.Desc.IsList() || f.Desc.IsMap() || f.Message != nil {
		return false
	}
	if v.Kind == EnumValue {
		return v.Enum != nil && v.Enum.Desc.Number() == 0
	}
	return v.Kind == ScalarValue && v.Scalar.Equal(f.Desc.Default())
}

// field returns the example value of one field of a message at depth, or
// nil when the limits leave it unset.
func (b *exampleBuilder) field(f *protogen.Field, depth int, seen map[*protogen.Message]int, required bool, rules *validate.FieldRules) *Value {
	fd := f.Desc
	switch {
	case fd.IsMap():
		key, val := f.Message.Fields[0], f.Message.Fields[1]
		mr := rules.GetMap()
		pairs := count(1, mr.GetMinPairs(), mr.GetMaxPairs(), mr.HasMaxPairs())
		if val.Message != nil && !b.canNest(val.Message, depth, seen, false) && pairs > 0 && !required {
			return nil // an entry left empty could lack required fields
		}
		m := &Value{Kind: MapValue, Field: f}
		seenKeys := map[any]bool{}
		for i := 0; len(m.Entries) < pairs && i < pairs+8; i++ {
			k := b.scalar(key, i, mr.GetKeys())
			if seenKeys[k.reflect().Interface()] {
				continue
			}
			seenKeys[k.reflect().Interface()] = true
			entry := &MapEntry{Key: k}
			if val.Message == nil {
				entry.Value = b.scalar(val, i, mr.GetValues())
			} else {
				entry.Value = b.nest(val, val.Message, string(key.Desc.Name()), depth, seen, required, mr.GetValues())
			}
			m.Entries = append(m.Entries, entry)
		}
		b.count++
		return m
	case fd.IsList():
		rr := rules.GetRepeated()
		list := &Value{Kind: ListValue, Field: f}
		if f.Message == nil {
			n := count(2, rr.GetMinItems(), rr.GetMaxItems(), rr.HasMaxItems())
			if rr.GetUnique() {
				list.Elems = b.uniqueScalars(f, n, int(rr.GetMinItems()), rr.GetItems())
			} else {
				for i := range n {
					list.Elems = append(list.Elems, b.scalar(f, i, rr.GetItems()))
				}
			}
		} else {
			if !required && !b.canNest(f.Message, depth, seen, false) {
				return nil
			}
			for range count(1, rr.GetMinItems(), rr.GetMaxItems(), rr.HasMaxItems()) {
				list.Elems = append(list.Elems, b.nest(f, f.Message, string(fd.Name()), depth, seen, required, rr.GetItems()))
			}
		}
		b.count++
		return list
	case f.Message != nil:
		if !b.canNest(f.Message, depth, seen, required) {
			return nil
		}
		b.count++
		return b.nest(f, f.Message, string(fd.Name()), depth, seen, required, rules)
	}
	b.count++
	return b.scalar(f, 0, rules)
}

// uniqueScalars returns the elements of a list of scalars whose elements
// must be unique: n different values, or as many as it finds but at least
// min. It tries the i-th value, then later ones (a value's rules can map
// several to one), then, for an enum, every declared value that the items'
// rules allow: an enum with one value besides zero gives [RED], or
// [RED, UNSPECIFIED] when two are needed.
func (b *exampleBuilder) uniqueScalars(f *protogen.Field, n, min int, items *validate.FieldRules) []*Value {
	var out []*Value
	add := func(e *Value) {
		if !slices.ContainsFunc(out, func(o *Value) bool { return sameScalar(o, e) }) {
			out = append(out, e)
		}
	}
	for i := 0; len(out) < n && i < n+16; i++ {
		add(b.scalar(f, i, items))
	}
	if f.Enum != nil {
		for _, ev := range f.Enum.Values {
			if len(out) >= min {
				break
			}
			if r := items.GetEnum(); r != nil {
				if _, ok := enumFor(r, []protoreflect.EnumNumber{ev.Desc.Number()}); !ok {
					continue
				}
			}
			add(&Value{Kind: EnumValue, Field: f, Enum: ev})
		}
	}
	for len(out) < min {
		// No more values: the list breaks unique, which protovalidate notes.
		out = append(out, b.scalar(f, len(out), items))
	}
	return out
}

// sameScalar reports whether two scalar or enum values are equal, as
// protovalidate's unique rule compares them: enums by number.
func sameScalar(a, b *Value) bool {
	if a.Kind == EnumValue || b.Kind == EnumValue {
		return a.Kind == b.Kind && a.Enum.Desc.Number() == b.Enum.Desc.Number()
	}
	return a.Scalar.Equal(b.Scalar)
}

// count is how many elements a list or map example has: want, within the
// bounds of its rules.
func count(want int, lo, hi uint64, hasHi bool) int {
	n := max(uint64(want), lo)
	if hasHi {
		n = min(n, hi)
	}
	return int(min(n, 64))
}

// nest returns the value of a nested message; an element of a list or map
// that the limits leave empty stays an empty message, which is still valid.
func (b *exampleBuilder) nest(f *protogen.Field, m *protogen.Message, word string, depth int, seen map[*protogen.Message]int, required bool, rules *validate.FieldRules) *Value {
	if v := wellKnown(f, m, word); v != nil {
		b.applyTimeRules(v, rules)
		applyAnyRules(v, rules)
		return v
	}
	if rules != nil && isWrapper(m) {
		// The rules of a wrapper field are those of its value.
		value := m.Fields[0]
		return &Value{Kind: MessageValue, Field: f, Message: m, Fields: []*FieldValue{{Field: value, Value: b.scalar(value, 0, rules)}}}
	}
	if !b.canNest(m, depth, seen, required) {
		return &Value{Kind: MessageValue, Field: f, Message: m}
	}
	seen[m]++
	v := b.message(f, m, word, depth+1, seen)
	seen[m]--
	return v
}

// isWrapper reports whether m is one of the well-known wrappers of a
// scalar (google.protobuf.StringValue, ...).
func isWrapper(m *protogen.Message) bool {
	switch m.Desc.FullName() {
	case "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value", "google.protobuf.UInt64Value",
		"google.protobuf.Int32Value", "google.protobuf.UInt32Value", "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue":
		return true
	}
	return false
}

// applyTimeRules makes the example of a Duration or Timestamp meet the
// bounds of its buf.validate rules.
func (b *exampleBuilder) applyTimeRules(v *Value, rules *validate.FieldRules) {
	var m protoreflect.Message
	switch {
	case rules.GetDuration() != nil:
		m = rules.GetDuration().ProtoReflect()
	case rules.GetTimestamp() != nil:
		m = rules.GetTimestamp().ProtoReflect()
	default:
		return
	}
	nanos := func(x protoreflect.Value) int64 {
		fields := x.Message().Descriptor().Fields()
		return x.Message().Get(fields.ByName("seconds")).Int()*1e9 + x.Message().Get(fields.ByName("nanos")).Int()
	}
	var seconds *FieldValue
	for _, fv := range v.Fields {
		if fv.Field.Desc.Name() == "seconds" {
			seconds = fv
		}
	}
	if seconds == nil {
		return
	}
	got, _ := readNumberRules(m, nanos).pick(seconds.Value.Scalar.Int()*1e9, 1e9, 0)
	seconds.Value.Scalar = protoreflect.ValueOfInt64(got / 1e9)
	if got/1e9 == 0 {
		v.Fields = slices.DeleteFunc(v.Fields, func(fv *FieldValue) bool { return fv == seconds })
	}
	if ns := got % 1e9; ns != 0 {
		for _, f := range v.Message.Fields {
			if f.Desc.Name() == "nanos" {
				v.Fields = append(v.Fields, &FieldValue{Field: f, Value: &Value{Kind: ScalarValue, Field: f, Scalar: protoreflect.ValueOfInt32(int32(ns))}})
			}
		}
	}
}

// applyAnyRules makes the example of an Any meet the any.in and any.not_in
// rules of buf.validate, which name the type URLs it may hold: the first
// URL of in (with an empty payload, a valid encoding of every message,
// unless it names StringValue), or, when not_in names StringValue, a
// BytesValue with the same payload (the two encode alike).
func applyAnyRules(v *Value, rules *validate.FieldRules) {
	r := rules.GetAny()
	if r == nil || v.Message.Desc.FullName() != "google.protobuf.Any" || len(v.Fields) != 2 {
		return
	}
	typeURL, payload := v.Fields[0].Value, v.Fields[1].Value
	const stringValue = "type.googleapis.com/google.protobuf.StringValue"
	candidates := []string{stringValue, "type.googleapis.com/google.protobuf.BytesValue"}
	if in := r.GetIn(); len(in) > 0 {
		candidates = append([]string{}, in...)
		if slices.Contains(in, stringValue) {
			candidates = []string{stringValue}
		}
	}
	for _, url := range candidates {
		if slices.Contains(r.GetNotIn(), url) {
			continue
		}
		typeURL.Scalar = protoreflect.ValueOfString(url)
		if !strings.HasSuffix(url, "/google.protobuf.StringValue") && !strings.HasSuffix(url, "/google.protobuf.BytesValue") {
			v.Fields = slices.DeleteFunc(v.Fields, func(fv *FieldValue) bool { return fv.Value == payload })
		}
		return
	}
}

// canNest reports whether an example may descend into a message field. A
// required field ignores the recursion limit: leaving it unset would make
// the whole example fail to marshal, and a message that can be built at all
// has no cycle of required fields, so following them ends.
func (b *exampleBuilder) canNest(m *protogen.Message, depth int, seen map[*protogen.Message]int, required bool) bool {
	if !b.buildable(m) {
		return false
	}
	if required {
		return depth < maxRequiredDepth
	}
	return depth < maxExampleDepth && seen[m] <= maxRecursion
}

// buildable reports whether any value of m is initialized: a cycle of
// required message fields (A requires B, B requires A) has no finite value,
// so a field of such a type must stay unset.
func (b *exampleBuilder) buildable(m *protogen.Message) bool {
	if b.buildableMemo == nil {
		b.buildableMemo = map[*protogen.Message]bool{}
	}
	if ok, known := b.buildableMemo[m]; known {
		return ok
	}
	b.buildableMemo[m] = false // a cycle back to m is unbuildable
	ok := true
	for _, f := range m.Fields {
		if f.Desc.Cardinality() == protoreflect.Required && f.Message != nil && !b.buildable(f.Message) {
			ok = false
			break
		}
	}
	b.buildableMemo[m] = ok
	return ok
}

// scalar returns the example value of a scalar or enum field, meeting its
// rules (those of its elements, for a list); i numbers the elements of a
// list or map.
func (b *exampleBuilder) scalar(f *protogen.Field, i int, rules *validate.FieldRules) *Value {
	v := b.plainScalar(f, i)
	if p := b.facts(f).pattern; p != "" {
		if name := instantiate(p, i); name != "" {
			v.Scalar = protoreflect.ValueOfString(name)
		}
	}
	if rules == nil {
		if hint, ok := nameHint(f, i); ok && b.facts(f).pattern == "" {
			v.Scalar = protoreflect.ValueOfString(hint)
		}
		return v
	}
	b.hasRules = true
	switch {
	case rules.GetString() != nil:
		s, _ := stringFor(rules.GetString(), v.Scalar.String(), i)
		v.Scalar = protoreflect.ValueOfString(s)
	case rules.GetBytes() != nil:
		x, _ := bytesFor(rules.GetBytes(), v.Scalar.Bytes(), i)
		v.Scalar = protoreflect.ValueOfBytes(x)
	case rules.GetBool() != nil && rules.GetBool().HasConst():
		v.Scalar = protoreflect.ValueOfBool(rules.GetBool().GetConst())
	case rules.GetEnum() != nil && f.Enum != nil:
		// The i-th element of a list starts at the i-th preferred value,
		// so that the elements of a unique list differ.
		var preferred []protoreflect.EnumNumber
		for _, ev := range append(rotate(enumPreference(f.Enum), i), f.Enum.Values...) {
			preferred = append(preferred, ev.Desc.Number())
		}
		if n, ok := enumFor(rules.GetEnum(), preferred); ok {
			for _, ev := range f.Enum.Values {
				if ev.Desc.Number() == n {
					v.Enum = ev
					break
				}
			}
		}
	default:
		rm := rules.ProtoReflect()
		if which := rm.WhichOneof(rm.Descriptor().Oneofs().ByName("type")); which != nil && v.Kind == ScalarValue && numberRulesFit(which.Name(), v.Scalar) {
			// A required field without presence is unset at 0.
			nonZero := rules.GetRequired() && !f.Desc.HasPresence() && !f.Desc.IsList()
			v.Scalar, _ = numberFor(f.Desc.Kind(), rm.Get(which).Message(), v.Scalar, i, nonZero)
		}
	}
	return v
}

// nameHint returns a telling value for a string field that declares
// nothing about its values but whose name says what it holds: an email
// address, a URL, a UUID, a phone number. i numbers the elements of a list.
func nameHint(f *protogen.Field, i int) (string, bool) {
	if f.Desc.Kind() != protoreflect.StringKind || f.Desc.HasDefault() {
		return "", false
	}
	name := strings.ToLower(string(f.Desc.Name()))
	n := ""
	if i > 0 {
		n = strconv.Itoa(i + 1)
	}
	switch {
	case strings.Contains(name, "email"):
		return "user" + n + "@example.com", true
	case strings.HasSuffix(name, "url") || strings.HasSuffix(name, "uri"):
		return "https://example.com/" + strings.ReplaceAll(name, "_", "-") + n, true
	case strings.Contains(name, "uuid"):
		return fmt.Sprintf("123e4567-e89b-42d3-a456-4266141740%02d", i), true
	case strings.Contains(name, "phone"):
		return fmt.Sprintf("+1-555-01%02d", i), true
	}
	return "", false
}

// plainScalar is the example value of a scalar or enum field when nothing
// constrains it. A declared [default = ...] wins, so proto2 examples show
// their defaults.
func (b *exampleBuilder) plainScalar(f *protogen.Field, i int) *Value {
	fd := f.Desc
	if f.Enum != nil {
		return &Value{Kind: EnumValue, Field: f, Enum: exampleEnumValue(f, i)}
	}
	if fd.HasDefault() && !fd.IsList() {
		return &Value{Kind: ScalarValue, Field: f, Scalar: fd.Default()}
	}
	n := int64(fd.Number()) + int64(i)
	name := string(fd.Name())
	if fd.IsList() || i > 0 {
		// Elements of a list, and map keys, differ.
		name += " " + strconv.Itoa(i+1)
	}
	var v protoreflect.Value
	switch fd.Kind() {
	case protoreflect.BoolKind:
		v = protoreflect.ValueOfBool(i == 0)
	case protoreflect.StringKind:
		v = protoreflect.ValueOfString(name)
	case protoreflect.BytesKind:
		v = protoreflect.ValueOfBytes([]byte(name))
	case protoreflect.Int32Kind, protoreflect.Sfixed32Kind:
		v = protoreflect.ValueOfInt32(int32(n % 1e6))
	case protoreflect.Sint32Kind:
		v = protoreflect.ValueOfInt32(-int32(n % 1e6))
	case protoreflect.Int64Kind, protoreflect.Sfixed64Kind:
		v = protoreflect.ValueOfInt64(1<<33 + n)
	case protoreflect.Sint64Kind:
		v = protoreflect.ValueOfInt64(-(1<<33 + n))
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		v = protoreflect.ValueOfUint32(3e9 + uint32(n%1e6))
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		v = protoreflect.ValueOfUint64(1<<63 + uint64(n))
	case protoreflect.FloatKind:
		v = protoreflect.ValueOfFloat32(float32(n%1e6) + 0.5)
	case protoreflect.DoubleKind:
		v = protoreflect.ValueOfFloat64(float64(n) + 0.25)
	}
	return &Value{Kind: ScalarValue, Field: f, Scalar: v}
}

// exampleEnumValue picks the first declared non-zero value (the zero value
// says nothing on the wire), falling back to the first value.
func exampleEnumValue(f *protogen.Field, i int) *protogen.EnumValue {
	if f.Desc.HasDefault() && !f.Desc.IsList() {
		num := f.Desc.DefaultEnumValue().Number()
		for _, v := range f.Enum.Values {
			if v.Desc.Number() == num {
				return v
			}
		}
	}
	nonZero := enumPreference(f.Enum)
	if len(nonZero) == 0 {
		return f.Enum.Values[0]
	}
	return nonZero[i%len(nonZero)]
}

// enumPreference lists the values of e that examples use, in order: one per
// non-zero number (aliases share one), deprecated ones last.
func enumPreference(e *protogen.Enum) []*protogen.EnumValue {
	var nonZero, deprecated []*protogen.EnumValue
	seen := map[protoreflect.EnumNumber]bool{}
	for _, v := range e.Values {
		if n := v.Desc.Number(); n != 0 && !seen[n] {
			seen[n] = true
			if opts, ok := v.Desc.Options().(*descriptorpb.EnumValueOptions); ok && opts.GetDeprecated() {
				deprecated = append(deprecated, v)
			} else {
				nonZero = append(nonZero, v)
			}
		}
	}
	return append(nonZero, deprecated...)
}

// wellKnown returns fixed, readable examples for the well-known types whose
// generic example would be invalid (Any, FieldMask, Value) or meaningless
// (Timestamp, Duration); nil for other messages. word names the value (the
// field's name).
func wellKnown(field *protogen.Field, m *protogen.Message, word string) *Value {
	v := &Value{Kind: MessageValue, Field: field, Message: m}
	set := func(name string, x *Value) {
		for _, f := range m.Fields {
			if string(f.Desc.Name()) == name {
				x.Field = f
				v.Fields = append(v.Fields, &FieldValue{Field: f, Value: x})
				return
			}
		}
	}
	scalar := func(x protoreflect.Value) *Value { return &Value{Kind: ScalarValue, Scalar: x} }
	switch m.Desc.FullName() {
	case "google.protobuf.Timestamp":
		set("seconds", scalar(protoreflect.ValueOfInt64(fixedTimestampSeconds)))
	case "google.protobuf.Duration":
		set("seconds", scalar(protoreflect.ValueOfInt64(90)))
	case "google.protobuf.Empty":
	case "google.protobuf.Any":
		// An Any holding a StringValue; the generated code imports
		// wrapperspb, which registers the type, so that protojson can
		// print it.
		payload := "\n" + string(rune(len(word))) + word
		if len(word) > 127 {
			payload = "\n\aexample"
		}
		set("type_url", scalar(protoreflect.ValueOfString("type.googleapis.com/google.protobuf.StringValue")))
		set("value", scalar(protoreflect.ValueOfBytes([]byte(payload))))
	case "google.protobuf.FieldMask":
		list := &Value{Kind: ListValue, Elems: []*Value{scalar(protoreflect.ValueOfString("name"))}}
		set("paths", list)
		list.Elems[0].Field = list.Field
	case "google.protobuf.Value":
		set("string_value", scalar(protoreflect.ValueOfString(word)))
	case "google.protobuf.ListValue":
		list := &Value{Kind: ListValue}
		set("values", list)
		list.Elems = []*Value{wellKnown(list.Field, list.Field.Message, word)}
	case "google.protobuf.Struct":
		entries := &Value{Kind: MapValue}
		set("fields", entries)
		key, val := entries.Field.Message.Fields[0], entries.Field.Message.Fields[1]
		entries.Entries = []*MapEntry{{
			Key:   &Value{Kind: ScalarValue, Field: key, Scalar: protoreflect.ValueOfString("key")},
			Value: wellKnown(val, val.Message, word),
		}}
	default:
		return nil
	}
	return v
}

// openInHybridFile reports whether m is an Open message of a file whose
// level is Hybrid. protoc-gen-go gives it exported fields and no builder,
// but its -tags protoopaque half makes every message of the file Opaque: no
// expression sets its fields in both builds, so its examples stay empty.
func openInHybridFile(m *protogen.Message, file *protogen.File) bool {
	return file != nil && file.APILevel == gofeaturespb.GoFeatures_API_HYBRID && m.APILevel == gofeaturespb.GoFeatures_API_OPEN
}
