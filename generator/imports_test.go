package generator

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/gotutor/gotutor/templates"
)

// TestReservedNamesCoverTemplateLocals checks that every name the built-in
// templates declare (with := or as a parameter) is reserved, so that no
// imported package can take it: a proto package named `server` must not be
// shadowed by a local variable `server`.
func TestReservedNamesCoverTemplateLocals(t *testing.T) {
	define := regexp.MustCompile(`(?m)(?:^\s*|\bif |\bfor |\bcase |\bswitch )([a-zA-Z_]\w*(?:,\s*[a-zA-Z_]\w*)*)\s*:=`)
	params := regexp.MustCompile(`func(?: \([^)]*\))? ?\w*\(([^)]*)\)`)
	checked := 0
	err := fs.WalkDir(templates.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		text, err := fs.ReadFile(templates.FS, name)
		if err != nil {
			return err
		}
		var locals []string
		for _, m := range define.FindAllStringSubmatch(string(text), -1) {
			locals = append(locals, strings.Split(m[1], ",")...)
		}
		for _, m := range params.FindAllStringSubmatch(string(text), -1) {
			for _, p := range strings.Split(m[1], ",") {
				if fields := strings.Fields(p); len(fields) > 1 {
					locals = append(locals, fields[0])
				}
			}
		}
		for _, l := range locals {
			l = strings.TrimSpace(l)
			if l == "" || l == "_" || strings.Contains(l, "{") {
				continue
			}
			checked++
			if !reservedNames[l] {
				t.Errorf("%s declares %q, which reservedNames lacks", name, l)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Errorf("found only %d locals in the templates; the patterns are broken", checked)
	}
}
