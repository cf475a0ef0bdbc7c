package randproto

import (
	"go/token"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Name pools. Identifiers of the proto are drawn partly from Go keywords,
// predeclared identifiers, the locals and imports of generated code, and
// names that clash with what protoc-gen-go, protoc-gen-go-grpc and gotutor
// declare.
var (
	goKeywords = []string{
		"break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough", "for", "func",
		"go", "goto", "if", "import", "interface", "map", "package", "range", "return", "select", "struct",
		"switch", "type", "var",
	}
	predeclared = []string{
		"any", "append", "bool", "byte", "cap", "clear", "close", "comparable", "complex", "complex128", "copy",
		"delete", "error", "false", "float32", "float64", "imag", "int", "int32", "int64", "iota", "len", "make",
		"max", "min", "new", "nil", "panic", "print", "println", "real", "recover", "rune", "string", "true",
		"uint", "uint64", "uint8", "uintptr",
	}
	// generatedLocals are identifiers that generated code declares locally.
	generatedLocals = []string{
		"ctx", "err", "req", "resp", "m", "stream", "t", "main", "server", "conn", "srv", "lis", "client", "s",
		"ss", "opts", "want", "got", "i", "n", "b", "c", "done", "cancel", "call", "method", "name", "out",
		"info", "handler", "addr", "code", "level", "start", "stop", "limit", "run", "tb", "x", "v", "ok", "in",
		"f", "e", "buf", "data", "msg", "desc", "state", "size_cache", "unknown_fields", "reset", "descriptor",
		"proto_message", "get", "set", "has", "clear_", "which",
	}
	// importNames are names of packages that generated code imports.
	importNames = []string{
		"grpc", "context", "proto", "io", "status", "testing", "codes", "time", "fmt", "errors", "sync", "net",
		"os", "flag", "math", "strings", "health", "reflection", "bufconn", "insecure", "credentials",
		"protojson", "slog", "signal", "syscall", "protoreflect", "protoimpl", "reflect", "unsafe", "anypb",
		"emptypb", "timestamppb", "structpb", "durationpb", "fieldmaskpb", "wrapperspb", "descriptorpb",
		"grpc_health_v1", "metadata", "log",
	}
	plainNames = []string{
		"Foo", "Bar", "Baz", "Request", "Response", "Empty", "Timestamp", "Any", "Struct", "Value", "Message",
		"Status", "Error", "Context", "Server", "Client", "Service", "Stream", "Reader", "Writer", "Item",
		"Node", "Tree", "List", "Entry", "State", "Kind", "Type", "Test", "Example", "Default", "Unimplemented",
		"Register", "New", "Start", "Health", "Greeter", "Echo", "Chat", "Main", "Handler", "Options", "Config",
		"Point", "Feature", "Note", "Summary", "HelloRequest", "HelloReply", "Servicer", "Unsafe",
	}
	oddNames = []string{
		"_foo", "x", "X", "XXX_Foo", "A1", "Message_", "lower_snake_name", "Foo__Bar", "fooBar", "ALLCAPS",
		"_", "__", "a_b_c", "B2B", "x_", "Go", "Proto", "V1", "Get", "Set", "Has",
	}
	serviceNames = []string{
		"Server", "Service", "Client", "Greeter", "Foo", "type", "Test", "Example", "Default", "Stream",
		"Health", "Echo", "greeter", "GREETER", "Foo_Bar", "Chat", "Api", "Servicer", "Main", "main", "error",
		"Unimplemented", "Register", "New", "Start", "string", "func", "Context", "Grpc", "Conn", "Req", "T",
		"x", "RouteGuide", "Search", "Calc", "Unsafe", "Srv", "Fake", "Mock",
	}
	methodNames = []string{
		"Get", "List", "Create", "Update", "Delete", "SayHello", "Echo", "Stream", "Chat", "Send", "Recv",
		"String", "Reset", "Close", "type", "func", "len", "error", "ctx", "err", "req", "m", "stream", "t",
		"main", "server", "conn", "Context", "Method", "Call", "Do", "Run", "Test", "Example", "Health",
		"Check", "Watch", "lower_case", "ALLCAPS", "Get_Foo", "Foo_Bar", "X", "x", "CloseSend", "SendAndClose",
		"Header", "Trailer", "RecvMsg", "SendMsg", "mustEmbedUnimplementedServer", "ProtoMessage", "Descriptor",
		"Default", "New", "Start", "Stop", "Serve", "Register",
	}
	fieldNames = []string{
		"foo", "bar", "baz", "foo_bar", "fooBar", "FooBar", "foo_bar_", "id", "name", "value", "values", "key",
		"keys", "items", "kind", "type_", "url", "data", "payload", "count", "created_at", "x", "y", "z",
		"a_b", "aB", "get_foo", "has_foo", "Reset", "String", "XXX_unrecognized",
		"oneof_name", "nested", "parent", "child", "children", "self", "other", "extensions", "options",
	}
	enumValueNames = []string{
		"UNKNOWN", "UNSPECIFIED", "NONE", "ZERO", "ONE", "TWO", "THREE", "RED", "GREEN", "BLUE", "OK", "ERROR",
		"TYPE", "STRING", "DEFAULT", "NEW", "DONE", "FOO", "BAR", "type", "string", "err", "Value", "Max",
		"MIN", "NEGATIVE", "ALIAS", "X",
	}
	pkgElems = []string{
		"v1", "api", "pb", "foo", "grpc", "context", "proto", "io", "status", "testing", "string", "len",
		"error", "type", "ctx", "req", "my-api", "foo.bar", "errors", "time", "fmt", "codes", "health",
		"bufconn", "service", "server", "client", "t", "m", "stream", "conn", "x", "v2", "greeter", "func",
		"1api", "srv", "s", "resp", "grpc_health_v1", "math", "sync", "net", "os",
	}
	protoPkgElems = []string{
		"foo", "bar", "api", "v1", "v2", "grpc", "proto", "type", "string", "test", "example", "google_x",
		"com", "acme", "ctx", "err", "service", "internal", "x",
	}
	fileBases = []string{
		"service", "api", "types", "messages", "common", "type", "grpc", "x_gotutor", "foo_service", "main",
		"test", "greeter", "foo", "bar", "string", "hello_world", "helloworld", "a", "b", "c", "data",
		"foo_test", "gotutor", "server", "client", "cmd", "echo-service", "v1", "foo.bar",
	}
	commentPool = []string{
		"Says hello.",
		"Multi\nline\ncomment.",
		" Leading space and trailing spaces   ",
		"Code block:\n\n    indented code\n    more code",
		"Deprecated: use something else.",
		"A comment with */ and /* and // inside.",
		"Tabs\there\tand\ttabs.",
		"Unicode: héllo wörld — ✓ 日本語",
		"`backticks` and {{ template }} and %s %d %v and \\backslash and \"quotes\"",
		"\n\nLeading blank lines",
		"Trailing blank lines\n\n\n",
		"# Heading\n\n- list item\n- another\n\n1. numbered\n2. second",
		"See https://example.com/x?y=1&z=<2> for more.",
		"   ",
		strings.Repeat("A very long comment line that goes on and on ", 6),
		"TODO(someone): fix this.\nBUG(x): it breaks.",
		"Text with trailing backslash \\",
		"Mixed\n\tindented with tab\n  and spaces",
		"Paragraph one.\n\nParagraph two.",
		"// double comment marker",
		"/* block */",
		"<html> & entities &amp;",
		"Ends with colon:",
		"Deprecated: Do not use.\n\nMore text.",
	}
	stringDefaults = []string{
		"", "hello", `with "quotes"`, `back\slash`, "new\nline", "tab\there", "üñí©ødé", "\x00nul", "%d %s %%",
		"`backtick`", "*/ comment", "\u2028", "{{.}}", "emoji 😀", "'single'", "\r\n", "\x7f\x01",
	}
	// bytesDefaults are C-escaped, as descriptors hold them.
	bytesDefaults = []string{
		"", "abc", `\000\001\377`, `a\nb`, `\"q\"`, `\\`, `\x41\x42`, `\'`, `\t\r\v\f\a\b`, `caf\303\251`,
	}
)

// goCamelCase is protogen's GoCamelCase: the Go name of a proto name.
func goCamelCase(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.' && i+1 < len(s) && isLower(s[i+1]):
		case c == '.':
			b = append(b, '_')
		case c == '_' && (i == 0 || s[i-1] == '.'):
			b = append(b, 'X')
		case c == '_' && i+1 < len(s) && isLower(s[i+1]):
		case '0' <= c && c <= '9':
			b = append(b, c)
		default:
			if isLower(c) {
				c -= 'a' - 'A'
			}
			b = append(b, c)
			for ; i+1 < len(s) && isLower(s[i+1]); i++ {
				b = append(b, s[i+1])
			}
		}
	}
	return string(b)
}

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }

// goSanitized is protogen's name for a Go package.
func goSanitized(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return '_'
	}, s)
	r, _ := utf8.DecodeRuneInString(s)
	if token.Lookup(s).IsKeyword() || !unicode.IsLetter(r) {
		return "_" + s
	}
	return s
}

// jsonCamelCase is the default JSON name of a field.
func jsonCamelCase(s string) string {
	var b []byte
	var wasUnderscore bool
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '_' {
			if wasUnderscore && isLower(c) {
				c -= 'a' - 'A'
			}
			b = append(b, c)
		}
		wasUnderscore = c == '_'
	}
	return string(b)
}

// mapEntryName is the name of the entry message of a map field.
func mapEntryName(s string) string {
	var b []byte
	upperNext := true
	for _, c := range s {
		switch {
		case c == '_':
			upperNext = true
		case upperNext:
			b = append(b, byte(unicode.ToUpper(c)))
			upperNext = false
		default:
			b = append(b, byte(c))
		}
	}
	return string(b) + "Entry"
}

// validIdent reports whether s is a proto identifier.
func validIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
