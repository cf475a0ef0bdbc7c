package stubs

import (
	"encoding/json"
	"iter"
	"maps"
	"slices"
)

// methodStubs is the stubs in force of one method, highest priority first
// (all), indexed by the value that their input's equals gives one field of
// the request: a call tries the stubs whose equals has its value there,
// and those that the index cannot place (rest), not every stub: with 500
// stubs of one method that each answer one name, a call tries one instead
// of 500.
type methodStubs struct {
	all []*stub
	// field is the top-level field (its JSON name) that the index is by:
	// of those that the equals of the method's stubs give a value of one
	// piece (text, a number, true or false, null), the one with the most
	// values. "" without such stubs.
	field string
	// byValue holds, by the key of field's value, the indices in all of
	// the stubs whose equals gives it; rest those of the other stubs
	// (without equals, or matching a client's stream message by message
	// with inputs). Both are in the order of all.
	byValue map[string][]int
	rest    []int
}

// newMethodStubs indexes all, one method's stubs in the order that they
// are tried.
func newMethodStubs(all []*stub) *methodStubs {
	m := &methodStubs{all: all}
	values := map[string]map[string]bool{} // by field, the keys of its values
	for _, st := range all {
		for f, v := range indexable(st) {
			if k, ok := key(v); ok {
				if values[f] == nil {
					values[f] = map[string]bool{}
				}
				values[f][k] = true
			}
		}
	}
	for _, f := range slices.Sorted(maps.Keys(values)) {
		if m.field == "" || len(values[f]) > len(values[m.field]) {
			m.field = f
		}
	}
	if m.field == "" {
		return m
	}
	m.byValue = map[string][]int{}
	for i, st := range all {
		v, has := indexable(st)[m.field]
		if k, ok := key(v); has && ok {
			m.byValue[k] = append(m.byValue[k], i)
		} else {
			m.rest = append(m.rest, i)
		}
	}
	return m
}

// indexable is the request that st's input.equals gives (as tree writes
// it: every field), which every message it matches must equal; nil when
// it has none, or matches message by message (inputs).
func indexable(st *stub) map[string]any {
	if len(st.inputs) > 0 || st.input == nil {
		return nil
	}
	eq, _ := st.input.equals.(map[string]any)
	return eq
}

// key is v, a value of tree of one piece, as a key of byValue: two values
// have the same key exactly when equal finds them equal. false for an
// object or a list.
func key(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return "s" + v, true
	case json.Number:
		return "n" + string(v), true
	case bool:
		if v {
			return "t", true
		}
		return "f", true
	case nil:
		return "z", true
	}
	return "", false
}

// candidates are the stubs that may match req (a request as tree writes
// it), in the order of all: those whose equals has req's value of field,
// and the rest.
func (m *methodStubs) candidates(req any) iter.Seq[*stub] {
	return func(yield func(*stub) bool) {
		obj, isObj := req.(map[string]any)
		if m.field == "" || !isObj {
			for _, st := range m.all {
				if !yield(st) {
					return
				}
			}
			return
		}
		var hits []int
		if k, ok := key(obj[m.field]); ok {
			hits = m.byValue[k]
		}
		i, j := 0, 0
		for i < len(hits) || j < len(m.rest) {
			var next int
			if j == len(m.rest) || (i < len(hits) && hits[i] < m.rest[j]) {
				next, i = hits[i], i+1
			} else {
				next, j = m.rest[j], j+1
			}
			if !yield(m.all[next]) {
				return
			}
		}
	}
}
