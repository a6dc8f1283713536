//! Where places are: the rule of distance as people travel lives in `jiuye_domain::geo`; these
//! names stay for the matcher's callers.

use jiuye_domain::codes::DistrictCode;

pub use jiuye_domain::geo::From;

pub fn district_centroid(d: &DistrictCode) -> (f64, f64) {
    jiuye_domain::geo::district_seat(d)
}

pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    jiuye_domain::geo::straight_km(a, b)
}
