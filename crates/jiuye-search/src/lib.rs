//! jiuye-search: the full-text index of open vacancies.
//!
//! tantivy with a jieba tokenizer (search mode, punctuation dropped) and a second field of
//! character bigrams (`包住` finds 包住宿, `cad` finds AutoCAD); words ranked in tiers (exact
//! title > title word > occupation or skill > inside a word > synonym > description), query-time
//! synonyms from a curated list with sources, pinyin and initials (`diangong`, `dg`, `dian gong`
//! → 电工), homophones (`店工` → 电工) and Latin typos for words that find nothing; districts,
//! kinds and conditions typed as words (湖里, 兼职, 包住, 夜班) read as filters and boosts; all
//! words first, then most words, then any word when all of them find too few; filters
//! (district, occupation at any level, industry, salary overlap, education, kind, freshness,
//! employer, distance), facet counts, highlighted snippets and deep paging by cursor.
//!
//! A plain library: it takes domain values and returns ids, scores and counts. The caller
//! keeps the index in step with the store and gives it `today`.

pub mod conditions;
mod field_top;
pub mod judged;
mod previous;
mod query;
mod sampled;
mod schema;
pub mod synonyms;
mod text;
pub mod tokenize;

use std::path::Path;
use std::sync::Mutex;

use chrono::NaiveDate;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::merge_policy::{LogMergePolicy, NoMergePolicy};
use tantivy::schema::{Facet, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use uuid::Uuid;

use jiuye_domain::records::{Vacancy, VacancyStatus};

pub use query::{Cursor, SearchQuery, Sort};
use schema::Fields;
pub use text::{Reading, read};

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
    /// The counts of a broad query are estimated from a sample (`sampled`): shown as "约".
    pub estimated: bool,
}

#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    pub next_cursor: Option<Cursor>,
    /// How the text was read, for the page to say so.
    pub understood: Understood,
}

/// How a query's text was read and matched.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Understood {
    /// A district named in the text, used as the district filter (none was given).
    pub district: Option<jiuye_domain::codes::DistrictCode>,
    /// A kind of job named in the text, used as the kind filter.
    pub kind: Option<jiuye_domain::records::VacancyKind>,
    /// Conditions named in the text (包住, 夜班 …): vacancies stating them rank first.
    pub conditions: Vec<String>,
    /// Not every word could be found together: partial matches are shown, most words first.
    pub relaxed: Option<Relaxed>,
    /// Words read as another (`店工` → 电工, `electrican` → electrician).
    pub did_you_mean: Vec<(String, String)>,
    /// Words no vacancy holds, however read, left out because the rest of the query says
    /// something (`周末` in `找个周末兼职`: every part-time job).
    pub ignored: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relaxed {
    /// The words looked for.
    pub words: Vec<String>,
    /// How many vacancies hold all of them.
    pub all_words: usize,
    /// How many of the words a shown vacancy holds at least.
    pub at_least: usize,
}

/// Bump when the schema or the analysis changes: an index of another version is rebuilt.
pub const INDEX_VERSION: u32 = 4;

/// Fewer results than this for all the words, and most words are tried.
const FEW: usize = 5;

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    /// Changes staged in the writer and committed so far, counted: a change whose turn to commit
    /// comes after another commit took it along returns at once (group commit).
    commits: Mutex<Commits>,
    /// One commit at a time; changes staged meanwhile wait here and share the next.
    committing: Mutex<()>,
    fields: Fields,
}

#[derive(Debug, Default)]
struct Commits {
    staged: u64,
    committed: u64,
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

