package serve

import (
	"context"
	"time"

	"google.golang.org/grpc/status"
)

// Wait waits d, or until the call of ctx ends, and then returns the status
// that the call ends with (DeadlineExceeded or Canceled): the delays that
// stubs and fakes put before their answers.
func Wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return status.FromContextError(ctx.Err()).Err()
	}
}
