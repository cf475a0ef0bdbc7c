// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package routeguide

import (
	"context"
	"io"
	"math"
	"time"

	"google.golang.org/grpc"
)

// RouteGuideService implements routeguide.RouteGuide with the behaviour of
// the RouteGuideServicer of the fourth document (gRPC's Python basics
// tutorial), over a list of features.
//
// This file is yours: write the methods, and give the servicer the fields it needs (a database, clients of other services), set up in NewRouteGuideService. It embeds DefaultRouteGuideServer, so that methods the proto gains later answer with example values until you write them here.
type RouteGuideService struct {
	DefaultRouteGuideServer

	// Now is the clock that RecordRoute times a route with.
	Now func() time.Time

	features []*Feature
}

// NewRouteGuideService returns the servicer that the server main
// registers, serving the features of the embedded route_guide_db.json.
func NewRouteGuideService() *RouteGuideService {
	return NewRouteGuideServiceWith(DefaultFeatures())
}

// NewRouteGuideServiceWith returns a servicer of the given features. It
// never changes them.
func NewRouteGuideServiceWith(features []*Feature) *RouteGuideService {
	return &RouteGuideService{Now: time.Now, features: features}
}

// GetFeature obtains the feature at a given position: the one of the
// database, or, if there is none, a feature with an empty name at the
// requested location.
func (s *RouteGuideService) GetFeature(ctx context.Context, req *Point) (*Feature, error) {
	if f := s.featureAt(req); f != nil {
		return f, nil
	}
	return &Feature{Name: "", Location: &Point{Latitude: req.GetLatitude(), Longitude: req.GetLongitude()}}, nil
}

// ListFeatures streams the features of the database inside the rectangle,
// edges included, in the order of the database. lo and hi may be any two
// opposite corners.
func (s *RouteGuideService) ListFeatures(req *Rectangle, stream grpc.ServerStreamingServer[Feature]) error {
	left := min(req.GetLo().GetLongitude(), req.GetHi().GetLongitude())
	right := max(req.GetLo().GetLongitude(), req.GetHi().GetLongitude())
	bottom := min(req.GetLo().GetLatitude(), req.GetHi().GetLatitude())
	top := max(req.GetLo().GetLatitude(), req.GetHi().GetLatitude())
	for _, f := range s.features {
		lat, lon := f.GetLocation().GetLatitude(), f.GetLocation().GetLongitude()
		if lon < left || lon > right || lat < bottom || lat > top {
			continue
		}
		// Send fails once the client has gone away, which ends the loop.
		if err := stream.Send(f); err != nil {
			return err
		}
	}
	return nil
}

// RecordRoute receives the points of a route until the client closes its
// side, then answers with their number, the number of them that are
// features of the database, the great-circle distance along the route in
// metres, and the seconds from the start of the call to its end.
func (s *RouteGuideService) RecordRoute(stream grpc.ClientStreamingServer[Point, RouteSummary]) error {
	start := s.Now()
	var (
		points, features int32
		distance         float64
		prev             *Point
	)
	for {
		p, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		points++
		if s.featureAt(p) != nil {
			features++
		}
		if prev != nil {
			distance += Distance(prev, p)
		}
		prev = p
	}
	// Like the tutorial, sum the distances first and truncate the sum.
	// A route longer than an int32 of metres (over 50 times around the
	// Earth) is reported as the largest int32.
	return stream.SendAndClose(&RouteSummary{
		PointCount:   points,
		FeatureCount: features,
		Distance:     int32(min(distance, math.MaxInt32)),
		ElapsedTime:  int32(s.Now().Sub(start) / time.Second),
	})
}

// RouteChat answers each note with the notes sent earlier in the same call
// at the same location, oldest first, then remembers it.
func (s *RouteGuideService) RouteChat(stream grpc.BidiStreamingServer[RouteNote, RouteNote]) error {
	type location struct{ lat, lon int32 }
	earlier := make(map[location][]*RouteNote)
	for {
		note, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		at := location{note.GetLocation().GetLatitude(), note.GetLocation().GetLongitude()}
		for _, prev := range earlier[at] {
			if err := stream.Send(prev); err != nil {
				return err
			}
		}
		earlier[at] = append(earlier[at], note)
	}
}

// featureAt returns the feature of the database at p, named or not, or nil.
func (s *RouteGuideService) featureAt(p *Point) *Feature {
	for _, f := range s.features {
		if f.GetLocation().GetLatitude() == p.GetLatitude() && f.GetLocation().GetLongitude() == p.GetLongitude() {
			return f
		}
	}
	return nil
}
