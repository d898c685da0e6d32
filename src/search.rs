//! Full-text search over the public articles (`tantivy`), built once per content load. Two kinds of
//! document share one index: a *page* for every (article, audience) pair, holding the wording that
//! page shows, for the search page; and a *section* for every heading's passage of an approved
//! article's pages, for answering readers' follow-up questions ([`SearchIndex::ask`]). Readers' own
//! words (`synonyms.toml`) widen both.

use crate::content::{Article, ReviewStatus, Site, SiteConfig};
use tantivy::collector::TopDocs;
use tantivy::query::{
    Bm25StatisticsProvider, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, TantivyDocument, Term, doc};

/// Longest query accepted; longer ones are cut.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most words a query searches for, counting the words of its phrases; later ones are ignored.
pub const MAX_TERMS: usize = 10;
/// Most words in one quoted phrase; a longer phrase is cut to its first words.
pub const MAX_PHRASE_WORDS: usize = 6;

/// What a reader's query asks for, and nothing else: words (any of them, best matches first) and
/// quoted phrases (those words next to each other, in order). Each word is already analysed the way
/// the index analyses text (lower case, stemmed). Query syntax beyond quotes has no meaning: field
/// names, `+`, `-`, `~N` slop, ranges and boosts are read as the words they contain, so no query can
/// ask for costly work, and the number of words is capped ([`MAX_TERMS`], [`MAX_PHRASE_WORDS`]).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ReaderQuery {
    pub words: Vec<String>,
    pub phrases: Vec<Vec<String>>,
    /// Synonym groups the query names: each is searched as one with the query's own words.
    pub synonyms: Vec<SynonymMatch>,
}

/// A synonym group one of whose terms the query contains.
#[derive(Debug, PartialEq, Eq)]
pub struct SynonymMatch {
    /// The group's term found in the query (analysed).
    pub found: Vec<String>,
    /// The group's other terms (analysed), searched as well.
    pub alternatives: Vec<Vec<String>>,
}

/// Most terms that synonyms add to one query.
pub const MAX_SYNONYM_TERMS: usize = 24;

impl ReaderQuery {
    /// Parses `input` with `analyse` splitting text into index terms.
    pub fn parse(input: &str, mut analyse: impl FnMut(&str) -> Vec<String>) -> ReaderQuery {
        let mut query = ReaderQuery::default();
        let mut budget = MAX_TERMS;
        let parts: Vec<&str> = input.split('"').collect();
        // An odd number of quotes leaves the last part unclosed: read it as words.
        let closed = if parts.len() % 2 == 1 {
            parts.len()
        } else {
            parts.len() - 1
        };
        for (n, part) in parts.iter().enumerate() {
            // A quoted part is one phrase; outside quotes, each whitespace-separated piece is a word,
            // or a phrase when it holds several ("leg-cramps", "co-amoxiclav").
            let pieces: Vec<&str> = if n % 2 == 1 && n < closed {
                vec![part]
            } else {
                part.split_whitespace().collect()
            };
            for piece in pieces {
                if budget == 0 {
                    break;
                }
                query.add(analyse(piece), &mut budget);
            }
        }
        query
    }

