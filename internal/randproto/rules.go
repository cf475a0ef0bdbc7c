package randproto

import (
	"slices"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
)

// protovalidate's standard rules (buf/validate/validate.proto), drawn for
// the fields, oneofs and messages of some sets: strings (lengths, patterns,
// prefixes, suffixes, well-known formats, in, const...), numbers of every
// kind (bounds, exclusive ranges, in, not_in, finite), bools, bytes, enums,
// repeated fields and maps (counts, unique, items, keys, values), required
// fields and oneofs, message-level oneofs, ignore, wrappers, durations and
// timestamps (and their clock rules: lt_now, gt_now, within), example
// values; now and then a rule written in CEL on a string, bytes or number.
// Rules go on the elements of lists and the values of maps of wrappers
// never: protovalidate v1.4.0 cannot check them (see elementRulesOK).
//
// Every rule set can be met: the values come first (witnesses, kept in
// Set.witnesses for the tests) and the rules are drawn around them. A
// field, or a list's elements, or a map's entries, must have a value
// (required, min_items, min_pairs, a required oneof) only where that ends:
// never along a cycle of such demands, nor towards a message that protoc's
// required fields make unbuildable.
//
// The rules are drawn from a source of their own (gen.rules), after the
// rest of the set, so that a set without rules is the set that the same
// seed gives with rulesOff, and the seeds kept in fuzz corpora keep their
// meaning.

// rulesOff, in tests, draws no rules (and nothing from gen.rules).
var rulesOff = false

// validateFile is the file that declares buf.validate's options.
const validateFile = "buf/validate/validate.proto"

// witness holds values that meet the rules of one field, as the tests set
// them: for a list, its elements; for a map, its keys and values; for a
// wrapper, the wrapped value; nil stands for an empty message.
type witness struct {
	values []any
	keys   []any
	// clock is set for rules relative to the clock, which no fixed value
	// meets for good.
	clock bool
}

// rulePlanner draws the rules of one set.
type rulePlanner struct {
	g     *gen
	r     *source
	msgs  map[string]*msgInfo  // by full name, map entries included
	enums map[string]*enumInfo // by full name, well-known ones included
	// needs are the message types a message cannot be valid without a
	// value of (protoc's required fields, buf.validate's required, a
	// minimum of items or pairs), by full name.
	needs map[string][]string
	// nonZero tells, for the fields with rules, whether they may hold a
	// value that counts as set without presence.
	nonZero map[*fdp]bool
	// required are the fields that buf.validate requires.
	required map[*fdp]bool
}

// wrapperKinds are the scalar kinds that the wrapper types hold: their
// rules are those of the kind.
var wrapperKinds = map[string]descriptorpb.FieldDescriptorProto_Type{
	"google.protobuf.DoubleValue": descriptorpb.FieldDescriptorProto_TYPE_DOUBLE,
	"google.protobuf.FloatValue":  descriptorpb.FieldDescriptorProto_TYPE_FLOAT,
	"google.protobuf.Int64Value":  descriptorpb.FieldDescriptorProto_TYPE_INT64,
	"google.protobuf.UInt64Value": descriptorpb.FieldDescriptorProto_TYPE_UINT64,
	"google.protobuf.Int32Value":  descriptorpb.FieldDescriptorProto_TYPE_INT32,
	"google.protobuf.UInt32Value": descriptorpb.FieldDescriptorProto_TYPE_UINT32,
	"google.protobuf.BoolValue":   descriptorpb.FieldDescriptorProto_TYPE_BOOL,
	"google.protobuf.StringValue": descriptorpb.FieldDescriptorProto_TYPE_STRING,
	"google.protobuf.BytesValue":  descriptorpb.FieldDescriptorProto_TYPE_BYTES,
}

const (
	durationName  = "google.protobuf.Duration"
	timestampName = "google.protobuf.Timestamp"
)

