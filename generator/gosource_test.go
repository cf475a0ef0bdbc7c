package generator

import (
	"go/format"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestCompositeIsGofmtClean writes random composite literals with
// composite, keys of every length (the alignment rule changes past 40
// bytes) and values on one line or several, and checks that gofmt leaves
// each exactly as written.
func TestCompositeIsGofmtClean(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	key := func() string {
		n := 1 + r.IntN(12)
		if r.IntN(3) == 0 {
			n = 1 + r.IntN(90)
		}
		return "K" + strings.Repeat("x", n-1)
	}
	for i := range 3000 {
		var elems []pair
		for range 1 + r.IntN(8) {
			value := "1"
			if r.IntN(4) == 0 {
				value = composite("&T{", []pair{{key: key(), value: "2"}, {key: key(), value: "3"}}, "}", 1, false)
			}
			elems = append(elems, pair{key: key(), value: value})
		}
		src := "package p\n\nvar _ = " + composite("T{", elems, "}", 0, i%2 == 0) + "\n"
		formatted, err := format.Source([]byte(src))
		if err != nil {
			t.Fatalf("case %d does not parse: %v\n%s", i, err, src)
		}
		if string(formatted) != src {
			t.Fatalf("case %d is not gofmt-clean:\n%s\ngofmt:\n%s", i, src, formatted)
		}
	}
}

// TestAlignPairs checks the columns of a few literals by hand: values
// align one space past the longest key of a run of one-line elements; a
// multi-line element stands alone; a long key far from the others starts a
// column of its own.
func TestAlignPairs(t *testing.T) {
	long := strings.Repeat("L", 50)
	for _, c := range []struct {
		elems []pair
		want  []int
	}{
		{[]pair{{"A", "1"}, {"Bcd", "2"}}, []int{3, 1}},
		{[]pair{{"A", "1"}, {"Bcd", "{\n}"}, {"Ef", "3"}}, []int{1, 1, 1}},
		{[]pair{{"A", "1"}, {"B", "2"}, {long, "3"}, {"C", "4"}}, []int{1, 1, 1, 1}},
		{[]pair{{long, "1"}, {long + "M", "2"}}, []int{2, 1}},
	} {
		got := alignPairs(c.elems)
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("alignPairs(%v) = %v, want %v", c.elems, got, c.want)
				break
			}
		}
	}
}

// TestMatchesPattern checks the matching of values against the patterns
// of google.api.http path variables.
func TestMatchesPattern(t *testing.T) {
	for _, c := range []struct {
		pattern, value string
		want           bool
	}{
		{"things/*", "things/my-thing", true},
		{"things/*", "things/", false},
		{"things/*", "things/a/b", false},
		{"things/*", "other/a", false},
		{"projects/*/topics/*", "projects/p/topics/t", true},
		{"projects/*/topics/*", "projects/p/topics", false},
		{"files/**", "files/a/b/c", true},
		{"files/**", "files", false},
	} {
		if got := matchesPattern(c.pattern, c.value); got != c.want {
			t.Errorf("matchesPattern(%q, %q) = %v, want %v", c.pattern, c.value, got, c.want)
		}
	}
}
