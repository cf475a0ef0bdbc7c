package randproto

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// The rules of values: each family draws its witnesses first, then rules
// that they meet.

// enumNumber is the witness of an enum field.
type enumNumber int32

// numKind is a numeric field kind, as FieldRules names its rules.
type numKind struct {
	name                    string
	unsigned, float, narrow bool // narrow: 32 bits
}

var numKinds = map[descriptorpb.FieldDescriptorProto_Type]numKind{
	descriptorpb.FieldDescriptorProto_TYPE_DOUBLE:   {name: "double", float: true},
	descriptorpb.FieldDescriptorProto_TYPE_FLOAT:    {name: "float", float: true, narrow: true},
	descriptorpb.FieldDescriptorProto_TYPE_INT64:    {name: "int64"},
	descriptorpb.FieldDescriptorProto_TYPE_SINT64:   {name: "sint64"},
	descriptorpb.FieldDescriptorProto_TYPE_SFIXED64: {name: "sfixed64"},
	descriptorpb.FieldDescriptorProto_TYPE_INT32:    {name: "int32", narrow: true},
	descriptorpb.FieldDescriptorProto_TYPE_SINT32:   {name: "sint32", narrow: true},
	descriptorpb.FieldDescriptorProto_TYPE_SFIXED32: {name: "sfixed32", narrow: true},
	descriptorpb.FieldDescriptorProto_TYPE_UINT64:   {name: "uint64", unsigned: true},
	descriptorpb.FieldDescriptorProto_TYPE_FIXED64:  {name: "fixed64", unsigned: true},
	descriptorpb.FieldDescriptorProto_TYPE_UINT32:   {name: "uint32", unsigned: true, narrow: true},
	descriptorpb.FieldDescriptorProto_TYPE_FIXED32:  {name: "fixed32", unsigned: true, narrow: true},
}

// scalar draws rules for k values of type t (a scalar, an enum, a wrapper,
// a duration or a timestamp), distinct ones if distinct, ones other than
// zero if nonZero, and returns them as a FieldRules with its type set, and
// k values that meet them; rules is nil when it draws none. clock is set
// for rules relative to the clock.
//
// Now and then the rules end with one written in CEL, which the values
// meet too (a size bound, a value they never take).
func (p *rulePlanner) scalar(t ruleType, k int, distinct, nonZero bool) (rules *validate.FieldRules, ws []any, clock bool) {
	rules, ws, clock = p.standard(t, k, distinct, nonZero)
	if rules != nil && t.msg == "" && t.enum == nil && len(ws) > 0 && p.r.percent(5) {
		if cel := celRule(p.r, t, ws); cel != nil {
			rules.Cel = append(rules.Cel, cel)
			p.g.feature("rule cel")
		}
	}
	return rules, ws, clock
}

// celRule returns a rule written in CEL that the values ws, of type t,
// meet; nil for types it has none for.
func celRule(r *source, t ruleType, ws []any) *validate.Rule {
	switch t.t {
	case descriptorpb.FieldDescriptorProto_TYPE_STRING, descriptorpb.FieldDescriptorProto_TYPE_BYTES:
		longest := 0
		for _, w := range ws {
			switch x := w.(type) {
			case string:
				longest = max(longest, utf8.RuneCountInString(x))
			case []byte:
				longest = max(longest, len(x))
			}
		}
		n := longest + pick(r, []int{0, 3, 50})
		return validate.Rule_builder{Id: proto.String("size_at_most_" + strconv.Itoa(n)),
			Message:    proto.String("must be at most " + strconv.Itoa(n) + " long"),
			Expression: proto.String("this.size() <= " + strconv.Itoa(n))}.Build()
	case descriptorpb.FieldDescriptorProto_TYPE_BOOL:
		return nil
	}
	// A number none of ws is.
	for _, c := range []int64{13, 0, -1, 404, 7} {
		var lit string
		taken := false
		for _, w := range ws {
			switch x := w.(type) {
			case int64:
				taken = taken || x == c
				lit = strconv.FormatInt(c, 10)
			case uint64:
				taken = taken || c < 0 || x == uint64(c)
				lit = strconv.FormatInt(c, 10) + "u"
			case float64:
				taken = taken || x == float64(c)
				lit = strconv.FormatFloat(float64(c), 'e', -1, 64)
			}
		}
		if !taken && lit != "" {
			return validate.Rule_builder{Id: proto.String("not_" + strings.ReplaceAll(strconv.FormatInt(c, 10), "-", "minus_")),
				Message:    proto.String("must not be " + strconv.FormatInt(c, 10)),
				Expression: proto.String("this != " + lit)}.Build()
		}
	}
	return nil
}