    /// Adds the terms of one piece of the query: a phrase when there are several, else a word.
    fn add(&mut self, mut terms: Vec<String>, budget: &mut usize) {
        terms.truncate(MAX_PHRASE_WORDS.min(*budget));
        match terms.len() {
            0 => {}
            1 => {
                let term = terms.pop().unwrap_or_default();
                if !self.words.contains(&term) {
                    *budget -= 1;
                    self.words.push(term);
                }
            }
            n => {
                if !self.phrases.contains(&terms) {
                    *budget -= n;
                    self.phrases.push(terms);
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty()
    }

    /// Adds the synonym `groups` (each a list of analysed terms) any of whose terms appears, as
    /// consecutive words, in `tokens` (the analysed words of the whole query).
    pub fn add_synonyms(&mut self, tokens: &[String], groups: &[Vec<Vec<String>>]) {
        let mut budget = MAX_SYNONYM_TERMS;
        for group in groups {
            let Some(found) = group
                .iter()
                .filter(|term| {
                    !term.is_empty() && tokens.windows(term.len()).any(|w| w == &term[..])
                })
                .max_by_key(|term| term.len())
            else {
                continue;
            };
            let alternatives: Vec<Vec<String>> = group
                .iter()
                .filter(|term| *term != found && !term.is_empty())
                .cloned()
                .collect();
            let size: usize = alternatives.iter().map(Vec::len).sum();
            if size > budget {
                break;
            }
            budget -= size;
            self.synonyms.push(SynonymMatch {
                found: found.clone(),
                alternatives,
            });
        }
    }

    /// What the query asks about, each searched for as one: its words and phrases, each with the
    /// synonyms of the group it belongs to (if any) as alternatives.
    fn concepts(&self) -> Vec<Vec<&[String]>> {
        let own = self
            .words
            .iter()
            .map(std::slice::from_ref)
            .chain(self.phrases.iter().map(Vec::as_slice));
        own.map(|terms| {
            let mut alternatives = vec![terms];
            for group in &self.synonyms {
                if terms.iter().all(|t| group.found.contains(t)) {
                    alternatives.extend(group.alternatives.iter().map(Vec::as_slice));
                }
            }
            alternatives
        })
        .collect()
    }
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Each audience's text fields, by audience id.
    texts: Vec<(String, TextFields)>,
    /// For each text field, the fields whose statistics it scores with ([`SharedStatistics`]).
    siblings: std::collections::HashMap<Field, Vec<Field>>,
    /// The name of the analyser of its text.
    tokenizer: &'static str,
    /// `synonyms.toml`'s groups, each term analysed as the index analyses text.
    synonyms: Vec<Vec<Vec<String>>>,
    /// Made on the first update and kept, so segments merge in the background between updates.
    writer: std::sync::Mutex<Option<tantivy::IndexWriter>>,
    /// The pages in the site's other languages, each analysed with its language's stemmer, by
    /// language id. Results and answers come only from the reader's language.
    languages: std::collections::BTreeMap<String, SearchIndex>,
    /// The folder of a file-backed index ([`Storage::Files`]), removed when the index is dropped.
    /// Declared last so that the index and its writer close first.
    files: Option<tempfile::TempDir>,
}

/// Where an index keeps its segments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    /// In the heap: for small sites, tests and one-off tools.
    Memory,
    /// In files of a temporary folder (under `TMPDIR`), memory-mapped: the operating system keeps
    /// in memory the parts searches read and can drop the rest, so a large site's index (its
    /// stored texts most of all) is not held in the server's own memory.
    Files,
}

/// Memory the updating writer may use before it flushes (tantivy's minimum is 15 MB).
const UPDATE_WRITER_MEMORY: usize = 15_000_000;

#[derive(Clone, Copy)]
struct Fields {
    slug: Field,
    audience: Field,
    /// `page` or `section`.
    kind: Field,
    /// A section's heading id (empty for the text before the first heading).
    section: Field,
    /// A section's citations, `number=key` separated by spaces.
    cites: Field,
    /// Where a section's text lies in its page's text: `start end` (bytes).
    range: Field,
}

/// The text fields of one audience's documents. Each audience's pages and sections have fields of
/// their own, so that a search is a plain union of its words' postings in the reader's fields, with
/// no filter to intersect: tantivy then skips whole blocks of postings that cannot reach the best
/// results (block-max WAND), which on a site of 100,000 articles, where common words are on every
/// page, is the difference between scoring every page and scoring a few.
#[derive(Clone, Copy)]
struct TextFields {
    title: Field,
    summary: Field,
    topics: Field,
    body: Field,
    /// A section's article title, its heading and its article's topics.
    passage_title: Field,
    heading: Field,
    passage_topics: Field,
    /// A section's text, indexed only: the passage shown is cut from its page's stored text.
    passage: Field,
}

impl Fields {
    /// The index's document for `d`, with `t` the text fields of its audience.
    fn document(self, t: TextFields, d: IndexDoc) -> TantivyDocument {
        match d.section {
            Some(s) => doc!(
                self.slug => d.slug,
                self.audience => d.audience,
                self.kind => SECTION,
                self.section => s.id,
                self.cites => s.cites,
                self.range => format!("{} {}", s.range.start, s.range.end),
                t.passage_title => d.title,
                t.heading => d.summary,
                t.passage_topics => d.topics,
                t.passage => d.body,
            ),
            None => doc!(
                self.slug => d.slug,
                self.audience => d.audience,
                self.kind => PAGE,
                t.title => d.title,
                t.summary => d.summary,
                t.topics => d.topics,
                t.body => d.body,
            ),
        }
    }
}

const PAGE: &str = "page";
const SECTION: &str = "section";

/// One search result: the page to link to and a snippet of HTML (text escaped, matches in `<mark>`).
#[derive(Debug, Clone)]
pub struct Hit {
    pub slug: String,
    pub audience: String,
    pub title: String,
    pub summary: String,
    pub snippet_html: String,
    /// Set when the article matched only in another audience's wording: `audience` is that one, and
    /// the searcher's own wording does not say it.
    pub other_wording: bool,
}

/// One passage answering a question: a section of an approved article's page.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    pub slug: String,
    pub audience: String,
    /// The article's title in that wording.
    pub title: String,
    /// The section's heading (empty for the text before the first heading).
    pub heading: String,
    /// The heading's id, to link to (empty for the text before the first heading).
    pub section: String,
    pub text: String,
    /// The references the section cites: (number on the page, key).
    pub cites: Vec<(usize, String)>,
    /// Share of the question's words (or their synonyms) the passage contains, 0 to 1.
    pub coverage: f32,
}

/// What to index for one article page (one audience's view of an article) or for one section of it.
pub struct IndexDoc {
    /// The language of its text: empty for the source language.
    pub lang: String,
    pub slug: String,
    pub audience: String,
    /// The article's title in this wording.
    pub title: String,
    /// A page's summary; a section's heading.
    pub summary: String,
    pub topics: String,
    /// A page's whole text; a section's text.
    pub body: String,
    /// Set for a section.
    pub section: Option<SectionDoc>,
}

/// What a section document adds to a page's.
pub struct SectionDoc {
    pub id: String,
    pub cites: String,
    /// Where the section's text lies in its page's text (bytes).
    pub range: std::ops::Range<usize>,
}

/// The analyser of a language's text: its stemmer where tantivy has one (English, Spanish), else
/// words lower-cased.
fn tokenizer_for(lang: &str) -> (&'static str, tantivy::tokenizer::TextAnalyzer) {
    use tantivy::tokenizer::{
        AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
        TextAnalyzer,
    };
    let primary = lang.split('-').next().unwrap_or(lang);
    let stemmer = match primary {
        "es" => Some(("es_stem", Language::Spanish)),
        "fr" => Some(("fr_stem", Language::French)),
        "de" => Some(("de_stem", Language::German)),
        "pt" => Some(("pt_stem", Language::Portuguese)),
        "it" => Some(("it_stem", Language::Italian)),
        _ => None,
    };
    match stemmer {
        Some((name, language)) => (
            name,
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                // "músculo" and "musculo" are one word to a reader typing without accents.
                .filter(AsciiFoldingFilter)
                .filter(Stemmer::new(language))
                .build(),
        ),
        None => (
            "plain_words",
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .build(),
        ),
    }
}

impl SearchIndex {
    /// Indexes `docs`, with `synonyms` (groups of terms searched as one), for the audiences the
    /// documents have.
    pub fn build(docs: Vec<IndexDoc>, synonyms: &[Vec<String>]) -> tantivy::Result<Self> {
        let audiences: std::collections::BTreeSet<String> =
            docs.iter().map(|d| d.audience.clone()).collect();
        let audiences: Vec<String> = audiences.into_iter().collect();
        Self::build_languages(docs, &audiences, synonyms, &[])
    }

