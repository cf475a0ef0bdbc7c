package testdata

import (
	"strings"
	"testing"
)

// TestDiff checks the helper that shows how output differs from golden.
func TestDiff(t *testing.T) {
	a := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n"
	b := "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n11\n12\nthirteen\n"
	want := `--- f
+++ f
@@ line 2 @@
 2
 3
 4
-5
+five
 6
 7
 8
@@ line 10 @@
 10
 11
 12
+thirteen
`
	if got := diff("f", []byte(a), []byte(b)); got != want {
		t.Errorf("diff:\n%s\nwant:\n%s", got, want)
	}
	if got := diff("f", []byte("x"), []byte("x\n")); !strings.Contains(got, "final newline") {
		t.Errorf("diff of files that differ in their final newline says nothing of it:\n%s", got)
	}
}
