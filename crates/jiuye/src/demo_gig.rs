//! The demo's gig market: one market per district and twenty stations at real places, workers
//! with trades and availability (some checked in at a station), and gigs spread over today and
//! tomorrow — most open, one held by the review, some taken, one done and rated, one whose
//! worker says the pay never came; a registered mediation organisation per district.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use jiuye_domain::codes::{DistrictCode, OccupationCode};
use jiuye_domain::geo::district_seat;
use jiuye_domain::gig::demand::{GigDraft, GigPayUnit};
use jiuye_domain::gig::place::{cell_of, from_e6, to_e6};
use jiuye_domain::gig::review::ReviewRules;
use jiuye_store::repo::gig::{Side, Step};
use jiuye_store::{AuditEntry, GigWorker, Hold, NewGigDemand, NewGigSite, NewMediationOrg, Store};

/// (district, name, street address, lat, lon, mode, recognised on)
type Market = (&'static str, &'static str, &'static str, f64, f64, &'static str, Option<&'static str>);

const MARKETS: [Market; 6] = [
    ("350203", "思明区零工市场", "思明区莲前街道莲前西路", 24.4790, 118.1380, "bureau", Some("2024-06-28")),
    ("350206", "湖里区零工市场", "湖里区金山街道枋湖北二路", 24.5150, 118.1550, "window", Some("2024-09-20")),
    ("350205", "海沧区零工市场", "海沧区新阳街道新阳路", 24.5130, 118.0240, "bureau", Some("2025-03-15")),
    ("350211", "集美区零工市场", "集美区侨英街道侨英路", 24.6010, 118.0840, "window", None),
    ("350212", "同安区零工市场", "同安区大同街道环城南路", 24.7290, 118.1530, "operator", None),
    ("350213", "翔安区零工市场", "翔安区新店街道翔安南路", 24.6190, 118.2470, "bureau", None),
];

/// (district, name, address, lat, lon)
const STATIONS: [(&str, &str, &str, f64, f64); 20] = [
    ("350203", "中山路零工驿站", "思明区中华街道中山路", 24.4560, 118.0830),
    ("350203", "厦港零工驿站", "思明区厦港街道沙坡尾", 24.4430, 118.0960),
    ("350203", "筼筜零工驿站", "思明区筼筜街道湖滨北路", 24.4870, 118.1100),
    ("350203", "嘉莲零工驿站", "思明区嘉莲街道嘉禾路", 24.4920, 118.1320),
    ("350206", "江头零工驿站", "湖里区江头街道江头北路", 24.5010, 118.1360),
    ("350206", "殿前零工驿站", "湖里区殿前街道高殿路", 24.5330, 118.1120),
    ("350206", "禾山零工驿站", "湖里区禾山街道禾山路", 24.5080, 118.1640),
    ("350206", "湖里街道零工驿站", "湖里区湖里街道华美路", 24.5100, 118.0960),
    ("350205", "海沧街道零工驿站", "海沧区海沧街道海虹路", 24.4840, 118.0330),
    ("350205", "东孚零工驿站", "海沧区东孚街道东孚大道", 24.5700, 117.9850),
    ("350205", "嵩屿零工驿站", "海沧区嵩屿街道嵩屿南路", 24.4630, 118.0530),
    ("350211", "集美街道零工驿站", "集美区集美街道石鼓路", 24.5750, 118.1050),
    ("350211", "杏林零工驿站", "集美区杏林街道杏林路", 24.5610, 118.0530),
    ("350211", "灌口零工驿站", "集美区灌口镇灌口中路", 24.6020, 117.9710),
    ("350212", "祥平零工驿站", "同安区祥平街道祥平路", 24.7150, 118.1400),
    ("350212", "西柯零工驿站", "同安区西柯街道西柯路", 24.6760, 118.1470),
    ("350212", "五显零工驿站", "同安区五显镇五显路", 24.7930, 118.1620),
    ("350213", "马巷零工驿站", "翔安区马巷街道马巷路", 24.6600, 118.2430),
    ("350213", "内厝零工驿站", "翔安区内厝镇内厝路", 24.6580, 118.3010),
    ("350213", "新店零工驿站", "翔安区新店街道新店路", 24.6220, 118.2400),
];

/// The trades gigs are posted for most, with a day rate in fen and a title.
const TRADES: [(&str, i64, &str); 10] = [
    ("4-02-05-01", 22_000, "仓库装卸工"),
    ("4-09-08-01", 18_000, "商场保洁"),
    ("4-03-02-05", 20_000, "宴会服务员"),
    ("4-10-01-06", 25_000, "家政保洁（深度清洁）"),
    ("4-10-08-01", 23_000, "午高峰配送员"),
    ("4-02-07-09", 21_000, "快递分拣"),
    ("4-09-10-01", 19_000, "园林修剪"),
    ("6-29-01-01", 32_000, "砌墙小工"),
    ("6-31-01-03", 35_000, "电路检修"),
    ("4-07-05-01", 20_000, "活动安保"),
];

fn deterministic(seed: u64, i: u64) -> u64 {
    let mut x = seed ^ i.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^ (x >> 33)
}

/// Load the gig market. `persons` are the demo's persons (the first few hundred become gig
/// workers); `poster` is the demo employer's account and `employer` its organisation.
#[allow(clippy::too_many_arguments)]
pub async fn load(
    store: &Store,
    persons: &[(Uuid, DistrictCode)],
    poster: Uuid,
    employer: Uuid,
    seed: u64,
    today: NaiveDate,
    who: &AuditEntry,
    now: DateTime<Utc>,
) -> anyhow::Result<(usize, usize, usize)> {
    let mut sites = Vec::new();
    for (i, (district, name, address, lat, lon, mode, recognised)) in MARKETS.iter().enumerate() {
        let recognised_on = recognised.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let s = store
            .create_gig_site(
                &NewGigSite {
                    name: (*name).into(),
                    layout: "comprehensive".into(),
                    mode: (*mode).into(),
                    operator: format!("{name}服务中心"),
                    district: (*district).into(),
                    address: (*address).into(),
                    lat_e6: to_e6((*lat, *lon)).0,
                    lon_e6: to_e6((*lat, *lon)).1,
                    hours: "06:30–18:30".into(),
                    amenities: vec!["饮水".into(), "休息区".into(), "手机充电".into(), "公告栏".into()],
                    services: ["matching", "guidance", "training_info", "training_needs", "rights"]
                        .map(String::from)
                        .to_vec(),
                    recognised_on,
                    recognition_evidence: recognised_on.map(|_| "市人社局规范化零工市场认定文件（演示）".into()),
                    checkin_token: format!("demo-market-{i:02}"),
                },
                who,
                now,
            )
            .await?;
        sites.push(s);
    }
    // A township (street) mediation organisation per district, where the market is: a referral
    // to mediation names one.
    for (district, name, address, ..) in MARKETS.iter() {
        let street = address.split('区').nth(1).and_then(|a| a.split("街道").next()).unwrap_or(name);
        store
            .create_mediation_org(
                &NewMediationOrg {
                    name: format!("{street}街道劳动人事争议调解委员会"),
                    kind: "township".into(),
                    district: (*district).into(),
                    address: (*address).into(),
                    registered_on: today - Duration::days(400),
                    evidence: "区人社局调解组织登记（演示）".into(),
                },
                who,
                now,
            )
            .await?;
    }
    for (i, (district, name, address, lat, lon)) in STATIONS.iter().enumerate() {
        let (lat_e6, lon_e6) = to_e6((*lat, *lon));
        let s = store
            .create_gig_site(
                &NewGigSite {
                    name: (*name).into(),
                    layout: "station".into(),
                    mode: if i % 3 == 0 { "operator" } else { "window" }.into(),
                    operator: "厦门鹭岛人力资源服务有限公司".into(),
                    district: (*district).into(),
                    address: (*address).into(),
                    lat_e6,
                    lon_e6,
                    hours: "07:00–19:00".into(),
                    amenities: vec!["饮水".into(), "休息区".into()],
                    services: ["matching", "rights"].map(String::from).to_vec(),
                    recognised_on: None,
                    recognition_evidence: None,
                    checkin_token: format!("demo-station-{i:02}"),
                },
                who,
                now,
            )
            .await?;
        sites.push(s);
    }

    // Workers: the first 300 persons, each at the station of their district chosen by turn.
    let mut workers = Vec::new();
    for (n, (person, district)) in persons.iter().take(300).enumerate() {
        let r = deterministic(seed, n as u64);
        let own: Vec<_> = sites.iter().filter(|s| s.district == district.as_str() && s.layout == "station").collect();
        let home = own.get((r % own.len().max(1) as u64) as usize).copied();
        let at = home.map(|s| from_e6(s.lat_e6, s.lon_e6)).unwrap_or_else(|| district_seat(district));
        let first = TRADES[(r >> 8) as usize % TRADES.len()].0;
        let second = TRADES[(r >> 16) as usize % TRADES.len()].0;
        let mut trades = vec![first.to_string()];
        if second != first && r.is_multiple_of(3) {
            trades.push(second.to_string());
        }
        // The demo's seeker (the first person) is available today and checked in, so their
        // page has gigs to offer.
        let availability = match r % 10 {
            _ if n == 0 => "today",
            0 => "off",
            1..=3 => "week",
            _ => "today",
        };
        let w = GigWorker {
            person_id: *person,
            trades,
            availability: availability.into(),
            available_from: today,
            rate_day_fen: if r.is_multiple_of(4) { 20_000 } else { 0 },
            home_site: home.map(|s| s.id),
            district: district.as_str().to_string(),
            cell: cell_of(at).unwrap_or(0),
            checked_in_at: None,
            checkin_site: None,
            since: today,
        };
        store.set_gig_worker(&w, who, now).await?;
        if let Some(site) = home
            && (r.is_multiple_of(5) || n == 0)
        {
            store.gig_check_in(*person, site, w.cell, who, now - Duration::hours((r % 6) as i64)).await?;
        }
        workers.push(w);
    }

    // Gigs: 40, spread from early today to tomorrow evening, near markets and stations.
    let rules = ReviewRules::embedded();
    let mut gigs = Vec::new();
    let local_midnight = jiuye_domain::time::beijing_day_start(today).unwrap_or(now);
    for i in 0..40u64 {
        let r = deterministic(seed ^ 0xa5a5, i);
        let mut site = &sites[(r % sites.len() as u64) as usize];
        let (mut trade, rate, mut title) = TRADES[(r >> 8) as usize % TRADES.len()];
        // The first two gigs are for the demo seeker's trade at their station.
        if i < 2
            && let Some(w) = workers.first()
            && let Some(home) = w.home_site.and_then(|h| sites.iter().find(|s| s.id == h))
            && let Some(t) = TRADES.iter().find(|t| w.trades.first().is_some_and(|f| f == t.0))
        {
            (site, trade, title) = (home, t.0, t.2);
        }
        let hour = if i < 2 { 20 + i } else { 6 + (r >> 16) % 14 };
        let starts = local_midnight + Duration::hours(hour as i64) + Duration::days(((r >> 24) % 2) as i64);
        let unit = if i % 5 == 4 { GigPayUnit::Hour } else { GigPayUnit::Day };
        let hours_per_day = if unit == GigPayUnit::Hour { 4 } else { 8 };
        // One post pays too little: the review holds it for staff.
        let pay = match (unit, i) {
            (_, 7) => 12_000,
            (GigPayUnit::Hour, _) => rate / 8 + 300,
            _ => rate,
        };
        let draft = GigDraft {
            trade: OccupationCode::parse(trade).map_err(|e| anyhow::anyhow!("{e}"))?,
            title: title.into(),
            details: "按时到岗，现场有人对接；完工当天结算。".into(),
            district: DistrictCode::parse(&site.district).map_err(|e| anyhow::anyhow!("{e}"))?,
            address: site.address.clone(),
            starts_at: (starts + Duration::hours(jiuye_domain::time::BEIJING_OFFSET_HOURS)).naive_utc(),
            days: 1 + u32::from(r.is_multiple_of(7)),
            hours_per_day,
            headcount: 1 + (r >> 32) as u32 % 5,
            pay_unit: unit,
            pay_fen: pay,
        };
        let holds = draft
            .review(&rules, true)
            .into_iter()
            .map(|h| Hold {
                code: h.code.to_string(),
                field: h.field,
                args: h.args.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            })
            .collect();
        let g = store
            .post_gig(
                &NewGigDemand {
                    poster_account: poster,
                    employer_id: Some(employer),
                    person_id: None,
                    trade: trade.into(),
                    title: draft.title.clone(),
                    details: draft.details.clone(),
                    district: site.district.clone(),
                    address: site.address.clone(),
                    site_id: Some(site.id),
                    lat_e6: site.lat_e6,
                    lon_e6: site.lon_e6,
                    starts_at: starts,
                    days: i32::try_from(draft.days).unwrap_or(1),
                    hours_per_day: i32::try_from(hours_per_day).unwrap_or(8),
                    headcount: i32::try_from(draft.headcount).unwrap_or(1),
                    pay_unit: unit.as_str().into(),
                    pay_fen: pay,
                    holds,
                },
                who,
                now,
            )
            .await?;
        gigs.push(g);
    }

    // Some gigs taken by workers of their trade; two finished: one rated, one unpaid.
    let mut booked = 0;
    for (i, g) in gigs.iter().skip(2).filter(|g| g.status == "open").take(8).enumerate() {
        let Some(w) = workers.iter().skip(1 + i * 7).find(|w| w.trades.contains(&g.trade)) else { continue };
        let Ok(b) = store.accept_gig(g.id, w.person_id, who, now).await else { continue };
        booked += 1;
        if i < 2 {
            for (side, step) in [
                (Side::Worker, Step::Start),
                (Side::Employer, Step::Start),
                (Side::Worker, Step::Done),
                (Side::Employer, Step::Done),
            ] {
                store.confirm_gig(b.id, side, step, who, now).await?;
            }
            if i == 0 {
                store.record_gig_pay(b.id, Some(g.pay_fen), Some(true), who, now).await?;
                store.rate_gig(b.id, Side::Worker, 5, who, now).await?;
                store.rate_gig(b.id, Side::Employer, 5, who, now).await?;
            } else {
                store.record_gig_pay(b.id, None, Some(false), who, now).await?;
            }
        }
    }
    Ok((sites.len(), workers.len(), booked))
}
