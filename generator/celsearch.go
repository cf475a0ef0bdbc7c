package generator

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"buf.build/go/protovalidate"
	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// The search for values that meet rules written in CEL, which no picker
// reads: once an example is built, while protovalidate finds it breaks
// some rule, the fields that the broken rules name (or, for a rule of a
// message, the fields of that message) take candidate values in turn, and
// a change is kept when the example then breaks fewer rules. Candidates
// come from the rules' own example values first, then from the literals of
// the rules (numbers, strings, timestamps and durations, and values near
// them), then from common values. The order is fixed, so the result is the
// same on every run, and the number of checks is bounded (maxSearchChecks).

// maxSearchChecks bounds the checks by protovalidate that the search of
// one example makes.
const maxSearchChecks = 800

// maxSearchRounds bounds the changes that the search keeps.
const maxSearchRounds = 16

// searchRules changes root, an example that breaks some of its rules, until
// it breaks none or the search gives up; it reports whether it changed it.
func (b *exampleBuilder) searchRules(root *Value) bool {
	s := &ruleSearch{b: b, root: root, budget: maxSearchChecks}
	viols, ok := s.check()
	if !ok || len(viols) == 0 {
		return false
	}
	s.pool = literalPool(root)
	best, changed := scoreOf(viols), false
	for round := 0; round < maxSearchRounds && best.all > 0 && s.budget > 0; round++ {
		n, ok := s.improve(viols, best)
		if !ok {
			break
		}
		changed = true
		best = n
		viols, _ = s.check()
	}
	return changed
}

// ruleSearch is the state of one search.
type ruleSearch struct {
	b      *exampleBuilder
	root   *Value
	budget int
	pool   literals
}

// check validates the example and returns its violations, sorted so that
// the search is the same on every run; ok is false when protovalidate
// cannot check it.
func (s *ruleSearch) check() (viols []*protovalidate.Violation, ok bool) {
	s.budget--
	err := checkRules(protovalidate.GlobalValidator, s.root.dynamic())
	if err == nil {
		return nil, true
	}
	var verr *protovalidate.ValidationError
	if !errors.As(err, &verr) {
		return nil, false
	}
	key := func(v *protovalidate.Violation) string {
		return protovalidate.FieldPathString(v.Proto.GetField()) + " " + v.Proto.GetRuleId() + " " + v.Proto.GetMessage()
	}
	viols = slices.Clone(verr.Violations)
	slices.SortStableFunc(viols, func(a, b *protovalidate.Violation) int { return strings.Compare(key(a), key(b)) })
	return viols, true
}

// score is how far the example is from valid: the standard rules it
// breaks that a fixed value can meet (none may be added), then all that it
// breaks. MaxInt when it cannot be checked.
type score struct{ hard, all int }

func (a score) less(b score) bool {
	return a.hard < b.hard || a.hard == b.hard && a.all < b.all
}

func scoreOf(viols []*protovalidate.Violation) score {
	sc := score{all: len(viols)}
	for _, v := range viols {
		if !clockViolation(v) && !celViolation(v) {
			sc.hard++
		}
	}
	return sc
}

func (s *ruleSearch) score() score {
	viols, ok := s.check()
	if !ok {
		return score{math.MaxInt, math.MaxInt}
	}
	return scoreOf(viols)
}

// clockViolation reports whether v breaks a rule relative to the clock,
// which no fixed value meets for long, and the search leaves alone.
func clockViolation(v *protovalidate.Violation) bool {
	switch v.Proto.GetRuleId() {
	case "timestamp.lt_now", "timestamp.gt_now", "timestamp.within":
		return true
	}
	return false
}

// celViolation reports whether v breaks a rule written in CEL: one of
// cel, cel_expression, or a predefined rule (an extension).
func celViolation(v *protovalidate.Violation) bool {
	for _, e := range v.Proto.GetRule().GetElements() {
		if name := e.GetFieldName(); name == "cel" || name == "cel_expression" || strings.HasPrefix(name, "[") {
			return true
		}
	}
	return false
}

