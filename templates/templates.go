// Package templates holds the text/template files that protoc-gen-gotutor
// renders, one {{define}} per file. The data each receives is documented in
// TEMPLATES.md; a user overrides one by defining a template of the same
// name in a directory given with the option templates=DIR.
package templates

import "embed"

// FS holds the built-in templates.
//
//go:embed *.tmpl
var FS embed.FS