// standard is scalar without rules written in CEL.
func (p *rulePlanner) standard(t ruleType, k int, distinct, nonZero bool) (rules *validate.FieldRules, ws []any, clock bool) {
	r := p.r
	fr := &validate.FieldRules{}
	switch {
	case t.msg == durationName:
		dr, ws := p.durationRules(k, distinct)
		fr.SetDuration(dr)
		return fr, ws, false
	case t.msg == timestampName:
		tr, ws, clock := p.timestampRules(k, distinct)
		fr.SetTimestamp(tr)
		return fr, ws, clock
	case wrapperKinds[t.msg] != 0:
		p.g.feature("rule wrapper")
		return p.standard(ruleType{t: wrapperKinds[t.msg]}, k, distinct, nonZero)
	case t.msg != "":
		return nil, nil, false
	case t.enum != nil:
		er, ws := p.enumRules(t.enum, k, distinct, nonZero)
		if er == nil {
			return nil, ws, false
		}
		fr.SetEnum(er)
		return fr, ws, false
	}
	switch t.t {
	case descriptorpb.FieldDescriptorProto_TYPE_ENUM:
		return nil, nil, false // (an enum randproto does not know)
	case descriptorpb.FieldDescriptorProto_TYPE_STRING:
		sr, ss := p.stringRules(k, distinct)
		fr.SetString(sr)
		for _, s := range ss {
			ws = append(ws, s)
		}
		return fr, ws, false
	case descriptorpb.FieldDescriptorProto_TYPE_BYTES:
		br, bs := p.bytesRules(k, distinct)
		fr.SetBytes(br)
		for _, b := range bs {
			ws = append(ws, b)
		}
		return fr, ws, false
	case descriptorpb.FieldDescriptorProto_TYPE_BOOL:
		if distinct && k > 1 {
			return nil, []any{true, false}[:k], false
		}
		v := nonZero || r.percent(50)
		fr.SetBool(validate.BoolRules_builder{Const: proto.Bool(v)}.Build())
		p.g.feature("rule bool const")
		for range k {
			ws = append(ws, v)
		}
		return fr, ws, false
	}
	kind, ok := numKinds[t.t]
	if !ok {
		return nil, nil, false
	}
	rm := fr.ProtoReflect().Mutable(fr.ProtoReflect().Descriptor().Fields().ByName(protoreflect.Name(kind.name))).Message()
	set := func(name string, v any) {
		fd := rm.Descriptor().Fields().ByName(protoreflect.Name(name))
		rm.Set(fd, numValue(fd.Kind(), v))
	}
	add := func(name string, v any) {
		fd := rm.Descriptor().Fields().ByName(protoreflect.Name(name))
		rm.Mutable(fd).List().Append(numValue(fd.Kind(), v))
	}
	var feats []string
	switch {
	case kind.float:
		ws, feats = anyRules(r, floatSpace(kind.narrow), k, distinct, nonZero, set, add)
		if r.percent(25) {
			set("finite", true)
			feats = append(feats, "rule float finite")
		}
		p.g.feature("rule float")
	case kind.unsigned:
		ws, feats = anyRules(r, uintSpace(kind.narrow), k, distinct, nonZero, set, add)
	default:
		ws, feats = anyRules(r, intSpace(kind.narrow), k, distinct, nonZero, set, add)
	}
	for _, f := range feats {
		p.g.feature(f)
	}
	p.g.feature("rule " + kind.name)
	return fr, ws, false
}

// numValue converts a witness (int64, uint64, float64) or a bool to a
// value of kind.
func numValue(kind protoreflect.Kind, v any) protoreflect.Value {
	switch x := v.(type) {
	case bool:
		return protoreflect.ValueOfBool(x)
	case int64:
		switch kind {
		case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
			return protoreflect.ValueOfInt32(int32(x))
		}
		return protoreflect.ValueOfInt64(x)
	case uint64:
		switch kind {
		case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
			return protoreflect.ValueOfUint32(uint32(x))
		}
		return protoreflect.ValueOfUint64(x)
	case float64:
		if kind == protoreflect.FloatKind {
			return protoreflect.ValueOfFloat32(float32(x))
		}
		return protoreflect.ValueOfFloat64(x)
	}
	panic("randproto: not a number")
}

// Numbers.

type number interface{ ~int64 | ~uint64 | ~float64 }

// space is the values of one numeric kind (or of durations and timestamps,
// in nanoseconds): its bounds, the values that witnesses are drawn from,
// distances and round numbers for the bounds of rules.
type space[T number] struct {
	lo, hi  T
	narrow  bool // float32: values are rounded to it
	pool    []T
	offsets []T
	rounds  []T
}

func (s space[T]) fit(v T) T {
	if s.narrow {
		return T(float32(v))
	}
	return v
}

func (s space[T]) in(v T) bool { return s.lo <= v && v <= s.hi }

// below returns a bound under w: strictly under it if strict.
func (s space[T]) below(r *source, w T, strict bool) (T, bool) {
	var cands []T
	ok := func(c T) bool { return s.in(c) && (c < w || !strict && c == w) }
	for _, c := range s.rounds {
		if c = s.fit(c); ok(c) {
			cands = append(cands, c)
		}
	}
	for _, d := range s.offsets {
		if w >= s.lo+d {
			if c := s.fit(w - d); ok(c) {
				cands = append(cands, c)
			}
		}
	}
	if !strict {
		cands = append(cands, w)
	}
	if len(cands) == 0 {
		var zero T
		return zero, false
	}
	return pick(r, cands), true
}

// above returns a bound over w: strictly over it if strict.
func (s space[T]) above(r *source, w T, strict bool) (T, bool) {
	var cands []T
	ok := func(c T) bool { return s.in(c) && (c > w || !strict && c == w) }
	for _, c := range s.rounds {
		if c = s.fit(c); ok(c) {
			cands = append(cands, c)
		}
	}
	for _, d := range s.offsets {
		if w <= s.hi-d {
			if c := s.fit(w + d); ok(c) {
				cands = append(cands, c)
			}
		}
	}
	if !strict {
		cands = append(cands, w)
	}
	if len(cands) == 0 {
		var zero T
		return zero, false
	}
	return pick(r, cands), true
}