    /// Indexes `docs` in memory, each in its language's index: the source language's with
    /// `synonyms`, and each of `languages` (id, its readers' words) with its own stemmer. Each of
    /// `audiences` (the site's, in order) has fields of its own; documents of another are left out.
    pub fn build_languages(
        docs: Vec<IndexDoc>,
        audiences: &[String],
        synonyms: &[Vec<String>],
        languages: &[(String, Vec<Vec<String>>)],
    ) -> tantivy::Result<Self> {
        Self::build_stored(docs, audiences, synonyms, languages, Storage::Memory)
    }

    /// [`Self::build_languages`], with the segments kept as `storage` says.
    pub fn build_stored(
        docs: Vec<IndexDoc>,
        audiences: &[String],
        synonyms: &[Vec<String>],
        languages: &[(String, Vec<Vec<String>>)],
        storage: Storage,
    ) -> tantivy::Result<Self> {
        let files = match storage {
            Storage::Memory => None,
            Storage::Files => Some(
                tempfile::Builder::new()
                    .prefix("healthpress-search-")
                    .tempdir()
                    .map_err(|e| {
                        tantivy::TantivyError::SystemError(format!(
                            "no temporary folder for the search index ({}): {e}",
                            std::env::temp_dir().display()
                        ))
                    })?,
            ),
        };
        let folder = |name: &str| -> tantivy::Result<Option<std::path::PathBuf>> {
            match &files {
                None => Ok(None),
                Some(dir) => {
                    let path = dir.path().join(name);
                    std::fs::create_dir(&path).map_err(|e| {
                        tantivy::TantivyError::SystemError(format!(
                            "cannot make {}: {e}",
                            path.display()
                        ))
                    })?;
                    Ok(Some(path))
                }
            }
        };
        let (source, mut translated): (Vec<IndexDoc>, Vec<IndexDoc>) =
            docs.into_iter().partition(|d| d.lang.is_empty());
        let mut built = Self::build_one(
            source,
            audiences,
            synonyms,
            None,
            folder("source")?.as_deref(),
        )?;
        for (lang, words) in languages {
            let (mine, rest): (Vec<IndexDoc>, Vec<IndexDoc>) =
                translated.into_iter().partition(|d| &d.lang == lang);
            translated = rest;
            let dir = folder(&format!("lang-{lang}"))?;
            built.languages.insert(
                lang.clone(),
                Self::build_one(mine, audiences, words, Some(lang), dir.as_deref())?,
            );
        }
        built.files = files;
        Ok(built)
    }

    /// Where a file-backed index keeps its segments.
    pub fn folder(&self) -> Option<&std::path::Path> {
        self.files.as_ref().map(|d| d.path())
    }

    fn build_one(
        docs: Vec<IndexDoc>,
        audiences: &[String],
        synonyms: &[Vec<String>],
        lang: Option<&str>,
        dir: Option<&std::path::Path>,
    ) -> tantivy::Result<Self> {
        let analyser = lang.map(tokenizer_for);
        let tokenizer = analyser.as_ref().map_or("en_stem", |(name, _)| *name);
        let mut schema = Schema::builder();
        let text = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored();
        // Frequencies without positions: passages are matched by their words, and the index stays
        // small.
        let passage_text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let fields = Fields {
            slug: schema.add_text_field("slug", STRING | STORED),
            audience: schema.add_text_field("audience", STRING | STORED),
            kind: schema.add_text_field("kind", STRING),
            section: schema.add_text_field("section", STRING | STORED),
            cites: schema.add_text_field("cites", STORED),
            range: schema.add_text_field("range", STORED),
        };
        let texts: Vec<(String, TextFields)> = audiences
            .iter()
            .map(|a| {
                let mut field = |name: &str, options: &TextOptions| {
                    schema.add_text_field(&format!("{name}_{a}"), options.clone())
                };
                let t = TextFields {
                    title: field("title", &text),
                    summary: field("summary", &text),
                    topics: field("topics", &text),
                    body: field("body", &text),
                    passage_title: field("passage_title", &passage_text.clone().set_stored()),
                    heading: field("heading", &passage_text.clone().set_stored()),
                    passage_topics: field("passage_topics", &passage_text),
                    // The text is not stored twice: a passage is cut from its page's stored text.
                    passage: field("passage", &passage_text),
                };
                (a.clone(), t)
            })
            .collect();
        let index = match dir {
            None => Index::create_in_ram(schema.build()),
            Some(dir) => Index::create_in_dir(dir, schema.build())?,
        };
        if let Some((name, analyser)) = analyser {
            index.tokenizers().register(name, analyser);
        }
        let mut writer = index.writer_with_num_threads(
            std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(4),
            50_000_000,
        )?;
        for d in docs {
            if let Some((_, t)) = texts.iter().find(|(a, _)| *a == d.audience) {
                writer.add_document(fields.document(*t, d))?;
            }
        }
        writer.commit()?;
        // One segment: a search then prunes with the best scores found anywhere in the index, not
        // again in each of a dozen segments (at 100,000 articles, half the time of a question).
        let segments = index.searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
            writer.garbage_collect_files().wait()?;
        }
        writer.wait_merging_threads()?;
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()?;
        let mut built = SearchIndex {
            index,
            reader,
            fields,
            siblings: siblings(&texts),
            texts,
            tokenizer,
            synonyms: Vec::new(),
            writer: std::sync::Mutex::new(None),
            languages: std::collections::BTreeMap::new(),
            files: None,
        };
        built.synonyms = synonyms
            .iter()
            .map(|group| group.iter().map(|term| built.analyse(term)).collect())
            .collect();
        Ok(built)
    }

    /// Replaces the documents of the articles `slugs` by `docs` (the pages of those that are still
    /// public), and makes the change visible to searches.
    pub fn replace(
        &self,
        slugs: &std::collections::BTreeSet<String>,
        docs: Vec<IndexDoc>,
    ) -> tantivy::Result<()> {
        let (source, mut translated): (Vec<IndexDoc>, Vec<IndexDoc>) =
            docs.into_iter().partition(|d| d.lang.is_empty());
        for (lang, index) in &self.languages {
            let (mine, rest): (Vec<IndexDoc>, Vec<IndexDoc>) =
                translated.into_iter().partition(|d| &d.lang == lang);
            translated = rest;
            index.replace_own(slugs, mine)?;
        }
        self.replace_own(slugs, source)
    }

