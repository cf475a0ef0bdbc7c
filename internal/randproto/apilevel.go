package randproto

import (
	"regexp"
	"sort"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/gofeaturespb"
)

// API levels of protobuf-go's generated code (Open, Hybrid, Opaque), as
// protogen resolves them for each message: the message's own feature
// (pb.go).api_level, else its parent's level, else the file's feature,
// else apilevelM<file>= of the plugin parameter, else
// default_api_level=, else Open.
//
// The decisions about API levels are drawn from a source of their own (see
// gen.api): a set that comes out without api_level features and without
// API level parameters is the set that the same seed gives with
// apiLevelsOff, so that the seeds kept in fuzz corpora keep their meaning.

type apiLevel = gofeaturespb.GoFeatures_APILevel

const (
	apiUnset  = gofeaturespb.GoFeatures_API_LEVEL_UNSPECIFIED
	apiOpen   = gofeaturespb.GoFeatures_API_OPEN
	apiHybrid = gofeaturespb.GoFeatures_API_HYBRID
	apiOpaque = gofeaturespb.GoFeatures_API_OPAQUE
)

// goFeaturesFile is the file that declares (pb.go).
const goFeaturesFile = "google/protobuf/go_features.proto"

var apiLevels = []apiLevel{apiOpen, apiHybrid, apiOpaque}

// apiLevelsOff, in tests, leaves every message Open and draws nothing from
// gen.api.
var apiLevelsOff = false

// planAPIDefault draws the parameter default_api_level=, if any.
func (g *gen) planAPIDefault() {
	if apiLevelsOff {
		return
	}
	switch g.api.weighted(80, 8, 8, 4) {
	case 1:
		g.apiDefault = apiOpaque
	case 2:
		g.apiDefault = apiHybrid
	case 3:
		g.apiDefault = apiOpen // explicit, and the same as none
	}
}

// resolved is the level a message gets when nothing more specific than l
// applies.
func resolved(l apiLevel) apiLevel {
	if l == apiUnset {
		return apiOpen
	}
	return l
}

// planFileAPILevel draws apilevelM<file>= and, for an editions file, the
// file's own api_level feature into fs; it sets f.level.
func (g *gen) planFileAPILevel(f *file, fs *descriptorpb.FeatureSet) {
	f.level = resolved(g.apiDefault)
	if apiLevelsOff {
		return
	}
	if g.api.percent(8) {
		l := pick(g.api, apiLevels)
		g.apiByFile[f.fd.GetName()] = l
		f.level = l
		g.feature("apilevelM")
	}
	if f.syntax == editions && g.api.percent(40) {
		l := pick(g.api, apiLevels)
		setAPILevel(fs, l)
		f.level = l
		f.usesGoFeatures = true
		g.feature("file api_level")
	}
}

// messageAPILevel draws the level of a message declared in f inside parent
// (nil at top level): inherited, or (editions only) its own feature, which
// it returns too.
func (g *gen) messageAPILevel(f *file, parent *msgInfo) (apiLevel, *descriptorpb.FeatureSet) {
	level := f.level
	if parent != nil {
		level = parent.level
	}
	chance := 15
	if parent != nil {
		chance = 25 // levels nested in other levels are rare otherwise
	}
	if apiLevelsOff || f.syntax != editions || !g.api.percent(chance) {
		return level, nil
	}
	// Mostly a level other than the inherited one, for a nested message
	// mostly Open in a Hybrid or Opaque message and Opaque in an Open one.
	var l apiLevel
	switch {
	case parent != nil && level != apiOpen && g.api.percent(60):
		l = apiOpen
	case parent != nil && level == apiOpen && g.api.percent(50):
		l = apiOpaque
	default:
		l = pick(g.api, apiLevels)
		if l == level && g.api.percent(70) {
			l = pick(g.api, apiLevels)
		}
	}
	fs := &descriptorpb.FeatureSet{}
	setAPILevel(fs, l)
	f.usesGoFeatures = true
	g.feature("message api_level")
	return l, fs
}