func (s space[T]) draw(r *source, k int, distinct, nonZero bool) []T {
	var ws []T
	for tries := 0; len(ws) < k && tries < 200; tries++ {
		v := s.fit(pick(r, s.pool))
		if nonZero && v == 0 || distinct && slices.Contains(ws, v) || !s.in(v) {
			continue
		}
		ws = append(ws, v)
	}
	if len(ws) < k {
		return nil
	}
	return ws
}

func intSpace(narrow bool) space[int64] {
	s := space[int64]{lo: math.MinInt64, hi: math.MaxInt64,
		pool: []int64{0, 1, 2, 3, 5, 7, 10, 12, 42, 99, 100, 128, 255, 1000, 1024, 65535, 100000, 1000000,
			-1, -5, -10, -42, -100, -1000, -1000000},
		offsets: []int64{1, 1, 2, 5, 10, 100, 1000},
		rounds:  []int64{0, 1, 10, 100, 1000, 1000000, -1, -10, -100, -1000, -1000000},
	}
	if narrow {
		s.lo, s.hi = math.MinInt32, math.MaxInt32
	} else {
		s.pool = append(s.pool, 1<<33, 1e12, -1e12, 1<<40)
		s.rounds = append(s.rounds, 1e12, -1e12)
	}
	s.pool = append(s.pool, s.hi, s.hi-1, s.lo, s.lo+1)
	s.rounds = append(s.rounds, s.hi, s.lo)
	return s
}

func uintSpace(narrow bool) space[uint64] {
	s := space[uint64]{lo: 0, hi: math.MaxUint64,
		pool:    []uint64{0, 1, 2, 3, 5, 7, 10, 12, 42, 99, 100, 128, 255, 1000, 1024, 65535, 100000, 1000000},
		offsets: []uint64{1, 1, 2, 5, 10, 100, 1000},
		rounds:  []uint64{0, 1, 10, 100, 1000, 1000000},
	}
	if narrow {
		s.hi = math.MaxUint32
	} else {
		s.pool = append(s.pool, 1<<33, 1e12, 1<<63)
		s.rounds = append(s.rounds, 1e12, 1<<63)
	}
	s.pool = append(s.pool, s.hi, s.hi-1)
	s.rounds = append(s.rounds, s.hi)
	return s
}

func floatSpace(narrow bool) space[float64] {
	return space[float64]{lo: -1e30, hi: 1e30, narrow: narrow,
		pool: []float64{0, 0.5, 1, 1.5, 2.25, 3.14159, 9.81, -1, -0.5, -273.15, 42, 99.99, 100, 0.001, 1e6, 1e-6,
			6.02e23, -1e9, 37.5},
		offsets: []float64{0.5, 1, 10, 0.001, 100},
		rounds:  []float64{0, 1, -1, 10, 100, 1000, -1000, 0.5, 1e6},
	}
}

// durationSpace is in nanoseconds, within 11 days either way.
var durationSpace = space[int64]{lo: -1e15, hi: 1e15,
	pool:    []int64{0, 1e9, 30e9, 90e9, 300e9, 3600e9, 86400e9, -60e9, 5e8, 1.25e9, 1e6, 604800e9, -1e9},
	offsets: []int64{1e9, 60e9, 3600e9, 5e8, 1e6},
	rounds:  []int64{0, 1e9, 60e9, 3600e9, 86400e9, -86400e9, 1e6, 100e6},
}

// timestampSpace is in nanoseconds since 1970, up to 2096.
var timestampSpace = space[int64]{lo: 0, hi: 4e18,
	pool: []int64{946684800e9, 1700000000e9, 1234567890e9, 1893456000e9, 0, 1700000000e9 + 5e8, 1609459200e9,
		2000000000e9},
	offsets: []int64{1e9, 3600e9, 86400e9, 31536000e9, 5e8},
	rounds:  []int64{0, 946684800e9, 1577836800e9, 1700000000e9, 1893456000e9, 3e18},
}

// numberRules draws k witnesses of s and rules that they meet, set (and
// for lists added) through set and add; it returns the witnesses and the
// features it exercised. noIn leaves out in and not_in (timestamps have
// neither).
func numberRules[T number](r *source, s space[T], k int, distinct, nonZero, noIn bool, set, add func(string, T)) ([]T, []string) {
	ws := s.draw(r, k, distinct, nonZero)
	if ws == nil {
		return nil, nil
	}
	lo, hi := slices.Min(ws), slices.Max(ws)
	var feats []string
	family := r.weighted(40, 14, 12, 14, 10, 10)
	if noIn && (family == 3 || family == 4) {
		family = 0
	}
	if family == 2 && distinct && k > 1 {
		family = 0
	}
	switch family {
	case 0, 5:
		s.bounds(r, lo, hi, set)
		feats = append(feats, "rule number range")
	case 1:
		if s.exclusive(r, lo, hi, set) {
			feats = append(feats, "rule number exclusive range")
		} else {
			s.bounds(r, lo, hi, set)
			feats = append(feats, "rule number range")
		}
	case 2:
		for i := range ws {
			ws[i] = ws[0]
		}
		set("const", ws[0])
		feats = append(feats, "rule number const")
	case 3:
		in := dedupe(ws)
		for n := r.between(1, 3); n > 0; n-- {
			if v := s.fit(pick(r, s.pool)); s.in(v) && !slices.Contains(in, v) {
				in = append(in, v)
			}
		}
		r.r.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
		for _, v := range in {
			add("in", v)
		}
		feats = append(feats, "rule number in")
	case 4:
		for n := r.between(1, 3); n > 0; n-- {
			if v := s.fit(pick(r, s.pool)); s.in(v) && !slices.Contains(ws, v) {
				add("not_in", v)
			}
		}
		if r.percent(50) {
			s.bounds(r, lo, hi, set)
		}
		feats = append(feats, "rule number not_in")
	}
	if family == 5 || r.percent(6) {
		for _, w := range dedupe(ws) {
			add("example", w)
		}
		feats = append(feats, "rule example")
	}
	return ws, feats
}