    fn replace_own(
        &self,
        slugs: &std::collections::BTreeSet<String>,
        docs: Vec<IndexDoc>,
    ) -> tantivy::Result<()> {
        let mut guard = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let writer = match &mut *guard {
            Some(writer) => writer,
            none => none.insert(
                self.index
                    .writer_with_num_threads(1, UPDATE_WRITER_MEMORY)?,
            ),
        };
        let f = self.fields;
        for slug in slugs {
            writer.delete_term(Term::from_field_text(f.slug, slug));
        }
        for d in docs {
            if let Some(t) = self.texts_of(&d.audience) {
                writer.add_document(f.document(t, d))?;
            }
        }
        writer.commit()?;
        self.reader.reload()
    }

    /// The terms the index would make of `text` (the body field's analyser).
    fn analyse(&self, text: &str) -> Vec<String> {
        let Some(mut analyser) = self.index.tokenizers().get(self.tokenizer) else {
            return Vec::new();
        };
        let mut terms = Vec::new();
        analyser
            .token_stream(text)
            .process(&mut |token| terms.push(token.text.clone()));
        terms
    }

    /// The tantivy query for `parsed`: each word, phrase and synonym searched in the title, summary,
    /// topics and body with the weights `boosts` (in that order), any of them matching.
    fn query_for(&self, parsed: &ReaderQuery, t: TextFields, boosts: [f32; 4]) -> Box<dyn Query> {
        self.query_in(parsed, [t.title, t.summary, t.topics, t.body], boosts, true)
    }

    /// Relevance statistics of `searcher` shared across audiences ([`SharedStatistics`]).
    fn statistics<'a>(&'a self, searcher: &'a tantivy::Searcher) -> SharedStatistics<'a> {
        SharedStatistics {
            searcher,
            siblings: &self.siblings,
        }
    }

    /// The text fields of `audience`'s documents.
    fn texts_of(&self, audience: &str) -> Option<TextFields> {
        self.texts
            .iter()
            .find(|(a, _)| a == audience)
            .map(|(_, t)| *t)
    }

    /// The query for `parsed` over `fields` with the weights `boosts`; without `positions`, a phrase
    /// asks for all its words rather than for them in a row.
    fn query_in(
        &self,
        parsed: &ReaderQuery,
        fields: [Field; 4],
        boosts: [f32; 4],
        positions: bool,
    ) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let own = parsed
            .words
            .iter()
            .map(std::slice::from_ref)
            .chain(parsed.phrases.iter().map(Vec::as_slice));
        let synonyms = parsed
            .synonyms
            .iter()
            .flat_map(|s| s.alternatives.iter().map(Vec::as_slice));
        for terms in own.chain(synonyms) {
            for (field, boost) in fields.into_iter().zip(boosts) {
                let query: Box<dyn Query> = match terms {
                    [] => continue,
                    [word] => Box::new(TermQuery::new(
                        Term::from_field_text(field, word),
                        IndexRecordOption::WithFreqs,
                    )),
                    phrase if positions => Box::new(PhraseQuery::new(
                        phrase
                            .iter()
                            .map(|word| Term::from_field_text(field, word))
                            .collect(),
                    )),
                    words => Box::new(BooleanQuery::intersection(
                        words
                            .iter()
                            .map(|word| -> Box<dyn Query> {
                                Box::new(TermQuery::new(
                                    Term::from_field_text(field, word),
                                    IndexRecordOption::WithFreqs,
                                ))
                            })
                            .collect(),
                    )),
                };
                clauses.push((Occur::Should, Box::new(BoostQuery::new(query, boost))));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// `input` read as a reader means it, with the synonym groups it names.
    fn reader_query(&self, input: &str) -> ReaderQuery {
        let mut parsed = ReaderQuery::parse(input, |text| self.analyse(text));
        let tokens = self.analyse(&input.replace('"', " "));
        parsed.add_synonyms(&tokens, &self.synonyms);
        parsed
    }

    /// A query for documents whose `field` is exactly `value`.
    fn exactly(&self, field: Field, value: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ))
    }

    /// The index of `lang`'s pages: this one for the source language (a language the site does
    /// not have never reaches the index: its pages are 404s).
    fn in_language(&self, lang: &str) -> Option<&SearchIndex> {
        Some(self.languages.get(lang).unwrap_or(self))
    }

    /// [`Self::search`] among the pages in `lang`.
    pub fn search_in(&self, query: &str, lang: &str, audience: &str, limit: usize) -> Vec<Hit> {
        self.in_language(lang)
            .map(|i| i.search(query, audience, limit))
            .unwrap_or_default()
    }

    /// [`Self::ask`] among the passages in `lang`.
    pub fn ask_in(&self, question: &str, lang: &str, audience: &str, limit: usize) -> Vec<Passage> {
        self.in_language(lang)
            .map(|i| i.ask(question, audience, limit))
            .unwrap_or_default()
    }