// planRules draws the rules of the set, if it has any.
func (g *gen) planRules() {
	if rulesOff || !g.rules.percent(50) {
		return
	}
	// validate.proto declares the packages buf.validate and (through its
	// imports) google.protobuf: a set that declares buf or google as
	// anything else cannot import it.
	for _, name := range []string{"buf", "google"} {
		if kind, ok := g.scope[name]; ok && kind != "package" {
			return
		}
	}
	p := &rulePlanner{g: g, r: g.rules, msgs: map[string]*msgInfo{}, enums: map[string]*enumInfo{},
		needs: map[string][]string{}, nonZero: map[*fdp]bool{}, required: map[*fdp]bool{}}
	for _, f := range g.files {
		for _, m := range f.msgs {
			p.msgs[m.full] = m
			for _, fd := range m.dp.Field {
				if protoRequired(fd) && isMessageType(fd) {
					p.needs[m.full] = append(p.needs[m.full], typeName(fd))
				}
			}
		}
		for _, e := range f.enums {
			p.enums[e.full] = e
		}
		for _, w := range f.wkts {
			for _, e := range w.enums {
				p.enums[e.full] = e
			}
		}
	}
	for _, f := range g.files {
		if !p.r.percent(75) {
			continue
		}
		used := false
		for _, m := range f.msgs {
			if !m.mapEntry && p.r.percent(75) && p.message(f, m) {
				used = true
			}
		}
		if used {
			f.fd.Dependency = append(f.fd.Dependency, validateFile)
			g.feature("rules")
		}
	}
}

func protoRequired(fd *fdp) bool {
	return fd.GetLabel() == descriptorpb.FieldDescriptorProto_LABEL_REQUIRED ||
		fd.GetOptions().GetFeatures().GetFieldPresence() == descriptorpb.FeatureSet_LEGACY_REQUIRED
}

func isMessageType(fd *fdp) bool {
	return fd.GetType() == descriptorpb.FieldDescriptorProto_TYPE_MESSAGE || fd.GetType() == descriptorpb.FieldDescriptorProto_TYPE_GROUP
}

func typeName(fd *fdp) string {
	if n := fd.GetTypeName(); len(n) > 0 && n[0] == '.' {
		return n[1:]
	}
	return fd.GetTypeName()
}

// hasPresence reports whether a field of f tells an unset value from its
// zero value: protovalidate checks the rules of a field without presence
// whatever it holds.
func hasPresence(f *file, fd *fdp) bool {
	switch {
	case fd.GetLabel() == descriptorpb.FieldDescriptorProto_LABEL_REPEATED:
		return false
	case isMessageType(fd), fd.OneofIndex != nil, protoRequired(fd):
		return true
	}
	switch f.syntax {
	case proto2:
		return true
	case proto3:
		return false
	}
	if fs := fd.GetOptions().GetFeatures(); fs != nil && fs.FieldPresence != nil {
		return fs.GetFieldPresence() != descriptorpb.FeatureSet_IMPLICIT
	}
	return !f.implicit
}

// canNeed reports whether message from may need a value of message to:
// not when to needs from, or anything that needs itself.
func (p *rulePlanner) canNeed(from, to string) bool {
	state := map[string]int{}
	ok := true
	var visit func(n string)
	visit = func(n string) {
		if !ok || state[n] == 2 {
			return
		}
		if n == from || state[n] == 1 {
			ok = false
			return
		}
		state[n] = 1
		for _, t := range p.needs[n] {
			visit(t)
		}
		state[n] = 2
	}
	visit(to)
	return ok
}

func (p *rulePlanner) need(from, to string) {
	p.needs[from] = append(p.needs[from], to)
}

// ruleType is the type of a field, a list's elements, a map's keys or
// values.
type ruleType struct {
	t    descriptorpb.FieldDescriptorProto_Type
	enum *enumInfo
	msg  string // full name of a message type
}

func (p *rulePlanner) typeOf(fd *fdp) ruleType {
	t := ruleType{t: fd.GetType()}
	switch {
	case isMessageType(fd):
		t.msg = typeName(fd)
	case fd.GetType() == descriptorpb.FieldDescriptorProto_TYPE_ENUM:
		t.enum = p.enums[typeName(fd)]
	}
	return t
}

// capacity is how many distinct values of t the rules may ask for.
func capacity(t ruleType, nonZero bool) int {
	switch {
	case t.msg != "":
		return 0
	case t.t == descriptorpb.FieldDescriptorProto_TYPE_BOOL:
		if nonZero {
			return 1
		}
		return 2
	case t.enum != nil:
		return len(declaredNumbers(t.enum, nonZero))
	}
	return 1 << 20
}