// improve tries the changes of the sites of viols in turn and keeps the
// first that leaves the example closer to valid than best, and returns
// its score.
func (s *ruleSearch) improve(viols []*protovalidate.Violation, best score) (score, bool) {
	var sites []site
	seen := map[string]bool{}
	add := func(st site) {
		k := st.key()
		if !seen[k] {
			seen[k] = true
			sites = append(sites, st)
		}
	}
	for _, v := range viols {
		if clockViolation(v) {
			continue
		}
		for _, st := range s.sitesOf(v) {
			add(st)
		}
	}
	for _, st := range sites {
		for _, apply := range s.changes(st) {
			if s.budget <= 0 {
				return best, false
			}
			undo := apply()
			if sc := s.score(); sc.less(best) {
				return sc, true
			}
			undo()
		}
	}
	return best, false
}

// site is a field of one or more message values (the same field of every
// element of a list, say) that the search changes as one.
type site struct {
	holders []*Value
	field   *protogen.Field
	// only: the change is to leave field the only one set (rules that
	// want one of several fields).
	only bool
}

func (st site) key() string {
	var b strings.Builder
	b.WriteString(string(st.field.Desc.FullName()) + " " + strconv.FormatBool(st.only))
	for _, h := range st.holders {
		fmt.Fprintf(&b, " %p", h)
	}
	return b.String()
}

// sitesOf returns the sites that a violation points to: the field at its
// path, and the fields of the message there (two levels deep), or those of
// the example itself for a rule of the message.
func (s *ruleSearch) sitesOf(v *protovalidate.Violation) []site {
	holders := []*Value{s.root}
	var out []site
	elems := v.Proto.GetField().GetElements()
	for i, e := range elems {
		f := fieldNamed(holders[0].Message, e.GetFieldName())
		if f == nil {
			return out
		}
		if i == len(elems)-1 {
			out = append(out, site{holders: holders, field: f})
		}
		var next []*Value
		for _, h := range holders {
			next = append(next, nestedValues(fieldValueOf(h, f))...)
		}
		if len(next) == 0 {
			return out
		}
		holders = next
	}
	return append(out, messageSites(holders, 2)...)
}

// messageSites returns the sites of every field of the message values
// holders, and of their message fields down to depth levels.
func messageSites(holders []*Value, depth int) []site {
	if len(holders) == 0 || depth == 0 || holders[0].Kind != MessageValue {
		return nil
	}
	var out []site
	for _, f := range holders[0].Message.Fields {
		out = append(out, site{holders: holders, field: f})
	}
	for _, f := range holders[0].Message.Fields {
		out = append(out, site{holders: holders, field: f, only: true})
	}
	for _, f := range holders[0].Message.Fields {
		var next []*Value
		for _, h := range holders {
			next = append(next, nestedValues(fieldValueOf(h, f))...)
		}
		out = append(out, messageSites(next, depth-1)...)
	}
	return out
}

// nestedValues returns the message values that v holds: v itself, the
// elements of a list, the values of a map.
func nestedValues(v *Value) []*Value {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case MessageValue:
		return []*Value{v}
	case ListValue:
		var out []*Value
		for _, e := range v.Elems {
			if e.Kind == MessageValue {
				out = append(out, e)
			}
		}
		return out
	case MapValue:
		var out []*Value
		for _, e := range v.Entries {
			if e.Value.Kind == MessageValue {
				out = append(out, e.Value)
			}
		}
		return out
	}
	return nil
}

func fieldNamed(m *protogen.Message, name string) *protogen.Field {
	if m == nil {
		return nil
	}
	for _, f := range m.Fields {
		if string(f.Desc.Name()) == name {
			return f
		}
	}
	return nil
}

// fieldValueOf returns the value of the field f in the message value h, nil
// when unset.
func fieldValueOf(h *Value, f *protogen.Field) *Value {
	for _, fv := range h.Fields {
		if fv.Field == f {
			return fv.Value
		}
	}
	return nil
}

// setField sets the field f of h to x (nil unsets it), a member of a
// oneof in place of the others, and returns what undoes it.
func setField(h *Value, f *protogen.Field, x *Value) func() {
	old := slices.Clone(h.Fields)
	fields := slices.DeleteFunc(slices.Clone(h.Fields), func(fv *FieldValue) bool {
		return fv.Field == f || f.Oneof != nil && !f.Oneof.Desc.IsSynthetic() && fv.Field.Oneof == f.Oneof
	})
	if x != nil {
		fields = append(fields, &FieldValue{Field: f, Value: x})
		slices.SortStableFunc(fields, func(a, b *FieldValue) int {
			return cmp.Compare(a.Field.Desc.Index(), b.Field.Desc.Index())
		})
	}
	h.Fields = fields
	return func() { h.Fields = old }
}

