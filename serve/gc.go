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

// tracedServers counts the traced servers of the program that raised the
// collector's percent and have not stopped; gcBefore is the percent
// before the first of them.
var (
	tracedMu      sync.Mutex
	tracedServers int
	gcBefore      int
)

// tracingGC sets the collector's percent to TracingGCPercent when tracing
// is on and GOGC is unset, and returns what puts it back, once however
// often it is called: when the last traced server of the program stops,
// to what it was before the first.
func tracingGC(tracingOn bool) (restore func()) {
	if !tracingOn || os.Getenv("GOGC") != "" {
		return func() {}
	}
	tracedMu.Lock()
	defer tracedMu.Unlock()
	if tracedServers == 0 {
		gcBefore = debug.SetGCPercent(TracingGCPercent)
	}
	tracedServers++
	return sync.OnceFunc(func() {
		tracedMu.Lock()
		defer tracedMu.Unlock()
		if tracedServers--; tracedServers == 0 {
			debug.SetGCPercent(gcBefore)
		}
	})
}
