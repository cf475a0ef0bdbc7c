// This file was scaffolded by protoc-gen-gotutor and is yours to edit:
// regenerating never overwrites it.

package routeguide_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gotutor/gotutor/examples/routeguide"
	"github.com/gotutor/gotutor/examples/routeguide/routeguidetest"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// db is the embedded database, written out independently of the code that
// parses it.
var db = []*routeguide.Feature{
	feature(407838351, -746143763, "Patriots Path, Mendham, NJ 07945, USA"),
	feature(408122808, -743999179, "101 New Jersey 10, Whippany, NJ 07981, USA"),
	feature(413628156, -749015468, "U.S. 6, Shohola, PA 18458, USA"),
	feature(419999544, -740371136, "5 Conners Road, Kingston, NY 12401, USA"),
	feature(414008389, -743951297, "Mid Hudson Psychiatric Center, New Hampton, NY 10958, USA"),
	feature(419611318, -746524769, "287 Flugertown Road, Livingston Manor, NY 12758, USA"),
	feature(406109563, -742186778, "4001 Tremley Point Road, Linden, NJ 07036, USA"),
	feature(416802456, -742370183, "352 South Mountain Road, Wallkill, NY 12589, USA"),
	feature(412950425, -741077389, "Bailey Turn Road, Harriman, NY 10926, USA"),
	feature(412144655, -743949739, "193-199 Wawayanda Road, Hewitt, NJ 07421, USA"),
	feature(409146138, -746188906, "Berkshire Valley Management Area Trail, Jefferson, NJ, USA"),
	feature(407113723, -749746483, ""),
	feature(402133926, -743613249, ""),
}

func point(lat, lon int32) *routeguide.Point {
	return &routeguide.Point{Latitude: lat, Longitude: lon}
}

func feature(lat, lon int32, name string) *routeguide.Feature {
	return &routeguide.Feature{Name: name, Location: point(lat, lon)}
}

func note(lat, lon int32, message string) *routeguide.RouteNote {
	return &routeguide.RouteNote{Location: point(lat, lon), Message: message}
}

func ctx10s(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestDefaultFeatures(t *testing.T) {
	if !equalAll(db, routeguide.DefaultFeatures()) {
		t.Errorf("DefaultFeatures() = %s, want %s", jsonAll(routeguide.DefaultFeatures()), jsonAll(db))
	}
}

func TestParseFeatures(t *testing.T) {
	got, err := routeguide.ParseFeatures([]byte(`[{"location": {"latitude": 1, "longitude": -2}, "name": "a"}, {"location": {}}]`))
	if err != nil {
		t.Fatal(err)
	}
	want := []*routeguide.Feature{feature(1, -2, "a"), {Location: point(0, 0)}}
	if !equalAll(want, got) {
		t.Errorf("ParseFeatures = %s, want %s", jsonAll(got), jsonAll(want))
	}
	for _, bad := range []string{`{}`, `[{"location": {"latitude": "north"}}]`, `[{"nom": "x"}]`, ``} {
		if _, err := routeguide.ParseFeatures([]byte(bad)); err == nil {
			t.Errorf("ParseFeatures(%q) succeeded, want an error", bad)
		}
	}
}

// TestDistance checks the great-circle distances against values computed
// with the tutorial's get_distance in Python.
func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		from, to *routeguide.Point
		want     int // metres, truncated
	}{
		{point(0, 0), point(0, 0), 0},
		{point(0, 0), point(0, 10000000), 111194},
		{point(0, 0), point(900000000, 0), 10007543},
		{point(-900000000, 0), point(900000000, 0), 20015086},
		{point(407838351, -746143763), point(408122808, -743999179), 18327},
		{point(408122808, -743999179), point(409146138, -746188906), 21646},
		{point(409146138, -746188906), point(407838351, -746143763), 14546},
		{point(0, 1800000000), point(0, -1800000000), 0},
	} {
		if got := int(routeguide.Distance(tc.from, tc.to)); got != tc.want {
			t.Errorf("Distance(%v, %v) = %d m, want %d", tc.from, tc.to, got, tc.want)
		}
		if got := int(routeguide.Distance(tc.to, tc.from)); got != tc.want {
			t.Errorf("Distance(%v, %v) = %d m, want %d (as the other way)", tc.to, tc.from, got, tc.want)
		}
	}
}

