//! Xiamen's six districts: their streets (from the domain's code list), real road names,
//! rough centroids and how people and firms spread over them.

use jiuye_domain::codes::{DistrictCode, StreetCode};
use rand::Rng;

use crate::pick::{SimRng, chance, one};

/// Per-district constants, by GB/T 2260 code.
struct DistrictStatic {
    code: &'static str,
    /// Centroid (lat, lon) and jitter (degrees) for vacancy coordinates.
    centre: (f64, f64),
    jitter: f64,
    roads: &'static [&'static str],
    /// ID address codes a native may carry, preferred first (the district's own code was
    /// created after some natives were born).
    id_prefixes: &'static [&'static str],
    /// Relative weights: firms in manufacturing, firms in services, native and migrant residents.
    firms_mfg: u32,
    firms_svc: u32,
    natives: u32,
    migrants: u32,
}

const DISTRICTS: &[DistrictStatic] = &[
    DistrictStatic {
        code: "350203",
        centre: (24.48, 118.11),
        jitter: 0.025,
        roads: &[
            "厦禾路",
            "湖滨南路",
            "湖滨北路",
            "湖滨东路",
            "中山路",
            "思明南路",
            "莲前西路",
            "莲前东路",
            "嘉禾路",
            "环岛南路",
            "鹭江道",
            "莲岳路",
            "禾祥西路",
            "文屏路",
            "展鸿路",
            "会展路",
            "体育路",
            "育秀东路",
            "软件园二期望海路",
            "观日路",
            "槟榔路",
            "莲花南路",
        ],
        id_prefixes: &["350203", "350202", "350204", "350200"],
        firms_mfg: 3,
        firms_svc: 34,
        natives: 28,
        migrants: 14,
    },
    DistrictStatic {
        code: "350205",
        centre: (24.50, 117.98),
        jitter: 0.03,
        roads: &[
            "海沧大道",
            "沧林路",
            "新阳路",
            "阳光西路",
            "翁角路",
            "马青路",
            "钟林路",
            "霞阳路",
            "东孚大道",
            "角嵩路",
            "新盛路",
            "沧虹路",
            "兴港路",
        ],
        id_prefixes: &["350205", "350220", "350200"],
        firms_mfg: 22,
        firms_svc: 8,
        natives: 8,
        migrants: 13,
    },
    DistrictStatic {
        code: "350206",
        centre: (24.51, 118.15),
        jitter: 0.025,
        roads: &[
            "吕岭路",
            "仙岳路",
            "湖里大道",
            "枋湖北二路",
            "金尚路",
            "江头北路",
            "殿前路",
            "高崎南五路",
            "安岭路",
            "火炬路",
            "云顶北路",
            "长浩路",
            "五缘湾道",
            "金湖路",
            "华荣路",
            "湖里高新技术园区岐山路",
            "兴隆路",
        ],
        id_prefixes: &["350206", "350220", "350200"],
        firms_mfg: 18,
        firms_svc: 30,
        natives: 16,
        migrants: 26,
    },
    DistrictStatic {
        code: "350211",
        centre: (24.58, 118.04),
        jitter: 0.035,
        roads: &[
            "集美大道",
            "杏林湾路",
            "银江路",
            "侨英路",
            "诚毅大街",
            "乐海路",
            "杏滨路",
            "孙坂南路",
            "灌口中路",
            "后溪路",
            "岑东路",
            "天马路",
            "英瑶路",
            "锦园西二路",
        ],
        id_prefixes: &["350211", "350220", "350200"],
        firms_mfg: 22,
        firms_svc: 12,
        natives: 16,
        migrants: 22,
    },
    DistrictStatic {
        code: "350212",
        centre: (24.72, 118.15),
        jitter: 0.05,
        roads: &[
            "环城南路",
            "同集南路",
            "同集中路",
            "环城西路",
            "城南路",
            "祥平路",
            "凤山路",
            "三秀路",
            "西湖路",
            "大同路",
            "滨海西大道",
            "美禾路",
            "工业集中区思明园",
            "西柯街",
        ],
        id_prefixes: &["350212", "350221", "350200"],
        firms_mfg: 18,
        firms_svc: 8,
        natives: 18,
        migrants: 13,
    },
    DistrictStatic {
        code: "350213",
        centre: (24.62, 118.25),
        jitter: 0.045,
        roads: &[
            "翔安南路",
            "翔安北路",
            "翔安西路",
            "新店路",
            "马巷路",
            "舫山路",
            "民安大道",
            "鸿翔路",
            "内厝路",
            "新圩路",
            "巷北路",
            "翔星路",
            "洪钟大道",
            "火炬三路",
        ],
        id_prefixes: &["350213", "350212", "350221", "350200"],
        firms_mfg: 17,
        firms_svc: 7,
        natives: 14,
        migrants: 12,
    },
];