    fn from_index(mut index: Index, fields: Fields) -> Result<SearchIndex, SearchError> {
        // A query's segments are searched on every core: a broad query over a million
        // documents visits hundreds of thousands of them (scores, facet counts), and one
        // person's search should not wait for one core to go through them all.
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        if cores > 1 {
            index.set_multithread_executor(cores)?;
        }
        index.tokenizers().register(tokenize::TOKENIZER, tokenize::ZhTokenizer::default());
        index.tokenizers().register(tokenize::GRAMS, tokenize::grams_analyzer());
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        // One indexing thread: every commit flushes each thread's segment, so a second thread
        // doubles the files written and synced per commit, and commits are what a busy
        // instance spends its time on.
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        let index = index.clone();
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            commits: Mutex::default(),
            committing: Mutex::new(()),
            fields,
        })
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

    /// Stage many vacancies without clearing and without committing (loading in batches after
    /// `rebuild(&[], …)`): the next commit — [`Self::apply_changes`] at the end of the load —
    /// makes them visible together. A commit per batch would write a segment per batch, and a
    /// million documents in two hundred segments leave every search visiting them all until
    /// the merges catch up.
    pub fn stage_batch<'a>(
        &self,
        batch: impl IntoIterator<Item = &'a Vacancy>,
        today: NaiveDate,
    ) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        add_open(&mut writer, &self.fields, batch, today).map(|_| ())
    }

    /// Before a full load: no background merges while it is staged (they would merge segments
    /// the load is still adding to, over and over); [`Self::finish_load`] merges once.
    pub fn start_load(&self) -> Result<(), SearchError> {
        self.writer.lock().map_err(|_| SearchError::Poisoned)?.set_merge_policy(Box::new(NoMergePolicy));
        Ok(())
    }

    /// After a full load is committed: its segments merged into one per core, of even sizes,
    /// so the segments of a broad query are searched side by side (one big segment and a few
    /// small ones would leave a core idle), then merges as usual for the writes that follow.
    /// Blocks until the merges are done.
    pub fn finish_load(&self) -> Result<(), SearchError> {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let mut metas = self.index.searchable_segment_metas()?;
        metas.sort_by_key(|m| std::cmp::Reverse(m.num_docs()));
        let mut groups: Vec<(u64, Vec<tantivy::index::SegmentId>)> = vec![(0, Vec::new()); cores.max(1)];
        for m in metas {
            if let Some(g) = groups.iter_mut().min_by_key(|g| g.0) {
                g.0 += u64::from(m.num_docs());
                g.1.push(m.id());
            }
        }
        let merges: Vec<_> = {
            let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
            groups.iter().filter(|g| g.1.len() > 1).map(|g| writer.merge(&g.1)).collect()
        };
        let done: Result<Vec<_>, _> = merges.into_iter().map(|m| m.wait()).collect();
        self.writer.lock().map_err(|_| SearchError::Poisoned)?.set_merge_policy(Box::new(LogMergePolicy::default()));
        done?;
        self.reader.reload()?;
        Ok(())
    }

    /// Documents in each segment the searches currently visit.
    pub fn segment_sizes(&self) -> Vec<u32> {
        self.reader.searcher().segment_readers().iter().map(|r| r.num_docs()).collect()
    }

    /// Segments of the last commit as stored, after the background merges that finished since
    /// (searches see them at the next reload).
    pub fn stored_segments(&self) -> Result<usize, SearchError> {
        Ok(self.index.searchable_segment_ids()?.len())
    }

    /// Let searches see the stored segments now (a commit does this too).
    pub fn reload(&self) -> Result<(), SearchError> {
        Ok(self.reader.reload()?)
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
        let _turn = self.committing.lock().map_err(|_| SearchError::Poisoned)?;
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        for id in removals.iter().chain(upserts.iter().map(|v| &v.id)) {
            writer.delete_term(Term::from_field_text(self.fields.id, &id.to_string()));
        }
        add_open(&mut writer, &self.fields, upserts, today)?;
        let through = self.stage()?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&format!("changes:{position}"));
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        self.committed(through)
    }

    /// Count a change staged in the writer: its number.
    fn stage(&self) -> Result<u64, SearchError> {
        let mut c = self.commits.lock().map_err(|_| SearchError::Poisoned)?;
        c.staged += 1;
        Ok(c.staged)
    }

    fn committed(&self, through: u64) -> Result<(), SearchError> {
        let mut c = self.commits.lock().map_err(|_| SearchError::Poisoned)?;
        c.committed = c.committed.max(through);
        Ok(())
    }

    /// Drop vacancies whose close date is before `today` (they never show anyway; this keeps
    /// the index small). The effect is visible when it returns.
    pub fn purge_expired(&self, today: NaiveDate) -> Result<(), SearchError> {
        self.write(|writer, fields| {
            writer.delete_query(query::closed_before(fields, today)).map(|_| ()).map_err(Into::into)
        })
    }

    /// One change: staged under the writer lock, then committed and made visible to searches —
    /// by this call, or by a commit of another that began after it was staged.
    fn write<T>(
        &self,
        change: impl FnOnce(&mut IndexWriter<TantivyDocument>, &Fields) -> Result<T, SearchError>,
    ) -> Result<T, SearchError> {
        let (mine, out) = {
            let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
            let out = change(&mut writer, &self.fields)?;
            (self.stage()?, out)
        };
        let _turn = self.committing.lock().map_err(|_| SearchError::Poisoned)?;
        if self.commits.lock().map_err(|_| SearchError::Poisoned)?.committed >= mine {
            return Ok(out);
        }
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        let through = self.commits.lock().map_err(|_| SearchError::Poisoned)?.staged;
        // A change made outside the log (a write seen in its own request) keeps the position:
        // the log will bring the same change again, and applying it twice is harmless.
        let payload = self.index.load_metas().ok().and_then(|m| m.payload);
        let mut prepared = writer.prepare_commit()?;
        if let Some(p) = payload {
            prepared.set_payload(&p);
        }
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        self.committed(through)?;
        Ok(out)
    }

    /// Run a search as of `today` (vacancies past their close date never show). All words
    /// first; when they find fewer than a handful, words that find nothing are read by their
    /// sound or as typos, and then most words, then any word are enough.
    pub fn search(&self, q: &SearchQuery, today: NaiveDate) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let f = &self.fields;
        let Some(typed) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
            return self.run(&searcher, q, today, query::TextPart::All, Understood::default());
        };
        let reading = text::read(typed);
        let mut q = q.clone();
        let mut understood = Understood {
            conditions: reading.conditions.iter().map(|c| c.words[0].to_string()).collect(),
            ..Understood::default()
        };
        if q.district.is_none() && reading.district.is_some() {
            q.district = reading.district;
            understood.district = reading.district;
        }
        if q.kind.is_none() && reading.kind.is_some() {
            q.kind = reading.kind;
            understood.kind = reading.kind;
        }
        understood.did_you_mean.extend(reading.meant.clone());
        let mut words = self.read_by_index(&searcher, &reading, &mut understood)?;
        if words.is_empty() {
            // Conditions alone ask for them; a district or kind alone, for everything there.
            if reading.conditions.is_empty() && reading.district.is_none() && reading.kind.is_none() {
                // Text that analyses to nothing (only punctuation) matches nothing.
                return self.run(&searcher, &q, today, query::TextPart::Nothing, understood);
            }
            return self.by_conditions(&searcher, &q, today, &reading, understood);
        }
        let plan =
            |words: &[(String, text::Extra)], minimum| text::Plan { words: words.to_vec(), minimum, reading: &reading };
        let strict = self.run_plan(&searcher, &q, today, &plan(&words, None), &understood)?;
        if strict.total >= FEW {
            return Ok(strict);
        }
        // Words that find nothing anywhere: by their sound, or within a typo's distance.
        let mut changed = false;
        let mut dead = Vec::new();
        for (w, extra) in &mut words {
            if *extra != text::Extra::default() || self.count(&searcher, text::word_query(f, w, extra, 0.0))? > 0 {
                continue;
            }
            if let Some(e) = self.alternative(&searcher, w)? {
                self.say_meant(&searcher, w, &e, &mut understood)?;
                *extra = e;
                changed = true;
            } else {
                dead.push(w.clone());
            }
        }
        // Words found nowhere, however read, are left out when something else was said.
        let alive = words.iter().any(|(w, _)| !dead.contains(w) && !text::is_filler(w));
        let said_else = alive || reading.district.is_some() || reading.kind.is_some() || !reading.conditions.is_empty();
        if !dead.is_empty() && said_else {
            words.retain(|(w, _)| !dead.contains(w));
            understood.ignored = dead;
            changed = true;
            if words.is_empty() {
                return self.by_conditions(&searcher, &q, today, &reading, understood);
            }
        }
        let strict =
            if changed { self.run_plan(&searcher, &q, today, &plan(&words, None), &understood)? } else { strict };
        if strict.total >= FEW {
            return Ok(strict);
        }
        let all: Vec<String> = words.iter().map(|(w, _)| w.clone()).collect();
        let loose: Vec<(String, text::Extra)> = text::relaxed_words(&all)
            .into_iter()
            .map(|w| {
                let extra = words.iter().find(|(x, _)| *x == w).map(|(_, e)| e.clone()).unwrap_or_default();
                (w, extra)
            })
            .collect();
        // One long word is relaxed into its parts; a single word that has none stays as it is.
        let splits = loose.len() == 1 && loose[0].0 != all[0];
        if loose.len() < 2 && !splits {
            return self.or_filters_only(&searcher, &q, today, &reading, strict, &all);
        }
        let all_words = strict.total;
        let mut best = strict;
        let mut levels = vec![loose.len().saturating_sub(1).max(1), 1];
        levels.dedup();
        for at_least in levels {
            let mut u = understood.clone();
            u.relaxed = Some(Relaxed { words: all.clone(), all_words, at_least });
            let r = self.run_plan(&searcher, &q, today, &plan(&loose, Some(at_least)), &u)?;
            let enough = r.total >= FEW;
            if r.total > best.total {
                best = r;
            }
            if enough {
                break;
            }
        }
        self.or_filters_only(&searcher, &q, today, &reading, best, &all)
    }

    /// Nothing found with the words, but a district, kind or condition was typed too
    /// (`找个周末兼职`): what those say, the words left out and said to be.
    fn or_filters_only(
        &self,
        searcher: &tantivy::Searcher,
        q: &SearchQuery,
        today: NaiveDate,
        reading: &text::Reading,
        found: SearchResults,
        words: &[String],
    ) -> Result<SearchResults, SearchError> {
        let said_else = reading.district.is_some() || reading.kind.is_some() || !reading.conditions.is_empty();
        if found.total > 0 || !said_else {
            return Ok(found);
        }
        let mut understood = found.understood;
        understood.relaxed = None;
        understood.ignored = words.to_vec();
        self.by_conditions(searcher, q, today, reading, understood)
    }

    /// The search as it ranked before issue #11 — the baseline of `jiuye bench relevance`
    /// (see `previous.rs`); filters, sorting and paging as [`SearchIndex::search`].
    pub fn search_previous(&self, q: &SearchQuery, today: NaiveDate) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let part = match q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => query::TextPart::All,
            Some(t) => match previous::text_query(&self.fields, t) {
                Some(tq) => query::TextPart::Query(tq),
                None => query::TextPart::Nothing,
            },
        };
        self.run(&searcher, q, today, part, Understood::default())
    }

    /// No words to match: the vacancies stating the conditions (all of them, within the
    /// filters), or — when that finds too few — every vacancy, those stating them first.
    fn by_conditions(
        &self,
        searcher: &tantivy::Searcher,
        q: &SearchQuery,
        today: NaiveDate,
        reading: &text::Reading,
        understood: Understood,
    ) -> Result<SearchResults, SearchError> {
        let Some(required) = text::conditions_only(&self.fields, reading) else {
            return self.run(searcher, q, today, query::TextPart::All, understood);
        };
        let r = self.run(searcher, q, today, query::TextPart::Query(required), understood.clone())?;
        // Conditions alone ask for them; beside a district or kind they rank, when requiring
        // them finds too few.
        if r.total >= FEW || (reading.district.is_none() && reading.kind.is_none()) {
            return Ok(r);
        }
        match text::conditions_first(&self.fields, reading) {
            Some(first) => self.run(searcher, q, today, query::TextPart::Query(first), understood),
            None => Ok(r),
        }
    }

    /// Spaced pinyin joined (`dian gong` → diangong) when the joined form is a title's pinyin,
    /// and a typed Chinese word found nowhere but sounding like a title word read as that
    /// (`收银元` → 收银员, instead of 收银 and 元 apart).
    fn read_by_index(
        &self,
        searcher: &tantivy::Searcher,
        reading: &Reading,
        understood: &mut Understood,
    ) -> Result<Vec<(String, text::Extra)>, SearchError> {
        let f = &self.fields;
        let mut out: Vec<(String, text::Extra)> = Vec::new();
        let typed = &reading.typed;
        let mut i = 0;
        while i < typed.len() {
            let t = &typed[i];
            if tokenize::looks_like_pinyin(&t.raw) && t.raw.len() <= 6 {
                let mut joined = t.raw.clone();
                let mut best: Option<(usize, String)> = None;
                for (j, next) in typed.iter().enumerate().skip(i + 1) {
                    if !tokenize::looks_like_pinyin(&next.raw) || next.raw.len() > 6 {
                        break;
                    }
                    joined.push_str(&next.raw);
                    if searcher.doc_freq(&Term::from_field_text(f.pinyin, &joined))? > 0 {
                        best = Some((j, joined.clone()));
                    }
                }
                if let Some((j, w)) = best {
                    out.push((w, text::Extra::default()));
                    i = j + 1;
                    continue;
                }
            }
            // An all-Chinese token that jieba cut up (`收银元` → 收银 + 元) may be a whole word
            // mistyped: read by its sound when that is a title's and its letters are nowhere
            // (`java开发` is two words; a token kept whole is checked later, only if needed).
            let chinese = t.raw.chars().count() >= 2 && t.raw.chars().all(|c| !c.is_ascii());
            let cut_up = t.words.len() != 1 || t.words[0] != t.raw;
            if chinese
                && cut_up
                && !synonyms::is_known(&t.raw)
                && let Some(extra) = self.alternative(searcher, &t.raw)?
                && text::inside_words(f, &t.raw).map_or(Ok(1), |q| self.count(searcher, q))? == 0
            {
                self.say_meant(searcher, &t.raw, &extra, understood)?;
                out.push((t.raw.clone(), extra));
                i += 1;
                continue;
            }
            for w in &t.words {
                if !out.iter().any(|(x, _)| x == w) {
                    out.push((w.clone(), text::Extra::default()));
                }
            }
            i += 1;
        }
        Ok(out)
    }

    /// How a word with no hits may still be meant: its sound (Chinese) or a typo (Latin).
    fn alternative(&self, searcher: &tantivy::Searcher, word: &str) -> Result<Option<text::Extra>, SearchError> {
        if tokenize::is_latin(word) {
            let Some(d) = text::typo_distance(word) else { return Ok(None) };
            let mut near: Vec<(usize, &str)> = synonyms::latin_words()
                .map(|k| (strsim::osa_distance(k, word), k))
                .filter(|(n, _)| *n <= usize::from(d))
                .collect();
            near.sort();
            let typo_words = near.into_iter().map(|(_, k)| k.to_string()).collect();
            return Ok(Some(text::Extra { typo_distance: Some(d), typo_words, ..text::Extra::default() }));
        }
        let Some((full, _)) = tokenize::pinyin_forms(word) else { return Ok(None) };
        if searcher.doc_freq(&Term::from_field_text(self.fields.pinyin, &full))? == 0 {
            return Ok(None);
        }
        Ok(Some(text::Extra { homophone: Some(full), ..text::Extra::default() }))
    }

    /// Say what a word read another way was taken for ("did you mean"): the most common title
    /// or occupation with its sound, or the nearest English title.
    fn say_meant(
        &self,
        searcher: &tantivy::Searcher,
        word: &str,
        e: &text::Extra,
        understood: &mut Understood,
    ) -> Result<(), SearchError> {
        let meant = match (&e.homophone, e.typo_words.first()) {
            (_, Some(w)) => Some(w.clone()),
            (Some(full), None) => query::names_with_prefix(searcher, &self.fields, &format!("{full}|"), 5)?
                .into_iter()
                .find(|n| n != word && tokenize::pinyin_readings(n).iter().any(|(p, _)| p == full)),
            (None, None) => None,
        };
        if let Some(m) = meant {
            understood.did_you_mean.push((word.to_string(), m));
        }
        Ok(())
    }

    fn count(&self, searcher: &tantivy::Searcher, q: Box<dyn tantivy::query::Query>) -> Result<usize, SearchError> {
        Ok(searcher.search(&*q, &Count)?)
    }

    fn run_plan(
        &self,
        searcher: &tantivy::Searcher,
        q: &SearchQuery,
        today: NaiveDate,
        plan: &text::Plan<'_>,
        understood: &Understood,
    ) -> Result<SearchResults, SearchError> {
        let part = match text::text_query(&self.fields, plan) {
            Some(t) => query::TextPart::Query(t),
            None => query::TextPart::Nothing,
        };
        self.run(searcher, q, today, part, understood.clone())
    }

    fn run(
        &self,
        searcher: &tantivy::Searcher,
        q: &SearchQuery,
        today: NaiveDate,
        part: query::TextPart,
        understood: Understood,
    ) -> Result<SearchResults, SearchError> {
        let built = query::build(&self.fields, q, today, part);
        let limit = q.limit.clamp(1, 100);
        let cursor = q.cursor;
        let sort = q.sort;
        let near = q.near;
        let from = q.from.as_ref().map(|(at, d)| jiuye_domain::geo::From::new(*at, d));
        // Only the distance sort reads a document's district.
        let districts: Vec<(u64, jiuye_domain::codes::DistrictCode)> = match from {
            Some(_) if sort == Sort::Distance => jiuye_domain::codes::DistrictCode::all()
                .into_iter()
                .filter_map(|d| Some((d.as_str().parse::<u64>().ok()?, d)))
                .collect(),
            _ => Vec::new(),
        };
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
            let district = ff.u64(schema::DISTRICT_N).ok();
            let districts = districts.clone();
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
                    // Nearest first: the trip in metres, negated (keys sort high to low).
                    Sort::Distance => match (&from, district.as_ref().and_then(|c| c.first(doc))) {
                        (Some(from), Some(n)) => {
                            let d = districts.iter().find(|(k, _)| *k == n).map(|(_, d)| *d);
                            let at = match (
                                lat.as_ref().and_then(|c| c.first(doc)),
                                lon.as_ref().and_then(|c| c.first(doc)),
                            ) {
                                (Some(a), Some(b)) => Some((a, b)),
                                _ => d.as_ref().map(jiuye_domain::geo::district_seat),
                            };
                            match (at, d) {
                                (Some(at), Some(d)) => -((from.km(at, &d) * 1000.0) as i64),
                                _ => i64::MIN + 1,
                            }
                        }
                        _ => 0,
                    },
                };
                let key = query::SortKey(primary, h, l);
                match cursor {
                    Some(c) if key >= c.key() => query::SortKey::EXCLUDED,
                    _ => key,
                }
            }
        });
        let facet = |field: &str| {
            let mut c = FacetCollector::for_field(field);
            c.add_facet("/");
            sampled::Sampled(c)
        };
        let (facets, kinds, occupations) =
            (facet(schema::F_DISTRICT), facet(schema::F_KIND), facet(schema::F_OCCUPATION_MAJOR));
        let (industries, educations) = (facet(schema::F_INDUSTRY), facet(schema::F_EDUCATION));
        let (hits, total, (fd, fk, fo), (fi, fe)) = match (sort, near) {
            // Sorted by a stored number: no scores needed, and the id read only for a match
            // that could still enter the page.
            (Sort::Newest | Sort::Salary, None) => {
                let field = if sort == Sort::Newest { schema::OPENS_ON } else { schema::SALARY_MAX };
                let top = field_top::FieldTop { field, limit, before: cursor.map(|c| c.key()) };
                searcher.search(&built, &(top, Count, (facets, kinds, occupations), (industries, educations)))?
            }
            _ => searcher.search(&built, &(top, Count, (facets, kinds, occupations), (industries, educations)))?,
        };
        let hits: Vec<(query::SortKey, DocAddress)> =
            hits.into_iter().filter(|(k, _)| *k != query::SortKey::EXCLUDED).collect();
        let next_cursor = if hits.len() == limit { hits.last().map(|(k, _)| Cursor::from_key(sort, *k)) } else { None };
        let snippets = match SnippetGenerator::create(searcher, &*built, self.fields.description) {
            Ok(mut g) => {
                g.set_max_num_chars(120);
                Some(g)
            }
            Err(_) => None,
        };
        let title_snippets = SnippetGenerator::create(searcher, &*built, self.fields.title).ok();
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
        let counts = |fruit| sampled::counts(fruit, facet_leaf);
        let estimated = [&fd, &fk, &fo, &fi, &fe].iter().any(|f| f.2);
        Ok(SearchResults {
            total,
            hits: out,
            facets: Facets {
                district: counts(&fd),
                kind: counts(&fk),
                occupation: counts(&fo),
                industry: counts(&fi),
                education: counts(&fe),
                estimated,
            },
            next_cursor,
            understood,
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