// message draws rules for the fields and oneofs of m; it reports whether
// it drew any.
func (p *rulePlanner) message(f *file, m *msgInfo) bool {
	r := p.r
	used := false
	for _, fd := range m.dp.Field {
		// Strings, bytes, durations and timestamps have the most kinds of
		// rules, and APIs give them rules the most.
		chance := 35
		switch t := p.typeOf(fd); {
		case t.t == descriptorpb.FieldDescriptorProto_TYPE_STRING:
			chance = 80
		case t.t == descriptorpb.FieldDescriptorProto_TYPE_BYTES:
			chance = 60
		case hasValueRules(t.msg):
			chance = 85
		}
		if r.percent(chance) && p.field(f, m, fd) {
			used = true
		}
	}
	// Required oneofs: one member must be set, so one must be a scalar or
	// an enum (a message member could lead back here).
	for i, o := range m.dp.OneofDecl {
		settable, synthetic := false, false
		for _, fd := range m.dp.Field {
			if fd.OneofIndex != nil && fd.GetOneofIndex() == int32(i) {
				synthetic = synthetic || fd.GetProto3Optional()
				settable = settable || !isMessageType(fd) && !p.required[fd]
			}
		}
		if synthetic || !settable || !r.percent(25) {
			continue
		}
		if o.Options == nil {
			o.Options = &descriptorpb.OneofOptions{}
		}
		proto.SetExtension(o.Options, validate.E_Oneof, validate.OneofRules_builder{Required: proto.Bool(true)}.Build())
		p.g.feature("rule oneof required")
		used = true
	}
	// Message-level oneofs: at most one (exactly one, if required) of a
	// group of fields outside oneofs is set.
	if r.percent(15) {
		var cands []*fdp
		for _, fd := range m.dp.Field {
			if fd.GetLabel() != descriptorpb.FieldDescriptorProto_LABEL_REPEATED && (fd.OneofIndex == nil || fd.GetProto3Optional()) &&
				!protoRequired(fd) && !p.required[fd] {
				cands = append(cands, fd)
			}
		}
		var rules []*validate.MessageOneofRule
		for len(cands) >= 2 && len(rules) < 2 && (len(rules) == 0 || r.percent(20)) {
			r.r.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
			n := min(len(cands), 2+r.weighted(70, 30))
			group := cands[:n]
			cands = cands[n:]
			var names []string
			settable := false
			for _, fd := range group {
				names = append(names, fd.GetName())
				settable = settable || !isMessageType(fd) && p.canBeSet(f, fd)
			}
			rule := validate.MessageOneofRule_builder{Fields: names}.Build()
			if settable && r.percent(50) {
				rule.SetRequired(true)
				p.g.feature("rule message oneof required")
			}
			rules = append(rules, rule)
		}
		if len(rules) > 0 {
			if m.dp.Options == nil {
				m.dp.Options = &descriptorpb.MessageOptions{}
			}
			proto.SetExtension(m.dp.Options, validate.E_Message, validate.MessageRules_builder{Oneof: rules}.Build())
			p.g.feature("rule message oneof")
			used = true
		}
	}
	return used
}

// canBeSet reports whether fd, a scalar or enum field of f, may hold a
// value that counts as set: any, with presence; else one other than zero
// (which an enum whose only value is zero, or rules, may not allow).
func (p *rulePlanner) canBeSet(f *file, fd *fdp) bool {
	if hasPresence(f, fd) {
		return true
	}
	if nz, ruled := p.nonZero[fd]; ruled {
		return nz
	}
	if t := p.typeOf(fd); t.enum != nil {
		return len(declaredNumbers(t.enum, true)) > 0
	}
	return true
}