// anyRules is numberRules for scalars, whose witnesses and rules are
// set as any.
func anyRules[T number](r *source, s space[T], k int, distinct, nonZero bool, set, add func(string, any)) ([]any, []string) {
	ws, feats := numberRules(r, s, k, distinct, nonZero, false,
		func(name string, v T) { set(name, any(v)) }, func(name string, v T) { add(name, any(v)) })
	var out []any
	for _, w := range ws {
		out = append(out, any(w))
	}
	return out, feats
}

func dedupe[T comparable](xs []T) []T {
	var out []T
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// bounds draws a lower bound (gt, gte), an upper one (lt, lte) or both
// around [lo, hi].
func (s space[T]) bounds(r *source, lo, hi T, set func(string, T)) {
	lower, upper := r.percent(70), r.percent(70)
	if !lower && !upper {
		lower = true
	}
	if lower {
		strict := r.percent(50)
		b, ok := s.below(r, lo, strict)
		if !ok {
			strict = false
			b, _ = s.below(r, lo, false)
		}
		set(map[bool]string{true: "gt", false: "gte"}[strict], b)
	}
	if upper {
		strict := r.percent(50)
		b, ok := s.above(r, hi, strict)
		if !ok {
			strict = false
			b, _ = s.above(r, hi, false)
		}
		set(map[bool]string{true: "lt", false: "lte"}[strict], b)
	}
}

// exclusive draws an exclusive range: a lower bound above the upper one,
// the values meeting them outside [upper, lower], all above the lower one
// or all below the upper one.
func (s space[T]) exclusive(r *source, lo, hi T, set func(string, T)) bool {
	aboveFirst := r.percent(50)
	for range 2 {
		if aboveFirst {
			strict := r.percent(50)
			if a, ok := s.below(r, lo, strict); ok {
				if b, ok := s.below(r, a, true); ok {
					set(map[bool]string{true: "gt", false: "gte"}[strict], a)
					set(pick(r, []string{"lt", "lte"}), b)
					return true
				}
			}
		} else {
			strict := r.percent(50)
			if b, ok := s.above(r, hi, strict); ok {
				if a, ok := s.above(r, b, true); ok {
					set(map[bool]string{true: "lt", false: "lte"}[strict], b)
					set(pick(r, []string{"gt", "gte"}), a)
					return true
				}
			}
		}
		aboveFirst = !aboveFirst
	}
	return false
}

// Durations and timestamps.

func (p *rulePlanner) durationRules(k int, distinct bool) (*validate.DurationRules, []any) {
	dr := &validate.DurationRules{}
	rm := dr.ProtoReflect()
	val := func(v int64) protoreflect.Value {
		return protoreflect.ValueOfMessage(durationpb.New(time.Duration(v)).ProtoReflect())
	}
	ws, feats := numberRules(p.r, durationSpace, k, distinct, false, false,
		func(name string, v int64) { rm.Set(rm.Descriptor().Fields().ByName(protoreflect.Name(name)), val(v)) },
		func(name string, v int64) {
			rm.Mutable(rm.Descriptor().Fields().ByName(protoreflect.Name(name))).List().Append(val(v))
		})
	for _, f := range feats {
		p.g.feature(f)
	}
	p.g.feature("rule duration")
	var out []any
	for _, w := range ws {
		out = append(out, durationpb.New(time.Duration(w)))
	}
	return dr, out
}

func timestampOf(v int64) *timestamppb.Timestamp { return timestamppb.New(time.Unix(0, v).UTC()) }

func (p *rulePlanner) timestampRules(k int, distinct bool) (*validate.TimestampRules, []any, bool) {
	r := p.r
	tr := &validate.TimestampRules{}
	p.g.feature("rule timestamp")
	if r.percent(35) {
		// Relative to the clock: no fixed value meets them for good.
		p.g.feature("rule timestamp clock")
		var ws []any
		switch r.weighted(40, 30, 30) {
		case 0:
			tr.SetLtNow(true)
			if r.percent(40) {
				tr.SetGte(timestampOf(946684800e9))
			}
			for i := range k {
				ws = append(ws, timestampOf(1700000000e9+int64(i)*1e9))
			}
		case 1:
			tr.SetGtNow(true)
			for i := range k {
				ws = append(ws, timestampOf(4e18-int64(i)*1e9))
			}
		default:
			tr.SetWithin(durationpb.New(pick(r, []time.Duration{time.Hour, 24 * time.Hour, 5 * time.Minute, 30 * 24 * time.Hour})))
			for range k {
				ws = append(ws, timestampOf(time.Now().UnixNano()))
			}
		}
		return tr, ws, true
	}
	rm := tr.ProtoReflect()
	val := func(v int64) protoreflect.Value { return protoreflect.ValueOfMessage(timestampOf(v).ProtoReflect()) }
	ws, feats := numberRules(r, timestampSpace, k, distinct, false, true,
		func(name string, v int64) { rm.Set(rm.Descriptor().Fields().ByName(protoreflect.Name(name)), val(v)) },
		func(name string, v int64) {
			rm.Mutable(rm.Descriptor().Fields().ByName(protoreflect.Name(name))).List().Append(val(v))
		})
	for _, f := range feats {
		p.g.feature(f)
	}
	var out []any
	for _, w := range ws {
		out = append(out, timestampOf(w))
	}
	return tr, out, false
}

// Enums.

func (p *rulePlanner) enumRules(e *enumInfo, k int, distinct, nonZero bool) (*validate.EnumRules, []any) {
	r := p.r
	nums := declaredNumbers(e, nonZero)
	if len(nums) == 0 || distinct && len(nums) < k {
		return nil, nil
	}
	shuffled := slices.Clone(nums)
	r.r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	var ws []int32
	for i := range k {
		if distinct {
			ws = append(ws, shuffled[i])
		} else {
			ws = append(ws, pick(r, nums))
		}
	}
	// others are numbers no witness has: declared ones, then some that
	// only an open enum can hold.
	var others []int32
	for _, n := range append(slices.Clone(nums), 99, -7, 1000) {
		if !slices.Contains(ws, n) && !slices.Contains(others, n) {
			others = append(others, n)
		}
	}
	er := &validate.EnumRules{}
	notIn := func() {
		r.r.Shuffle(len(others), func(i, j int) { others[i], others[j] = others[j], others[i] })
		er.NotIn = others[:r.between(1, min(3, len(others)))]
		p.g.feature("rule enum not_in")
	}
	family := r.weighted(30, 25, 20, 15, 10)
	if family == 3 && distinct && k > 1 {
		family = 0
	}
	switch family {
	case 0:
		er.SetDefinedOnly(true)
		p.g.feature("rule enum defined_only")
		if r.percent(30) {
			notIn()
		}
	case 1, 4:
		in := dedupe(ws)
		for n := r.between(0, 2); n > 0 && len(others) > 0; n-- {
			if o := pick(r, others); !slices.Contains(in, o) {
				in = append(in, o)
			}
		}
		r.r.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
		er.In = in
		p.g.feature("rule enum in")
		if family == 4 {
			er.SetDefinedOnly(true)
		}
	case 2:
		notIn()
		if r.percent(40) {
			er.SetDefinedOnly(true)
		}
	case 3:
		for i := range ws {
			ws[i] = ws[0]
		}
		er.SetConst(ws[0])
		p.g.feature("rule enum const")
	}
	if r.percent(8) {
		er.Example = dedupe(ws)
		p.g.feature("rule example")
	}
	var out []any
	for _, w := range ws {
		out = append(out, enumNumber(w))
	}
	return er, out
}

// Strings.

// wordPool are plain string witnesses.
var wordPool = []string{
	"alice", "bob", "carol", "dave", "eve", "Hello, world!", "ünïcödé", "東京", "project-42", "order_1234",
	"The quick brown fox", "x-y-z", "42", "naïve café", "😀 smile", "a", "mixed CASE", "tab\tseparated",
	"trailing space ", "o'neil", `say "hi"`, `back\slash`,
}

// plainWords are witnesses that affixes go around.
var plainWords = []string{"alice", "bob", "42", "report", "x1", "data", "img", "final", "v2", "Ünï"}

// stringPatterns are realistic regular expressions and strings they match.
var stringPatterns = []struct {
	pattern string
	matches []string
}{
	{`^[a-z][a-z0-9-]*$`, []string{"my-service", "api-2", "billing", "x"}},
	{`^[A-Z]{3}$`, []string{"EUR", "USD", "JPY", "GBP"}},
	{`^[0-9]{5}$`, []string{"75001", "10115", "94043", "00501"}},
	{`^\+[1-9][0-9]{7,14}$`, []string{"+15550100", "+4930123456", "+81312345678", "+442079460000"}},
	{`^[a-z]+(_[a-z]+)*$`, []string{"snake_case", "user_name", "id", "a_b_c"}},
	{`^v[0-9]+\.[0-9]+\.[0-9]+$`, []string{"v1.2.3", "v0.1.0", "v10.0.1", "v2.0.0"}},
	{`^#[0-9a-fA-F]{6}$`, []string{"#ff8800", "#00FF00", "#123abc", "#000000"}},
	{`^\d{4}-\d{2}-\d{2}$`, []string{"2024-02-29", "1999-12-31", "2000-01-01", "2030-06-15"}},
	{`^(red|green|blue)$`, []string{"red", "green", "blue"}},
	{`[0-9]`, []string{"abc1", "2024", "r2d2", "route 66"}},
	{`^[A-Za-z0-9]{8,16}$`, []string{"Passw0rd", "abcdefgh12", "ZZZZZZZZ", "a1b2c3d4e5f6"}},
	{`^projects/[a-z0-9-]+/topics/[a-z0-9-]+$`, []string{"projects/p1/topics/t1", "projects/my-proj/topics/news", "projects/x/topics/y"}},
	{`^\S+$`, []string{"nospace", "a.b.c", "ünï", "42"}},
	{`^[^@\s]+@[^@\s]+$`, []string{"a@b", "user@example.com", "x.y@z", "me@localhost"}},
	{`^\d+(\.\d+)?$`, []string{"3.14", "42", "0.5", "100"}},
	{`^[\p{L} '-]+$`, []string{"José", "Anne-Marie", "O'Brien", "Zoë Ng"}},
}

// stringFormats are the well-known formats and strings of each.
var stringFormats = []struct {
	name    string // a field of StringRules; well_known_regex:N for the known regexes
	matches []string
}{
	{"email", []string{"alice@example.com", "bob.smith@example.org", "carol+tag@mail.example.net", "x@y.io"}},
	{"hostname", []string{"example.com", "api.example.org", "localhost", "my-host-1.internal"}},
	{"ip", []string{"192.0.2.1", "2001:db8::1", "10.0.0.1", "::1"}},
	{"ipv4", []string{"192.0.2.1", "10.0.0.1", "127.0.0.1", "203.0.113.7"}},
	{"ipv6", []string{"2001:db8::1", "::1", "fe80::1", "2001:db8:0:0:1:0:0:1"}},
	{"uri", []string{"https://example.com/path", "http://localhost:8080/", "mailto:user@example.com", "urn:isbn:0451450523"}},
	{"uri_ref", []string{"/path", "../up", "https://example.com/x", "?q=1"}},
	{"address", []string{"example.com", "192.0.2.1", "2001:db8::1", "api.example.org"}},
	{"uuid", []string{"123e4567-e89b-12d3-a456-426614174000", "550e8400-e29b-41d4-a716-446655440000", "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "00000000-0000-0000-0000-000000000000"}},
	{"tuuid", []string{"123e4567e89b12d3a456426614174000", "550e8400e29b41d4a716446655440000", "6ba7b8109dad11d180b400c04fd430c8"}},
	{"ip_with_prefixlen", []string{"192.0.2.1/24", "2001:db8::1/64", "10.0.0.0/8"}},
	{"ipv4_with_prefixlen", []string{"192.0.2.1/24", "10.1.2.3/8", "172.16.0.1/12"}},
	{"ipv6_with_prefixlen", []string{"2001:db8::1/64", "fe80::1/10", "::1/128"}},
	{"ip_prefix", []string{"192.0.2.0/24", "2001:db8::/32", "10.0.0.0/8"}},
	{"ipv4_prefix", []string{"10.0.0.0/8", "192.168.0.0/16", "192.0.2.0/24"}},
	{"ipv6_prefix", []string{"2001:db8::/32", "fe80::/10", "2001:db8:1::/48"}},
	{"host_and_port", []string{"example.com:443", "127.0.0.1:8080", "[::1]:9090", "api.example.org:50051"}},
	{"ulid", []string{"01ARZ3NDEKTSV4RRFFQ69G5FAV", "01BX5ZZKBKACTAV9WEVGEMMVRZ", "7ZZZZZZZZZZZZZZZZZZZZZZZZZ", "01HZY4QJ3M8R2T5V6W7X9Y0ZAB"}},
	{"protobuf_fqn", []string{"foo.v1.Bar", "google.protobuf.Empty", "Baz"}},
	{"protobuf_dot_fqn", []string{".foo.v1.Bar", ".google.protobuf.Empty", ".Baz"}},
	{"well_known_regex:1", []string{"content-type", "x-request-id", "Accept", ":authority"}},
	{"well_known_regex:2", []string{"text/plain", "no-cache", "gzip, deflate", "Bearer abc.def"}},
}

var (
	stringPrefixes    = []string{"user-", "gs://", "sk_", "img_", "https://", "/", "ID", "+1-", "acme."}
	stringSuffixes    = []string{".json", ".png", "@example.com", "_test", "/v1", "Z", "!", ".internal"}
	stringContains    = []string{"@", "-", "://", "/", "..", " ", "é"}
	stringNotContains = []string{" ", "..", "/", "_", "admin", "--", "DROP", "<", "\n", "@"}
)

// distinctFrom draws k distinct elements of pool (k <= len(pool)).
func distinctFrom[T any](r *source, pool []T, k int) []T {
	idx := r.r.Perm(len(pool))
	var out []T
	for _, i := range idx[:k] {
		out = append(out, pool[i])
	}
	return out
}

func (p *rulePlanner) stringRules(k int, distinct bool) (*validate.StringRules, []string) {
	r := p.r
	sr := &validate.StringRules{}
	var ws []string
	family := r.weighted(18, 18, 14, 20, 10, 6, 7, 7)
	if family == 5 && distinct && k > 1 {
		family = 4
	}
	switch family {
	case 0:
		ws = distinctFrom(r, wordPool, k)
		p.lengths(sr, ws)
	case 1:
		var pat = pick(r, stringPatterns)
		for len(pat.matches) < k {
			pat = pick(r, stringPatterns)
		}
		ws = distinctFrom(r, pat.matches, k)
		sr.SetPattern(pat.pattern)
		p.g.feature("rule string pattern")
		if r.percent(35) {
			p.lengths(sr, ws)
		}
	case 2:
		which := r.between(1, 7)
		pre, suf, con := "", "", ""
		if which&1 != 0 {
			pre = pick(r, stringPrefixes)
			sr.SetPrefix(pre)
		}
		if which&2 != 0 {
			suf = pick(r, stringSuffixes)
			sr.SetSuffix(suf)
		}
		if which&4 != 0 {
			con = pick(r, stringContains)
			sr.SetContains(con)
		}
		for _, w := range distinctFrom(r, plainWords, k) {
			mid := w
			if con != "" {
				mid = w + con + pick(r, plainWords)
			}
			ws = append(ws, pre+mid+suf)
		}
		p.g.feature("rule string affix")
		if r.percent(35) {
			p.lengths(sr, ws)
		}
	case 3:
		f := pick(r, stringFormats)
		for len(f.matches) < k {
			f = pick(r, stringFormats)
		}
		ws = distinctFrom(r, f.matches, k)
		srm := sr.ProtoReflect()
		if n, ok := strings.CutPrefix(f.name, "well_known_regex:"); ok {
			sr.SetWellKnownRegex(validate.KnownRegex(n[0] - '0'))
			if r.percent(25) {
				sr.SetStrict(false)
			}
		} else {
			srm.Set(srm.Descriptor().Fields().ByName(protoreflect.Name(f.name)), protoreflect.ValueOfBool(true))
		}
		p.g.feature("rule string format")
		p.g.feature("rule string " + f.name)
		if r.percent(30) {
			p.lengths(sr, ws)
		}
		if r.percent(15) {
			if pre := commonPrefix(ws); pre != "" {
				sr.SetPrefix(cutRunes(pre, r.between(1, utf8.RuneCountInString(pre))))
			}
		} else if r.percent(15) {
			if suf := commonSuffix(ws); suf != "" {
				n := utf8.RuneCountInString(suf)
				sr.SetSuffix(string([]rune(suf)[n-r.between(1, n):]))
			}
		}
	case 4:
		ws = distinctFrom(r, wordPool, k)
		in := slices.Clone(ws)
		for n := r.between(1, 3); n > 0; n-- {
			if w := pick(r, wordPool); !slices.Contains(in, w) {
				in = append(in, w)
			}
		}
		r.r.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
		sr.In = in
		p.g.feature("rule string in")
	case 5:
		w := pick(r, wordPool)
		for range k {
			ws = append(ws, w)
		}
		sr.SetConst(w)
		p.g.feature("rule string const")
	case 6:
		ws = distinctFrom(r, wordPool, k)
		var ok []string
		for _, nc := range stringNotContains {
			if !slices.ContainsFunc(ws, func(w string) bool { return strings.Contains(w, nc) }) {
				ok = append(ok, nc)
			}
		}
		if len(ok) > 0 {
			sr.SetNotContains(pick(r, ok))
			p.g.feature("rule string not_contains")
		}
		if r.percent(40) {
			p.lengths(sr, ws)
		}
	case 7:
		ws = distinctFrom(r, wordPool, k)
		for n := r.between(1, 3); n > 0; n-- {
			if w := pick(r, wordPool); !slices.Contains(ws, w) && !slices.Contains(sr.NotIn, w) {
				sr.NotIn = append(sr.NotIn, w)
			}
		}
		p.g.feature("rule string not_in")
		if r.percent(40) {
			p.lengths(sr, ws)
		}
	}
	if r.percent(8) {
		sr.Example = dedupe(ws)
		p.g.feature("rule example")
	}
	return sr, ws
}

// lengths draws length rules (in characters or bytes) that ws meet.
func (p *rulePlanner) lengths(sr *validate.StringRules, ws []string) {
	r := p.r
	minR, maxR, minB, maxB := math.MaxInt, 0, math.MaxInt, 0
	for _, w := range ws {
		n, b := utf8.RuneCountInString(w), len(w)
		minR, maxR, minB, maxB = min(minR, n), max(maxR, n), min(minB, b), max(maxB, b)
	}
	slack := func() int { return pick(r, []int{0, 1, 5, 20, 100}) }
	atLeast := func(n int) uint64 { return uint64(r.between(min(1, n), n)) }
	switch r.weighted(25, 20, 25, 8, 12, 5, 5) {
	case 0:
		sr.SetMinLen(atLeast(minR))
	case 1:
		sr.SetMaxLen(uint64(maxR + slack()))
	case 2:
		sr.SetMinLen(atLeast(minR))
		sr.SetMaxLen(uint64(maxR + slack()))
	case 3:
		if minR == maxR {
			sr.SetLen(uint64(minR))
		} else {
			sr.SetMaxLen(uint64(maxR + slack()))
		}
	case 4:
		sr.SetMinBytes(atLeast(minB))
		sr.SetMaxBytes(uint64(maxB + slack()))
	case 5:
		if minB == maxB {
			sr.SetLenBytes(uint64(minB))
		} else {
			sr.SetMaxBytes(uint64(maxB + slack()))
		}
	case 6:
		sr.SetMinLen(atLeast(minR))
		sr.SetMaxBytes(uint64(maxB + slack()))
	}
	p.g.feature("rule string length")
}

func commonPrefix(ws []string) string {
	pre := ws[0]
	for _, w := range ws[1:] {
		for !strings.HasPrefix(w, pre) {
			_, size := utf8.DecodeLastRuneInString(pre)
			pre = pre[:len(pre)-size]
		}
	}
	return pre
}

func commonSuffix(ws []string) string {
	suf := ws[0]
	for _, w := range ws[1:] {
		for !strings.HasSuffix(w, suf) {
			_, size := utf8.DecodeRuneInString(suf)
			suf = suf[size:]
		}
	}
	return suf
}

func cutRunes(s string, n int) string { return string([]rune(s)[:n]) }

// Bytes.

var (
	bytesPrefixes = []string{"\x89PNG\r\n\x1a\n", "GIF89a", "PK\x03\x04", "%PDF-", "\x00\x01"}
	bytesSuffixes = []string{"\xff\xd9", "\x00", "EOF", "\n"}
	bytesContains = []string{"\r\n", "\x00\x00", "==", "IEND"}
)

func (p *rulePlanner) randomBytes(lo, hi int) []byte {
	b := make([]byte, p.r.between(lo, hi))
	for i := range b {
		b[i] = byte(p.r.intn(256))
	}
	return b
}

// distinctBytes draws k distinct values with next.
func distinctBytes(k int, next func() []byte) [][]byte {
	var ws [][]byte
	for len(ws) < k {
		b := next()
		if !slices.ContainsFunc(ws, func(w []byte) bool { return string(w) == string(b) }) {
			ws = append(ws, b)
		}
	}
	return ws
}

func (p *rulePlanner) bytesRules(k int, distinct bool) (*validate.BytesRules, [][]byte) {
	r := p.r
	br := &validate.BytesRules{}
	var ws [][]byte
	family := r.weighted(30, 25, 25, 10, 10)
	if family == 3 && distinct && k > 1 {
		family = 4
	}
	switch family {
	case 0:
		ws = distinctBytes(k, func() []byte { return p.randomBytes(1, 16) })
		p.bytesLengths(br, ws)
	case 1:
		which := r.between(1, 7)
		pre, suf, con := "", "", ""
		if which&1 != 0 {
			pre = pick(r, bytesPrefixes)
			br.Prefix = []byte(pre)
		}
		if which&2 != 0 {
			suf = pick(r, bytesSuffixes)
			br.Suffix = []byte(suf)
		}
		if which&4 != 0 {
			con = pick(r, bytesContains)
			br.Contains = []byte(con)
		}
		ws = distinctBytes(k, func() []byte {
			b := append([]byte(pre), p.randomBytes(1, 6)...)
			if con != "" {
				b = append(append(b, con...), p.randomBytes(0, 4)...)
			}
			return append(b, suf...)
		})
		p.g.feature("rule bytes affix")
		if r.percent(35) {
			p.bytesLengths(br, ws)
		}
	case 2:
		switch r.intn(4) {
		case 0:
			br.SetIp(true)
			ws = distinctBytes(k, func() []byte { return p.randomBytes(4, 4) })
			if r.percent(50) {
				ws = distinctBytes(k, func() []byte { return p.randomBytes(16, 16) })
			}
		case 1:
			br.SetIpv4(true)
			ws = distinctBytes(k, func() []byte { return p.randomBytes(4, 4) })
		case 2:
			br.SetIpv6(true)
			ws = distinctBytes(k, func() []byte { return p.randomBytes(16, 16) })
		default:
			br.SetUuid(true)
			ws = distinctBytes(k, func() []byte { return p.randomBytes(16, 16) })
		}
		p.g.feature("rule bytes format")
	case 3:
		w := p.randomBytes(1, 8)
		for range k {
			ws = append(ws, w)
		}
		br.Const = w
		p.g.feature("rule bytes const")
	case 4:
		ws = distinctBytes(k, func() []byte { return p.randomBytes(1, 8) })
		in := slices.Clone(ws)
		for n := r.between(1, 2); n > 0; n-- {
			in = append(in, p.randomBytes(1, 8))
		}
		br.In = dedupeBytes(in)
		p.g.feature("rule bytes in")
	}
	p.g.feature("rule bytes")
	return br, ws
}

func dedupeBytes(xs [][]byte) [][]byte {
	var out [][]byte
	for _, x := range xs {
		if !slices.ContainsFunc(out, func(o []byte) bool { return string(o) == string(x) }) {
			out = append(out, x)
		}
	}
	return out
}

func (p *rulePlanner) bytesLengths(br *validate.BytesRules, ws [][]byte) {
	r := p.r
	lo, hi := math.MaxInt, 0
	for _, w := range ws {
		lo, hi = min(lo, len(w)), max(hi, len(w))
	}
	switch r.weighted(35, 30, 20, 15) {
	case 0:
		br.SetMinLen(uint64(r.between(min(1, lo), lo)))
	case 1:
		br.SetMaxLen(uint64(hi + pick(r, []int{0, 1, 16, 1024})))
	case 2:
		br.SetMinLen(uint64(r.between(min(1, lo), lo)))
		br.SetMaxLen(uint64(hi + pick(r, []int{0, 1, 16, 1024})))
	case 3:
		if lo == hi {
			br.SetLen(uint64(lo))
		} else {
			br.SetMaxLen(uint64(hi))
		}
	}
	p.g.feature("rule bytes length")
}
