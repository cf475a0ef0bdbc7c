package generator

import (
	"go/doc/comment"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"google.golang.org/protobuf/compiler/protogen"
)

// commentWidth is the most runes that the text of a generated comment line
// takes after its "// ", at the left margin; each tab of indentation takes
// four from it.
const commentWidth = 76

// goComment is the template function {{comment INDENT TEXT}}, the one way
// generated Go comments are written: TEXT, paragraphs of doc comment text
// (a proto comment, prose of a template), as "//" lines laid out exactly as
// gofmt lays out doc comments, so generated files need no formatting pass.
// A paragraph or list item with a line longer than the width is wrapped
// between words; one whose lines all fit keeps its line breaks (those of
// the proto's author, of the template). INDENT is the indentation, in
// tabs, of the line the comment starts on, which the template writes:
// lines after the first get it here. No newline ends the last line; empty
// TEXT gives "".
func goComment(indent int, text string) string {
	for {
		first, rest, ok := strings.Cut(text, "\n")
		if !ok || strings.TrimSpace(first) != "" {
			break
		}
		text = rest // a blank line before the text
	}
	text = strings.TrimRight(text, " \t\r\n")
	if text == "" {
		return ""
	}
	width := max(commentWidth-4*indent, 40)
	if isPlainDoc(text) {
		// Most texts: gofmt leaves them as they are, and wrapped too (no
		// line of a paragraph that is wrapped can become a heading).
		return layout(text, width, indent, true)
	}
	text += "\n" // as gofmt prints it
	formatted := formatOnce(text)
	switch {
	case formatted == text:
		// Wrapping keeps the blocks that gofmt sees in text, which gofmt
		// leaves as it is.
		return layout(text, width, indent, true)
	case fits(formatted, width):
		return layout(formatDoc(formatted), width, indent, true)
	}
	// Rarely, what gofmt makes of text on a first pass is not what it
	// leaves as it is: formatting the wrapped text again makes sure of it.
	// If it does not, the text gets a second pass, and in a case that
	// wrapping does not foresee, its lines stay as they are.
	for range 2 {
		if wrapped := layout(formatted, width, 0, false); formatOnce(wrapped) == wrapped {
			return layout(wrapped, width, indent, true)
		}
		formatted = formatDoc(formatted)
	}
	return commentLines(formatted, indent)
}

// formatOnce lays text out as gofmt lays out a doc comment.
func formatOnce(text string) string {
	var p comment.Parser
	var pr comment.Printer
	return string(pr.Comment(p.Parse(text)))
}

// formatDoc lays text out as gofmt lays out a doc comment, as many times
// as it takes to stay so: rarely, what gofmt makes a paragraph on a first
// pass it takes for a heading on the second.
func formatDoc(text string) string {
	for range 3 {
		formatted := formatOnce(text)
		if formatted == text {
			break
		}
		text = formatted
	}
	return text
}

// commentLines turns formatted doc text into "//" comment lines, those
// after the first indented by indent tabs.
func commentLines(formatted string, indent int) string {
	return layout(formatted, math.MaxInt, indent, true)
}

// docWriter writes the lines of doc text: lines that end in a newline, or,
// for a comment, "//" lines apart by a newline and indent tabs.
type docWriter struct {
	b       strings.Builder
	comment bool
	indent  int
	lines   int
}

// open starts a line whose text starts as text does.
func (w *docWriter) open(text string) {
	if !w.comment {
		return
	}
	if w.lines > 0 {
		w.b.WriteByte('\n')
		for range w.indent {
			w.b.WriteByte('\t')
		}
	}
	w.lines++
	if text == "" || text[0] == '\t' {
		w.b.WriteString("//")
	} else {
		w.b.WriteString("// ")
	}
}

// end ends a line.
func (w *docWriter) end() {
	if !w.comment {
		w.b.WriteByte('\n')
	}
}

// line writes a whole line.
func (w *docWriter) line(text string) {
	w.open(text)
	w.b.WriteString(text)
	w.end()
}

