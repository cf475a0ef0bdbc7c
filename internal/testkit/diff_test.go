package testkit_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gotutor/gotutor/internal/testkit"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want string
	}{
		{"equal", "x\ny\n", "x\ny\n", ""},
		{
			name: "two hunks",
			a:    "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
			b:    "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n11\n12\nthirteen\n",
			want: "--- a\n+++ b\n" +
				"@@ -5 +5 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n" +
				"@@ -13 +13 @@\n 10\n 11\n 12\n+thirteen\n",
		},
		{
			// The headers name the first changed line on each side, which
			// differ once lines were removed before; changes within six
			// lines of each other share a hunk.
			name: "shifted lines",
			a:    "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n",
			b:    "1\n4\n5\n6\n7\n8\n9\n10\nnew\n11\n12\n13\n14\n15\n16\n",
			want: "--- a\n+++ b\n" +
				"@@ -2 +2 @@\n 1\n-2\n-3\n 4\n 5\n 6\n" +
				"@@ -11 +9 @@\n 8\n 9\n 10\n+new\n 11\n 12\n 13\n",
		},
		{
			name: "near changes share a hunk",
			a:    "1\n2\n3\n4\n5\n6\n7\n8\n",
			b:    "1\nB\n3\n4\n5\n6\n7\nH\n",
			want: "--- a\n+++ b\n" +
				"@@ -2 +2 @@\n 1\n-2\n+B\n 3\n 4\n 5\n 6\n 7\n-8\n+H\n",
		},
		{
			// Lines that differ in white space only, or end in it, or hold
			// a character that does not print, are quoted; the others not.
			name: "invisible differences",
			a:    "func f() {\n\tx := 1\n\ty = 2\n\tz\n}\n",
			b:    "func f() {\n\tx  := 1\n\ty = 3\n\tz \r\n}\n",
			want: "--- a\n+++ b\n" +
				"@@ -2 +2 @@\n func f() {\n" +
				"-\"\\tx := 1\"\n-\ty = 2\n-\"\\tz\"\n" +
				"+\"\\tx  := 1\"\n+\ty = 3\n+\"\\tz \\r\"\n }\n",
		},
		{"final newline added", "x", "x\n", "--- a\n+++ b\n(only the final newline differs: b ends with one)\n"},
		{"final newline removed", "x\n", "x", "--- a\n+++ b\n(only the final newline differs: a ends with one)\n"},
		{"from empty", "", "x\n", "--- a\n+++ b\n@@ -1 +1 @@\n+x\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := testkit.Diff("a", tt.a, "b", tt.b); got != tt.want {
				t.Errorf("Diff(%q, %q):\n%s\nwant:\n%s", tt.a, tt.b, got, tt.want)
			}
			if got := testkit.Diff("a", []byte(tt.a), "b", []byte(tt.b)); got != tt.want {
				t.Errorf("Diff of []byte differs from Diff of string:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// TestDiffCut checks that a diff too long to read is cut after 120 lines,
// saying how many changed lines it leaves out, and that files too large to
// pair line by line are shown as all of a removed, then all of b added.
func TestDiffCut(t *testing.T) {
	var a, b, want strings.Builder
	want.WriteString("--- a\n+++ b\n@@ -1 +1 @@\n")
	const n = 2100 // n*n lines to pair: more than Diff pairs
	for i := range n {
		fmt.Fprintf(&a, "a%d\n", i)
		fmt.Fprintf(&b, "b%d\n", i)
		if i < 120 {
			fmt.Fprintf(&want, "-a%d\n", i)
		}
	}
	want.WriteString("... (cut: 4080 more changed lines)\n")
	if got := testkit.Diff("a", a.String(), "b", b.String()); got != want.String() {
		t.Errorf("Diff of %d changed lines:\n%s\nwant:\n%s", 2*n, got, want.String())
	}

	// A cut that leaves out only context says nothing more: one line in
	// four removed up to line 120 make one hunk of 123 lines, whose last
	// three are context.
	a.Reset()
	b.Reset()
	for i := range 200 {
		fmt.Fprintf(&a, "%d\n", i)
		if i%4 != 3 || i >= 120 {
			fmt.Fprintf(&b, "%d\n", i)
		}
	}
	got := testkit.Diff("a", a.String(), "b", b.String())
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) != 3+120 || lines[2] != "@@ -4 +4 @@" || lines[len(lines)-1] != "-119" {
		t.Errorf("Diff of one line in four removed up to line 120: %d lines, %q ... %q; want 3+120 lines, \"@@ -4 +4 @@\" ... \"-119\"\n%s", len(lines), lines[min(2, len(lines)-1)], lines[len(lines)-1], got)
	}
}
