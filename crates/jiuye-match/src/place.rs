//! Where Xiamen's districts are: approximate centres (district government seats), for distance
//! when a home address has no coordinates.

use jiuye_domain::codes::DistrictCode;

pub fn district_centroid(d: &DistrictCode) -> (f64, f64) {
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

pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (p1, p2) = (a.0.to_radians(), b.0.to_radians());
    let dp = p2 - p1;
    let dl = (b.1 - a.1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6371.0 * 2.0 * h.sqrt().asin()
}

/// Distances from one origin to many places, as a plane around the origin's latitude
/// (equirectangular). Within a city it differs from the great-circle distance by far less
/// than a metre per kilometre, and it costs no trigonometry per place.
#[derive(Debug, Clone, Copy)]
pub struct From {
    lat: f64,
    lon: f64,
    /// Kilometres per degree of longitude at the origin.
    km_per_lon: f64,
}

const KM_PER_DEGREE: f64 = 6371.0 * std::f64::consts::PI / 180.0;

impl From {
    pub fn new(origin: (f64, f64)) -> From {
        From { lat: origin.0, lon: origin.1, km_per_lon: KM_PER_DEGREE * origin.0.to_radians().cos() }
    }

    pub fn km(&self, to: (f64, f64)) -> f64 {
        let dy = (to.0 - self.lat) * KM_PER_DEGREE;
        let dx = (to.1 - self.lon) * self.km_per_lon;
        (dx * dx + dy * dy).sqrt()
    }
}