/// A district with what the generators need, computed once.
pub(crate) struct District {
    pub code: DistrictCode,
    pub streets: Vec<StreetCode>,
    centre: (f64, f64),
    jitter: f64,
    roads: &'static [&'static str],
    pub id_prefixes: &'static [&'static str],
    pub firms_mfg: u32,
    pub firms_svc: u32,
    pub natives: u32,
    pub migrants: u32,
}

/// The six districts in code order (those the domain knows).
pub(crate) fn districts() -> Vec<District> {
    DistrictCode::all()
        .into_iter()
        .map(|code| {
            let s = DISTRICTS.iter().find(|d| d.code == code.as_str());
            District {
                code,
                streets: code.streets(),
                centre: s.map_or((24.55, 118.1), |s| s.centre),
                jitter: s.map_or(0.02, |s| s.jitter),
                roads: s.map_or(&["中山路"], |s| s.roads),
                id_prefixes: s.map_or(&["350200"], |s| s.id_prefixes),
                firms_mfg: s.map_or(1, |s| s.firms_mfg),
                firms_svc: s.map_or(1, |s| s.firms_svc),
                natives: s.map_or(1, |s| s.natives),
                migrants: s.map_or(1, |s| s.migrants),
            }
        })
        .collect()
}

impl District {
    pub(crate) fn name(&self) -> &'static str {
        self.code.name()
    }

    pub(crate) fn street(&self, rng: &mut SimRng) -> Option<StreetCode> {
        (!self.streets.is_empty()).then(|| *one(rng, &self.streets))
    }

    /// `厦门市湖里区江头街道吕岭路123号`, with a street of the district when there is one.
    pub(crate) fn address(&self, rng: &mut SimRng, street: Option<StreetCode>, kind: AddressKind) -> String {
        let road = one(rng, self.roads);
        let number = if chance(rng, 0.7) { rng.random_range(1..400) } else { rng.random_range(400..1500) };
        let street_name = street.map_or("", |s| s.name());
        let mut a = format!("厦门市{}{street_name}{road}{number}号", self.name());
        match kind {
            AddressKind::Office if chance(rng, 0.6) => {
                let floor = rng.random_range(2..=28);
                a.push_str(&format!("{floor}层{:02}单元", rng.random_range(1..=20)));
            }
            AddressKind::Factory if chance(rng, 0.5) => {
                a.push_str(&format!("{}号厂房", rng.random_range(1..=12)));
            }
            AddressKind::Home if chance(rng, 0.7) => {
                let building = rng.random_range(1..=30);
                let floor = rng.random_range(1..=32);
                a.push_str(&format!("{building}号楼{floor}{:02}室", rng.random_range(1..=6)));
            }
            _ => {}
        }
        a
    }

    /// A point near the district's centre, inside Xiamen's bounding box.
    pub(crate) fn point(&self, rng: &mut SimRng) -> (f64, f64) {
        // The sum of two uniforms is a triangular distribution: dense at the centre.
        let mut j = || (rng.random::<f64>() + rng.random::<f64>() - 1.0) * self.jitter;
        let lat = (self.centre.0 + j()).clamp(24.21, 24.94);
        let lon = (self.centre.1 + j()).clamp(117.81, 118.59);
        ((lat * 1e6).round() / 1e6, (lon * 1e6).round() / 1e6)
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum AddressKind {
    Office,
    Factory,
    Home,
}
