package generator

import (
	"fmt"
	"go/doc/comment"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestIsPlainDoc checks the shortcut of goComment against go/doc/comment:
// whatever isPlainDoc accepts, gofmt must leave as it is.
func TestIsPlainDoc(t *testing.T) {
	texts := []string{
		"Says hello.\n",
		"Greeter sends greetings.\n\nIt is polite.\n",
		"Deprecated: Do not use.\n",
		"Line one\nline two.\n",
		"Intro.\n\nA Heading\n\nBody text.\n",
		"Intro.\n\n# Heading\n\nBody text.\n",
		"See http://example.com/x.\n",
		"Use ``quotes'' here.\n",
		"Code:\n\n  x := 1\n",
		"A list:\n - one\n - two\n",
		"Links to [Foo] and [bar].\n\n[bar]: http://example.com\n",
		"Trailing space. \n",
		"Café au lait, naïve.\n",
	}
	// Random texts built from tokens that go/doc/comment treats specially
	// and from plain words.
	tokens := []string{
		"word", "word", "word", "word", "word", "word", "more", "text", "it", "is", "Calls", ". ", ", ", "Word", "Heading", "the", "x", "42", ".", ",", ";", ":", "'s", "'", "''", "``", "(", ")",
		"-", "+", "*", "1.", "2)", "{x}", "|", "a_b", "*bold*", "<", ">", "_", "field_name.sub_field", "x*y", "#", "# ", "[", "]", "[Foo]", "http://example.com/a", "https://go.dev.",
		" ", " ", " ", "  ", "\t", "\n", "\n", "\n", "\n\n", "\n\n", "\n\n\n", "é", "Deprecated:", "\\", "_x_", "<b>",
	}
	// Half of the texts use only the tokens that pass isPlainDoc's filter
	// of characters, so that what it decides from the layout is tested.
	var layoutTokens []string
	for _, tok := range tokens {
		if !strings.ContainsAny(tok, "\t\r[]`#\\") && tok != "''" {
			layoutTokens = append(layoutTokens, tok)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		from := tokens
		if i%2 == 0 {
			from = layoutTokens
		}
		var b strings.Builder
		for range 1 + r.IntN(14) {
			b.WriteString(from[r.IntN(len(from))])
		}
		texts = append(texts, b.String()+"\n")
	}
	plain := 0
	for _, text := range texts {
		if !isPlainDoc(text) {
			continue
		}
		plain++
		if got, want := commentLines(text, 0), commentLines(formatDoc(text), 0); got != want {
			t.Errorf("isPlainDoc(%q) = true, but gofmt lays it out as\n%s\nnot\n%s", text, want, got)
		}
	}
	// The shortcut must apply often enough to be worth having, including
	// to the usual comments.
	if plain < len(texts)/10 {
		t.Errorf("isPlainDoc accepted %d of %d texts; want at least a tenth", plain, len(texts))
	}
	for _, text := range texts[:4] {
		if !isPlainDoc(text) {
			t.Errorf("isPlainDoc(%q) = false, want true", text)
		}
	}
}

// TestComment checks goComment, the template function comment: its lines
// are laid out as gofmt lays out a doc comment, keep the words of the text,
// fit the width (but for a word longer than it, code, headings and link
// definitions), and keep the line breaks of a paragraph whose lines all
// fit.
func TestComment(t *testing.T) {
	tests := []struct {
		indent     int
		text, want string
	}{
		{0, "", ""},
		{0, "\n \nSays hello.\n\n", "// Says hello."},
		{1, "Line one\nline two.", "// Line one\n\t// line two."},
		{0, "Says hello.\n\nDeprecated: Do not use.", "// Says hello.\n//\n// Deprecated: Do not use."},
		{0, "Code:\n\n  x := 1\n", "// Code:\n//\n//\tx := 1"},
		{0, "DefaultGreeterServer answers every method of helloworld.Greeter with example values. Your servicer, GreeterService, embeds it.",
			"// DefaultGreeterServer answers every method of helloworld.Greeter with example\n// values. Your servicer, GreeterService, embeds it."},
		{2, "A list:\n  - an item long enough that the width of a comment indented by two tabs cannot hold it on one line\n  - a short one\n",
			"// A list:\n\t\t//   - an item long enough that the width of a comment indented by two\n\t\t//     tabs cannot hold it on one line\n\t\t//   - a short one"},
		{0, "See https://example.com/a/very/long/path/that/no/line/of/a/comment/can/hold/in/seventy-six/runes.",
			"// See\n// https://example.com/a/very/long/path/that/no/line/of/a/comment/can/hold/in/seventy-six/runes."},
	}
	for _, tt := range tests {
		if got := goComment(tt.indent, tt.text); got != tt.want {
			t.Errorf("goComment(%d, %q) =\n%s\nwant\n%s", tt.indent, tt.text, got, tt.want)
		}
	}

	words := []string{"a", "word", "words", "Greeter", "helloworld.Greeter", "/helloworld.Greeter/SayHello", "rules,", "it.", "(a", "list)",
		"gotutor.testdata.validcollections.Collections", "x", "é", "世界", "http://example.com/a/b", "[Foo]", "[Foo]:", "`code`", "{{.Name}}", "%v", "1.", "-"}
	seps := []string{" ", " ", " ", " ", " ", " ", "\n", "\n", "\n\n", "\n  - ", "\n\n\t", "\n\n# "}
	r := rand.New(rand.NewPCG(3, 4))
	const runs = 5000
	long := 0 // texts with a line too long
	for range runs {
		var b strings.Builder
		for range 1 + r.IntN(60) {
			b.WriteString(words[r.IntN(len(words))])
			if r.IntN(3) == 0 {
				b.WriteString(seps[r.IntN(len(seps))])
			} else {
				b.WriteString(" ")
			}
		}
		text := b.String()
		indent := r.IntN(3)
		got := goComment(indent, text)
		var doc strings.Builder
		tooLong := ""
		for i, line := range strings.Split(got, "\n") {
			if i > 0 {
				line = strings.TrimPrefix(line, strings.Repeat("\t", indent))
			}
			rest, ok := strings.CutPrefix(line, "//")
			if !ok {
				t.Fatalf("goComment(%d, %q): line %q is not a comment", indent, text, line)
			}
			rest = strings.TrimPrefix(rest, " ")
			if n := utf8.RuneCountInString(rest); n > commentWidth-4*indent && !strings.HasPrefix(rest, "\t") && !strings.HasPrefix(rest, "# ") && !isLinkDef(rest) &&
				len(strings.Fields(strings.TrimLeft(rest, " -0123456789."))) > 1 {
				tooLong = fmt.Sprintf("goComment(%d, %q): line %q is %d runes long", indent, text, rest, n)
			}
			doc.WriteString(rest + "\n")
		}
		if tooLong != "" {
			// Rarely, gofmt leaves a list inside a list as it is only on its
			// second pass, and the wrapped text is not: the lines stay.
			t.Log(tooLong)
			long++
		}
		if formatted := formatDoc(doc.String()); formatted != doc.String() {
			t.Fatalf("goComment(%d, %q) =\n%s\nwhich gofmt lays out as\n%s", indent, text, got, formatted)
		}
		// The words of gofmt's layout of the text, after one pass or as many
		// as it takes to stay the same (rarely, they differ).
		if got := strings.Fields(doc.String()); !slices.Equal(got, strings.Fields(formatOnce(text))) && !slices.Equal(got, strings.Fields(formatDoc(text))) {
			t.Fatalf("goComment(%d, %q) =\n%s\nwhose words are not those of the text", indent, text, got)
		}
	}
	if long > runs/2000 {
		t.Errorf("%d of %d texts have a line too long", long, runs)
	}
}

// TestWrapWords checks wrapWords against go doc's wrapping of a paragraph
// (go/doc/comment's Printer.Text): the layouts weigh the same, as go doc
// weighs them, and most are the same (they may differ where two weigh the
// same).
func TestWrapWords(t *testing.T) {
	words := []string{"a", "an", "the", "word", "words,", "comment", "example.", "values;", "helloworld.Greeter", "/helloworld.Greeter/SayHello", "é", "世界", "gotutor.testdata.validcollections.Collections:"}
	// weight is go doc's weight of lines, over width and under it.
	weight := func(lines []string, width int) [2]int64 {
		var w [2]int64
		for i, l := range lines {
			left := int64(width - utf8.RuneCountInString(l))
			if i == len(lines)-1 && left >= 0 {
				break
			}
			penalty := int64(64)
			if strings.ContainsAny(l[len(l)-1:], ".,:;") {
				penalty = 0
			}
			if left < 0 {
				w[0] += left * left
				w[1] += penalty
			} else {
				w[1] += left*left + penalty
			}
		}
		return w
	}
	r := rand.New(rand.NewPCG(5, 6))
	same := 0
	const runs = 3000
	for range runs {
		var in []string
		for range 1 + r.IntN(80) {
			in = append(in, words[r.IntN(len(words))])
		}
		width := 30 + r.IntN(50)
		var got []string
		breaks := wrapWords(in, width)
		for k := 0; k+1 < len(breaks); k++ {
			got = append(got, strings.Join(in[breaks[k]:breaks[k+1]], " "))
		}
		p := comment.Printer{TextWidth: width}
		text := p.Text(&comment.Doc{Content: []comment.Block{&comment.Paragraph{Text: []comment.Text{comment.Plain(strings.Join(in, " "))}}}})
		want := strings.Split(strings.TrimSuffix(string(text), "\n"), "\n")
		if slices.Equal(got, want) {
			same++
		}
		if !slices.Equal(strings.Fields(strings.Join(got, " ")), in) {
			t.Fatalf("wrapWords(%q, %d) = %q: not the words", in, width, got)
		}
		if g, w := weight(got, width), weight(want, width); g != w {
			t.Errorf("wrapWords(%q, %d) weighs %v:\n%s\ngo doc's layout weighs %v:\n%s", in, width, g, strings.Join(got, "\n"), w, strings.Join(want, "\n"))
		}
	}
	if same < runs*9/10 {
		t.Errorf("only %d of %d layouts are go doc's", same, runs)
	}
}
