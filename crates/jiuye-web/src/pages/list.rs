//! What every staff list shares: a page size the user picks, page numbers and the total.

use super::{Opt, Tr};

/// The sizes a list offers.
pub const SIZES: [u64; 3] = [20, 50, 100];

/// The page size asked for, or the smallest when it is not one we offer.
pub fn page_size(asked: Option<u64>) -> u64 {
    asked.filter(|n| SIZES.contains(n)).unwrap_or(SIZES[0])
}

pub fn size_options(size: u64) -> Vec<Opt> {
    SIZES.iter().map(|n| Opt { value: n.to_string(), label: n.to_string(), selected: *n == size }).collect()
}

/// The first row of a page. Page numbers past a million are read as that page (an empty one):
/// the offset always fits the databases' integers.
pub fn offset_of(page: u64, size: u64) -> u64 {
    (page.clamp(1, 1_000_000) - 1) * size.min(SIZES[SIZES.len() - 1])
}

/// "共 561 条 · 第 2 / 29 页" with links to the pages before and after.
pub struct Pager {
    /// The sentence with the total and the page.
    pub summary: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// `base` is the list's query string without the page number.
    pub fn new(t: Tr, path: &str, base: &str, page: u64, size: u64, total: u64) -> Pager {
        let pages = total.div_ceil(size.max(1)).max(1);
        let link = |p: u64| {
            if base.is_empty() { format!("{path}?page={p}") } else { format!("{path}?{base}&page={p}") }
        };
        let summary = jiuye_domain::messages::render(
            "ui.list.summary",
            t.lang,
            &[("total", total.to_string()), ("page", page.min(pages).to_string()), ("pages", pages.to_string())],
        );
        Pager {
            summary,
            prev: (page > 1).then(|| link(page.min(pages + 1) - 1)),
            next: (page < pages).then(|| link(page + 1)),
        }
    }
}

impl Pager {
    /// For a total counted up to a cap (`jiuye_store::COUNT_CAP`): past it, "more than 10000",
    /// and pages onwards as far as the cap reaches.
    pub fn counted(t: Tr, path: &str, base: &str, page: u64, size: u64, n: jiuye_store::Counted) -> Pager {
        let mut p = Pager::new(t, path, base, page, size, n.total);
        if n.more {
            p.summary = jiuye_domain::messages::render(
                "ui.list.summary_more",
                t.lang,
                &[("total", n.total.to_string()), ("page", page.to_string())],
            );
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_links() {
        let t = Tr { lang: jiuye_domain::Lang::En, large: false };
        // (page, size, total, prev, next)
        type Case = (u64, u64, u64, Option<u64>, Option<u64>);
        let cases: &[Case] = &[
            (1, 20, 0, None, None),
            (1, 20, 20, None, None),
            (1, 20, 21, None, Some(2)),
            (2, 20, 561, Some(1), Some(3)),
            (29, 20, 561, Some(28), None),
            // Past the end: back to the last page, never onwards.
            (40, 20, 561, Some(29), None),
        ];
        for &(page, size, total, prev, next) in cases {
            let p = Pager::new(t, "/l", "a=1", page, size, total);
            assert_eq!(p.prev, prev.map(|n| format!("/l?a=1&page={n}")), "{page}/{total}");
            assert_eq!(p.next, next.map(|n| format!("/l?a=1&page={n}")), "{page}/{total}");
            assert!(p.summary.contains(&total.to_string()), "{}", p.summary);
        }
        // Past the cap: "more than", and onwards to the cap's last page.
        let more = jiuye_store::Counted { total: 10_000, more: true };
        let p = Pager::counted(t, "/l", "a=1", 3, 20, more);
        assert!(p.summary.contains("More than 10000"), "{}", p.summary);
        assert_eq!(p.next.as_deref(), Some("/l?a=1&page=4"));
        assert_eq!(Pager::counted(t, "/l", "a=1", 500, 20, more).next, None);
        let exact = jiuye_store::Counted { total: 561, more: false };
        assert_eq!(
            Pager::counted(t, "/l", "a=1", 2, 20, exact).summary,
            Pager::new(t, "/l", "a=1", 2, 20, 561).summary
        );
        assert_eq!(page_size(Some(50)), 50);
        assert_eq!(page_size(Some(7)), 20);
        assert_eq!(page_size(None), 20);
        assert_eq!(offset_of(1, 20), 0);
        assert_eq!(offset_of(3, 50), 100);
        assert_eq!(offset_of(u64::MAX, 100), 99_999_900);
    }
}