// TestRouteGuideService_OfficialClient makes exactly the calls of the
// official grpc-go route guide client (route_guide/client/client.go), with
// a fixed route where that client picks random points.
func TestRouteGuideService_OfficialClient(t *testing.T) {
	client := routeguidetest.NewRouteGuideClient(t, routeguide.NewRouteGuideService())

	t.Run("GetFeature", func(t *testing.T) {
		got, err := client.GetFeature(ctx10s(t), point(409146138, -746188906))
		if err != nil {
			t.Fatal(err)
		}
		if want := feature(409146138, -746188906, "Berkshire Valley Management Area Trail, Jefferson, NJ, USA"); !proto.Equal(got, want) {
			t.Errorf("GetFeature = %v, want %v", got, want)
		}
		got, err = client.GetFeature(ctx10s(t), point(0, 0))
		if err != nil {
			t.Fatal(err)
		}
		if want := feature(0, 0, ""); !proto.Equal(got, want) || got.Location == nil {
			t.Errorf("GetFeature(0, 0) = %v, want %v with its location set", got, want)
		}
	})

	t.Run("ListFeatures", func(t *testing.T) {
		got := listFeatures(t, client, point(400000000, -750000000), point(420000000, -730000000))
		if !equalAll(db, got) {
			t.Errorf("ListFeatures between 40, -75 and 42, -73 = %s, want %s", jsonAll(got), jsonAll(db))
		}
	})

	t.Run("RecordRoute", func(t *testing.T) {
		route := []*routeguide.Point{
			point(407838351, -746143763), // Patriots Path
			point(408122808, -743999179), // Whippany
			point(409146138, -746188906), // Berkshire Valley
			point(407838351, -746143763), // Patriots Path again
		}
		got := recordRoute(t, client, route)
		// The segments are 18327.35, 21646.27 and 14546.88 m: the tutorial
		// truncates their sum (54520), not each of them (54519).
		want := &routeguide.RouteSummary{PointCount: 4, FeatureCount: 4, Distance: 54520, ElapsedTime: 0}
		if !proto.Equal(got, want) {
			t.Errorf("RecordRoute = %v, want %v", got, want)
		}
	})

	t.Run("RouteChat", func(t *testing.T) {
		got := routeChat(t, client, []*routeguide.RouteNote{
			note(0, 1, "First message"),
			note(0, 2, "Second message"),
			note(0, 3, "Third message"),
			note(0, 1, "Fourth message"),
			note(0, 2, "Fifth message"),
			note(0, 3, "Sixth message"),
		})
		want := []*routeguide.RouteNote{
			note(0, 1, "First message"),
			note(0, 2, "Second message"),
			note(0, 3, "Third message"),
		}
		if !equalAll(want, got) {
			t.Errorf("RouteChat = %s, want %s", jsonAll(got), jsonAll(want))
		}
	})
}

// TestRouteGuideService_PythonClientChat sends the notes of the document's
// route_guide_client.py.
func TestRouteGuideService_PythonClientChat(t *testing.T) {
	client := routeguidetest.NewRouteGuideClient(t, routeguide.NewRouteGuideService())
	got := routeChat(t, client, []*routeguide.RouteNote{
		note(0, 0, "First message"),
		note(0, 1, "Second message"),
		note(1, 0, "Third message"),
		note(0, 0, "Fourth message"),
		note(1, 0, "Fifth message"),
	})
	want := []*routeguide.RouteNote{note(0, 0, "First message"), note(1, 0, "Third message")}
	if !equalAll(want, got) {
		t.Errorf("RouteChat = %s, want %s", jsonAll(got), jsonAll(want))
	}
}

