//! Where a gig worker is, as the platform keeps it: an H3 cell of resolution 9 (about 0.1 km²),
//! never a precise position. Matching measures from the cell's centre; employers see only a
//! distance band (`site::distance_band`).

use h3o::{CellIndex, LatLng, Resolution};

use crate::geo::LatLon;

/// The resolution workers' places are kept at.
pub const RESOLUTION: Resolution = Resolution::Nine;

/// The cell holding a point (`None` for a point that is not on the globe).
pub fn cell_of(at: LatLon) -> Option<i64> {
    let ll = LatLng::new(at.0, at.1).ok()?;
    i64::try_from(u64::from(ll.to_cell(RESOLUTION))).ok()
}

/// The centre of a stored cell (`None` when the number is not a cell).
pub fn centre_of(cell: i64) -> Option<LatLon> {
    let c = CellIndex::try_from(u64::try_from(cell).ok()?).ok()?;
    let ll = LatLng::from(c);
    Some((ll.lat(), ll.lng()))
}

/// A position in millionths of a degree, as sites and gigs store it.
pub fn from_e6(lat_e6: i32, lon_e6: i32) -> LatLon {
    (f64::from(lat_e6) / 1e6, f64::from(lon_e6) / 1e6)
}

/// Millionths of a degree (a site's or a gig's public place).
pub fn to_e6(at: LatLon) -> (i32, i32) {
    // Within ±180° the products fit an i32 comfortably.
    #[allow(clippy::cast_possible_truncation)]
    ((at.0 * 1e6).round() as i32, (at.1 * 1e6).round() as i32)
}