    /// The best `limit` pages for `query` among those of `audience`, then the best of the articles
    /// that match only in another audience's wording (marked [`Hit::other_wording`]). The query is
    /// read as a reader means it ([`ReaderQuery`]): words and quoted phrases, nothing costlier.
    pub fn search(&self, query: &str, audience: &str, limit: usize) -> Vec<Hit> {
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        if query.trim().is_empty() || limit == 0 {
            return Vec::new();
        }
        let f = self.fields;
        let parsed = self.reader_query(&query);
        if parsed.is_empty() {
            return Vec::new();
        }
        let Some(own_fields) = self.texts_of(audience) else {
            return Vec::new();
        };
        const BOOSTS: [f32; 4] = [4.0, 2.0, 2.0, 1.0];
        let searcher = self.reader.searcher();
        let stats = self.statistics(&searcher);
        let top = |query: &dyn Query, limit: usize| {
            searcher
                .search_with_statistics_provider(
                    query,
                    &TopDocs::with_limit(limit).order_by_score(),
                    &stats,
                )
                .unwrap_or_default()
        };
        // A hit in the wording of the audience whose text fields are `t`, matched by `query`.
        let hit = |doc: TantivyDocument, t: TextFields, query: &dyn Query, other_wording| -> Hit {
            let get = |field| stored_text(&doc, field);
            let snippet_html = SnippetGenerator::create(&searcher, query, t.body)
                .map(|g| snippet_html(&g, &stored_text(&doc, t.body)))
                .unwrap_or_default();
            Hit {
                slug: get(f.slug),
                audience: get(f.audience),
                title: get(t.title),
                summary: get(t.summary),
                snippet_html,
                other_wording,
            }
        };
        // The reader's own wording: its fields only, so no filter.
        let own = self.query_for(&parsed, own_fields, BOOSTS);
        let mut hits: Vec<Hit> = top(&*own, limit)
            .into_iter()
            .filter_map(|(_, address)| searcher.doc(address).ok())
            .map(|doc| hit(doc, own_fields, &*own, false))
            .collect();
        // Articles the reader's wording does not match but another's does: the best page of each.
        for (_, t) in self.texts.iter().filter(|(a, _)| a != audience) {
            if hits.len() >= limit {
                break;
            }
            let query = self.query_for(&parsed, *t, BOOSTS);
            for (_, address) in top(&*query, limit * 4) {
                if hits.len() >= limit {
                    break;
                }
                let Ok(doc) = searcher.doc::<TantivyDocument>(address) else {
                    continue;
                };
                let slug = stored_text(&doc, f.slug);
                if !hits.iter().any(|h| h.slug == slug) {
                    hits.push(hit(doc, *t, &*query, true));
                }
            }
        }
        hits
    }

    /// Up to `limit` passages of approved articles, in `audience`'s wordings, that best answer
    /// `question`: sections whose heading, article title and text hold most of the question's words
    /// (or their synonyms), best first. Words every question has ("how", "can", "my", "safe") are
    /// left out; each of the rest weighs by how rare it is, and a passage holding less than
    /// `MIN_COVERAGE` (three quarters) of that weight is no answer.
    pub fn ask(&self, question: &str, audience: &str, limit: usize) -> Vec<Passage> {
        let question: String = question.chars().take(MAX_QUERY_CHARS).collect();
        let content_words: Vec<&str> = question
            .split(|c: char| c.is_whitespace() || matches!(c, '?' | ',' | '.' | '!' | ';'))
            .filter(|w| !is_question_word(w))
            .collect();
        let parsed = self.reader_query(&content_words.join(" "));
        if parsed.is_empty() || limit == 0 {
            return Vec::new();
        }
        let f = self.fields;
        let Some(t) = self.texts_of(audience) else {
            return Vec::new();
        };
        // The audience's passage fields only: no filter for sections or audience.
        let query = self.query_in(
            &parsed,
            [t.passage_title, t.heading, t.passage_topics, t.passage],
            [1.5, 3.0, 0.5, 1.0],
            false,
        );
        let searcher = self.reader.searcher();
        let stats = self.statistics(&searcher);
        let Ok(top) = searcher.search_with_statistics_provider(
            &*query,
            &TopDocs::with_limit(20).order_by_score(),
            &stats,
        ) else {
            return Vec::new();
        };
        let concepts = parsed.concepts();
        // A rare word says more about what the question is about than a common one: each concept
        // weighs its inverse document frequency (that of its rarest alternative's rarest word).
        let docs = searcher.num_docs().max(1) as f32;
        let weights: Vec<f32> = concepts
            .iter()
            .map(|alternatives| {
                alternatives
                    .iter()
                    .map(|words| {
                        words
                            .iter()
                            .map(|w| {
                                let term = Term::from_field_text(t.passage, w);
                                let df = stats.doc_freq(&term).unwrap_or(0) as f32;
                                (1.0 + docs / (1.0 + df)).ln()
                            })
                            .fold(0.0f32, f32::max)
                    })
                    .fold(f32::MAX, f32::min)
            })
            .collect();
        let total: f32 = weights.iter().sum::<f32>().max(f32::EPSILON);
        let mut passages: Vec<(f32, Passage)> = top
            .into_iter()
            .filter_map(|(score, address)| {
                let doc: TantivyDocument = searcher.doc(address).ok()?;
                let get = |field| stored_text(&doc, field);
                let (title, heading) = (get(t.passage_title), get(t.heading));
                let text =
                    self.page_text(&searcher, &get(f.slug), &get(f.audience), &get(f.range))?;
                let terms: std::collections::HashSet<String> = self
                    .analyse(&format!("{title} {heading} {text}"))
                    .into_iter()
                    .collect();
                let held: f32 = concepts
                    .iter()
                    .zip(&weights)
                    .filter(|(alternatives, _)| {
                        alternatives
                            .iter()
                            .any(|words| words.iter().all(|t| terms.contains(t)))
                    })
                    .map(|(_, weight)| weight)
                    .sum();
                let coverage = held / total;
                if coverage < MIN_COVERAGE {
                    return None;
                }
                let cites = get(f.cites)
                    .split(' ')
                    .filter_map(|pair| {
                        let (n, key) = pair.split_once('=')?;
                        Some((n.parse().ok()?, key.to_string()))
                    })
                    .collect();
                let passage = Passage {
                    slug: get(f.slug),
                    audience: get(f.audience),
                    title,
                    heading,
                    section: get(f.section),
                    text,
                    cites,
                    coverage,
                };
                // A passage holding only some of what was asked ranks well below one holding it all.
                let rank = score * coverage * coverage;
                Some((rank, passage))
            })
            .collect();
        passages.sort_by(|a, b| b.0.total_cmp(&a.0));
        passages.into_iter().take(limit).map(|(_, p)| p).collect()
    }
}