func TestRouteGuideService_GetFeature(t *testing.T) {
	client := routeguidetest.NewRouteGuideClient(t, routeguide.NewRouteGuideService())
	for _, want := range []*routeguide.Feature{
		db[0],
		db[11], // unnamed, but in the database
		feature(407838352, -746143763, ""),
		feature(-900000000, 1800000000, ""),
	} {
		got, err := client.GetFeature(ctx10s(t), want.Location)
		if err != nil {
			t.Fatal(err)
		}
		if !proto.Equal(got, want) {
			t.Errorf("GetFeature(%v) = %v, want %v", want.Location, got, want)
		}
	}
}

func TestRouteGuideService_ListFeatures(t *testing.T) {
	client := routeguidetest.NewRouteGuideClient(t, routeguide.NewRouteGuideService())
	for _, tc := range []struct {
		name   string
		lo, hi *routeguide.Point
		want   []*routeguide.Feature
	}{
		{"lo and hi swapped", point(420000000, -730000000), point(400000000, -750000000), db},
		{"other diagonal", point(400000000, -730000000), point(420000000, -750000000), db},
		{"edges included", db[3].Location, db[3].Location, db[3:4]},
		{"north of 41.5", point(415000000, -750000000), point(420000000, -730000000), []*routeguide.Feature{db[3], db[5], db[7]}},
		{"west of -74.8", point(400000000, -750000000), point(420000000, -748000000), []*routeguide.Feature{db[2], db[11]}},
		{"nothing", point(0, 0), point(10, 10), nil},
		{"no corners", nil, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := listFeatures(t, client, tc.lo, tc.hi)
			if !equalAll(tc.want, got) {
				t.Errorf("ListFeatures(%v, %v) = %s, want %s", tc.lo, tc.hi, jsonAll(got), jsonAll(tc.want))
			}
		})
	}
}

func TestRouteGuideService_RecordRoute(t *testing.T) {
	svc := routeguide.NewRouteGuideService()
	// Each call to the clock is 90.9 s after the one before: the route takes
	// 90.9 s, reported as 90.
	clock := time.Date(2020, 4, 5, 11, 14, 26, 0, time.UTC)
	svc.Now = func() time.Time {
		clock = clock.Add(90900 * time.Millisecond)
		return clock
	}
	client := routeguidetest.NewRouteGuideClient(t, svc)
	for _, tc := range []struct {
		name  string
		route []*routeguide.Point
		want  *routeguide.RouteSummary
	}{
		{"no points", nil, &routeguide.RouteSummary{ElapsedTime: 90}},
		{"one unknown point", []*routeguide.Point{point(1, 1)}, &routeguide.RouteSummary{PointCount: 1, ElapsedTime: 90}},
		{
			"along the equator and up a meridian",
			// 111194.93 + 111194.93 + 10007543.40 m
			[]*routeguide.Point{point(0, 0), point(0, 10000000), point(0, 0), point(900000000, 0)},
			&routeguide.RouteSummary{PointCount: 4, Distance: 10229933, ElapsedTime: 90},
		},
		{
			"unnamed features count",
			// 75884.15 + 8686592.36 m
			[]*routeguide.Point{db[11].Location, db[12].Location, point(0, 0)},
			&routeguide.RouteSummary{PointCount: 3, FeatureCount: 2, Distance: 8762476, ElapsedTime: 90},
		},
		{
			"pole to pole and back, 60 times: more metres than an int32",
			repeat([]*routeguide.Point{point(-900000000, 0), point(900000000, 0)}, 60),
			&routeguide.RouteSummary{PointCount: 120, Distance: 2147483647, ElapsedTime: 90},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := recordRoute(t, client, tc.route); !proto.Equal(got, tc.want) {
				t.Errorf("RecordRoute = %v, want %v", got, tc.want)
			}
		})
	}
}