// noteAPILevel records the level of a declared message.
func (g *gen) noteAPILevel(m *msgInfo, parent *msgInfo) {
	g.apiLevels[m.full] = m.level
	switch m.level {
	case apiHybrid:
		g.feature("hybrid message")
	case apiOpaque:
		g.feature("opaque message")
	}
	if parent != nil {
		switch {
		case parent.level == apiOpen && m.level == apiOpaque:
			g.feature("opaque in open")
		case parent.level == apiOpaque && m.level == apiOpen:
			g.feature("open in opaque")
		case parent.level != m.level:
			g.feature("nested api level change")
		}
	}
}

// opaqueSomewhere reports whether protoc-gen-go writes a message of level
// in f with the Hybrid or Opaque API, in some build: besides the messages of
// those levels, the Open messages of a Hybrid file, which its
// _protoopaque.pb.go half writes as Opaque ones.
func opaqueSomewhere(f *file, level apiLevel) bool {
	return level != apiOpen || f.level == apiHybrid
}

func (m *msgInfo) opaqueSomewhere() bool { return opaqueSomewhere(m.file, m.level) }

// builderNames are the package-level Go names that protoc-gen-go declares
// for a message of the Hybrid or Opaque API besides the message: its
// builder.
func builderNames(f *file, goName string, level apiLevel) []string {
	if !opaqueSomewhere(f, level) {
		return nil
	}
	return []string{goName + "_builder"}
}

func setAPILevel(fs *descriptorpb.FeatureSet, l apiLevel) {
	proto.SetExtension(fs, gofeaturespb.E_Go, &gofeaturespb.GoFeatures{ApiLevel: l.Enum()})
}

// apiParams are the plugin parameters for API levels: default_api_level=
// and apilevelM<file>=, in the order of the files.
func (g *gen) apiParams() []string {
	var params []string
	if g.apiDefault != apiUnset {
		params = append(params, "default_api_level="+g.apiDefault.String())
		g.feature("default_api_level=" + g.apiDefault.String())
	}
	var names []string
	for name := range g.apiByFile {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		params = append(params, "apilevelM"+name+"="+g.apiByFile[name].String())
	}
	return params
}

// Names in Hybrid and Opaque messages. Their methods are named after the
// plain camel case of fields and oneofs (SetFoo, HasFoo, ClearFoo,
// WhichFoo), and protogen tells apart only two fields whose camel case is
// the same (by suffixes _<number>): a third one, a oneof named like a
// field, or names that differ only in such suffixes or in trailing
// underscores (which the Open names of the Hybrid API get) give
// protoc-gen-go methods of the same name. So, in those messages (and in
// the Open messages of Hybrid files, see opaqueSomewhere), the camel case
// of fields and oneofs, without trailing _ and _<digits>, is unique, but
// for pairs of fields with the same camel case.

var camelSuffix = regexp.MustCompile(`(_[0-9]*)+$`)

func camelKey(camel string) string { return camelSuffix.ReplaceAllString(camel, "") }

// apiNameOK reports whether a field (or oneof) of s's message may be named
// name.
func (s *msgState) apiNameOK(name string, oneof bool) bool {
	if !s.m.opaqueSomewhere() {
		return true
	}
	c := goCamelCase(name)
	prev, taken := s.apiNames[camelKey(c)]
	return !taken || !oneof && prev == c
}

// addAPIName records the name of a field (or oneof) of s's message.
func (g *gen) addAPIName(s *msgState, name string, oneof bool) {
	if !s.m.opaqueSomewhere() {
		return
	}
	c := goCamelCase(name)
	k := camelKey(c)
	if _, taken := s.apiNames[k]; taken {
		s.apiNames[k] = "\x00pair" // no third
		g.feature("camel case pair in hybrid or opaque")
		return
	}
	if oneof {
		c = "\x00oneof " + c
	}
	s.apiNames[k] = c
}

// openInHybrid reports whether f, a Hybrid file, declares Open messages.
// protoc-gen-go, once it has written the _protoopaque.pb.go half of a
// Hybrid file, takes all its messages for Opaque: a later file of the
// same run that imports it publicly forwards builders that the Open ones
// do not have.
func openInHybrid(f *file) bool {
	if f.level != apiHybrid {
		return false
	}
	for _, m := range f.msgs {
		if !m.mapEntry && m.level == apiOpen {
			return true
		}
	}
	return false
}
