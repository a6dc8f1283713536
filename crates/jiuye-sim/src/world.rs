//! Tables computed once per generator from the domain's code lists and this crate's constants.

use chrono::{Datelike, NaiveDate};
use jiuye_domain::codes::{IndustryCode, ProvinceCode, region};

use crate::industries::{INDUSTRIES, IndustryMix};
use crate::jobs::{self, Occ};
use crate::names::NameMaker;
use crate::pick::Weighted;
use crate::places::{self, District};

/// Where migrants come from: province, relative weight, whether it had many poor counties,
/// and common ID address codes (checked against the birth year before use).
const ORIGINS: &[(&str, u32, bool, &[&str])] = &[
    (
        "350000",
        10,
        false,
        &[
            "350102", "350121", "350128", "350181", "350112", "350182", "350302", "350322", "350321", "350502",
            "350503", "350521", "350524", "350525", "350526", "350581", "350582", "350583", "350602", "350622",
            "350623", "350624", "350625", "350604", "350626", "350627", "350628", "350629", "350681", "350605",
            "350802", "350821", "350823", "350824", "350825", "350881", "350902", "350981", "350722", "350781",
            "350424", "350430",
        ],
    ),
    (
        "360000",
        20,
        false,
        &[
            "360121", "360281", "360321", "360424", "360430", "360521", "360622", "360603", "360681", "360721",
            "360704", "360722", "360723", "360726", "360730", "360731", "360732", "360733", "360735", "360781",
            "360821", "360822", "360826", "360827", "360828", "360921", "360981", "361023", "361025", "361121",
            "361104", "361123", "361124", "361127", "361128", "361129", "361181", "362121", "362122", "362132",
            "362133", "362321", "362329", "362330", "362331", "362502", "362401",
        ],
    ),
    (
        "510000",
        14,
        true,
        &[
            "510121", "510681", "510722", "510781", "510821", "510824", "510922", "511025", "511028", "511126",
            "511321", "511322", "511323", "511324", "511325", "511381", "511421", "511521", "511623", "511621",
            "511622", "511681", "511722", "511723", "511724", "511725", "511781", "511902", "511921", "511922",
            "511923", "512021", "512022", "510502", "510521", "510522", "510524", "510525", "513021", "513022",
            "513029", "513030", "513701", "512922", "512925", "513722",
        ],
    ),
    (
        "520000",
        12,
        true,
        &[
            "520121", "520221", "520222", "520321", "520322", "520323", "520324", "520326", "520330", "520381",
            "520382", "520421", "520422", "520502", "520521", "520522", "520523", "520524", "520525", "520526",
            "520527", "520602", "520621", "520623", "520625", "520626", "520627", "520628", "522121", "522122",
            "522401", "522422", "522423", "522424", "522425", "522426", "522427", "522428", "522601", "522622",
            "522631", "522632", "522633", "522701", "522725", "522726", "522301", "522323", "522325",
        ],
    ),
    (
        "430000",
        10,
        false,
        &[
            "430121", "430124", "430182", "430181", "430221", "430281", "430321", "430381", "430421", "430422",
            "430423", "430426", "430481", "430482", "430521", "430582", "430522", "430523", "430524", "430525",
            "430528", "430581", "430621", "430623", "430626", "430681", "430721", "430723", "430726", "430922",
            "430923", "431021", "431022", "431081", "431121", "431124", "431221", "431223", "431224", "431321",
            "431322", "431381", "431382", "432522", "432524", "433122", "432901",
        ],
    ),
    (
        "410000",
        10,
        false,
        &[
            "410122", "410181", "410221", "410222", "410223", "410225", "410322", "410323", "410325", "410327",
            "410421", "410422", "410423", "410425", "410482", "410522", "410526", "410527", "410721", "410724",
            "410782", "410823", "410922", "410923", "410926", "411023", "411024", "411081", "411082", "411121",
            "411221", "411321", "411322", "411323", "411324", "411325", "411326", "411327", "411328", "411329",
            "411330", "411381", "411421", "411422", "411423", "411424", "411425", "411426", "411481", "411521",
            "411522", "411523", "411524", "411525", "411526", "411527", "411528", "411621", "411622", "411623",
            "411624", "411625", "411626", "411627", "411628", "411681", "411721", "411722", "411723", "411724",
            "411725", "411726", "411727", "411728", "411729", "412721", "412722", "412723", "412724", "412725",
            "412726", "412727", "412728", "412729", "412826", "412827", "412828",
        ],
    ),
    (
        "340000",
        8,
        false,
        &[
            "340121", "340122", "340123", "340124", "340181", "340221", "340222", "340321", "340322", "340323",
            "340421", "340521", "340621", "340822", "340824", "340825", "340826", "340827", "340828", "341021",
            "341122", "341125", "341126", "341181", "341182", "341221", "341222", "341225", "341226", "341282",
            "341321", "341322", "341323", "341324", "341521", "341522", "341523", "341524", "341525", "341621",
            "341622", "341623", "341721", "341822", "342221", "342222", "342223", "342224", "342225", "342622",
            "342423", "342425", "342426", "342124", "342122", "342123", "342127",
        ],
    ),
    (
        "500000",
        7,
        true,
        &[
            "500101", "500102", "500110", "500112", "500113", "500115", "500116", "500117", "500118", "500222",
            "500223", "500224", "500226", "500228", "500229", "500230", "500231", "500232", "500233", "500234",
            "500235", "500236", "500237", "500238", "500240", "500241", "500242", "500243",
            // Before 1997 Chongqing's counties had Sichuan codes.
            "510221", "510222", "510223", "510224", "510225", "510226", "510227", "510228", "510229", "510230",
            "510231", "510232", "512221", "512222", "512223", "512224", "512225", "512226", "512227", "512228",
            "512229", "512301", "512321", "512322", "512323", "512324", "512325", "512326", "512327", "512328",
            "512329",
        ],
    ),
    (
        "450000",
        6,
        true,
        &[
            "450121", "450122", "450123", "450126", "450127", "450221", "450321", "450421", "450422", "450423",
            "450481", "450521", "450721", "450722", "450821", "450881", "450921", "450922", "450923", "450924",
            "450981", "451021", "451022", "451023", "451121", "451221", "451281", "451321", "451322", "452122",
            "452123", "452501", "452522", "452523", "452524", "452525", "452526", "452421", "452424", "452601",
        ],
    ),
    (
        "420000",
        6,
        false,
        &[
            "420115", "420116", "420117", "420222", "420281", "420321", "420322", "420381", "420528", "420581",
            "420621", "420624", "420625", "420682", "420683", "420684", "420821", "420881", "420921", "420922",
            "420923", "420981", "420982", "420984", "421022", "421023", "421024", "421081", "421083", "421087",
            "421121", "421122", "421123", "421124", "421125", "421126", "421127", "421181", "421182", "421221",
            "421222", "421223", "421224", "421281", "421321", "421381", "422801", "422802", "422822", "422101",
            "422121", "422123", "422421", "422423", "422201", "422223",
        ],
    ),
    (
        "530000",
        4,
        true,
        &[
            "530121", "530321", "530322", "530323", "530324", "530325", "530326", "530381", "530421", "530621",
            "530622", "530623", "530624", "530625", "530626", "530627", "530628", "530629", "530681", "530702",
            "530821", "530921", "532101", "532122", "532128", "532301", "532501", "532502", "532621", "532622",
            "532901", "532922", "532127", "532129", "532201", "532223",
        ],
    ),
    (
        "620000",
        3,
        true,
        &[
            "620121", "620122", "620123", "620421", "620422", "620423", "620521", "620522", "620523", "620524",
            "620525", "620602", "620621", "620622", "620623", "620821", "620822", "620823", "620825", "620826",
            "621021", "621022", "621023", "621024", "621025", "621026", "621027", "621121", "621122", "621123",
            "621124", "621125", "621126", "621221", "621222", "621223", "621224", "621225", "621226", "622421",
            "622701", "622921", "622424", "622425", "622426", "622427", "622429", "622722", "622725", "622727",
            "622821", "622822", "622823", "622827", "622621", "622623", "622625", "622626",
        ],
    ),
];

