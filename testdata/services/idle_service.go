// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package services

// IdleService implements Idle.
//
// Idle has no method.
//
// This file is yours: write the methods, and give the servicer the fields it
// needs (a database, clients of other services), set up in NewIdleService.
// It embeds DefaultIdleServer, so that methods the proto gains later answer
// with example values until you write them here.
type IdleService struct {
	DefaultIdleServer
}

// NewIdleService returns the servicer that the server main
// registers. Set up the servicer's dependencies here.
func NewIdleService() *IdleService {
	return &IdleService{}
}