// change is one change that the search tries: applied by calling it, it
// returns what undoes it.
type change func() (undo func())

// setAll returns the change that sets the site's field of every holder to
// what make returns for it (nil unsets it).
func (st site) setAll(make func(h *Value) *Value) change {
	return func() func() {
		var undos []func()
		for _, h := range st.holders {
			undos = append(undos, setField(h, st.field, make(h)))
		}
		return func() {
			for i := len(undos) - 1; i >= 0; i-- {
				undos[i]()
			}
		}
	}
}

// changes returns the changes to try at a site.
func (s *ruleSearch) changes(st site) []change {
	f := st.field
	anySet := slices.ContainsFunc(st.holders, func(h *Value) bool { return fieldValueOf(h, f) != nil })
	if st.only {
		if !anySet {
			return nil
		}
		return []change{func() func() {
			var olds [][]*FieldValue
			for _, h := range st.holders {
				olds = append(olds, h.Fields)
				h.Fields = slices.DeleteFunc(slices.Clone(h.Fields), func(fv *FieldValue) bool { return fv.Field != f && !s.mustKeep(fv.Field) })
			}
			return func() {
				for i, h := range st.holders {
					h.Fields = olds[i]
				}
			}
		}}
	}
	if !s.settable(f) {
		return nil
	}
	var out []change
	switch {
	case f.Desc.IsMap():
		out = s.mapChanges(st)
	case f.Desc.IsList():
		out = s.listChanges(st)
	case f.Message != nil:
		if !anySet {
			out = append(out, st.setAll(func(*Value) *Value { return s.build(f) }))
		}
	default:
		for _, c := range s.candidates(f, s.b.facts(f).rules, st.holders[0]) {
			out = append(out, st.setAll(func(*Value) *Value { return fresh(c) }))
		}
	}
	if anySet && !s.mustKeep(f) {
		out = append(out, st.setAll(func(*Value) *Value { return nil }))
	}
	return out
}

// mapChanges returns the changes of a map field: every value (of scalars)
// set to a candidate, 1, 3 or 8 entries, one entry with a candidate key.
func (s *ruleSearch) mapChanges(st site) []change {
	f := st.field
	key, val := f.Message.Fields[0], f.Message.Fields[1]
	entries := func(h *Value) []*MapEntry {
		if cur := fieldValueOf(h, f); cur != nil {
			return cur.Entries
		}
		return nil
	}
	var out []change
	if val.Message == nil {
		for _, c := range s.candidates(val, s.elemRules(f, "values")) {
			out = append(out, st.setAll(func(h *Value) *Value {
				m := &Value{Kind: MapValue, Field: f}
				for _, e := range entries(h) {
					m.Entries = append(m.Entries, &MapEntry{Key: e.Key, Value: fresh(c)})
				}
				if len(m.Entries) == 0 {
					m.Entries = []*MapEntry{{Key: s.b.scalar(key, 0, nil), Value: fresh(c)}}
				}
				return m
			}))
		}
	}
	for _, n := range []int{1, 3, 8} {
		out = append(out, st.setAll(func(h *Value) *Value {
			es := entries(h)
			if len(es) == 0 || len(es) == n || val.Message != nil && len(es) < n {
				return fieldValueOf(h, f) // messages are not copied
			}
			m := &Value{Kind: MapValue, Field: f, Entries: slices.Clone(es[:min(n, len(es))])}
			seenKeys := map[any]bool{}
			for _, e := range m.Entries {
				seenKeys[e.Key.reflect().Interface()] = true
			}
			for i := 0; len(m.Entries) < n && i < n+8; i++ {
				k := s.b.scalar(key, i, s.elemRules(f, "keys"))
				if !seenKeys[k.reflect().Interface()] {
					seenKeys[k.reflect().Interface()] = true
					m.Entries = append(m.Entries, &MapEntry{Key: k, Value: fresh(es[0].Value)})
				}
			}
			return m
		}))
	}
	for _, c := range s.candidates(key, s.elemRules(f, "keys")) {
		out = append(out, st.setAll(func(h *Value) *Value {
			es := entries(h)
			if len(es) == 0 {
				return nil
			}
			return &Value{Kind: MapValue, Field: f, Entries: []*MapEntry{{Key: fresh(c), Value: es[0].Value}}}
		}))
	}
	return out
}

