// This module only pins the official grpc-go route guide client, which
// official_client_test.go builds from the module cache and runs against our
// server. Its replace directives (grpc => ../) stop `go run pkg@version`;
// required from here, they do not apply. No code of it is committed.
module officialclient

go 1.26.0

require (
	google.golang.org/grpc v1.85.0
	google.golang.org/grpc/examples v0.0.0-20260825154716-030ee8becb20
)