impl SearchIndex {
    /// The part `range` (`start end`) of the stored text of the page (`slug`, `audience`).
    fn page_text(
        &self,
        searcher: &tantivy::Searcher,
        slug: &str,
        audience: &str,
        range: &str,
    ) -> Option<String> {
        let f = self.fields;
        let (start, end) = range.split_once(' ')?;
        let (start, end): (usize, usize) = (start.parse().ok()?, end.parse().ok()?);
        let page = BooleanQuery::intersection(vec![
            self.exactly(f.slug, slug),
            self.exactly(f.audience, audience),
            self.exactly(f.kind, PAGE),
        ]);
        let (_, address) = *searcher
            .search(&page, &TopDocs::with_limit(1).order_by_score())
            .ok()?
            .first()?;
        let doc: TantivyDocument = searcher.doc(address).ok()?;
        stored_text(&doc, self.texts_of(audience)?.body)
            .get(start..end)
            .map(str::to_string)
    }
}

/// For each text field, the fields of every audience that hold the same kind of text: a title is
/// scored against the titles of all pages and sections, a heading against all summaries and
/// headings, a passage against all passages.
fn siblings(texts: &[(String, TextFields)]) -> std::collections::HashMap<Field, Vec<Field>> {
    let groups: [fn(&TextFields) -> [Field; 2]; 5] = [
        |t| [t.title, t.passage_title],
        |t| [t.summary, t.heading],
        |t| [t.topics, t.passage_topics],
        |t| [t.body, t.body],
        |t| [t.passage, t.passage],
    ];
    let mut siblings = std::collections::HashMap::new();
    for group in groups {
        let mut fields: Vec<Field> = texts.iter().flat_map(|(_, t)| group(t)).collect();
        fields.sort_unstable_by_key(|f| f.field_id());
        fields.dedup();
        for field in &fields {
            siblings.insert(*field, fields.clone());
        }
    }
    siblings
}

/// Relevance statistics (how rare a word is, how long a field is on average) taken over a field
/// and its [`siblings`]: each audience's pages and sections have fields of their own, but a word is
/// as telling in one audience's wordings as across the site, and the few sections of a small site
/// need the statistics of all of them to rank well.
struct SharedStatistics<'a> {
    searcher: &'a tantivy::Searcher,
    siblings: &'a std::collections::HashMap<Field, Vec<Field>>,
}

impl SharedStatistics<'_> {
    /// `field` and its siblings (`field` alone when it has none).
    fn fields<'b>(&'b self, field: &'b Field) -> &'b [Field] {
        self.siblings
            .get(field)
            .map_or(std::slice::from_ref(field), Vec::as_slice)
    }
}

impl Bm25StatisticsProvider for SharedStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.fields(&field)
            .iter()
            .map(|f| Bm25StatisticsProvider::total_num_tokens(self.searcher, *f))
            .sum()
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_docs(self.searcher)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let value = term.value();
        let Some(text) = value.as_str() else {
            return self.searcher.doc_freq(term);
        };
        let field = term.field();
        self.fields(&field)
            .iter()
            .map(|f| self.searcher.doc_freq(&Term::from_field_text(*f, text)))
            .sum()
    }
}

/// Text is searched for a snippet this many bytes at a time (then up to the next space).
const SNIPPET_WINDOW: usize = 2_000;

/// The snippet of `text` for a result, as HTML with its matches in `<mark>`: from the first window
/// of [`SNIPPET_WINDOW`] bytes that holds a match (most pages match in their first lines, and
/// analysing a whole page for each of twenty results was most of a search's time), else the start.
fn snippet_html(generator: &SnippetGenerator, text: &str) -> String {
    let mut start = 0;
    let mut first = None;
    while start < text.len() {
        let mut cut = (start + SNIPPET_WINDOW).min(text.len());
        while !text.is_char_boundary(cut) {
            cut += 1;
        }
        let end = text[cut..]
            .find(char::is_whitespace)
            .map_or(text.len(), |n| cut + n);
        let mut snippet = generator.snippet(&text[start..end]);
        snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
        if !snippet.highlighted().is_empty() {
            return snippet.to_html();
        }
        first.get_or_insert(snippet);
        start = end;
    }
    first.map(|s| s.to_html()).unwrap_or_default()
}