// listChanges returns the changes of a list field: every element (of
// scalars) set to a candidate, and 1, 3 or 8 elements.
func (s *ruleSearch) listChanges(st site) []change {
	f := st.field
	elems := func(h *Value) []*Value {
		if cur := fieldValueOf(h, f); cur != nil {
			return cur.Elems
		}
		return nil
	}
	var out []change
	if f.Message == nil {
		for _, c := range s.candidates(f, s.elemRules(f, "items")) {
			out = append(out, st.setAll(func(h *Value) *Value {
				list := &Value{Kind: ListValue, Field: f}
				for range max(len(elems(h)), 1) {
					list.Elems = append(list.Elems, fresh(c))
				}
				return list
			}))
		}
	}
	for _, n := range []int{1, 3, 8} {
		out = append(out, st.setAll(func(h *Value) *Value {
			es := elems(h)
			if len(es) == 0 || len(es) == n || f.Message != nil && len(es) < n {
				return fieldValueOf(h, f) // messages are not copied
			}
			list := &Value{Kind: ListValue, Field: f}
			for i := range n {
				if f.Message == nil && len(es) < n {
					list.Elems = append(list.Elems, s.b.scalar(f, i, s.elemRules(f, "items")))
				} else {
					list.Elems = append(list.Elems, es[i%len(es)])
				}
			}
			return list
		}))
	}
	return out
}

// mustKeep reports whether the field f stays set whatever its rules: a
// proto2 required field (without it the example does not marshal) or one
// that the API requires.
func (s *ruleSearch) mustKeep(f *protogen.Field) bool {
	return f.Desc.Cardinality() == protoreflect.Required || hasBehavior(s.b.facts(f).behaviors, annotations.FieldBehavior_REQUIRED)
}

// settable reports whether the example may set f: not a field that the
// server sets, in a request, nor one it only reads, in a response.
func (s *ruleSearch) settable(f *protogen.Field) bool {
	bs := s.b.facts(f).behaviors
	return !(s.b.request && hasBehavior(bs, annotations.FieldBehavior_OUTPUT_ONLY) || !s.b.request && hasBehavior(bs, annotations.FieldBehavior_INPUT_ONLY))
}

// fresh returns a copy of the candidate c, so that no two places of an
// example share a value.
func fresh(c *Value) *Value {
	cp := *c
	return &cp
}

// build returns a new example value of the message field f.
func (s *ruleSearch) build(f *protogen.Field) *Value {
	b := s.b
	unset, path, count := b.unset, b.path, b.count
	defer func() { b.unset, b.path, b.count = unset, path, count }()
	b.path = nil
	return b.field(f, 1, map[*protogen.Message]int{}, true, b.facts(f).rules)
}

// elemRules returns the rules of the items of a list field, or of the keys
// or values of a map field.
func (s *ruleSearch) elemRules(f *protogen.Field, part string) *validate.FieldRules {
	r := s.b.facts(f).rules
	switch part {
	case "items":
		return r.GetRepeated().GetItems()
	case "keys":
		return r.GetMap().GetKeys()
	}
	return r.GetMap().GetValues()
}

// candidates returns the values to try for the scalar or enum field f
// (an element of a list, a key or value of a map), whose rules are r: the
// rules' example values, the literals of the example's rules and values
// near them, then common values.
//
// The values of the other fields of sibling (a message value, or nil) are
// candidates too, with the numbers next to them: rules that compare two
// fields.
func (s *ruleSearch) candidates(f *protogen.Field, r *validate.FieldRules, sibling ...*Value) []*Value {
	var out []*Value
	seen := map[any]bool{}
	add := func(v protoreflect.Value) {
		k := v.Interface()
		if b, ok := k.([]byte); ok {
			k = "bytes:" + string(b)
		}
		if seen[k] {
			return
		}
		seen[k] = true
		if f.Enum != nil {
			for _, ev := range f.Enum.Values {
				if ev.Desc.Number() == v.Enum() {
					out = append(out, &Value{Kind: EnumValue, Field: f, Enum: ev})
					return
				}
			}
			return
		}
		out = append(out, &Value{Kind: ScalarValue, Field: f, Scalar: v})
	}
	for _, x := range ruleExamples(r) {
		add(x)
	}
	kind := f.Desc.Kind()
	pool := s.pool.with(f, sibling)
	switch kind {
	case protoreflect.BoolKind:
		add(protoreflect.ValueOfBool(true))
		add(protoreflect.ValueOfBool(false))
	case protoreflect.StringKind:
		for _, x := range pool.strings() {
			add(protoreflect.ValueOfString(x))
		}
	case protoreflect.BytesKind:
		for _, x := range pool.strings() {
			add(protoreflect.ValueOfBytes([]byte(x)))
		}
	case protoreflect.EnumKind:
		for _, n := range pool.numbers {
			if n == math.Trunc(n) && n >= math.MinInt32 && n <= math.MaxInt32 {
				add(protoreflect.ValueOfEnum(protoreflect.EnumNumber(n)))
			}
		}
		for _, ev := range f.Enum.Values {
			add(protoreflect.ValueOfEnum(ev.Desc.Number()))
		}
	default:
		for _, n := range pool.nearNumbers() {
			if v, ok := numberValue(kind, n); ok {
				add(v)
			}
		}
	}
	return out
}