// layout writes formatted, doc text as gofmt prints it, as a comment
// (indented by indent tabs after its first line) or as doc text, wrapping
// the paragraphs and list items that have a line longer than width runes.
// Code blocks, headings and link definitions stay as they are.
func layout(formatted string, width, indent int, comment bool) string {
	w := docWriter{comment: comment, indent: indent}
	w.b.Grow(len(formatted) + (3+indent)*strings.Count(formatted, "\n") + 32)
	var linesBuf [64]string
	lines := linesBuf[:0]
	for rest := strings.TrimSuffix(formatted, "\n"); ; {
		line, more, ok := strings.Cut(rest, "\n")
		lines = append(lines, line)
		if !ok {
			break
		}
		rest = more
	}
	var wordsBuf [128]string
	words := wordsBuf[:0]
	for i := 0; i < len(lines); {
		line := lines[i]
		if line == "" || line[0] == '\t' { // a blank line, a line of code
			w.line(line)
			i++
			continue
		}
		// A paragraph: unindented lines. A list item: its marker line
		// ("  - ", " 1. "), then lines indented by four spaces, which are
		// also how its paragraphs after the first start.
		first, rest := "", ""
		j := i + 1
		if line[0] == ' ' {
			first, rest = listMarker(line), "    "
		}
		for j < len(lines) && lines[j] != "" && strings.HasPrefix(lines[j], rest) && (rest != "" || lines[j][0] != ' ' && lines[j][0] != '\t') {
			j++
		}
		block := lines[i:j]
		i = j
		if !tooLong(block, width) || rest == "" && (isHeadingLine(block) || isLinkDefs(block)) {
			for _, l := range block {
				w.line(l)
			}
			continue
		}
		words = words[:0]
		for _, l := range block {
			words = appendWords(words, l)
		}
		if first != rest {
			words = words[1:] // the item's marker
		}
		if rest != "" {
			// A line of a list item that starts with a list marker would
			// start an item of its own.
			words = glueMarkers(words)
		}
		breaks := wrapWords(words, width-len(rest))
		if rest == "" && mayBeLinkDefs(words, breaks) {
			for _, l := range block {
				w.line(l)
			}
			continue
		}
		w.wrapped(words, breaks, first, rest)
	}
	return w.b.String()
}

// wrapped writes words in the lines that breaks gives, the first line
// starting with first and the others with rest.
func (w *docWriter) wrapped(words []string, breaks []int, first, rest string) {
	for k := 0; k+1 < len(breaks); k++ {
		w.open(words[breaks[k]]) // a word: neither blank nor code
		if k == 0 {
			w.b.WriteString(first)
		} else {
			w.b.WriteString(rest)
		}
		for n, word := range words[breaks[k]:breaks[k+1]] {
			if n > 0 {
				w.b.WriteByte(' ')
			}
			if strings.Contains(word, glue) {
				word = strings.ReplaceAll(word, glue, " ")
			}
			w.b.WriteString(word)
		}
		w.end()
	}
}

// asciiSpace holds the ASCII white space of unicode.IsSpace.
var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// appendWords appends the words of s, apart by white space, to words.
func appendWords(words []string, s string) []string {
	start := -1
	for i := 0; i < len(s); {
		space, size := asciiSpace[s[i]], 1
		if s[i] >= utf8.RuneSelf {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
		}
		switch {
		case !space:
			if start < 0 {
				start = i
			}
		case start >= 0:
			words = append(words, s[start:i])
			start = -1
		}
		i += size
	}
	if start >= 0 {
		words = append(words, s[start:])
	}
	return words
}

// listMarker returns the start of a list item's line as gofmt prints it,
// up to its text: "  - ", " 1. ", or four spaces for a line that continues
// an item.
func listMarker(line string) string {
	if strings.HasPrefix(line, "    ") {
		return "    "
	}
	text := strings.TrimLeft(line, " ")
	if marker, _, ok := strings.Cut(text, " "); ok {
		return line[:len(line)-len(text)] + marker + " "
	}
	return line
}

// glue joins two words that no line break may part.
const glue = "\ue000"

// glueMarkers glues each word that looks like a list marker ("-", "2.")
// to the word before it.
func glueMarkers(words []string) []string {
	out := words[:0:0]
	for i, w := range words {
		if i > 0 && isListMarker(w) {
			out[len(out)-1] += glue + w
			continue
		}
		out = append(out, w)
	}
	return out
}

