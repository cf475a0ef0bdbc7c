package generator

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestIsPlainDoc checks the shortcut of docComment against go/doc/comment:
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
		"-", "+", "*", "1.", "2)", "#", "# ", "[", "]", "[Foo]", "http://example.com/a", "https://go.dev.",
		" ", " ", " ", "  ", "\t", "\n", "\n", "\n", "\n\n", "\n\n", "\n\n\n", "é", "Deprecated:", "\\", "_x_", "<b>",
	}
	// Half of the texts use only the tokens that pass isPlainDoc's filter
	// of characters, so that what it decides from the layout is tested.
	var layoutTokens []string
	for _, tok := range tokens {
		if !strings.ContainsAny(tok, "\t\r[]`#\\<>{}|*_") && tok != "''" {
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
		if got, want := commentLines(text), commentLines(formatDoc(text)); got != want {
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