fn stored_text(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

/// The least share of a question's weight (see [`SearchIndex::ask`]) a passage must hold to count as
/// an answer.
const MIN_COVERAGE: f32 = 0.75;

/// Words that say a question is a question rather than what it is about.
fn is_question_word(word: &str) -> bool {
    const WORDS: &[&str] = &[
        "a", "about", "am", "an", "and", "any", "are", "as", "at", "bad", "be", "been", "being",
        "best", "but", "by", "can", "could", "did", "do", "does", "doing", "for", "from", "good",
        "had", "has", "have", "how", "i", "i'm", "if", "in", "into", "is", "it", "it's", "its",
        "me", "my", "normal", "of", "ok", "okay", "on", "or", "our", "please", "safe", "should",
        "so", "some", "than", "that", "the", "their", "them", "then", "there", "these", "they",
        "this", "those", "to", "too", "was", "we", "what", "what's", "where", "which", "who",
        "why", "will", "with", "would", "you", "your",
    ];
    let word = word
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
        .replace('\u{2019}', "'");
    word.is_empty() || WORDS.contains(&word.as_str())
}

/// The documents to index for the public articles of `site`: each article in every audience, with
/// the wording its page shows (the nearest one where the article has none for that audience). With
/// `take_text`, each wording's text is moved into its document rather than copied where the article
/// is not shared (for a site that releases its bodies once its pages are built); a wording shown to
/// several audiences is copied for all but the last.
pub fn documents(site: &mut Site, take_text: bool) -> Vec<IndexDoc> {
    let slugs: Vec<String> = site.articles.keys().cloned().collect();
    documents_of_slugs(site, &slugs, take_text)
}

/// [`documents`] for the articles `slugs` only (those not public are left out): for a site that
/// builds its pages and releases its bodies a batch of articles at a time.
pub fn documents_of_slugs(site: &mut Site, slugs: &[String], take_text: bool) -> Vec<IndexDoc> {
    let show_pending = site.config.show_pending;
    let config = &site.config;
    let mut docs = Vec::with_capacity(slugs.len() * config.audiences.len());
    for slug in slugs {
        let Some(article) = site.articles.get_mut(slug) else {
            continue;
        };
        if !article.is_public(show_pending) {
            continue;
        }
        match std::sync::Arc::get_mut(article) {
            Some(article) if take_text => {
                let (mut article_docs, shown) = article_documents(config, article);
                let sections =
                    section_documents(article, &article_docs, &shown_wordings(article, &shown));
                for (n, doc) in article_docs.iter_mut().enumerate() {
                    let index = shown[n];
                    let text = &mut article.wordings[index].body.text;
                    doc.body = if shown[n + 1..].contains(&index) {
                        text.clone()
                    } else {
                        std::mem::take(text)
                    };
                }
                docs.extend(article_docs);
                docs.extend(sections);
                docs.extend(translation_documents(config, article));
            }
            // Copied: translations' documents included.
            _ => docs.extend(documents_of(config, article)),
        }
    }
    docs
}

/// The documents of an article's approved translations: each translated page, and its sections.
fn translation_documents(config: &SiteConfig, article: &Article) -> Vec<IndexDoc> {
    let topics = article.topics.join(", ");
    let mut docs = Vec::new();
    for lang in config.languages.iter().skip(1) {
        for audience in &config.audiences {
            let Some(t) = article.public_translation(&lang.id, &audience.id) else {
                continue;
            };
            let w = &t.wording;
            let page = IndexDoc {
                lang: lang.id.clone(),
                slug: article.slug.clone(),
                audience: audience.id.clone(),
                title: w
                    .title
                    .clone()
                    .unwrap_or_else(|| article.title_in(&lang.id).to_string()),
                summary: w
                    .summary
                    .clone()
                    .unwrap_or_else(|| article.summary_in(&lang.id).to_string()),
                topics: topics.clone(),
                body: String::new(),
                section: None,
            };
            let sections = section_documents(article, std::slice::from_ref(&page), &[w]);
            docs.push(IndexDoc {
                body: w.body.text.clone(),
                ..page
            });
            docs.extend(sections);
        }
    }
    docs
}

/// The documents of one public article without their text, and the wording each shows.
fn article_documents(config: &SiteConfig, article: &Article) -> (Vec<IndexDoc>, Vec<usize>) {
    let topics = article.topics.join(", ");
    let mut docs = Vec::with_capacity(config.audiences.len());
    let mut shown = Vec::with_capacity(config.audiences.len());
    for audience in &config.audiences {
        let Some(wording) = article.wording_for(config, &audience.id) else {
            continue;
        };
        let Some(index) = article
            .wordings
            .iter()
            .position(|w| std::ptr::eq(w, wording))
        else {
            continue;
        };
        shown.push(index);
        docs.push(IndexDoc {
            lang: String::new(),
            slug: article.slug.clone(),
            audience: audience.id.clone(),
            title: article.title_for(wording).to_string(),
            summary: article.summary_for(wording).to_string(),
            topics: topics.clone(),
            body: String::new(),
            section: None,
        });
    }
    (docs, shown)
}

/// The documents of `article` as readers see it now, its text copied: for updating the index when
/// one article changes.
pub fn documents_of(config: &SiteConfig, article: &Article) -> Vec<IndexDoc> {
    let (mut docs, shown) = article_documents(config, article);
    let sections = section_documents(article, &docs, &shown_wordings(article, &shown));
    for (doc, index) in docs.iter_mut().zip(shown) {
        doc.body = article.wordings[index].body.text.clone();
    }
    docs.extend(sections);
    docs.extend(translation_documents(config, article));
    docs
}

fn shown_wordings<'a>(article: &'a Article, shown: &[usize]) -> Vec<&'a crate::content::Wording> {
    shown.iter().map(|&i| &article.wordings[i]).collect()
}

