//! Distance as people travel in Xiamen: half the city lives on an island, and the water
//! between Xiamen Island (思明, 湖里) and the mainland districts (海沧, 集美, 同安, 翔安) is
//! crossed only on a few bridges and tunnels, which queue at rush hour. A straight line across
//! the water says 思明 is nearer to 海沧 than its neighbour 集美; people who commute know
//! better. The rule, stated once and used by matching, search and the pages:
//!
//! - on the same side of the water: the straight line × [`ROAD_FACTOR`] (roads are not straight);
//! - across it: to the crossing that makes the shortest trip and on from there, × the road
//!   factor, plus [`CROSSING_DETOUR_KM`] for the approaches and the queue at the crossing.
//!
//! The crossing points are approximate (to a few hundred metres) mid-points of the bridges
//! and tunnels in service; the detour is a planning figure, not a measurement.

use crate::codes::DistrictCode;

/// Latitude, longitude in degrees (WGS 84).
pub type LatLon = (f64, f64);

/// How much longer a trip by road is than the straight line, within the city.
pub const ROAD_FACTOR: f64 = 1.3;
/// What crossing the water adds, in kilometres of ordinary road.
pub const CROSSING_DETOUR_KM: f64 = 8.0;

/// A bridge or tunnel between the island and the mainland.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crossing {
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub at: LatLon,
}

pub const CROSSINGS: [Crossing; 7] = [
    Crossing { name_zh: "海沧大桥", name_en: "Haicang Bridge", at: (24.4900, 118.0600) },
    Crossing { name_zh: "海沧隧道", name_en: "Haicang Tunnel", at: (24.5040, 118.0630) },
    Crossing { name_zh: "杏林大桥", name_en: "Xinglin Bridge", at: (24.5480, 118.0750) },
    Crossing { name_zh: "厦门大桥", name_en: "Xiamen Bridge", at: (24.5620, 118.1050) },
    Crossing { name_zh: "集美大桥", name_en: "Jimei Bridge", at: (24.5650, 118.1200) },
    Crossing { name_zh: "翔安大桥", name_en: "Xiang'an Bridge", at: (24.5550, 118.1900) },
    Crossing { name_zh: "翔安隧道", name_en: "Xiang'an Tunnel", at: (24.5350, 118.2050) },
];

/// The seat of a district's government: where a place is taken to be when nothing nearer is
/// known.
pub fn district_seat(d: &DistrictCode) -> LatLon {
    match d.as_str() {
        "350203" => (24.4798, 118.0894), // 思明区
        "350205" => (24.4846, 118.0326), // 海沧区
        "350206" => (24.5121, 118.1460), // 湖里区
        "350211" => (24.5762, 118.0970), // 集美区
        "350212" => (24.7226, 118.1520), // 同安区
        "350213" => (24.6188, 118.2479), // 翔安区
        _ => (24.4798, 118.0894),
    }
}

/// Xiamen's bounding box, generous: a coordinate outside it is a typo or a swapped pair.
const LAT_RANGE: std::ops::RangeInclusive<f64> = 24.2..=24.95;
const LON_RANGE: std::ops::RangeInclusive<f64> = 117.8..=118.6;

/// Whether a point lies within Xiamen's bounding box.
pub fn in_xiamen(at: LatLon) -> bool {
    LAT_RANGE.contains(&at.0) && LON_RANGE.contains(&at.1)
}

/// Where a person's trips start, as the platform keeps it: the H3 cell (resolution 9, about
/// 0.1 km², as gig workers' places are kept) holding the point their device reported, never
/// the point itself. Refused outside Xiamen (a swapped pair, or somewhere the city's roads do
/// not reach).
pub fn home_cell(at: LatLon) -> Result<i64, crate::error::CodeError> {
    if !at.0.is_finite() || !at.1.is_finite() || !in_xiamen(at) {
        return Err(crate::error::CodeError::new("person.origin_outside_xiamen").field("latitude"));
    }
    crate::gig::place::cell_of(at)
        .ok_or_else(|| crate::error::CodeError::new("person.origin_outside_xiamen").field("latitude"))
}