// ruleExamples returns the example values of the rules r.
func ruleExamples(r *validate.FieldRules) []protoreflect.Value {
	if r == nil {
		return nil
	}
	var out []protoreflect.Value
	rm := r.ProtoReflect()
	if which := rm.WhichOneof(rm.Descriptor().Oneofs().ByName("type")); which != nil {
		tm := rm.Get(which).Message()
		if ex := tm.Descriptor().Fields().ByName("example"); ex != nil {
			list := tm.Get(ex).List()
			for i := range list.Len() {
				out = append(out, list.Get(i))
			}
		}
	}
	return out
}

// with returns the literals and, first, the values of the fields other
// than f of the message values siblings.
func (l literals) with(f *protogen.Field, siblings []*Value) literals {
	for _, h := range siblings {
		for _, fv := range h.Fields {
			if fv.Field == f || fv.Value.Kind != ScalarValue && fv.Value.Kind != EnumValue {
				continue
			}
			switch x := fv.Value.reflect().Interface().(type) {
			case string:
				l.strs = append([]string{x}, l.strs...)
			case []byte:
				l.strs = append([]string{string(x)}, l.strs...)
			case protoreflect.EnumNumber:
				l.numbers = append([]float64{float64(x)}, l.numbers...)
			case int32, int64, uint32, uint64, float32, float64:
				n, _ := strconv.ParseFloat(fmt.Sprint(x), 64)
				l.numbers = append([]float64{n}, l.numbers...)
			}
		}
	}
	return l
}

// numberValue returns n as a value of a numeric kind, false when it does
// not fit.
func numberValue(kind protoreflect.Kind, n float64) (protoreflect.Value, bool) {
	integral := n == math.Trunc(n) && !math.IsInf(n, 0)
	switch kind {
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(int32(n)), integral && n >= math.MinInt32 && n <= math.MaxInt32
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(int64(n)), integral && n >= math.MinInt64 && n < math.MaxInt64
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(uint32(n)), integral && n >= 0 && n <= math.MaxUint32
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return protoreflect.ValueOfUint64(uint64(n)), integral && n >= 0 && n < math.MaxUint64
	case protoreflect.FloatKind:
		return protoreflect.ValueOfFloat32(float32(n)), !math.IsNaN(n)
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(n), !math.IsNaN(n)
	}
	return protoreflect.Value{}, false
}

// literals are the numbers and strings written in the rules of an
// example, and the timestamps and durations among the strings as seconds.
type literals struct {
	numbers []float64
	strs    []string
}

// Limits that keep the candidates of a field few.
const (
	maxLiteralNumbers = 24
	maxLiteralStrings = 24
	maxStringLen      = 256
)

var (
	singleQuoted = regexp.MustCompile(`'((?:[^'\\]|\\.)*)'`)
	doubleQuoted = regexp.MustCompile(`\\"((?:[^"\\]|\\.)*?)\\"`)
	numberWord   = regexp.MustCompile(`(?:^|[^\w.])(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)`)
)

