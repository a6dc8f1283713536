//! jiuye-search: the full-text index of open vacancies.
//!
//! tantivy with a jieba tokenizer (search mode, punctuation dropped), query-time synonyms from
//! a curated list, pinyin and initials (`diangong`, `dg` → 电工), filters (district, occupation
//! at any level, industry, salary overlap, education, kind, freshness, employer, distance),
//! facet counts, highlighted snippets and deep paging by cursor (search-after, no offset cap).
//!
//! A plain library: it takes domain values and returns ids, scores and counts. The caller
//! keeps the index in step with the store and gives it `today`.

mod query;
mod schema;
pub mod synonyms;
pub mod tokenize;

use std::path::Path;
use std::sync::Mutex;

use chrono::NaiveDate;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::schema::{Facet, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use uuid::Uuid;

use jiuye_domain::records::{Vacancy, VacancyStatus};

pub use query::{Cursor, SearchQuery, Sort};
use schema::Fields;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index folder: {0}")]
    Directory(String),
    #[error("the search index lock is poisoned")]
    Poisoned,
    #[error("search index read: {0}")]
    Io(#[from] std::io::Error),
}

/// One hit: the vacancy id, its score, and a highlighted snippet (HTML, escaped, `<b>` marks).
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: Uuid,
    pub score: f32,
    pub snippet_html: String,
}

/// Counts per value of each filter, for the current query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facets {
    pub district: Vec<(String, u64)>,
    pub kind: Vec<(String, u64)>,
    /// 大类 (major groups) of the occupation classification.
    pub occupation: Vec<(String, u64)>,
    /// GB/T 4754 sections.
    pub industry: Vec<(String, u64)>,
    pub education: Vec<(String, u64)>,
}

#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    pub next_cursor: Option<Cursor>,
}

/// Bump when the schema or the analysis changes: an index of another version is rebuilt.
pub const INDEX_VERSION: u32 = 1;

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    fields: Fields,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("docs", &self.len()).finish()
    }
}

const WRITER_MEMORY: usize = 64 * 1024 * 1024;