/// A migrants' home province with the ID address codes usable for each birth year.
pub(crate) struct Origin {
    pub province: ProvinceCode,
    pub poor: bool,
    /// Indexed by `birth_year - World::first_year`.
    pub prefixes: Vec<Vec<&'static str>>,
}

/// An industry of the mix, its code and the occupations (indices into `occs`) it hires.
pub(crate) struct Industry {
    pub mix: &'static IndustryMix,
    pub code: IndustryCode,
    pub pool: Vec<usize>,
}

pub(crate) struct World {
    pub today: NaiveDate,
    /// Earliest and latest birth year of persons (ages 16–64).
    pub first_year: i32,
    pub districts: Vec<District>,
    pub names: NameMaker,
    pub occs: Vec<Occ>,
    pub industries: Vec<Industry>,
    pub industry_pick: Weighted<usize>,
    pub general_pool: Vec<usize>,
    pub gig_pool: Vec<usize>,
    pub welfare_pool: Vec<usize>,
    /// Occupations by education rank 0..=8: those whose usual rank is at most the index.
    pub by_rank: Vec<Vec<usize>>,
    /// Same, but only the skilled ones (usual rank ≥ 4): what the educated mostly look for.
    pub skilled_by_rank: Vec<Vec<usize>>,
    /// Occupations of each sector (`SECTORS.len() + 1` entries).
    pub by_sector: Vec<Vec<usize>>,
    pub fujian: Option<ProvinceCode>,
    pub origins: Vec<Origin>,
    pub origin_pick: Weighted<usize>,
    pub native_district_pick: Weighted<usize>,
    pub migrant_district_pick: Weighted<usize>,
    pub firm_district_mfg: Weighted<usize>,
    pub firm_district_svc: Weighted<usize>,
    pub vacancy_district_pick: Weighted<usize>,
}