// literalPool reads the literals of the rules of every message and field
// that the example root reaches, in the order it meets them.
func literalPool(root *Value) literals {
	var l literals
	seenMsg := map[protoreflect.FullName]bool{}
	var text strings.Builder
	var walk func(m *protogen.Message, depth int)
	walk = func(m *protogen.Message, depth int) {
		if m == nil || seenMsg[m.Desc.FullName()] || depth > 8 {
			return
		}
		seenMsg[m.Desc.FullName()] = true
		if hasExtension(m.Desc.Options(), validate.E_Message) {
			if r, err := protovalidate.ResolveMessageRules(m.Desc); err == nil && r != nil {
				text.WriteString(prototext.Format(r) + "\n")
			}
		}
		for _, f := range m.Fields {
			if hasExtension(f.Desc.Options(), validate.E_Field) {
				if r, err := protovalidate.ResolveFieldRules(f.Desc); err == nil && r != nil {
					text.WriteString(prototext.Format(r) + "\n")
				}
			}
			walk(f.Message, depth+1)
		}
	}
	walk(root.Message, 0)
	src := text.String()
	addNumber := func(n float64) {
		if !slices.Contains(l.numbers, n) && len(l.numbers) < maxLiteralNumbers {
			l.numbers = append(l.numbers, n)
		}
	}
	addString := func(s string) {
		if !slices.Contains(l.strs, s) && len(l.strs) < maxLiteralStrings && len(s) <= maxStringLen {
			l.strs = append(l.strs, s)
		}
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			addNumber(float64(t.Unix()))
		}
		if d, err := time.ParseDuration(s); err == nil {
			addNumber(math.Trunc(d.Seconds()))
		}
	}
	for _, line := range strings.Split(src, "\n") {
		// Only what rules write: expressions, and the values of rules
		// (predefined ones among them), not ids or messages.
		name, value, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok || name == "id" || name == "message" {
			continue
		}
		for _, m := range singleQuoted.FindAllStringSubmatch(value, -1) {
			addString(unescapeLiteral(m[1]))
		}
		for _, m := range doubleQuoted.FindAllStringSubmatch(value, -1) {
			addString(unescapeLiteral(m[1]))
		}
		if name != "expression" && name != "cel_expression" {
			if s, err := strconv.Unquote(strings.TrimSpace(value)); err == nil {
				addString(s)
			}
		}
		for _, m := range numberWord.FindAllStringSubmatch(singleQuoted.ReplaceAllString(value, ""), -1) {
			if n, err := strconv.ParseFloat(m[1], 64); err == nil {
				addNumber(n)
			}
		}
	}
	return l
}

// unescapeLiteral undoes the escapes of a CEL or text-format string, as
// far as it can; what it cannot undo stays as written.
func unescapeLiteral(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	if u, err := strconv.Unquote(`"` + strings.ReplaceAll(s, `"`, `\"`) + `"`); err == nil {
		return u
	}
	return s
}

// nearNumbers returns the literal numbers and the numbers next to them,
// then common ones.
func (l literals) nearNumbers() []float64 {
	var out []float64
	for _, n := range l.numbers {
		out = append(out, n, n+1, n-1, n*2, -n, n+0.5, n-0.5)
	}
	// Sums of two: a remainder above a bound (this % 10 == 3, gt 100).
	few := l.numbers[:min(len(l.numbers), 6)]
	for i, a := range few {
		for _, b := range few[i+1:] {
			out = append(out, a+b)
		}
	}
	return append(out, 1, 0, 2, 3, 10, 42, 100, 1000, -1, 0.5)
}

// strings returns the literal strings, their pairs joined (a prefix and a
// suffix), strings as long as the literal numbers say, and common values.
func (l literals) strings() []string {
	out := slices.Clone(l.strs)
	for _, a := range l.strs {
		for _, b := range l.strs {
			if a != b {
				out = append(out, a+b)
			}
		}
		out = append(out, a+"example", "example"+a)
	}
	for _, n := range l.numbers {
		for _, k := range []float64{n, n + 1, n - 1} {
			if k >= 1 && k <= maxStringLen && k == math.Trunc(k) {
				out = append(out, strings.Repeat("a", int(k)))
				// A literal as long as a number says (a prefix and a
				// length).
				for _, a := range l.strs[:min(len(l.strs), 4)] {
					if len(a) < int(k) {
						out = append(out, a+strings.Repeat("a", int(k)-len(a)))
					}
				}
			}
		}
	}
	for _, p := range l.strs {
		if _, err := regexp.Compile(p); err == nil && strings.ContainsAny(p, `^$[]()*+?\{}|`) {
			out = append(out, fromPattern(p, "", "", 0, 0)...)
		}
	}
	return append(out, "example", "", "a", "Example", "user@example.com", "example.com", "https://example.com",
		"192.0.2.1", "2001:db8::1", "example.com:8080", "123e4567-e89b-42d3-a456-426614174000")
}
