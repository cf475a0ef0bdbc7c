package randproto

import (
	"fmt"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
)

type fdp = descriptorpb.FieldDescriptorProto

var (
	labelOptional = descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum
	labelRepeated = descriptorpb.FieldDescriptorProto_LABEL_REPEATED.Enum
	labelRequired = descriptorpb.FieldDescriptorProto_LABEL_REQUIRED.Enum
)

// scalarTypes are the field types that are neither messages nor enums.
var scalarTypes = []descriptorpb.FieldDescriptorProto_Type{
	descriptorpb.FieldDescriptorProto_TYPE_DOUBLE, descriptorpb.FieldDescriptorProto_TYPE_FLOAT,
	descriptorpb.FieldDescriptorProto_TYPE_INT64, descriptorpb.FieldDescriptorProto_TYPE_UINT64,
	descriptorpb.FieldDescriptorProto_TYPE_INT32, descriptorpb.FieldDescriptorProto_TYPE_FIXED64,
	descriptorpb.FieldDescriptorProto_TYPE_FIXED32, descriptorpb.FieldDescriptorProto_TYPE_BOOL,
	descriptorpb.FieldDescriptorProto_TYPE_STRING, descriptorpb.FieldDescriptorProto_TYPE_BYTES,
	descriptorpb.FieldDescriptorProto_TYPE_UINT32, descriptorpb.FieldDescriptorProto_TYPE_SFIXED32,
	descriptorpb.FieldDescriptorProto_TYPE_SFIXED64, descriptorpb.FieldDescriptorProto_TYPE_SINT32,
	descriptorpb.FieldDescriptorProto_TYPE_SINT64,
}

// mapKeyTypes are the valid key types of maps.
var mapKeyTypes = []descriptorpb.FieldDescriptorProto_Type{
	descriptorpb.FieldDescriptorProto_TYPE_INT32, descriptorpb.FieldDescriptorProto_TYPE_INT64,
	descriptorpb.FieldDescriptorProto_TYPE_UINT32, descriptorpb.FieldDescriptorProto_TYPE_UINT64,
	descriptorpb.FieldDescriptorProto_TYPE_SINT32, descriptorpb.FieldDescriptorProto_TYPE_SINT64,
	descriptorpb.FieldDescriptorProto_TYPE_FIXED32, descriptorpb.FieldDescriptorProto_TYPE_FIXED64,
	descriptorpb.FieldDescriptorProto_TYPE_SFIXED32, descriptorpb.FieldDescriptorProto_TYPE_SFIXED64,
	descriptorpb.FieldDescriptorProto_TYPE_BOOL, descriptorpb.FieldDescriptorProto_TYPE_STRING,
}

var wktWeights = []struct {
	path   string
	weight int
}{
	{"google/protobuf/empty.proto", 15}, {"google/protobuf/timestamp.proto", 15},
	{"google/protobuf/any.proto", 12}, {"google/protobuf/struct.proto", 12},
	{"google/protobuf/wrappers.proto", 10}, {"google/protobuf/duration.proto", 10},
	{"google/protobuf/field_mask.proto", 8}, {"google/protobuf/descriptor.proto", 6},
	{"google/protobuf/type.proto", 3}, {"google/protobuf/api.proto", 3},
	{"google/protobuf/source_context.proto", 3}, {"google/protobuf/compiler/plugin.proto", 3},
}

var optionMessages = []string{
	"google.protobuf.FileOptions", "google.protobuf.MessageOptions", "google.protobuf.FieldOptions",
	"google.protobuf.EnumOptions", "google.protobuf.EnumValueOptions", "google.protobuf.ServiceOptions",
	"google.protobuf.MethodOptions", "google.protobuf.OneofOptions",
}

func (g *gen) wktFile(p string) *wktFile {
	if w, ok := g.wkt[p]; ok {
		return w
	}
	fd, err := protoregistry.GlobalFiles.FindFileByPath(p)
	if err != nil {
		panic(fmt.Sprintf("randproto: well-known file %s not linked in: %v", p, err))
	}
	w := &wktFile{path: p}
	addEnums := func(es protoreflect.EnumDescriptors) {
		for i := 0; i < es.Len(); i++ {
			e := es.Get(i)
			info := &enumInfo{full: string(e.FullName()), closed: e.IsClosed(), first: int32(e.Values().Get(0).Number())}
			for j := 0; j < e.Values().Len(); j++ {
				info.values = append(info.values, string(e.Values().Get(j).Name()))
				info.numbers = append(info.numbers, int32(e.Values().Get(j).Number()))
			}
			w.enums = append(w.enums, info)
		}
	}
	var addMsgs func(protoreflect.MessageDescriptors)
	addMsgs = func(ms protoreflect.MessageDescriptors) {
		for i := 0; i < ms.Len(); i++ {
			m := ms.Get(i)
			if m.IsMapEntry() {
				continue
			}
			w.msgs = append(w.msgs, &msgInfo{full: string(m.FullName())})
			addEnums(m.Enums())
			addMsgs(m.Messages())
		}
	}
	addEnums(fd.Enums())
	addMsgs(fd.Messages())
	g.wkt[p] = w
	return w
}

