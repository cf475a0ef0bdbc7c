package generator

import (
	"runtime/debug"
	"strings"
)

// modulePath is gotutor's module; its version is the plugin's version.
const modulePath = "github.com/gotutor/gotutor"

// Version returns gotutor's version: the module version when the binary was
// built by `go install ...@vX.Y.Z` (or is a dependency pinned at one), else
// "(devel)". Builds from a checkout report "(devel)" rather than a VCS
// pseudo-version, so that headers, and so committed output, stay the same
// from one commit to the next.
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(devel)"
	}
	v := info.Main.Version
	if info.Main.Path != modulePath {
		v = ""
		for _, dep := range info.Deps {
			if dep.Path == modulePath {
				v = dep.Version
			}
		}
	}
	if v == "" || strings.Contains(v, "+") || strings.Count(v, "-") >= 2 || v == "(devel)" {
		return "(devel)"
	}
	return v
}
