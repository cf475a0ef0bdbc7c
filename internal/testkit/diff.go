package testkit

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Diff limits: the lines of hunks shown, the context around a change, and
// the size of the table that pairs the changed lines (past it, all of a's
// changed lines are shown removed, then all of b's added).
const (
	diffMaxLines = 120
	diffContext  = 3
	diffMaxTable = 4_000_000
)

// Diff shows how b differs from a, line by line, in the manner of diff -u:
// a "--- aName" and a "+++ bName" line, then hunks of the lines removed from
// a ("-") and added in b ("+"), with three lines of context (" "). A hunk's
// header names its first changed line in a and in b, "@@ -5 +7 @@" (for a
// hunk that only adds, the line of a before which the lines go). A changed
// line whose difference would not show is quoted as Go would write it: one
// with a character that does not print (a tab aside) or with trailing white
// space, or one that a changed line of the other side of the hunk equals
// but for white space. Past 120 lines the diff is cut, saying how many
// changed lines are not shown; a difference in the final newline alone is
// said in words. Diff returns "" when a and b are equal.
func Diff[T string | []byte](aName string, a T, bName string, b T) string {
	as, bs := string(a), string(b)
	if as == bs {
		return ""
	}
	ops := diffOps(splitLines(as), splitLines(bs))
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", aName, bName)
	changed := 0
	for _, o := range ops {
		if o.kind != ' ' {
			changed++
		}
	}
	lines, shown := 0, 0
	for k := 0; k < len(ops); {
		if ops[k].kind == ' ' {
			k++
			continue
		}
		// A hunk runs from the context before this change to the context
		// after the last change that is within 2*context of the next.
		start, end := max(0, k-diffContext), k
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*diffContext {
				end = min(end+diffContext, len(ops))
				break
			}
			end = run
		}
		fmt.Fprintf(&out, "@@ -%d +%d @@\n", ops[k].a+1, ops[k].b+1)
		hidden := whitespaceOnly(ops[start:end])
		for _, o := range ops[start:end] {
			if lines == diffMaxLines {
				if changed > shown {
					fmt.Fprintf(&out, "... (cut: %d more changed lines)\n", changed-shown)
				}
				return out.String()
			}
			lines++
			line := o.line
			if o.kind != ' ' {
				shown++
				if hidden[squeeze(line)] || !visible(line) {
					line = strconv.Quote(line)
				}
			}
			fmt.Fprintf(&out, "%c%s\n", o.kind, line)
		}
		k = end
	}
	if changed == 0 {
		end := bName
		if strings.HasSuffix(as, "\n") {
			end = aName
		}
		fmt.Fprintf(&out, "(only the final newline differs: %s ends with one)\n", end)
	}
	return out.String()
}

// diffOp is a line of a diff: kept (' '), removed from a ('-') or added in
// b ('+'). a and b count the lines of a and of b before it.
type diffOp struct {
	kind byte
	line string
	a, b int
}

// diffOps pairs the lines of x and y along a longest common subsequence.
func diffOps(x, y []string) []diffOp {
	// The common prefix and suffix are trimmed first, so that the table
	// only holds the lines in between.
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	var ops []diffOp
	for i := range pre {
		ops = append(ops, diffOp{' ', x[i], i, i})
	}
	mx, my := x[pre:len(x)-suf], y[pre:len(y)-suf]
	i, j := 0, 0
	if len(mx)*len(my) > diffMaxTable {
		for ; i < len(mx); i++ {
			ops = append(ops, diffOp{'-', mx[i], pre + i, pre})
		}
		for ; j < len(my); j++ {
			ops = append(ops, diffOp{'+', my[j], pre + i, pre + j})
		}
	} else {
		lcs := make([][]int32, len(mx)+1)
		for i := range lcs {
			lcs[i] = make([]int32, len(my)+1)
		}
		for i := len(mx) - 1; i >= 0; i-- {
			for j := len(my) - 1; j >= 0; j-- {
				if mx[i] == my[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		for i < len(mx) || j < len(my) {
			switch {
			case i < len(mx) && j < len(my) && mx[i] == my[j]:
				ops = append(ops, diffOp{' ', mx[i], pre + i, pre + j})
				i++
				j++
			case i < len(mx) && (j == len(my) || lcs[i+1][j] >= lcs[i][j+1]):
				ops = append(ops, diffOp{'-', mx[i], pre + i, pre + j})
				i++
			default:
				ops = append(ops, diffOp{'+', my[j], pre + i, pre + j})
				j++
			}
		}
	}
	for k := range suf {
		ops = append(ops, diffOp{' ', x[len(x)-suf+k], len(x) - suf + k, len(y) - suf + k})
	}
	return ops
}

// whitespaceOnly returns the changed lines of a hunk, white space
// squeezed, that stand on both sides: the lines that differ only in white
// space.
func whitespaceOnly(hunk []diffOp) map[string]bool {
	sides := map[string]byte{}
	both := map[string]bool{}
	for _, o := range hunk {
		if o.kind == ' ' {
			continue
		}
		s := squeeze(o.line)
		if kind, ok := sides[s]; ok && kind != o.kind {
			both[s] = true
		}
		sides[s] = o.kind
	}
	return both
}

// squeeze returns s with its runs of white space made one space, and none
// at its ends.
func squeeze(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// visible reports whether every character of line prints (tabs do) and it
// does not end in white space.
func visible(line string) bool {
	if strings.TrimRightFunc(line, unicode.IsSpace) != line {
		return false
	}
	for _, r := range line {
		if r != '\t' && !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// splitLines splits s into lines, a final newline ending the last one.
func splitLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