// field draws rules for fd, a field of m; it reports whether it drew any.
func (p *rulePlanner) field(f *file, m *msgInfo, fd *fdp) bool {
	r := p.r
	fr := &validate.FieldRules{}
	t := p.typeOf(fd)
	inOneof := fd.OneofIndex != nil && !fd.GetProto3Optional()
	mayRequire := !inOneof && !protoRequired(fd)
	var w *witness
	required := false
	switch entry := p.msgs[t.msg]; {
	case fd.GetLabel() == descriptorpb.FieldDescriptorProto_LABEL_REPEATED && entry != nil && entry.mapEntry:
		required = r.percent(10)
		w = p.mapRules(m, entry, fr, &required)
	case fd.GetLabel() == descriptorpb.FieldDescriptorProto_LABEL_REPEATED:
		required = r.percent(10)
		w = p.listRules(m, t, fr, &required)
	case t.msg != "":
		if hasValueRules(t.msg) && r.percent(80) {
			rules, ws, clock := p.scalar(t, 1, false, false)
			if rules != nil {
				proto.Merge(fr, rules)
				w = &witness{values: ws, clock: clock}
			}
		}
		if mayRequire && r.percent(25) && p.canNeed(m.full, t.msg) {
			required = true
			p.need(m.full, t.msg)
			if w == nil || len(w.values) == 0 {
				w = &witness{values: []any{nil}}
			}
		}
	default:
		required = mayRequire && r.percent(12)
		// Without presence, a required field holds a value other than
		// zero (a bool: true, as "accept_terms").
		rules, ws, _ := p.scalar(t, 1, false, required && !hasPresence(f, fd))
		if rules != nil {
			proto.Merge(fr, rules)
		}
		if len(ws) == 0 {
			// (An enum whose only value is zero.)
			required = false
			ws = []any{p.plain(t, 0)}
		}
		w = &witness{values: ws}
	}
	if required {
		fr.SetRequired(true)
		p.required[fd] = true
		p.g.feature("rule required")
		if t.msg != "" {
			p.g.feature("rule required message")
		}
	}
	hasType := fr.ProtoReflect().WhichOneof(fr.ProtoReflect().Descriptor().Oneofs().ByName("type")) != nil
	if !hasType && !required {
		return false
	}
	if !required && hasType && r.percent(12) {
		if r.percent(70) {
			fr.SetIgnore(validate.Ignore_IGNORE_IF_ZERO_VALUE)
			p.g.feature("rule ignore if zero value")
		} else {
			fr.SetIgnore(validate.Ignore_IGNORE_ALWAYS)
			p.g.feature("rule ignore always")
		}
	}
	if fd.Options == nil {
		fd.Options = &descriptorpb.FieldOptions{}
	}
	proto.SetExtension(fd.Options, validate.E_Field, fr)
	nonZero := false
	if w != nil {
		for _, v := range w.values {
			nonZero = nonZero || !isZero(v)
		}
		if p.g.witnesses == nil {
			p.g.witnesses = map[string]*witness{}
		}
		p.g.witnesses[m.full+"."+fd.GetName()] = w
	}
	p.nonZero[fd] = nonZero
	return true
}

func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return false // an empty message is set
	case string:
		return x == ""
	case []byte:
		return len(x) == 0
	case bool:
		return !x
	case int64:
		return x == 0
	case uint64:
		return x == 0
	case float64:
		return x == 0
	case enumNumber:
		return x == 0
	}
	return false
}

// hasValueRules reports whether the message type name has rules of its
// own: the wrappers (those of the wrapped kind), durations, timestamps.
func hasValueRules(name string) bool {
	return wrapperKinds[name] != 0 || name == durationName || name == timestampName
}

// elementRulesOK reports whether the elements of a list, or the values of
// a map, of type t may have rules: not those of a message type without
// rules of its own, nor those of a wrapper, which protovalidate v1.4.0
// cannot check: it panics ("type mismatch: cannot convert message to
// int"; see testdata/fuzzrepro/wrapper-items-panic in package generator),
// or, for StringValue, judges something else than the string (max_len 10
// fails "abc").
func elementRulesOK(t ruleType) bool {
	return t.msg == "" || t.msg == durationName || t.msg == timestampName
}

// listRules draws the rules of a repeated field of m whose elements are
// of type t; *required may be dropped where it cannot be met.
func (p *rulePlanner) listRules(m *msgInfo, t ruleType, fr *validate.FieldRules, required *bool) *witness {
	r := p.r
	rr := &validate.RepeatedRules{}
	isMsg := t.msg != ""
	if isMsg && *required {
		if !p.canNeed(m.full, t.msg) {
			*required = false
		} else {
			p.need(m.full, t.msg)
		}
	}
	minItems := 0
	if r.percent(45) {
		minItems = 1 + r.weighted(60, 25, 15)
		switch {
		case isMsg && !*required && !p.canNeed(m.full, t.msg):
			minItems = 0
		case isMsg && !*required:
			p.need(m.full, t.msg)
		}
	}
	if minItems > 0 {
		rr.SetMinItems(uint64(minItems))
	}
	unique := !isMsg && r.percent(30) && capacity(t, false) >= max(2, minItems)
	if unique {
		rr.SetUnique(true)
		p.g.feature("rule repeated unique")
	}
	n := max(minItems, 1)
	var ws []any
	clock := false
	if elementRulesOK(t) && r.percent(60) {
		items, vs, c := p.scalar(t, max(2, minItems), unique, false)
		if items != nil {
			rr.SetItems(items)
			ws, clock = vs, c
			p.g.feature("rule repeated items")
		}
	}
	if ws == nil {
		for i := range n {
			ws = append(ws, p.plain(t, i))
		}
	}
	if r.percent(35) {
		rr.SetMaxItems(uint64(n + pick(r, []int{0, 1, 4, 9, 99})))
	}
	if !proto.Equal(rr, &validate.RepeatedRules{}) {
		fr.SetRepeated(rr)
		p.g.feature("rule repeated")
	}
	return &witness{values: ws[:n], clock: clock}
}

