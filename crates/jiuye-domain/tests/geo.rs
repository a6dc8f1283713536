//! Distance as people travel: the crossing between Xiamen Island and the mainland is a stated
//! rule, tested by cases.

use jiuye_domain::codes::DistrictCode;
use jiuye_domain::geo::{CROSSING_DETOUR_KM, From, ROAD_FACTOR, district_seat, straight_km};

fn d(code: &str) -> DistrictCode {
    DistrictCode::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"))
}

fn trip(from: &str, to: &str) -> jiuye_domain::geo::Trip {
    From::new(district_seat(&d(from)), &d(from)).trip(district_seat(&d(to)), &d(to))
}

#[test]
fn crossing_the_water_costs_the_detour() {
    // (from, to, crosses by one of these, or stays on its side)
    let cases: &[(&str, &str, &[&str])] = &[
        ("350205", "350203", &["海沧大桥", "海沧隧道"]), // 海沧 → 思明
        ("350205", "350206", &["海沧隧道", "海沧大桥", "杏林大桥"]), // 海沧 → 湖里
        ("350206", "350213", &["翔安大桥", "翔安隧道"]), // 湖里 → 翔安
        ("350211", "350206", &["厦门大桥", "集美大桥", "杏林大桥"]), // 集美 → 湖里
        ("350203", "350206", &[]),                       // 思明 → 湖里: both on the island
        ("350205", "350211", &[]),                       // 海沧 → 集美: both on the mainland
        ("350212", "350213", &[]),                       // 同安 → 翔安
    ];
    for (from, to, by) in cases {
        let t = trip(from, to);
        let straight = straight_km(district_seat(&d(from)), district_seat(&d(to)));
        match t.via {
            None => {
                assert!(by.is_empty(), "{from} → {to} should cross by one of {by:?}");
                assert!(
                    (t.km - straight * ROAD_FACTOR).abs() < 0.05 * straight,
                    "{from} → {to}: {} vs {straight}",
                    t.km
                );
            }
            Some(c) => {
                assert!(by.contains(&c.name_zh), "{from} → {to} crossed by {}, want one of {by:?}", c.name_zh);
                assert!(t.km >= straight * ROAD_FACTOR + CROSSING_DETOUR_KM - 0.01, "{from} → {to}: {}", t.km);
            }
        }
        // The way back is as long.
        let back = trip(to, from);
        assert!((back.km - t.km).abs() < 0.02 * t.km.max(1.0), "{from} ⇄ {to}: {} vs {}", t.km, back.km);
    }
}

#[test]
fn from_haicang_the_neighbour_is_nearer_than_across_the_water() {
    // The tester's case: from 海沧, 思明 lay nearer than 集美 by the straight line.
    let (haicang, siming, jimei) = (d("350205"), d("350203"), d("350211"));
    assert!(
        straight_km(district_seat(&haicang), district_seat(&siming))
            < straight_km(district_seat(&haicang), district_seat(&jimei))
    );
    let here = From::new(district_seat(&haicang), &haicang);
    assert!(here.km(district_seat(&jimei), &jimei) < here.km(district_seat(&siming), &siming));
}

/// Where a person starts: kept as a cell, refused outside Xiamen or plainly across the water
/// from the person's district (which decides the side a trip starts on).
#[test]
fn a_home_cell_agrees_with_the_district() {
    use jiuye_domain::geo::{home_cell_in, origin};
    type Case<'a> = ((f64, f64), &'a str, Result<(), &'a str>);
    let cases: [Case; 9] = [
        ((24.508, 118.164), "350206", Ok(())),                              // 禾山, 湖里
        ((24.456, 118.083), "350203", Ok(())),                              // 中山路, 思明
        ((24.575, 118.105), "350211", Ok(())),                              // 集美街道
        ((24.508, 118.164), "350211", Err("person.origin_across_water")),   // an island point, a mainland district
        ((24.575, 118.105), "350203", Err("person.origin_across_water")),   // and the other way
        ((24.560, 118.100), "350211", Ok(())),                              // at the shore: the box cannot tell
        ((31.230, 121.470), "350203", Err("person.origin_outside_xiamen")), // Shanghai
        ((118.1, 24.5), "350203", Err("person.origin_outside_xiamen")),     // a swapped pair
        ((f64::NAN, 118.1), "350203", Err("person.origin_outside_xiamen")),
    ];
    for (at, district, want) in cases {
        let got = home_cell_in(at, &d(district)).map(|_| ()).map_err(|e| e.code);
        assert_eq!(got, want, "{at:?} in {district}");
    }
    // The cell's centre is within its size (about 0.1 km², ~200 m across) of the point, and
    // without a cell the seat is the origin.
    let cell = home_cell_in((24.508, 118.164), &d("350206")).unwrap_or_else(|e| panic!("{e}"));
    let centre = origin(Some(cell), &d("350206"));
    assert!(straight_km(centre, (24.508, 118.164)) < 0.3, "{centre:?}");
    assert_eq!(origin(None, &d("350206")), district_seat(&d("350206")));
}
