package generator

import (
	"go/doc/comment"
	"strings"

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
	var p comment.Parser
	var pr comment.Printer
	formatted := string(pr.Comment(p.Parse(text)))
	var b strings.Builder
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