func (g *gen) genFile(f *file) {
	fd := f.fd
	if f.protoPkg != "" {
		fd.Package = proto.String(f.protoPkg)
	}
	fd.Options = &descriptorpb.FileOptions{GoPackage: proto.String(f.pkg.option)}
	// protoc-gen-go declares File_<path> (x_y.proto and x/y.proto clash).
	fileVar := "File_" + strings.NewReplacer("/", "_", ".", "_", "-", "_").Replace(fd.GetName())
	if !g.claimGo(f.pkg, fileVar) {
		fd.Name = proto.String(strings.TrimSuffix(fd.GetName(), ".proto") + fmt.Sprint(g.next()) + ".proto")
		g.claimGo(f.pkg, "File_"+strings.NewReplacer("/", "_", ".", "_", "-", "_").Replace(fd.GetName()))
	}
	switch f.syntax {
	case proto2:
		g.feature("proto2")
		if g.r.percent(50) {
			fd.Syntax = proto.String("proto2")
		}
		g.planFileAPILevel(f, nil)
	case proto3:
		g.feature("proto3")
		fd.Syntax = proto.String("proto3")
		g.planFileAPILevel(f, nil)
	case editions:
		g.feature("editions")
		fd.Syntax = proto.String("editions")
		fd.Edition = descriptorpb.Edition_EDITION_2023.Enum()
		fs := &descriptorpb.FeatureSet{}
		if g.r.percent(10) {
			f.implicit = true
			fs.FieldPresence = descriptorpb.FeatureSet_IMPLICIT.Enum()
		}
		if g.r.percent(15) {
			f.closedEnums = true
			fs.EnumType = descriptorpb.FeatureSet_CLOSED.Enum()
		}
		if g.r.percent(10) {
			f.expanded = true
			fs.RepeatedFieldEncoding = descriptorpb.FeatureSet_EXPANDED.Enum()
		}
		if g.r.percent(5) {
			f.delimited = true
			fs.MessageEncoding = descriptorpb.FeatureSet_DELIMITED.Enum()
		}
		if g.r.percent(10) {
			fs.Utf8Validation = descriptorpb.FeatureSet_NONE.Enum()
		}
		g.planFileAPILevel(f, fs)
		if !proto.Equal(fs, &descriptorpb.FeatureSet{}) {
			fd.Options.Features = fs
			g.feature("editions file features")
		}
	}
	if g.r.percent(3) {
		fd.Options.Deprecated = proto.Bool(true)
	}

	// Imports: earlier files (never a later Go package), well-known files.
	for _, other := range g.files {
		if other == f {
			break
		}
		if g.r.percent(55) {
			f.deps = append(f.deps, other)
			fd.Dependency = append(fd.Dependency, other.fd.GetName())
			// A public import from another Go package makes protoc-gen-go
			// forward every exported declaration of the file into f's.
			if g.r.percent(12) && (other.pkg == f.pkg || !openInHybrid(other) && g.claimGo(f.pkg, other.goDecls...)) {
				f.public = append(f.public, other)
				fd.PublicDependency = append(fd.PublicDependency, int32(len(fd.Dependency)-1))
				g.feature("public import")
			}
			if other.pkg != f.pkg {
				g.feature("import from another Go package")
			}
		}
	}
	wktChance := 20
	if len(f.services) > 0 {
		wktChance = 55
	}
	if g.r.percent(wktChance) {
		chosen := map[string]bool{}
		for k := g.r.weighted(50, 30, 20); k >= 0; k-- {
			weights := make([]int, len(wktWeights))
			for i, w := range wktWeights {
				weights[i] = w.weight
			}
			p := wktWeights[g.r.weighted(weights...)].path
			if chosen[p] {
				continue
			}
			chosen[p] = true
			f.wkts = append(f.wkts, g.wktFile(p))
			fd.Dependency = append(fd.Dependency, p)
			g.feature("well-known import")
		}
	}
	wantOptionExt := g.r.percent(8)
	if wantOptionExt && !contains(fd.Dependency, "google/protobuf/descriptor.proto") {
		f.wkts = append(f.wkts, g.wktFile("google/protobuf/descriptor.proto"))
		fd.Dependency = append(fd.Dependency, "google/protobuf/descriptor.proto")
	}

	// Declarations, then their fields (so that fields can refer to any
	// message of the file, before or after, and to the message itself).
	for k := g.r.weighted(50, 35, 15); k > 0; k-- {
		g.declareEnum(f, nil)
	}
	for k := 1 + g.r.weighted(25, 30, 25, 12, 8); k > 0; k-- {
		g.declareMessage(f, nil)
	}
	for i := 0; i < len(f.msgs); i++ {
		if !f.msgs[i].mapEntry && !g.filled[f.msgs[i]] {
			g.fillMessage(f, f.msgs[i])
		}
	}
	if f.syntax != proto3 && g.r.percent(25) || wantOptionExt {
		g.genExtensions(f, wantOptionExt)
	}
	g.genServices(f)
	if f.usesGoFeatures {
		fd.Dependency = append(fd.Dependency, goFeaturesFile)
	}
	if len(f.locs) > 0 {
		fd.SourceCodeInfo = &descriptorpb.SourceCodeInfo{Location: f.locs}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// typeName draws a name for a message or enum of f.
func (g *gen) typeName(f *file) string {
	var name string
	switch g.r.weighted(30, 12, 12, 8, 16, 8, 8, 6) {
	case 0:
		name = pick(g.r, plainNames)
	case 1:
		name = pick(g.r, goKeywords)
	case 2:
		name = pick(g.r, append(append([]string{}, predeclared...), generatedLocals...))
	case 3:
		name = pick(g.r, importNames)
	case 4:
		// Names that gotutor (or the gRPC generator) also wants.
		p := f.pkg
		svc := "Greeter"
		if len(p.services) > 0 {
			svc = pick(g.r, p.services)
		}
		msg := "Foo"
		if len(p.messages) > 0 {
			msg = pick(g.r, p.messages)
		}
		name = pick(g.r, []string{"Default" + svc + "Server", svc + "Service", "New" + svc + "Service",
			"Example" + msg, "Example" + svc + msg, "Start" + svc, "New" + svc + "Client", svc + "Client",
			"Unimplemented" + svc + "Server", svc + "_ServiceDesc", "Default" + svc + "Server_",
			svc + "Service_", svc, "Example" + msg + "_", "Test" + svc, svc + "Test"})
		g.feature("name clashing with generated code")
	case 5:
		// Foo_Bar beside Foo.Bar.
		var tops []string
		for _, m := range f.msgs {
			if m.depth == 0 {
				tops = append(tops, m.dp.GetName())
			}
		}
		if len(tops) == 0 {
			return pick(g.r, plainNames)
		}
		name = pick(g.r, tops) + "_" + pick(g.r, plainNames)
		if g.r.percent(30) {
			name = pick(g.r, tops) + strings.ToLower(pick(g.r, plainNames))
		}
	case 6:
		name = pick(g.r, oddNames)
	default:
		if len(f.services) > 0 {
			name = pick(g.r, f.services)
		} else {
			name = pick(g.r, serviceNames)
		}
	}
	switch g.r.weighted(60, 30, 10) {
	case 1:
		name = capitalize(name)
	case 2:
		name = strings.ToUpper(name)
	}
	return name
}

func (g *gen) scopeOf(f *file, parent *msgInfo) string {
	if parent != nil {
		return parent.full
	}
	return f.protoPkg
}

func (g *gen) declareMessage(f *file, parent *msgInfo) *msgInfo {
	scope := g.scopeOf(f, parent)
	level, features := g.messageAPILevel(f, parent)
	var name, full, goName string
	for attempt := 0; ; attempt++ {
		name = g.typeName(f)
		if attempt > 20 {
			name = fmt.Sprintf("M%d", g.next())
		}
		full = join(scope, name)
		goName = goNameOf(f, full)
		if !validIdent(name) || g.scope[full] != "" {
			continue
		}
		if !g.declGo(f, append([]string{goName}, builderNames(f, goName, level)...)...) {
			continue
		}
		g.claim(full, "message")
		break
	}
	dp := &descriptorpb.DescriptorProto{Name: proto.String(name)}
	m := &msgInfo{full: full, goName: goName, dp: dp, file: f, level: level}
	if features != nil {
		dp.Options = &descriptorpb.MessageOptions{Features: features}
	}
	g.noteAPILevel(m, parent)
	if parent == nil {
		m.path = []int32{4, int32(len(f.fd.MessageType))}
		f.fd.MessageType = append(f.fd.MessageType, dp)
	} else {
		m.depth = parent.depth + 1
		m.path = appendPath(parent.path, 3, int32(len(parent.dp.NestedType)))
		parent.dp.NestedType = append(parent.dp.NestedType, dp)
		g.feature("nested message")
	}
	f.msgs = append(f.msgs, m)
	f.pkg.messages = append(f.pkg.messages, goName)
	if g.r.percent(4) {
		if dp.Options == nil {
			dp.Options = &descriptorpb.MessageOptions{}
		}
		dp.Options.Deprecated = proto.Bool(true)
	}
	g.comment(f, m.path)
	if m.depth < 2 {
		for k := g.r.weighted(80, 20); k > 0; k-- {
			g.declareEnum(f, m)
		}
		for k := g.r.weighted(62, 28, 10); k > 0; k-- {
			g.declareMessage(f, m)
		}
	}
	return m
}

func appendPath(p []int32, elems ...int32) []int32 {
	return append(append([]int32{}, p...), elems...)
}

func (g *gen) enumIsClosed(f *file, ed *descriptorpb.EnumDescriptorProto) bool {
	switch f.syntax {
	case proto2:
		return true
	case proto3:
		return false
	}
	closed := f.closedEnums
	if g.r.percent(20) {
		closed = !closed
		ed.Options = &descriptorpb.EnumOptions{Features: &descriptorpb.FeatureSet{}}
		if closed {
			ed.Options.Features.EnumType = descriptorpb.FeatureSet_CLOSED.Enum()
		} else {
			ed.Options.Features.EnumType = descriptorpb.FeatureSet_OPEN.Enum()
		}
		g.feature("editions enum_type")
	}
	return closed
}

var enumNumbers = []int32{0, 1, 2, 3, 4, 5, -1, -2, -3, 7, 10, 100, -100, 1 << 20, 2147483647, -2147483648, 42, 9}

func (g *gen) declareEnum(f *file, parent *msgInfo) *enumInfo {
	scope := g.scopeOf(f, parent)
	var name, full, goName string
	for attempt := 0; ; attempt++ {
		name = g.typeName(f)
		if attempt > 20 {
			name = fmt.Sprintf("E%d", g.next())
		}
		full = join(scope, name)
		goName = goNameOf(f, full)
		if !validIdent(name) || g.scope[full] != "" {
			continue
		}
		if !g.declGo(f, goName, goName+"_name", goName+"_value") {
			continue
		}
		g.claim(full, "enum")
		break
	}
	ed := &descriptorpb.EnumDescriptorProto{Name: proto.String(name)}
	var path []int32
	if parent == nil {
		path = []int32{5, int32(len(f.fd.EnumType))}
		f.fd.EnumType = append(f.fd.EnumType, ed)
	} else {
		path = appendPath(parent.path, 4, int32(len(parent.dp.EnumType)))
		parent.dp.EnumType = append(parent.dp.EnumType, ed)
		g.feature("nested enum")
	}
	g.comment(f, path)
	info := &enumInfo{full: full, closed: g.enumIsClosed(f, ed)}
	valuePrefix := goName
	if parent != nil {
		valuePrefix = parent.goName
	}
	allowAlias := g.r.percent(15)
	if allowAlias {
		if ed.Options == nil {
			ed.Options = &descriptorpb.EnumOptions{}
		}
		ed.Options.AllowAlias = proto.Bool(true)
		g.feature("enum alias")
	}
	if g.r.percent(4) {
		if ed.Options == nil {
			ed.Options = &descriptorpb.EnumOptions{}
		}
		ed.Options.Deprecated = proto.Bool(true)
	}
	prefixStyle := g.r.percent(55)
	normPrefix := strings.ReplaceAll(strings.ToLower(name), "_", "")
	normalized := map[string]int32{}
	used := map[int32]bool{}
	aliased := false
	n := 1 + g.r.weighted(15, 30, 25, 15, 10, 5)
	for i := 0; i < n || (allowAlias && !aliased); i++ {
		var num int32
		switch {
		case i == 0 && !info.closed:
			num = 0
		case i == 0:
			num = pick(g.r, []int32{0, 1, -1, 5, -2147483648, 2, 0})
		case allowAlias && (g.r.percent(30) || i >= n):
			num = info.numbers[g.r.intn(len(info.numbers))]
			aliased = true
		default:
			for k := 0; ; k++ {
				num = pick(g.r, enumNumbers)
				if k > 10 {
					num = int32(g.r.between(1000, 100000))
				}
				if !used[num] {
					break
				}
			}
		}
		if num < 0 {
			g.feature("negative enum number")
		}
		var vname string
		for attempt := 0; ; attempt++ {
			base := pick(g.r, enumValueNames)
			if g.r.percent(15) {
				base = strings.ToUpper(pick(g.r, append(append([]string{}, goKeywords...), predeclared...)))
			}
			if prefixStyle {
				vname = strings.ToUpper(name) + "_" + base
			} else {
				vname = base
			}
			if attempt > 10 {
				vname = fmt.Sprintf("%s_V%d", strings.ToUpper(name), g.next())
			}
			if !validIdent(vname) || g.scope[join(scope, vname)] != "" {
				continue
			}
			if f.syntax != proto2 { // protoc's JSON check: open and closed enums alike
				key := enumValueName(trimEnumPrefix(vname, normPrefix))
				if other, ok := normalized[key]; ok && other != num {
					continue
				}
				normalized[key] = num
			}
			if !g.declGo(f, valuePrefix+"_"+vname) {
				continue
			}
			g.claim(join(scope, vname), "enum value")
			break
		}
		used[num] = true
		vd := &descriptorpb.EnumValueDescriptorProto{Name: proto.String(vname), Number: proto.Int32(num)}
		if g.r.percent(3) {
			vd.Options = &descriptorpb.EnumValueOptions{Deprecated: proto.Bool(true)}
		}
		g.comment(f, appendPath(path, 2, int32(len(ed.Value))))
		ed.Value = append(ed.Value, vd)
		info.values = append(info.values, vname)
		info.numbers = append(info.numbers, num)
	}
	info.first = info.numbers[0]
	if g.r.percent(10) {
		for k := 0; k < 10; k++ {
			num := int32(g.r.between(200, 300))
			if !used[num] {
				ed.ReservedRange = append(ed.ReservedRange, &descriptorpb.EnumDescriptorProto_EnumReservedRange{
					Start: proto.Int32(num), End: proto.Int32(num)}) // inclusive
				break
			}
		}
		ed.ReservedName = append(ed.ReservedName, fmt.Sprintf("RESERVED_%d", g.next()))
		g.feature("enum reserved")
	}
	f.enums = append(f.enums, info)
	return info
}

func enumValueName(s string) string {
	var b []byte
	upperNext := true
	for _, c := range s {
		switch {
		case c == '_':
			upperNext = true
		case upperNext:
			b = append(b, byte(strings.ToUpper(string(c))[0]))
			upperNext = false
		default:
			b = append(b, byte(strings.ToLower(string(c))[0]))
			upperNext = false
		}
	}
	return string(b)
}

func trimEnumPrefix(s, prefix string) string {
	s0 := s
	for len(s) > 0 && len(prefix) > 0 {
		if s[0] == '_' {
			s = s[1:]
			continue
		}
		if strings.ToLower(s[:1]) != prefix[:1] {
			return s0
		}
		s, prefix = s[1:], prefix[1:]
	}
	if len(prefix) > 0 {
		return s0
	}
	s = strings.TrimLeft(s, "_")
	if len(s) == 0 {
		return s0
	}
	return s
}

// visible lists the messages and enums that fields of f may use.
func (g *gen) visible(f *file) ([]*msgInfo, []*enumInfo) {
	var msgs []*msgInfo
	var enums []*enumInfo
	seen := map[*file]bool{}
	var add func(*file)
	add = func(d *file) {
		if seen[d] {
			return
		}
		seen[d] = true
		for _, m := range d.msgs {
			if !m.mapEntry {
				msgs = append(msgs, m)
			}
		}
		enums = append(enums, d.enums...)
		for _, p := range d.public {
			add(p)
		}
	}
	add(f)
	for _, d := range f.deps {
		add(d)
	}
	for _, w := range f.wkts {
		msgs = append(msgs, w.msgs...)
		enums = append(enums, w.enums...)
	}
	return msgs, enums
}

type typeCtx struct {
	noGroup       bool // maps, extensions, proto3, editions
	openEnumOnly  bool
	zeroFirstEnum bool
	noMessage     bool
}

type ftype struct {
	t    descriptorpb.FieldDescriptorProto_Type
	msg  *msgInfo
	enum *enumInfo
}

func (g *gen) pickType(f *file, self *msgInfo, c typeCtx) ftype {
	if f.syntax != proto2 {
		c.noGroup = true
	}
	if f.syntax == proto3 {
		c.openEnumOnly = true
	}
	msgs, enums := g.visible(f)
	switch g.r.weighted(55, 15, 27, 3) {
	case 1:
		var ok []*enumInfo
		for _, e := range enums {
			if (!c.openEnumOnly || !e.closed) && (!c.zeroFirstEnum || e.first == 0) {
				ok = append(ok, e)
			}
		}
		if len(ok) > 0 {
			return ftype{t: descriptorpb.FieldDescriptorProto_TYPE_ENUM, enum: pick(g.r, ok)}
		}
	case 2, 3:
		if c.noMessage {
			break
		}
		var m *msgInfo
		switch {
		case self != nil && g.r.percent(15):
			m = self
			g.feature("self recursion")
		case len(f.wkts) > 0 && g.r.percent(20):
			m = pick(g.r, pick(g.r, f.wkts).msgs)
			g.feature("well-known field")
		default:
			m = pick(g.r, msgs)
		}
		t := descriptorpb.FieldDescriptorProto_TYPE_MESSAGE
		return ftype{t: t, msg: m}
	}
	return ftype{t: pick(g.r, scalarTypes)}
}

// fieldName draws a field name free in m's scope (and JSON-unique).
func (g *gen) fieldName(f *file, m *msgInfo, json, custom map[string]bool, extra ...string) string {
	for attempt := 0; ; attempt++ {
		var name string
		switch g.r.weighted(45, 15, 15, 10, 10, 5) {
		case 0:
			name = pick(g.r, fieldNames)
		case 1:
			name = pick(g.r, goKeywords)
		case 2:
			name = pick(g.r, append(append([]string{}, predeclared...), generatedLocals...))
		case 3:
			name = pick(g.r, importNames)
		case 4:
			name = strings.ToLower(pick(g.r, plainNames)) + "_" + pick(g.r, fieldNames)
		default:
			name = pick(g.r, oddNames)
		}
		if attempt > 20 {
			name = fmt.Sprintf("f%d", g.next())
		}
		if !validIdent(name) || g.scope[join(m.full, name)] != "" {
			continue
		}
		if json != nil && (f.syntax != proto2 || custom[jsonCamelCase(name)]) && json[jsonCamelCase(name)] {
			continue
		}
		clash := false
		for _, e := range extra {
			if g.scope[join(m.full, e)] != "" {
				clash = true
			}
		}
		if clash {
			continue
		}
		return name
	}
}

var defaultPools = map[descriptorpb.FieldDescriptorProto_Type][]string{
	descriptorpb.FieldDescriptorProto_TYPE_FLOAT:    {"inf", "-inf", "nan", "0", "-0", "1.5", "3.4028235e+38", "1e-45", "-2.5e+10", "0.1"},
	descriptorpb.FieldDescriptorProto_TYPE_DOUBLE:   {"inf", "-inf", "nan", "0", "-0", "1.7976931348623157e+308", "5e-324", "-1e+100", "0.1", "2.5"},
	descriptorpb.FieldDescriptorProto_TYPE_INT32:    {"0", "1", "-1", "2147483647", "-2147483648", "42"},
	descriptorpb.FieldDescriptorProto_TYPE_SINT32:   {"0", "1", "-1", "2147483647", "-2147483648", "42"},
	descriptorpb.FieldDescriptorProto_TYPE_SFIXED32: {"0", "1", "-1", "2147483647", "-2147483648", "42"},
	descriptorpb.FieldDescriptorProto_TYPE_INT64:    {"9223372036854775807", "-9223372036854775808", "-1", "0", "1234567890123"},
	descriptorpb.FieldDescriptorProto_TYPE_SINT64:   {"9223372036854775807", "-9223372036854775808", "-1", "0", "1234567890123"},
	descriptorpb.FieldDescriptorProto_TYPE_SFIXED64: {"9223372036854775807", "-9223372036854775808", "-1", "0", "1234567890123"},
	descriptorpb.FieldDescriptorProto_TYPE_UINT32:   {"0", "4294967295", "7"},
	descriptorpb.FieldDescriptorProto_TYPE_FIXED32:  {"0", "4294967295", "7"},
	descriptorpb.FieldDescriptorProto_TYPE_UINT64:   {"18446744073709551615", "0", "12345678901234567890"},
	descriptorpb.FieldDescriptorProto_TYPE_FIXED64:  {"18446744073709551615", "0", "12345678901234567890"},
	descriptorpb.FieldDescriptorProto_TYPE_BOOL:     {"true", "false"},
	descriptorpb.FieldDescriptorProto_TYPE_STRING:   stringDefaults,
	descriptorpb.FieldDescriptorProto_TYPE_BYTES:    bytesDefaults,
}

func (g *gen) defaultValue(t ftype) string {
	if t.enum != nil {
		return pick(g.r, t.enum.values)
	}
	return pick(g.r, defaultPools[t.t])
}

func isPackable(t descriptorpb.FieldDescriptorProto_Type) bool {
	switch t {
	case descriptorpb.FieldDescriptorProto_TYPE_STRING, descriptorpb.FieldDescriptorProto_TYPE_BYTES,
		descriptorpb.FieldDescriptorProto_TYPE_MESSAGE, descriptorpb.FieldDescriptorProto_TYPE_GROUP:
		return false
	}
	return true
}

func setType(fd *fdp, t ftype) {
	fd.Type = t.t.Enum()
	switch {
	case t.msg != nil:
		fd.TypeName = proto.String("." + t.msg.full)
	case t.enum != nil:
		fd.TypeName = proto.String("." + t.enum.full)
	}
}

type oneofPlan struct {
	decl      *descriptorpb.OneofDescriptorProto
	synthetic bool
	fields    []*fdp
}

// msgState is what filling one message keeps track of.
type msgState struct {
	m      *msgInfo
	json   map[string]bool // JSON names of the fields
	custom map[string]bool // the custom ones among them
	// fieldGo and oneofGetters are the Go names of the fields and the
	// getters of the oneofs.
	fieldGo, oneofGetters map[string]bool
	// apiNames are the camel case names of fields and oneofs of a Hybrid
	// or Opaque message, by camelKey (see apiNameOK).
	apiNames map[string]string
	num      int32
	oneofs   []*oneofPlan
	done     bool // field numbers exhausted
}

func (s *msgState) nextNumber(g *gen) (int32, bool) {
	if s.done {
		return 0, false
	}
	n := s.num
	if 19000 <= n && n <= 19999 {
		n = 20000
	}
	if n > 536870911 {
		s.done = true
		return 0, false
	}
	s.num = n + 1
	if g.r.percent(10) {
		s.num += int32(g.r.between(1, 30))
	}
	if g.r.percent(1) {
		s.num = max(s.num, int32(pick(g.r, []int{18999, 536870911, 1 << 20})))
	}
	return n, true
}

func (g *gen) fillMessage(f *file, m *msgInfo) {
	g.filled[m] = true
	s := &msgState{m: m, json: map[string]bool{}, custom: map[string]bool{}, num: 1, apiNames: map[string]string{},
		fieldGo: map[string]bool{}, oneofGetters: map[string]bool{}}
	if g.r.percent(10) {
		s.num = int32(g.r.between(2, 1000))
	}
	n := []int{0, 1, 2, 3, 4, 5, 7, 9, 12}[g.r.weighted(8, 14, 14, 16, 14, 12, 10, 7, 5)]
	if m.depth > 2 {
		n = min(n, 3)
	}
	for i := 0; i < n; i++ {
		if g.r.percent(6) && !s.done {
			// A reserved range and name.
			start, ok := s.nextNumber(g)
			end := start + int32(g.r.between(1, 5))
			if !ok || end > 536870911 || (start < 19000 && end >= 19000) {
				continue
			}
			s.num = end + 1
			m.dp.ReservedRange = append(m.dp.ReservedRange, &descriptorpb.DescriptorProto_ReservedRange{
				Start: proto.Int32(start), End: proto.Int32(end + 1)})
			rn := fmt.Sprintf("reserved_%d", g.next())
			m.dp.ReservedName = append(m.dp.ReservedName, rn)
			g.claim(join(m.full, rn), "reserved")
			g.feature("reserved")
		}
		switch g.r.weighted(10, 12, 78) {
		case 0:
			g.addMap(f, s)
		case 1:
			g.addOneof(f, s)
		default:
			g.addField(f, s, false)
		}
	}
	if f.syntax != proto3 && g.r.percent(18) && !s.done {
		start := s.num + int32(g.r.between(0, 100))
		var end int32
		if g.r.percent(40) || start > 500000000 {
			end = 536870912
		} else {
			end = start + int32(g.r.between(1, 1000))
		}
		// A range may span 19000 to 19999 (protoc's reserved numbers),
		// but buf's compiler refuses one whose first or last number (end
		// is exclusive) is among them.
		if 19000 <= start && start <= 19999 {
			start, end = 20000, end+20000-start
		}
		if 19000 < end && end <= 20000 {
			end = 19000
		}
		if start < 536870912 {
			m.dp.ExtensionRange = append(m.dp.ExtensionRange, &descriptorpb.DescriptorProto_ExtensionRange{
				Start: proto.Int32(start), End: proto.Int32(end)})
			m.extRange = append(m.extRange, [2]int32{start, end})
			g.feature("extension range")
		}
	}
	// Real oneofs first, then synthetic ones.
	var real, synth []*oneofPlan
	for _, o := range s.oneofs {
		if o.synthetic {
			synth = append(synth, o)
		} else {
			real = append(real, o)
		}
	}
	for i, o := range append(real, synth...) {
		m.dp.OneofDecl = append(m.dp.OneofDecl, o.decl)
		for _, fd := range o.fields {
			fd.OneofIndex = proto.Int32(int32(i))
		}
	}
}

// addField adds a field to s.m; in a oneof when oneof is non-nil.
func (g *gen) addField(f *file, s *msgState, inOneof bool) *fdp {
	num, ok := s.nextNumber(g)
	if !ok {
		return nil
	}
	m := s.m
	name := g.fieldName(f, m, s.json, s.custom)
	for k := 0; s.oneofGetters[goCamelCase(name)] || !s.apiNameOK(name, false); k++ {
		// protoc-gen-go gives a oneof foo a method GetFoo, and a field
		// get_foo a Go field of the same name.
		name = g.fieldName(f, m, s.json, s.custom)
		if k > 10 {
			name = fmt.Sprintf("f%d", g.next())
		}
	}
	s.fieldGo[goCamelCase(name)] = true
	g.addAPIName(s, name, false)
	fd := &fdp{Name: proto.String(name), Number: proto.Int32(num), JsonName: proto.String(jsonCamelCase(name))}
	t := g.pickType(f, m, typeCtx{})
	// proto2 groups.
	if !inOneof && f.syntax == proto2 && m.depth < 4 && g.r.percent(6) {
		if gm := g.addGroup(f, s, fd); gm != nil {
			t = ftype{t: descriptorpb.FieldDescriptorProto_TYPE_GROUP, msg: gm}
			name = fd.GetName()
		}
	} else if inOneof && f.syntax == proto2 && m.depth < 4 && g.r.percent(4) {
		if gm := g.addGroup(f, s, fd); gm != nil {
			t = ftype{t: descriptorpb.FieldDescriptorProto_TYPE_GROUP, msg: gm}
			name = fd.GetName()
		}
	}
	g.claim(join(m.full, name), "field")
	s.json[jsonCamelCase(name)] = true
	setType(fd, t)
	isMsg := t.msg != nil
	label := labelOptional()
	repeated := !inOneof && g.r.percent(22)
	if repeated {
		label = labelRepeated()
	}
	fd.Label = label
	opts := &descriptorpb.FieldOptions{}
	hasPresence := !repeated
	switch f.syntax {
	case proto2:
		if !repeated && !inOneof && g.r.percent(8) && (!isMsg || g.r.percent(40)) {
			fd.Label = labelRequired()
			g.feature("required")
		}
		if repeated && isPackable(t.t) && g.r.percent(30) {
			opts.Packed = proto.Bool(true)
			g.feature("packed")
		}
	case proto3:
		if !repeated && !inOneof && g.r.percent(22) {
			fd.Proto3Optional = proto.Bool(true)
			oname := "_" + name
			for g.scope[join(m.full, oname)] != "" {
				oname = "X" + oname
			}
			g.claim(join(m.full, oname), "oneof")
			s.oneofs = append(s.oneofs, &oneofPlan{decl: &descriptorpb.OneofDescriptorProto{Name: proto.String(oname)},
				synthetic: true, fields: []*fdp{fd}})
			g.feature("proto3 optional")
		} else if !repeated && !inOneof && !isMsg {
			hasPresence = false
		}
		if repeated && isPackable(t.t) && g.r.percent(10) {
			opts.Packed = proto.Bool(false)
		}
	case editions:
		feats := &descriptorpb.FeatureSet{}
		if !repeated && !inOneof {
			implicit := f.implicit && !isMsg
			switch {
			case g.r.percent(7):
				feats.FieldPresence = descriptorpb.FeatureSet_LEGACY_REQUIRED.Enum()
				implicit = false
				g.feature("editions required")
			case !isMsg && f.implicit && g.r.percent(40):
				feats.FieldPresence = descriptorpb.FeatureSet_EXPLICIT.Enum()
				implicit = false
			case !isMsg && !f.implicit && g.r.percent(20):
				feats.FieldPresence = descriptorpb.FeatureSet_IMPLICIT.Enum()
				implicit = true
				g.feature("editions implicit presence")
			}
			if implicit {
				hasPresence = false
				if t.enum != nil && t.enum.closed {
					// Implicit presence needs an open enum.
					t = ftype{t: descriptorpb.FieldDescriptorProto_TYPE_INT32}
					setType(fd, t)
					fd.TypeName = nil
				}
			}
		}
		if repeated && isPackable(t.t) && g.r.percent(12) {
			if f.expanded {
				feats.RepeatedFieldEncoding = descriptorpb.FeatureSet_PACKED.Enum()
			} else {
				feats.RepeatedFieldEncoding = descriptorpb.FeatureSet_EXPANDED.Enum()
			}
		}
		if isMsg && g.r.percent(15) {
			if f.delimited {
				feats.MessageEncoding = descriptorpb.FeatureSet_LENGTH_PREFIXED.Enum()
			} else {
				feats.MessageEncoding = descriptorpb.FeatureSet_DELIMITED.Enum()
				g.feature("editions delimited")
			}
		}
		if t.t == descriptorpb.FieldDescriptorProto_TYPE_STRING && g.r.percent(10) {
			feats.Utf8Validation = descriptorpb.FeatureSet_NONE.Enum()
		}
		if !proto.Equal(feats, &descriptorpb.FeatureSet{}) {
			opts.Features = feats
		}
	}
	if hasPresence && !isMsg && t.t != descriptorpb.FieldDescriptorProto_TYPE_GROUP && f.syntax != proto3 &&
		(!inOneof || g.r.percent(30)) && g.r.percent(30) {
		if g.declGo(f, "Default_"+m.goName+"_"+goCamelCase(name)) {
			fd.DefaultValue = proto.String(g.defaultValue(t))
			g.feature("default " + strings.ToLower(strings.TrimPrefix(t.t.String(), "TYPE_")))
		}
	}
	if g.r.percent(4) {
		opts.Deprecated = proto.Bool(true)
	}
	if g.r.percent(3) {
		custom := pick(g.r, []string{"customName", "foo-bar", "x y", "ünï", "@type", "FOO", "a.b"})
		if !s.json[custom] {
			fd.JsonName = proto.String(custom)
			s.json[custom] = true
			s.custom[custom] = true
			g.feature("json_name")
		}
	}
	if !proto.Equal(opts, &descriptorpb.FieldOptions{}) {
		fd.Options = opts
	}
	g.comment(f, appendPath(m.path, 2, int32(len(m.dp.Field))))
	m.dp.Field = append(m.dp.Field, fd)
	return fd
}

// addGroup declares the message of a proto2 group field fd in s.m and
// renames fd after it.
func (g *gen) addGroup(f *file, s *msgState, fd *fdp) *msgInfo {
	m := s.m
	for attempt := 0; attempt < 10; attempt++ {
		gname := capitalize(pick(g.r, append(append([]string{}, plainNames...), goKeywords...)))
		if g.r.percent(30) {
			gname += fmt.Sprint(g.next())
		}
		fname := strings.ToLower(gname)
		full := join(m.full, gname)
		if !validIdent(gname) || g.scope[full] != "" || g.scope[join(m.full, fname)] != "" || s.json[jsonCamelCase(fname)] ||
			s.oneofGetters[goCamelCase(fname)] || !s.apiNameOK(fname, false) {
			continue
		}
		goName := goNameOf(f, full)
		// A group inherits its parent's API level.
		if !g.declGo(f, append([]string{goName}, builderNames(f, goName, m.level)...)...) {
			continue
		}
		g.claim(full, "message")
		dp := &descriptorpb.DescriptorProto{Name: proto.String(gname)}
		gm := &msgInfo{full: full, goName: goName, dp: dp, file: f, depth: m.depth + 1,
			path: appendPath(m.path, 3, int32(len(m.dp.NestedType))), level: m.level}
		g.noteAPILevel(gm, m)
		m.dp.NestedType = append(m.dp.NestedType, dp)
		f.msgs = append(f.msgs, gm)
		fd.Name = proto.String(fname)
		fd.JsonName = proto.String(jsonCamelCase(fname))
		s.fieldGo[goCamelCase(fname)] = true
		g.addAPIName(s, fname, false)
		g.fillMessage(f, gm)
		g.feature("group")
		return gm
	}
	return nil
}

func (g *gen) addMap(f *file, s *msgState) {
	m := s.m
	num, ok := s.nextNumber(g)
	if !ok {
		return
	}
	var name, entry, entryGo string
	for attempt := 0; ; attempt++ {
		name = g.fieldName(f, m, s.json, s.custom)
		if attempt > 50 {
			name = fmt.Sprintf("f%d", g.next())
		}
		if s.oneofGetters[goCamelCase(name)] || !s.apiNameOK(name, false) {
			continue
		}
		entry = mapEntryName(name)
		entryGo = goNameOf(f, join(m.full, entry))
		if g.scope[join(m.full, entry)] == "" && validIdent(entry) && (attempt > 20 || g.claimGo(f.pkg, entryGo)) {
			break
		}
	}
	g.claim(join(m.full, name), "field")
	g.claim(join(m.full, entry), "message")
	s.fieldGo[goCamelCase(name)] = true
	g.addAPIName(s, name, false)
	s.json[jsonCamelCase(name)] = true
	key := pick(g.r, mapKeyTypes)
	val := g.pickType(f, m, typeCtx{noGroup: true, zeroFirstEnum: true, openEnumOnly: f.syntax != proto2})
	kf := &fdp{Name: proto.String("key"), Number: proto.Int32(1), Label: labelOptional(), Type: key.Enum(), JsonName: proto.String("key")}
	vf := &fdp{Name: proto.String("value"), Number: proto.Int32(2), Label: labelOptional(), JsonName: proto.String("value")}
	setType(vf, val)
	em := &msgInfo{full: join(m.full, entry), goName: entryGo, file: f, mapEntry: true, depth: m.depth + 1,
		dp: &descriptorpb.DescriptorProto{Name: proto.String(entry), Field: []*fdp{kf, vf},
			Options: &descriptorpb.MessageOptions{MapEntry: proto.Bool(true)}}}
	m.dp.NestedType = append(m.dp.NestedType, em.dp)
	f.msgs = append(f.msgs, em)
	fd := &fdp{Name: proto.String(name), Number: proto.Int32(num), Label: labelRepeated(),
		Type: descriptorpb.FieldDescriptorProto_TYPE_MESSAGE.Enum(), TypeName: proto.String("." + em.full),
		JsonName: proto.String(jsonCamelCase(name))}
	g.comment(f, appendPath(m.path, 2, int32(len(m.dp.Field))))
	m.dp.Field = append(m.dp.Field, fd)
	g.feature("map " + strings.ToLower(strings.TrimPrefix(key.String(), "TYPE_")))
	if val.msg != nil {
		g.feature("map of messages")
	}
}

func (g *gen) addOneof(f *file, s *msgState) {
	m := s.m
	var name string
	for attempt := 0; ; attempt++ {
		name = g.fieldName(f, m, nil, nil)
		if attempt > 10 {
			name = fmt.Sprintf("oneof%d", g.next())
		}
		if s.json[jsonCamelCase(name)] || s.fieldGo["Get"+goCamelCase(name)] || s.oneofGetters[goCamelCase(name)] ||
			!s.apiNameOK(name, true) {
			continue
		}
		if g.claimGo(f.pkg, "is"+m.goName+"_"+goCamelCase(name)) {
			if !m.opaqueSomewhere() {
				break
			}
			// The Hybrid and Opaque APIs add a type and a constant for
			// the oneof, and a constant per member (below).
			if g.claimGo(f.pkg, "case_"+m.goName+"_"+goCamelCase(name)) &&
				g.declGo(f, m.goName+"_"+goCamelCase(name)+"_not_set_case") {
				break
			}
		}
	}
	g.claim(join(m.full, name), "oneof")
	g.addAPIName(s, name, true)
	s.oneofGetters["Get"+goCamelCase(name)] = true
	s.fieldGo[goCamelCase(name)] = true
	o := &oneofPlan{decl: &descriptorpb.OneofDescriptorProto{Name: proto.String(name)}}
	s.oneofs = append(s.oneofs, o)
	for k := 1 + g.r.weighted(30, 35, 20, 15); k > 0; k-- {
		before := len(m.dp.Field)
		fd := g.addField(f, s, true)
		if fd == nil {
			break
		}
		memberGo := []string{m.goName + "_" + goCamelCase(fd.GetName())}
		if m.opaqueSomewhere() {
			memberGo = append(memberGo, m.goName+"_"+goCamelCase(fd.GetName())+"_case")
		}
		if !g.declGo(f, memberGo...) {
			// The wrapper type would clash: drop the member again.
			m.dp.Field = m.dp.Field[:before]
			continue
		}
		o.fields = append(o.fields, fd)
	}
	if len(o.fields) == 0 {
		s.oneofs = s.oneofs[:len(s.oneofs)-1]
		return
	}
	g.feature("oneof")
	switch m.level {
	case apiHybrid:
		g.feature("oneof in hybrid")
	case apiOpaque:
		g.feature("oneof in opaque")
	}
}

// genExtensions declares extensions of f's or imported messages with
// extension ranges, or of descriptor options.
func (g *gen) genExtensions(f *file, options bool) {
	msgs, _ := g.visible(f)
	var extendable []*msgInfo
	for _, m := range msgs {
		if len(m.extRange) > 0 && f.syntax != proto3 {
			extendable = append(extendable, m)
		}
	}
	for k := 1 + g.r.weighted(50, 30, 20); k > 0; k-- {
		var extendee string
		var lo, hi int32
		switch {
		case options && (len(extendable) == 0 || g.r.percent(50)):
			extendee = pick(g.r, optionMessages)
			lo, hi = 50000, 100000
			g.feature("custom option")
		case len(extendable) > 0:
			em := pick(g.r, extendable)
			r := pick(g.r, em.extRange)
			extendee, lo, hi = em.full, r[0], r[1]
			g.feature("extension")
		default:
			continue
		}
		used := g.extNums[extendee]
		if used == nil {
			used = map[int32]bool{}
			g.extNums[extendee] = used
		}
		num := int32(-1)
		for attempt := 0; attempt < 20; attempt++ {
			n := lo + int32(g.r.intn(int(min(hi-lo, 100000))))
			if g.r.percent(20) {
				n = lo
			}
			if (19000 <= n && n <= 19999) || used[n] || n > 536870911 {
				continue
			}
			num = n
			break
		}
		if num < 0 {
			continue
		}
		// Declared at file level, or inside one of f's messages.
		var scopeMsg *msgInfo
		var own []*msgInfo
		for _, m := range f.msgs {
			if !m.mapEntry {
				own = append(own, m)
			}
		}
		if len(own) > 0 && g.r.percent(40) {
			scopeMsg = pick(g.r, own)
		}
		scope := f.protoPkg
		if scopeMsg != nil {
			scope = scopeMsg.full
		}
		var name string
		for attempt := 0; ; attempt++ {
			name = pick(g.r, append(append([]string{}, fieldNames...), generatedLocals...))
			if attempt > 10 {
				name = fmt.Sprintf("ext%d", g.next())
			}
			full := join(scope, name)
			if validIdent(name) && g.scope[full] == "" && g.declGo(f, "E_"+goNameOf(f, full)) {
				g.claim(full, "extension")
				break
			}
		}
		used[num] = true
		// protoc gives every extension presence, but buf's compiler takes
		// an implicit-presence file's field_presence for its singular
		// extensions too, and rejects a closed enum there: open enums
		// only, so that both compile the set.
		t := g.pickType(f, nil, typeCtx{noGroup: true, openEnumOnly: f.syntax == proto3 || f.implicit})
		fd := &fdp{Name: proto.String(name), Number: proto.Int32(num), Label: labelOptional(),
			Extendee: proto.String("." + extendee)}
		setType(fd, t)
		if g.r.percent(25) {
			fd.Label = labelRepeated()
		} else if f.syntax == proto2 && t.msg == nil && g.r.percent(20) {
			fd.DefaultValue = proto.String(g.defaultValue(t))
		}
		if scopeMsg != nil {
			g.comment(f, appendPath(scopeMsg.path, 6, int32(len(scopeMsg.dp.Extension))))
			scopeMsg.dp.Extension = append(scopeMsg.dp.Extension, fd)
		} else {
			g.comment(f, []int32{7, int32(len(f.fd.Extension))})
			f.fd.Extension = append(f.fd.Extension, fd)
		}
	}
}

func (g *gen) genServices(f *file) {
	msgs, _ := g.visible(f)
	var local, nested, imported, otherPkg []*msgInfo
	for _, m := range msgs {
		switch {
		case m.file == f && m.depth == 0:
			local = append(local, m)
		case m.file == f:
			nested = append(nested, m)
		case m.file != nil:
			imported = append(imported, m)
			if m.file.pkg != f.pkg {
				otherPkg = append(otherPkg, m)
			}
		}
	}
	var wkt []*msgInfo
	for _, w := range f.wkts {
		wkt = append(wkt, w.msgs...)
	}
	pickMsg := func() *msgInfo {
		for {
			switch g.r.weighted(35, 12, 10, 12, 25) {
			case 0:
				if len(local) > 0 {
					return pick(g.r, local)
				}
			case 1:
				if len(nested) > 0 {
					g.feature("nested method type")
					return pick(g.r, nested)
				}
			case 2:
				if len(imported) > 0 {
					g.feature("imported method type")
					return pick(g.r, imported)
				}
			case 3:
				if len(otherPkg) > 0 {
					g.feature("method type from another Go package")
					return pick(g.r, otherPkg)
				}
			default:
				if len(wkt) > 0 {
					g.feature("well-known method type")
					return pick(g.r, wkt)
				}
			}
		}
	}
	for si, sname := range f.services {
		sd := &descriptorpb.ServiceDescriptorProto{Name: proto.String(sname)}
		spath := []int32{6, int32(si)}
		g.comment(f, spath)
		if g.r.percent(8) {
			sd.Options = &descriptorpb.ServiceOptions{Deprecated: proto.Bool(true)}
			g.feature("deprecated service")
		}
		sfull := join(f.protoPkg, sname)
		sgo := goCamelCase(sname)
		methodGo := map[string]bool{}
		n := g.r.weighted(5, 35, 28, 16, 10, 6)
		if n == 5 {
			n = g.r.between(5, 9)
		}
		if n == 0 {
			g.feature("service without methods")
		}
		for i := 0; i < n; i++ {
			var name string
			for attempt := 0; ; attempt++ {
				switch g.r.weighted(60, 20, 10, 10) {
				case 0:
					name = pick(g.r, methodNames)
				case 1:
					name = pick(g.r, plainNames)
				case 2:
					name = pick(g.r, goKeywords)
				default:
					name = pick(g.r, append(append([]string{}, predeclared...), generatedLocals...))
				}
				if attempt > 20 {
					name = fmt.Sprintf("Method%d", g.next())
				}
				gn := goCamelCase(name)
				if !validIdent(name) || g.scope[join(sfull, name)] != "" {
					continue
				}
				if methodGo[gn] && !(g.clash && g.r.percent(30)) {
					continue
				}
				base := sgo + "_" + gn
				if !g.claimGo(f.pkg, base+"_FullMethodName", base+"Client", base+"Server") {
					continue
				}
				methodGo[gn] = true
				g.claim(join(sfull, name), "method")
				break
			}
			in := pickMsg()
			out := in
			if g.r.percent(85) {
				out = pickMsg()
			}
			md := &descriptorpb.MethodDescriptorProto{Name: proto.String(name),
				InputType: proto.String("." + in.full), OutputType: proto.String("." + out.full)}
			switch g.r.weighted(40, 20, 20, 20) {
			case 1:
				md.ServerStreaming = proto.Bool(true)
				g.feature("server streaming")
			case 2:
				md.ClientStreaming = proto.Bool(true)
				g.feature("client streaming")
			case 3:
				md.ClientStreaming, md.ServerStreaming = proto.Bool(true), proto.Bool(true)
				g.feature("bidi streaming")
			default:
				g.feature("unary")
			}
			if g.r.percent(8) {
				md.Options = &descriptorpb.MethodOptions{Deprecated: proto.Bool(true)}
				g.feature("deprecated method")
			}
			if g.r.percent(6) {
				if md.Options == nil {
					md.Options = &descriptorpb.MethodOptions{}
				}
				md.Options.IdempotencyLevel = pick(g.r, []descriptorpb.MethodOptions_IdempotencyLevel{
					descriptorpb.MethodOptions_NO_SIDE_EFFECTS, descriptorpb.MethodOptions_IDEMPOTENT}).Enum()
			}
			g.comment(f, appendPath(spath, 2, int32(len(sd.Method))))
			sd.Method = append(sd.Method, md)
		}
		f.fd.Service = append(f.fd.Service, sd)
	}
}

// comment gives the element at path a comment, now and then, as protoc
// writes comments into source info.
func (g *gen) comment(f *file, path []int32) {
	if !g.r.percent(30) {
		return
	}
	loc := &descriptorpb.SourceCodeInfo_Location{Path: path, Span: []int32{int32(len(f.locs)), 0, 1}}
	text := func() string {
		c := pick(g.r, commentPool)
		if g.r.percent(20) {
			// A block comment: protoc keeps its text as is.
			return c
		}
		var b strings.Builder
		for _, line := range strings.Split(c, "\n") {
			b.WriteString(" " + line + "\n")
		}
		return b.String()
	}
	if g.r.percent(85) {
		loc.LeadingComments = proto.String(text())
	}
	if g.r.percent(20) {
		loc.TrailingComments = proto.String(text())
	}
	if g.r.percent(10) {
		loc.LeadingDetachedComments = []string{text()}
	}
	f.locs = append(f.locs, loc)
	g.feature("comments")
}