impl SearchIndex {
    /// An index in memory (tests, small deployments that rebuild at start).
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema::build();
        Self::from_index(Index::create_in_ram(schema), fields)
    }

    /// Open the index in `dir`, or create it. Returns whether it was (re)created empty, in
    /// which case the caller should rebuild it from the store.
    pub fn open_or_create(dir: &Path) -> Result<(SearchIndex, bool), SearchError> {
        let versioned = dir.join(format!("v{INDEX_VERSION}"));
        std::fs::create_dir_all(&versioned).map_err(|e| SearchError::Directory(e.to_string()))?;
        let (schema, fields) = schema::build();
        let existed =
            Index::exists(&MmapDirectory::open(&versioned).map_err(|e| SearchError::Directory(e.to_string()))?)
                .unwrap_or(false);
        let directory = MmapDirectory::open(&versioned).map_err(|e| SearchError::Directory(e.to_string()))?;
        let index = Index::open_or_create(directory, schema)?;
        let me = Self::from_index(index, fields)?;
        let fresh = !existed || me.is_empty();
        Ok((me, fresh))
    }

    fn from_index(index: Index, fields: Fields) -> Result<SearchIndex, SearchError> {
        index.tokenizers().register(tokenize::TOKENIZER, tokenize::ZhTokenizer::default());
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let writer = index.writer(WRITER_MEMORY)?;
        let index = index.clone();
        Ok(SearchIndex { index, reader, writer: Mutex::new(writer), fields })
    }

    /// Documents in the index (open vacancies as of the last change).
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Put a vacancy in the index if it is open on `today`, take it out otherwise; visible to
    /// searches when this returns.
    pub fn upsert(&self, v: &Vacancy, today: NaiveDate) -> Result<(), SearchError> {
        self.apply(std::slice::from_ref(v), &[], today)
    }

    pub fn remove(&self, ids: &[Uuid]) -> Result<(), SearchError> {
        self.apply(&[], ids, NaiveDate::MIN)
    }

    /// Replace the whole index with these vacancies (those open on `today`).
    pub fn rebuild<'a>(
        &self,
        all: impl IntoIterator<Item = &'a Vacancy>,
        today: NaiveDate,
    ) -> Result<u64, SearchError> {
        self.write(|writer, fields| {
            writer.delete_all_documents()?;
            add_open(writer, fields, all, today)
        })
    }

    /// Add many vacancies without clearing (for loading in batches after `rebuild(&[], …)`).
    pub fn add_batch<'a>(
        &self,
        batch: impl IntoIterator<Item = &'a Vacancy>,
        today: NaiveDate,
    ) -> Result<(), SearchError> {
        self.write(|writer, fields| add_open(writer, fields, batch, today).map(|_| ()))
    }

    fn apply(&self, upserts: &[Vacancy], removals: &[Uuid], today: NaiveDate) -> Result<(), SearchError> {
        self.write(|writer, fields| {
            for id in removals.iter().chain(upserts.iter().map(|v| &v.id)) {
                writer.delete_term(Term::from_field_text(fields.id, &id.to_string()));
            }
            add_open(writer, fields, upserts, today).map(|_| ())
        })
    }

    /// The position in the store's change log this index holds everything up to, as committed
    /// with its last applied change (`None`: never set — rebuild from the store).
    pub fn position(&self) -> Option<i64> {
        self.index.load_metas().ok()?.payload?.strip_prefix("changes:")?.parse().ok()
    }

    /// Apply changes from the change log and move the position, in one commit: the documents
    /// and the position they reflect are durable together, so a crash leaves neither ahead.
    pub fn apply_changes(
        &self,
        upserts: &[Vacancy],
        removals: &[Uuid],
        today: NaiveDate,
        position: i64,
    ) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        for id in removals.iter().chain(upserts.iter().map(|v| &v.id)) {
            writer.delete_term(Term::from_field_text(self.fields.id, &id.to_string()));
        }
        add_open(&mut writer, &self.fields, upserts, today)?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&format!("changes:{position}"));
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// Drop vacancies whose close date is before `today` (they never show anyway; this keeps
    /// the index small). The effect is visible when it returns.
    pub fn purge_expired(&self, today: NaiveDate) -> Result<(), SearchError> {
        self.write(|writer, fields| {
            writer.delete_query(query::closed_before(fields, today)).map(|_| ()).map_err(Into::into)
        })
    }

    /// One change: under the writer lock, then committed and made visible to searches.
    fn write<T>(
        &self,
        change: impl FnOnce(&mut IndexWriter<TantivyDocument>, &Fields) -> Result<T, SearchError>,
    ) -> Result<T, SearchError> {
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        // A change made outside the log (a write seen in its own request) keeps the position:
        // the log will bring the same change again, and applying it twice is harmless.
        let payload = self.index.load_metas().ok().and_then(|m| m.payload);
        let out = change(&mut writer, &self.fields)?;
        let mut prepared = writer.prepare_commit()?;
        if let Some(p) = payload {
            prepared.set_payload(&p);
        }
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(out)
    }

    /// Run a search as of `today` (vacancies past their close date never show).
    pub fn search(&self, q: &SearchQuery, today: NaiveDate) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let built = query::build(&self.fields, q, today);
        let limit = q.limit.clamp(1, 100);
        let cursor = q.cursor;
        let sort = q.sort;
        let near = q.near;
        let seq_hi = schema::SEQ_HI;
        let seq_lo = schema::SEQ_LO;
        let top = TopDocs::with_limit(limit).tweak_score(move |segment: &tantivy::SegmentReader| {
            let ff = segment.fast_fields();
            let hi = ff.u64(seq_hi).ok();
            let lo = ff.u64(seq_lo).ok();
            let opens = ff.i64(schema::OPENS_ON).ok();
            let salary = ff.i64(schema::SALARY_MAX).ok();
            let lat = ff.f64(schema::LAT).ok();
            let lon = ff.f64(schema::LON).ok();
            move |doc: tantivy::DocId, score: tantivy::Score| {
                let h = hi.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
                let l = lo.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
                if let Some((plat, plon, km)) = near {
                    let inside =
                        match (lat.as_ref().and_then(|c| c.first(doc)), lon.as_ref().and_then(|c| c.first(doc))) {
                            (Some(a), Some(b)) => query::distance_km(plat, plon, a, b) <= km,
                            _ => false,
                        };
                    if !inside {
                        return query::SortKey::EXCLUDED;
                    }
                }
                let primary = match sort {
                    Sort::Relevance => i64::from(score.max(0.0).to_bits()),
                    Sort::Newest => opens.as_ref().and_then(|c| c.first(doc)).unwrap_or(0),
                    Sort::Salary => salary.as_ref().and_then(|c| c.first(doc)).unwrap_or(0),
                };
                let key = query::SortKey(primary, h, l);
                match cursor {
                    Some(c) if key >= c.key() => query::SortKey::EXCLUDED,
                    _ => key,
                }
            }
        });
        let mut facets = FacetCollector::for_field(schema::F_DISTRICT);
        facets.add_facet("/");
        let mut kinds = FacetCollector::for_field(schema::F_KIND);
        kinds.add_facet("/");
        let mut occupations = FacetCollector::for_field(schema::F_OCCUPATION_MAJOR);
        occupations.add_facet("/");
        let mut industries = FacetCollector::for_field(schema::F_INDUSTRY);
        industries.add_facet("/");
        let mut educations = FacetCollector::for_field(schema::F_EDUCATION);
        educations.add_facet("/");
        let (hits, total, (fd, fk, fo), (fi, fe)) =
            searcher.search(&built, &(top, Count, (facets, kinds, occupations), (industries, educations)))?;
        let hits: Vec<(query::SortKey, DocAddress)> =
            hits.into_iter().filter(|(k, _)| *k != query::SortKey::EXCLUDED).collect();
        let next_cursor = if hits.len() == limit { hits.last().map(|(k, _)| Cursor::from_key(sort, *k)) } else { None };
        let snippets = match SnippetGenerator::create(&searcher, &*built, self.fields.description) {
            Ok(mut g) => {
                g.set_max_num_chars(120);
                Some(g)
            }
            Err(_) => None,
        };
        let title_snippets = SnippetGenerator::create(&searcher, &*built, self.fields.title).ok();
        let mut out = Vec::with_capacity(hits.len());
        for (key, addr) in hits {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let id = doc.get_first(self.fields.id).and_then(|v| v.as_str()).and_then(|s| Uuid::parse_str(s).ok());
            let Some(id) = id else { continue };
            let mut snippet_html =
                title_snippets.as_ref().map(|g| g.snippet_from_doc(&doc).to_html()).unwrap_or_default();
            if let Some(g) = &snippets {
                let s = g.snippet_from_doc(&doc);
                if !s.highlighted().is_empty() || snippet_html.is_empty() {
                    snippet_html = s.to_html();
                }
            }
            let score = if sort == Sort::Relevance { f32::from_bits(key.0 as u32) } else { 0.0 };
            out.push(Hit { id, score, snippet_html });
        }
        let counts = |fc: &tantivy::collector::FacetCounts| -> Vec<(String, u64)> {
            let mut v: Vec<(String, u64)> =
                fc.get("/").map(|(f, n)| (facet_leaf(f), n)).filter(|(_, n)| *n > 0).collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            v
        };
        Ok(SearchResults {
            total,
            hits: out,
            facets: Facets {
                district: counts(&fd),
                kind: counts(&fk),
                occupation: counts(&fo),
                industry: counts(&fi),
                education: counts(&fe),
            },
            next_cursor,
        })
    }

    /// Typeahead: occupation names and titles starting with `prefix` (Chinese or pinyin), most
    /// common first.
    pub fn suggest(&self, prefix: &str, limit: usize) -> Result<Vec<String>, SearchError> {
        query::suggest(&self.reader.searcher(), &self.fields, prefix, limit)
    }
}

fn facet_leaf(f: &Facet) -> String {
    f.to_path().last().map(|s| s.to_string()).unwrap_or_default()
}

/// Add the vacancies open on `today`; returns how many.
fn add_open<'a>(
    writer: &mut IndexWriter<TantivyDocument>,
    fields: &Fields,
    vacancies: impl IntoIterator<Item = &'a Vacancy>,
    today: NaiveDate,
) -> Result<u64, SearchError> {
    let mut n = 0;
    for v in vacancies {
        if is_open(v, today) {
            writer.add_document(fields.document(v))?;
            n += 1;
        }
    }
    Ok(n)
}

fn is_open(v: &Vacancy, today: NaiveDate) -> bool {
    v.status_on(today) == VacancyStatus::Open && v.opens_on <= today
}
