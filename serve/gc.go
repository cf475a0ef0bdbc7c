package serve

import (
	"os"
	"runtime/debug"
	"sync"
)

// TracingGCPercent is the garbage collector's percent of a server whose
// calls are traced (NewServer started tracing) when the environment does
// not set GOGC, instead of Go's 100.
//
// Why: tracing a call makes about twice the garbage the call made
// untraced (the SDK's span and the snapshot it exports, otelgrpc's
// attributes and contexts), so that at Go's 100 the collector runs twice
// as often, and that, more than the tracing itself, is what tracing cost a
// busy server (cmd/benchserver -tracing). At 200 it runs about as often as
// untraced, for a heap that may grow to three times the live data instead
// of twice: a few MiB for a server like the examples' (the max RSS that
// cmd/benchserver prints). GOMEMLIMIT, which the Kubernetes Deployment
// sets, still bounds it; GOGC, when set, is left as it is.
const TracingGCPercent = 200

// tracingGC sets the collector's percent to TracingGCPercent when tracing
// is on and GOGC is unset, and returns what puts it back, once however
// often it is called.
func tracingGC(tracingOn bool) (restore func()) {
	if !tracingOn || os.Getenv("GOGC") != "" {
		return func() {}
	}
	before := debug.SetGCPercent(TracingGCPercent)
	return sync.OnceFunc(func() { debug.SetGCPercent(before) })
}