/// For an approved article, a document for each section of each page (`pages`, showing the wordings
/// `shown`): what follow-up questions are answered from. None for an article not approved.
fn section_documents(
    article: &Article,
    pages: &[IndexDoc],
    shown: &[&crate::content::Wording],
) -> Vec<IndexDoc> {
    if article.review.status != ReviewStatus::Approved {
        return Vec::new();
    }
    let mut docs = Vec::new();
    for (page, wording) in pages.iter().zip(shown) {
        let body = &wording.body;
        for section in &body.sections {
            let heading = section.heading.and_then(|h| body.headings.get(h));
            let cites = section
                .citations
                .iter()
                .filter_map(|key| {
                    let number = body.citations.iter().position(|k| k == key)? + 1;
                    Some(format!("{number}={key}"))
                })
                .collect::<Vec<_>>()
                .join(" ");
            docs.push(IndexDoc {
                lang: page.lang.clone(),
                slug: page.slug.clone(),
                audience: page.audience.clone(),
                title: page.title.clone(),
                summary: heading.map(|h| h.text.clone()).unwrap_or_default(),
                topics: page.topics.clone(),
                body: body.section_text(section).to_string(),
                section: Some(SectionDoc {
                    id: heading.map(|h| h.id.clone()).unwrap_or_default(),
                    cites,
                    range: section.text.clone(),
                }),
            });
        }
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn words_and_quoted_phrases() {
        let q = ReaderQuery::parse("night cramps \"leg pain\" quinine", words);
        assert_eq!(q.words, strings(&["night", "cramps", "quinine"]));
        assert_eq!(q.phrases, vec![strings(&["leg", "pain"])]);
    }

    #[test]
    fn operators_are_words_not_syntax() {
        // Slop, field names, required/excluded marks and boosts carry no meaning.
        let q = ReaderQuery::parse("\"leg pain\"~1000 title:cramp +statin -quinine^9", words);
        assert_eq!(
            q.phrases,
            vec![
                strings(&["leg", "pain"]),
                strings(&["title", "cramp"]),
                strings(&["quinine", "9"])
            ]
        );
        assert_eq!(q.words, strings(&["1000", "statin"]));
    }

    #[test]
    fn terms_and_phrase_lengths_are_capped() {
        let long = "\"the and of to a in is or for with your it can be that are\"~1000";
        let q = ReaderQuery::parse(long, words);
        assert_eq!(q.phrases.len(), 1);
        assert_eq!(q.phrases[0].len(), MAX_PHRASE_WORDS);
        let total: usize = q.words.len() + q.phrases.iter().map(Vec::len).sum::<usize>();
        assert!(total <= MAX_TERMS);
        let many: String = (0..100).map(|n| format!("w{n} ")).collect();
        assert_eq!(ReaderQuery::parse(&many, words).words.len(), MAX_TERMS);
        let phrases: String = (0..20).map(|n| format!("\"a{n} b{n}\" ")).collect();
        let q = ReaderQuery::parse(&phrases, words);
        assert_eq!(q.phrases.len(), MAX_TERMS / 2);
    }

    #[test]
    fn an_unclosed_quote_is_read_as_words() {
        let q = ReaderQuery::parse("cramp \"leg pain", words);
        assert!(q.phrases.is_empty());
        assert_eq!(q.words, strings(&["cramp", "leg", "pain"]));
        let q = ReaderQuery::parse("leg-cramps night", words);
        assert_eq!(q.phrases, vec![strings(&["leg", "cramps"])]);
        assert_eq!(q.words, strings(&["night"]));
        assert!(ReaderQuery::parse("\"\" ~ : +", words).is_empty());
    }

    fn page(lang: &str, slug: &str, title: &str, body: &str) -> IndexDoc {
        IndexDoc {
            lang: lang.into(),
            slug: slug.into(),
            audience: "patient".into(),
            title: title.into(),
            summary: String::new(),
            topics: String::new(),
            body: body.into(),
            section: None,
        }
    }

    /// A match far into a long page is shown in its snippet, as one at the start is; text of
    /// characters wider than a byte is cut at character boundaries; a page matched by its title
    /// alone has nothing marked.
    #[test]
    fn snippets_find_matches_past_the_first_window() {
        let filler = "Résumé of ordinary words about walking and resting. ".repeat(200);
        let late = format!("{filler}A quinine warning comes last.");
        let early = format!("Quinine first. {filler}");
        let index = SearchIndex::build(
            vec![
                page("", "late", "Late", &late),
                page("", "early", "Early", &early),
                page("", "none", "Quinine", &filler),
            ],
            &[],
        )
        .unwrap();
        assert!(late.len() > 4 * SNIPPET_WINDOW);
        let hits = index.search("quinine", "patient", 5);
        let snippet = |slug: &str| {
            hits.iter()
                .find(|h| h.slug == slug)
                .map(|h| h.snippet_html.clone())
                .unwrap()
        };
        assert!(
            snippet("late").contains("<mark>quinine</mark>"),
            "{}",
            snippet("late")
        );
        assert!(
            snippet("early").contains("<mark>Quinine</mark>"),
            "{}",
            snippet("early")
        );
        assert!(!snippet("none").contains("<mark>"), "{}", snippet("none"));
    }

    /// An index is built into one segment, so that its searches prune across all of it.
    #[test]
    fn a_built_index_has_one_segment() {
        let docs = (0..3_000)
            .map(|n| {
                page(
                    "",
                    &format!("a{n}"),
                    "Cramp",
                    &format!("Night cramp {n}. ").repeat(40),
                )
            })
            .collect();
        let index =
            SearchIndex::build_stored(docs, &["patient".into()], &[], &[], Storage::Files).unwrap();
        assert_eq!(index.index.searchable_segment_ids().unwrap().len(), 1);
        assert_eq!(index.search("cramp", "patient", 3).len(), 3);
    }

    /// A file-backed index answers as one in memory, keeps its segments in its own folder (one per
    /// language), takes updates, and removes the folder when dropped.
    #[test]
    fn a_file_backed_index_searches_updates_and_cleans_up() {
        let docs = || {
            vec![
                page(
                    "",
                    "cramps",
                    "Leg cramps",
                    "Stretching the calf eases a cramp.",
                ),
                page("", "gout", "Gout", "A swollen big toe joint."),
                page(
                    "es",
                    "cramps",
                    "Calambres",
                    "Estirar la pantorrilla alivia el calambre.",
                ),
            ]
        };
        let languages = vec![("es".to_string(), Vec::new())];
        let audiences = vec!["patient".to_string()];
        let memory = SearchIndex::build_languages(docs(), &audiences, &[], &languages).unwrap();
        assert!(memory.folder().is_none());
        let files =
            SearchIndex::build_stored(docs(), &audiences, &[], &languages, Storage::Files).unwrap();
        let folder = files.folder().unwrap().to_path_buf();
        let slugs = |hits: Vec<Hit>| hits.into_iter().map(|h| h.slug).collect::<Vec<_>>();
        assert_eq!(slugs(files.search("calf", "patient", 5)), vec!["cramps"]);
        assert_eq!(
            slugs(files.search("calf", "patient", 5)),
            slugs(memory.search("calf", "patient", 5))
        );
        assert_eq!(
            slugs(files.search_in("calambres", "es", "patient", 5)),
            vec!["cramps"]
        );
        let segments = |dir: &std::path::Path| {
            std::fs::read_dir(dir)
                .unwrap()
                .filter(|e| {
                    let name = e.as_ref().unwrap().file_name();
                    name.to_string_lossy().ends_with(".store")
                })
                .count()
        };
        assert!(segments(&folder.join("source")) > 0, "segments are files");
        assert!(segments(&folder.join("lang-es")) > 0);
        let changed = std::collections::BTreeSet::from(["gout".to_string()]);
        files
            .replace(
                &changed,
                vec![page("", "gout", "Gout", "Calf pain at night.")],
            )
            .unwrap();
        let mut found = slugs(files.search("calf", "patient", 5));
        found.sort();
        assert_eq!(found, vec!["cramps", "gout"]);
        drop(files);
        assert!(!folder.exists(), "{} is removed", folder.display());
    }
}