// mapRules draws the rules of a map field of m whose entry is entry.
func (p *rulePlanner) mapRules(m *msgInfo, entry *msgInfo, fr *validate.FieldRules, required *bool) *witness {
	r := p.r
	mr := &validate.MapRules{}
	keyT, valT := p.typeOf(entry.dp.Field[0]), p.typeOf(entry.dp.Field[1])
	valMsg := valT.msg != ""
	if valMsg && *required {
		if !p.canNeed(m.full, valT.msg) {
			*required = false
		} else {
			p.need(m.full, valT.msg)
		}
	}
	minPairs := 0
	if r.percent(40) {
		minPairs = min(1+r.weighted(60, 25, 15), capacity(keyT, false))
		switch {
		case valMsg && !*required && !p.canNeed(m.full, valT.msg):
			minPairs = 0
		case valMsg && !*required:
			p.need(m.full, valT.msg)
		}
	}
	if minPairs > 0 {
		mr.SetMinPairs(uint64(minPairs))
	}
	n := max(minPairs, 1)
	var keys, values []any
	if r.percent(50) {
		rules, ks, _ := p.scalar(keyT, n, true, false)
		if rules != nil {
			mr.SetKeys(rules)
			keys = ks
			p.g.feature("rule map keys")
		}
	}
	if keys == nil {
		for i := range n {
			keys = append(keys, p.plain(keyT, i))
		}
	}
	clock := false
	if elementRulesOK(valT) && r.percent(50) {
		rules, vs, c := p.scalar(valT, n, false, false)
		if rules != nil {
			mr.SetValues(rules)
			values, clock = vs, c
			p.g.feature("rule map values")
		}
	}
	if values == nil {
		for i := range n {
			values = append(values, p.plain(valT, i))
		}
	}
	if r.percent(30) {
		mr.SetMaxPairs(uint64(n + pick(r, []int{0, 1, 4, 99})))
	}
	if !proto.Equal(mr, &validate.MapRules{}) {
		fr.SetMap(mr)
		p.g.feature("rule map")
	}
	return &witness{keys: keys[:n], values: values[:n], clock: clock}
}

// plain is a value of t for a field without rules of its own, the i-th of
// distinct ones where t has enough.
func (p *rulePlanner) plain(t ruleType, i int) any {
	switch {
	case t.msg != "":
		return nil
	case t.enum != nil:
		nums := declaredNumbers(t.enum, false)
		return enumNumber(nums[i%len(nums)])
	}
	switch t.t {
	case descriptorpb.FieldDescriptorProto_TYPE_STRING:
		return "w" + string(rune('a'+i))
	case descriptorpb.FieldDescriptorProto_TYPE_BYTES:
		return []byte{byte(i + 1)}
	case descriptorpb.FieldDescriptorProto_TYPE_BOOL:
		return i%2 == 0
	case descriptorpb.FieldDescriptorProto_TYPE_DOUBLE, descriptorpb.FieldDescriptorProto_TYPE_FLOAT:
		return float64(i + 1)
	}
	if k := numKinds[t.t]; k.unsigned {
		return uint64(i + 1)
	}
	return int64(i + 1)
}

// declaredNumbers are the distinct numbers declared by e, without zero if
// nonZero.
func declaredNumbers(e *enumInfo, nonZero bool) []int32 {
	var out []int32
	for _, n := range e.numbers {
		if !slices.Contains(out, n) && !(nonZero && n == 0) {
			out = append(out, n)
		}
	}
	return out
}