fn pool(occs: &[Occ], prefixes: &[&str]) -> Vec<usize> {
    occs.iter().enumerate().filter(|(_, o)| jobs::under_any(o.code.as_str(), prefixes)).map(|(i, _)| i).collect()
}

impl World {
    pub(crate) fn new(today: NaiveDate) -> World {
        let districts = places::districts();
        let occs = jobs::occupations();
        let all: Vec<usize> = (0..occs.len()).collect();
        let or_all = |v: Vec<usize>| if v.is_empty() { all.clone() } else { v };

        let general_pool = or_all(pool(&occs, jobs::GENERAL));
        let industries: Vec<Industry> = INDUSTRIES
            .iter()
            .filter_map(|mix| {
                let code = IndustryCode::parse(mix.division).ok()?;
                let own = pool(&occs, mix.hires);
                Some(Industry { mix, code, pool: if own.is_empty() { general_pool.clone() } else { own } })
            })
            .collect();
        let industry_pick = Weighted::new(industries.iter().enumerate().map(|(i, ind)| (i, ind.mix.weight)));

        let by_rank = (0..=8u8)
            .map(|r| or_all(occs.iter().enumerate().filter(|(_, o)| o.min_rank <= r).map(|(i, _)| i).collect()))
            .collect();
        let skilled_by_rank = (0..=8u8)
            .map(|r| {
                or_all(
                    occs.iter()
                        .enumerate()
                        .filter(|(_, o)| o.min_rank <= r && (r < 4 || o.min_rank >= 4))
                        .map(|(i, _)| i)
                        .collect(),
                )
            })
            .collect();
        let by_sector = (0..=jobs::SECTORS.len())
            .map(|s| occs.iter().enumerate().filter(|(_, o)| o.sector == s).map(|(i, _)| i).collect())
            .collect();

        let first_year = today.year() - 65;
        let last_year = today.year() - 16;
        let known = region::id_prefixes();
        let origins: Vec<Origin> = ORIGINS
            .iter()
            .filter_map(|&(code, _, poor, curated)| {
                let province = ProvinceCode::parse(code).ok()?;
                let two = province.two_digit();
                let data: Vec<&'static str> =
                    known.iter().copied().filter(|c| c.starts_with(two) && !c.ends_with("00")).collect();
                let prefixes = (first_year..=last_year)
                    .map(|year| {
                        let mut v: Vec<&'static str> =
                            curated.iter().copied().filter(|c| region::id_prefix_in_use_in(c, year)).collect();
                        if v.len() < 5 {
                            // Few of the curated codes existed then: add every county code of the time.
                            v.extend(data.iter().copied().filter(|c| region::id_prefix_in_use_in(c, year)));
                            v.sort_unstable();
                            v.dedup();
                        }
                        v
                    })
                    .collect();
                Some(Origin { province, poor, prefixes })
            })
            .collect();
        let origin_pick = Weighted::new(
            ORIGINS
                .iter()
                .filter(|(code, ..)| ProvinceCode::parse(code).is_ok())
                .enumerate()
                .map(|(i, &(_, w, ..))| (i, w)),
        );

        let by = |f: fn(&District) -> u32| Weighted::new(districts.iter().enumerate().map(|(i, d)| (i, f(d))));
        World {
            today,
            first_year,
            names: NameMaker::new(),
            industries,
            industry_pick,
            gig_pool: or_all(pool(&occs, jobs::GIG)),
            welfare_pool: or_all(pool(&occs, jobs::PUBLIC_WELFARE)),
            general_pool,
            by_rank,
            skilled_by_rank,
            by_sector,
            fujian: ProvinceCode::parse("350000").ok(),
            origins,
            origin_pick,
            native_district_pick: by(|d| d.natives),
            migrant_district_pick: by(|d| d.migrants),
            firm_district_mfg: by(|d| d.firms_mfg),
            firm_district_svc: by(|d| d.firms_svc),
            vacancy_district_pick: by(|d| d.firms_mfg + d.firms_svc),
            occs,
            districts,
        }
    }

    /// The industry of the mix with the division of `code`, if any.
    pub(crate) fn industry_index(&self, code: &IndustryCode) -> Option<usize> {
        let division = code.division()?;
        self.industries.iter().position(|i| i.code == division)
    }
}
