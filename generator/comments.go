package generator

import (
	"go/doc/comment"
	"strings"
	"unicode"
	"unicode/utf8"

	"google.golang.org/protobuf/compiler/protogen"
)

// docComment turns a proto comment into a Go doc comment, "// " lines ending
// in a newline, laid out exactly as gofmt lays out doc comments, so generated
// files need no formatting pass. A deprecated element gets the conventional
// "Deprecated:" paragraph.
func docComment(deprecated bool, paragraphs ...string) string {
	var parts []string
	for _, p := range paragraphs {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	text := ""
	if len(parts) > 0 {
		text = strings.Join(parts, "\n\n") + "\n"
	}
	if deprecated {
		if text != "" {
			text += "\n"
		}
		text += "Deprecated: Do not use.\n"
	}
	if text == "" {
		return ""
	}
	if isPlainDoc(text) {
		return commentLines(text)
	}
	return commentLines(formatDoc(text))
}

// formatDoc lays text out as gofmt lays out a doc comment.
func formatDoc(text string) string {
	var p comment.Parser
	var pr comment.Printer
	return string(pr.Comment(p.Parse(text)))
}

// commentLines turns formatted doc text into "//" comment lines.
func commentLines(formatted string) string {
	var b strings.Builder
	b.Grow(len(formatted) + 3*strings.Count(formatted, "\n") + 3)
	for _, line := range strings.Split(strings.TrimSuffix(formatted, "\n"), "\n") {
		switch {
		case line == "":
			b.WriteString("//\n")
		case strings.HasPrefix(line, "\t"):
			b.WriteString("//" + line + "\n")
		default:
			b.WriteString("// " + line + "\n")
		}
	}
	return b.String()
}

// isPlainDoc reports whether gofmt would leave text, paragraphs of
// unindented lines ending in a newline, exactly as it is: no heading, code
// block, list, link or quote conversion can apply. Most comments are like
// that, and skipping go/doc/comment for them saves a fifth of the time spent
// building the view-model. It errs on the side of false; TestIsPlainDoc
// checks it against go/doc/comment.
func isPlainDoc(text string) bool {
	if text == "" || text[0] == '\n' || strings.ContainsAny(text, "\t\r[]`#\\<>{}|*_") ||
		strings.Contains(text, "''") || strings.Contains(text, "\n\n\n") || !strings.HasSuffix(text, "\n") ||
		strings.HasSuffix(text, "\n\n") {
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

// wrap breaks the plain text p into lines of at most width bytes where it
// can, between words, for the doc comments that gotutor writes itself.
func wrap(p string, width int) string {
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(p) {
		switch {
		case i == 0:
		case n+1+len(word) > width:
			b.WriteByte('\n')
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}