/// Xiamen Island (with 鼓浪屿) as a box: the channels bound it at about 118.06° E to the west
/// (海沧), 24.56° N to the north (集美) and 118.20° E to the east (翔安). Coarse — a few hundred
/// metres at the shores — so it only guards against a point plainly on the other side of the
/// water from the person's district, never decides a trip.
fn plainly_on_island(at: LatLon) -> Option<bool> {
    const MARGIN: f64 = 0.01; // about 1 km: inside it, the box cannot tell
    let (lat, lon) = at;
    let inside = |m: f64| (24.41 + m..=24.562 - m).contains(&lat) && (118.062 + m..=118.2 - m).contains(&lon);
    if inside(MARGIN) {
        Some(true)
    } else if !inside(-MARGIN) {
        Some(false)
    } else {
        None
    }
}

/// The home cell of a person of `district`: as [`home_cell`], and refused when the point is
/// plainly across the water from that district (the district decides which side a trip starts
/// on, so the two must agree; a person who moved changes their district first).
pub fn home_cell_in(at: LatLon, district: &DistrictCode) -> Result<i64, crate::error::CodeError> {
    let cell = home_cell(at)?;
    if plainly_on_island(at).is_some_and(|island| island != on_island(district)) {
        return Err(crate::error::CodeError::new("person.origin_across_water").field("latitude"));
    }
    Ok(cell)
}

/// Where a person's trips start: the centre of their home cell when they set one, else the seat
/// of their district. The district still says which side of the water they are on.
pub fn origin(home_cell: Option<i64>, district: &DistrictCode) -> LatLon {
    home_cell.and_then(crate::gig::place::centre_of).unwrap_or_else(|| district_seat(district))
}

/// Whether a district lies on Xiamen Island.
pub fn on_island(d: &DistrictCode) -> bool {
    matches!(d.as_str(), "350203" | "350206")
}

/// Great-circle distance in kilometres.
pub fn straight_km(a: LatLon, b: LatLon) -> f64 {
    let (p1, p2) = (a.0.to_radians(), b.0.to_radians());
    let dp = p2 - p1;
    let dl = (b.1 - a.1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6371.0 * 2.0 * h.sqrt().asin()
}

const KM_PER_DEGREE: f64 = 6371.0 * std::f64::consts::PI / 180.0;

/// A trip's length and, when it crosses the water, where.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trip {
    pub km: f64,
    pub via: Option<&'static Crossing>,
}

/// Trips from one origin to many places. Distances are taken on a plane around the origin's
/// latitude (within a city that differs from the great circle by far less than a metre per
/// kilometre and costs no trigonometry per place); the legs to each crossing are worked out
/// once.
#[derive(Debug, Clone, Copy)]
pub struct From {
    at: LatLon,
    island: bool,
    km_per_lon: f64,
    to_crossing: [f64; CROSSINGS.len()],
}

impl From {
    pub fn new(at: LatLon, district: &DistrictCode) -> From {
        let km_per_lon = KM_PER_DEGREE * at.0.to_radians().cos();
        let mut f = From { at, island: on_island(district), km_per_lon, to_crossing: [0.0; CROSSINGS.len()] };
        for (i, c) in CROSSINGS.iter().enumerate() {
            f.to_crossing[i] = f.plane_km(at, c.at);
        }
        f
    }

    fn plane_km(&self, a: LatLon, b: LatLon) -> f64 {
        let dy = (b.0 - a.0) * KM_PER_DEGREE;
        let dx = (b.1 - a.1) * self.km_per_lon;
        (dx * dx + dy * dy).sqrt()
    }

    /// The trip to a place in a district (the district says which side of the water it is on).
    pub fn trip(&self, to: LatLon, district: &DistrictCode) -> Trip {
        if on_island(district) == self.island {
            return Trip { km: self.plane_km(self.at, to) * ROAD_FACTOR, via: None };
        }
        let mut best = Trip { km: f64::INFINITY, via: None };
        for (i, c) in CROSSINGS.iter().enumerate() {
            let km = (self.to_crossing[i] + self.plane_km(c.at, to)) * ROAD_FACTOR + CROSSING_DETOUR_KM;
            if km < best.km {
                best = Trip { km, via: Some(c) };
            }
        }
        best
    }

    pub fn km(&self, to: LatLon, district: &DistrictCode) -> f64 {
        self.trip(to, district).km
    }
}