func repeat(points []*routeguide.Point, n int) []*routeguide.Point {
	var out []*routeguide.Point
	for range n {
		out = append(out, points...)
	}
	return out
}

func TestRouteGuideService_RouteChat(t *testing.T) {
	client := routeguidetest.NewRouteGuideClient(t, routeguide.NewRouteGuideService())
	t.Run("every earlier note at the location, oldest first", func(t *testing.T) {
		got := routeChat(t, client, []*routeguide.RouteNote{
			note(5, 5, "a"), note(5, 5, "b"), note(6, 6, "x"), note(5, 5, "c"),
		})
		want := []*routeguide.RouteNote{note(5, 5, "a"), note(5, 5, "a"), note(5, 5, "b")}
		if !equalAll(want, got) {
			t.Errorf("RouteChat = %s, want %s", jsonAll(got), jsonAll(want))
		}
	})
	t.Run("notes of another call are not shared", func(t *testing.T) {
		got := routeChat(t, client, []*routeguide.RouteNote{note(5, 5, "d")})
		if len(got) != 0 {
			t.Errorf("RouteChat answered %v to the first note of a call, want nothing", got)
		}
	})
	t.Run("a note without location is at 0, 0", func(t *testing.T) {
		got := routeChat(t, client, []*routeguide.RouteNote{{Message: "nowhere"}, note(0, 0, "origin")})
		want := []*routeguide.RouteNote{{Message: "nowhere"}}
		if !equalAll(want, got) {
			t.Errorf("RouteChat = %s, want %s", jsonAll(got), jsonAll(want))
		}
	})
}

func listFeatures(t *testing.T, client routeguide.RouteGuideClient, lo, hi *routeguide.Point) []*routeguide.Feature {
	t.Helper()
	stream, err := client.ListFeatures(ctx10s(t), &routeguide.Rectangle{Lo: lo, Hi: hi})
	if err != nil {
		t.Fatal(err)
	}
	var got []*routeguide.Feature
	for {
		f, err := stream.Recv()
		if err == io.EOF {
			return got
		}
		if err != nil {
			t.Fatalf("ListFeatures: %v", err)
		}
		got = append(got, f)
	}
}

func recordRoute(t *testing.T, client routeguide.RouteGuideClient, route []*routeguide.Point) *routeguide.RouteSummary {
	t.Helper()
	stream, err := client.RecordRoute(ctx10s(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range route {
		if err := stream.Send(p); err != nil {
			t.Fatalf("RecordRoute: Send: %v", err)
		}
	}
	summary, err := stream.CloseAndRecv()
	if err != nil {
		t.Fatalf("RecordRoute: %v", err)
	}
	return summary
}

// routeChat sends notes, then closes its side and returns every note
// received.
func routeChat(t *testing.T, client routeguide.RouteGuideClient, notes []*routeguide.RouteNote) []*routeguide.RouteNote {
	t.Helper()
	stream, err := client.RouteChat(ctx10s(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range notes {
		if err := stream.Send(n); err != nil {
			t.Fatalf("RouteChat: Send: %v", err)
		}
	}
	if err := stream.CloseSend(); err != nil {
		t.Fatal(err)
	}
	var got []*routeguide.RouteNote
	for {
		n, err := stream.Recv()
		if err == io.EOF {
			return got
		}
		if err != nil {
			t.Fatalf("RouteChat: %v", err)
		}
		got = append(got, n)
	}
}

// equalAll tells whether two lists of messages are equal, message by message.
func equalAll[M proto.Message](want, got []M) bool {
	if len(want) != len(got) {
		return false
	}
	for i := range want {
		if !proto.Equal(want[i], got[i]) {
			return false
		}
	}
	return true
}

// jsonAll formats a list of messages for a failure message.
func jsonAll[M proto.Message](ms []M) string {
	s := "["
	for i, m := range ms {
		if i > 0 {
			s += ", "
		}
		s += protojson.MarshalOptions{}.Format(m)
	}
	return s + "]"
}
