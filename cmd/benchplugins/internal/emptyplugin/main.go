// Command emptyplugin is a protoc plugin that reads and resolves its
// CodeGeneratorRequest with protogen and generates nothing. benchplugins uses
// it as the baseline: the cost any protogen plugin pays before it writes a
// line.
package main

import "google.golang.org/protobuf/compiler/protogen"

func main() {
	protogen.Options{}.Run(func(*protogen.Plugin) error { return nil })
}
