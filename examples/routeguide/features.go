package routeguide

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protojson"
)

// featureDB is the feature database of the server: thirteen features of
// route_guide_db.json, the database of gRPC's route guide examples, in its
// format (a JSON array of Features in protobuf's JSON mapping).
//
//go:embed route_guide_db.json
var featureDB []byte

// DefaultFeatures returns the features of the embedded database, a new
// slice on every call.
func DefaultFeatures() []*Feature {
	features, err := ParseFeatures(featureDB)
	if err != nil {
		panic("routeguide: the embedded route_guide_db.json: " + err.Error())
	}
	return features
}

// ParseFeatures parses a feature database in the format of
// route_guide_db.json: a JSON array of Features, such as
//
//	[{"location": {"latitude": 407838351, "longitude": -746143763}, "name": "Patriots Path, Mendham, NJ 07945, USA"}]
func ParseFeatures(data []byte) ([]*Feature, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("feature database: %v", err)
	}
	features := make([]*Feature, len(raw))
	for i, r := range raw {
		f := &Feature{}
		if err := protojson.Unmarshal(r, f); err != nil {
			return nil, fmt.Errorf("feature database: feature %d: %v", i, err)
		}
		features[i] = f
	}
	return features, nil
}

// earthRadius is the mean radius of the Earth in metres, as the tutorial
// takes it.
const earthRadius = 6371000

// Distance returns the great-circle distance in metres between two points
// in the E7 representation, by the haversine formula on a sphere of radius
// 6371 km, computed in the same steps as the tutorial's get_distance.
func Distance(from, to *Point) float64 {
	lat1, lon1 := degrees(from.GetLatitude()), degrees(from.GetLongitude())
	lat2, lon2 := degrees(to.GetLatitude()), degrees(to.GetLongitude())
	sinLat := math.Sin(radians(lat2-lat1) / 2)
	sinLon := math.Sin(radians(lon2-lon1) / 2)
	h := sinLat*sinLat + math.Cos(radians(lat1))*math.Cos(radians(lat2))*sinLon*sinLon
	return earthRadius * 2 * math.Atan2(math.Sqrt(h), math.Sqrt(1-h))
}

// degrees converts an E7 coordinate to degrees.
func degrees(e7 int32) float64 { return float64(e7) / 1e7 }

// radians converts degrees to radians with the factor that Python's
// math.radians uses: the float64 nearest to pi, divided by 180.
func radians(deg float64) float64 { return deg * (float64(math.Pi) / 180) }
