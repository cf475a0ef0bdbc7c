package stubs

import (
	"encoding/json"
	"fmt"
	"testing"

	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"
)

// testCatalog serves grpc's interop TestService, whose Go package
// registers its descriptor.
var testCatalog = &catalog{names: []string{"grpc.testing.TestService"}}

// compileAll compiles UnaryCall stubs, in the order given, into one
// method's stubs as publish orders and indexes them.
func compileAll(t testing.TB, inputs []Input, priorities []int) *methodStubs {
	t.Helper()
	var stubs []*stub
	for i, in := range inputs {
		st, err := compile(testCatalog, Stub{Service: "grpc.testing.TestService", Method: "UnaryCall", Input: in, Priority: priorities[i%len(priorities)]}, fmt.Sprintf("[%d]", i))
		if err != nil {
			t.Fatal(err)
		}
		st.ID = fmt.Sprint(i)
		stubs = append(stubs, st)
	}
	s := Open("", "", nil)
	s.files = stubs
	s.publish()
	return s.current.Load().byMethod["/grpc.testing.TestService/UnaryCall"]
}

// scan is what find returned before the index: the first stub of all
// that matches.
func scan(ms *methodStubs, req proto.Message, md metadata.MD) *stub {
	t := tree(req)
	for _, st := range ms.all {
		if !st.exhausted() && st.matchAt(0, t, md) {
			return st
		}
	}
	return nil
}

func n(v int) json.Number { return json.Number(fmt.Sprint(v)) }

// TestIndex checks that find, through the index, answers every request
// with the stub that trying every stub in order finds, for stubs of every
// kind of input and several priorities, and that it tries fewer than half
// of them.
func TestIndex(t *testing.T) {
	var inputs []Input
	for i := range 60 {
		inputs = append(inputs, Input{Equals: map[string]any{"responseSize": n(i % 7), "fillUsername": i%2 == 0}})
	}
	inputs = append(inputs,
		Input{Contains: map[string]any{"responseSize": n(3)}},
		Input{Matches: map[string]any{"payload": map[string]any{"body": "^Qm"}}},
		Input{Equals: map[string]any{"responseSize": n(5)}, Headers: &Headers{Equals: map[string]string{"x-tenant": "a"}}},
		Input{Equals: map[string]any{"payload": map[string]any{"body": "Qm9i"}}},
		Input{AnyOf: []Input{{Equals: map[string]any{"responseSize": n(8)}}, {Contains: map[string]any{"fillOauthScope": true}}}},
		Input{Equals: map[string]any{"responseSize": n(6), "fillUsername": true}, IgnoreArrayOrder: true},
		Input{}, // matches every request
	)
	ms := compileAll(t, inputs, []int{0, 0, 1, 0, 2})
	if ms.field != "responseSize" {
		t.Errorf("the index is by %q; want responseSize, whose values are the most varied", ms.field)
	}
	if len(ms.rest) != 4 {
		t.Errorf("%d stubs are not indexed; want 4: contains, matches, anyOf and the empty input", len(ms.rest))
	}

	tried, calls := 0, 0
	for size := range 10 {
		for _, fill := range []bool{false, true} {
			for _, body := range []string{"", "Bob", "Ann"} {
				for _, md := range []metadata.MD{nil, metadata.Pairs("x-tenant", "a")} {
					req := &testpb.SimpleRequest{ResponseSize: int32(size), FillUsername: fill, Payload: &testpb.Payload{Body: []byte(body)}}
					if body == "" {
						req.Payload = nil
					}
					got, want := (&Stubs{}).find(ms, 0, req, md, false), scan(ms, req, md)
					if got != want {
						t.Errorf("%v %v: the index finds stub %v; want %v", req, md, id(got), id(want))
					}
					for range ms.candidates(tree(req)) {
						tried++
					}
					calls++
				}
			}
		}
	}
	if tried*2 >= calls*len(ms.all) {
		t.Errorf("a call tried %d of %d stubs on average; want fewer than half", tried/calls, len(ms.all))
	}
}

// TestIndexPriority checks that the index keeps the order of priority
// between a stub that it places and one that it does not.
func TestIndexPriority(t *testing.T) {
	inputs := []Input{
		{Equals: map[string]any{"responseSize": n(1)}},
		{Equals: map[string]any{"responseSize": n(2)}},
		{Contains: map[string]any{"responseSize": n(1)}},
	}
	req := &testpb.SimpleRequest{ResponseSize: 1}
	for _, c := range []struct {
		priorities []int
		want       string
	}{
		{[]int{0, 0, 0}, "0"}, // equals first, as loaded
		{[]int{0, 0, 1}, "2"}, // contains first, by its priority
	} {
		ms := compileAll(t, inputs, c.priorities)
		if got := (&Stubs{}).find(ms, 0, req, nil, false); id(got) != c.want {
			t.Errorf("priorities %v: stub %s answers; want %s", c.priorities, id(got), c.want)
		}
	}
}

func id(st *stub) string {
	if st == nil {
		return "none"
	}
	return st.ID
}

// BenchmarkFind500 finds the last of 500 stubs that each answer one
// name, through the index and by trying each in turn.
func BenchmarkFind500(b *testing.B) {
	var inputs []Input
	for i := range 499 {
		inputs = append(inputs, Input{Equals: map[string]any{"payload": map[string]any{"body": fmt.Sprintf("%04d", i)}, "responseSize": n(i)}})
	}
	inputs = append(inputs, Input{Equals: map[string]any{"responseSize": n(1000)}})
	ms := compileAll(b, inputs, []int{0})
	req := &testpb.SimpleRequest{ResponseSize: 1000}
	b.Run("index", func(b *testing.B) {
		for b.Loop() {
			if (&Stubs{}).find(ms, 0, req, nil, false) == nil {
				b.Fatal("no stub")
			}
		}
	})
	b.Run("scan", func(b *testing.B) {
		for b.Loop() {
			if scan(ms, req, nil) == nil {
				b.Fatal("no stub")
			}
		}
	})
}