// isListMarker reports whether go/doc/comment takes word, at the start of
// an indented line, for the marker of a list item.
func isListMarker(word string) bool {
	switch word {
	case "-", "*", "+", "•":
		return true
	}
	digits := strings.TrimRight(word, ".)")
	if len(digits) != len(word)-1 || digits == "" || len(digits) > 8 {
		return false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// mayBeLinkDefs reports whether each of the lines of words that breaks
// gives could be a link definition ("[text]: URL"), which would make the
// paragraph link definitions.
func mayBeLinkDefs(words []string, breaks []int) bool {
	for k := 0; k+1 < len(breaks); k++ {
		if !strings.HasPrefix(words[breaks[k]], "[") || !isLinkDef(strings.Join(words[breaks[k]:breaks[k+1]], " ")) {
			return false
		}
	}
	return true
}

// isLinkDef reports whether go/doc/comment may take line for a link
// definition: "[text]: scheme://...".
func isLinkDef(line string) bool {
	_, after, ok := strings.Cut(line, "]: ")
	scheme, _, found := strings.Cut(strings.TrimSpace(after), "://")
	return ok && found && strings.HasPrefix(line, "[") && scheme != "" && !strings.ContainsAny(scheme, " \t")
}

// tooLong reports whether a line of block is longer than width runes.
func tooLong(block []string, width int) bool {
	for _, l := range block {
		if utf8.RuneCountInString(l) > width {
			return true
		}
	}
	return false
}

// isHeadingLine reports whether block is a heading as gofmt prints it.
func isHeadingLine(block []string) bool {
	return len(block) == 1 && strings.HasPrefix(block[0], "# ")
}

// isLinkDefs reports whether block may be link definitions ("[text]: URL"
// lines), which must stay one to a line.
func isLinkDefs(block []string) bool {
	for _, l := range block {
		if !isLinkDef(l) {
			return false
		}
	}
	return true
}

// wrapWords lays words out in lines of at most width runes, weighing the
// places of line breaks as go doc does when it wraps the text of a doc
// comment (go/doc/comment's Printer.Text): it prefers lines of even length
// that end at punctuation to filling each line, and a last line as short
// as it comes. A word longer than width gets a line of its own. It returns
// the index of the first word of each line, then len(words).
func wrapWords(words []string, width int) []int {
	// best[j] is the least weight of breaking words[:j] into lines, over
	// all places of the last break; from[j] is that place.
	type score struct{ over, rest int64 }
	n := len(words)
	// Most paragraphs take arrays on the stack.
	var runesBuf, fromBuf [128]int
	var bestBuf [128]score
	runes, best, from := runesBuf[:0], bestBuf[:0], fromBuf[:0]
	for _, w := range words {
		runes = append(runes, utf8.RuneCountInString(w))
	}
	best = append(best, make([]score, n+1)...)
	from = append(from, make([]int, n+1)...)
	for j := 1; j <= n; j++ {
		penalty := int64(64)
		switch w := words[j-1]; w[len(w)-1] {
		case '.', ',', ':', ';':
			penalty = 0
		}
		length := -1
		for i := j - 1; i >= 0; i-- {
			length += runes[i] + 1
			if length > width && i < j-1 {
				break // breaking the line more can only do better
			}
			s := best[i]
			switch left := int64(width - length); {
			case j == n && left >= 0:
			case left < 0:
				s.over, s.rest = s.over+left*left, s.rest+penalty
			default:
				s.rest += left*left + penalty
			}
			if i == j-1 || s.over < best[j].over || s.over == best[j].over && s.rest < best[j].rest {
				best[j], from[j] = s, i
			}
		}
	}
	lines := 1
	for j := n; j > 0; j = from[j] {
		lines++
	}
	breaks := make([]int, lines)
	for j := n; j > 0; j = from[j] {
		lines--
		breaks[lines] = j
	}
	return breaks
}

// fits reports whether every line of text is at most width runes long.
func fits(text string, width int) bool {
	for len(text) > width {
		line, rest, _ := strings.Cut(text, "\n")
		if len(line) > width && utf8.RuneCountInString(line) > width {
			return false
		}
		text = rest
	}
	return true
}

// isPlainDoc reports whether gofmt would leave text, paragraphs of
// unindented lines (the last one ending in a newline or not), exactly as
// it is: no heading, code block, list, link or quote conversion can apply.
// Most comments are like that, and skipping go/doc/comment for them saves
// most of the time of writing comments. It errs on the side of false;
// TestIsPlainDoc checks it against go/doc/comment.
func isPlainDoc(text string) bool {
	text = strings.TrimSuffix(text, "\n")
	if text == "" || text[0] == '\n' || strings.ContainsAny(text, "\t\r[]`#\\") ||
		strings.Contains(text, "''") || strings.Contains(text, "\n\n\n") || strings.HasSuffix(text, "\n") {
		return false
	}
	// A paragraph of one line ending in a letter or a digit could be an
	// old-style heading; the judgment is left to go/doc/comment.
	mayBeHeading := func(lines int, last string) bool {
		r, _ := utf8.DecodeLastRuneInString(last)
		return lines == 1 && (unicode.IsLetter(r) || unicode.IsDigit(r))
	}
	lines, last := 0, ""
	for line := range strings.Lines(text) {
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			if mayBeHeading(lines, last) {
				return false
			}
			lines = 0
			continue
		}
		if line[0] == ' ' || line[len(line)-1] == ' ' {
			return false
		}
		lines, last = lines+1, line
	}
	return !mayBeHeading(lines, last)
}

// plainComment is the text of a proto comment with the one space that
// usually follows the comment marker removed from each line, as gofmt does.
func plainComment(c protogen.Comments) string {
	s := strings.TrimRight(string(c), " \t\n")
	if s == "" {
		return ""
	}
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimRight(strings.TrimPrefix(line, " "), " \t\r")
		b.WriteString(line + "\n")
	}
	return b.String()
}
