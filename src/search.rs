//! Full-text search over the public articles (`tantivy`), one document per article page: every
//! (article, audience) pair, holding the wording that page shows. Built once per content load.

use crate::content::{Article, Site, SiteConfig};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
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
}

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
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Made on the first update and kept, so segments merge in the background between updates.
    writer: std::sync::Mutex<Option<tantivy::IndexWriter>>,
}

/// Memory the updating writer may use before it flushes (tantivy's minimum is 15 MB).
const UPDATE_WRITER_MEMORY: usize = 15_000_000;

#[derive(Clone, Copy)]
struct Fields {
    slug: Field,
    audience: Field,
    title: Field,
    summary: Field,
    topics: Field,
    body: Field,
}

impl Fields {
    /// The index's document for `d`.
    fn document(self, d: IndexDoc) -> TantivyDocument {
        doc!(
            self.slug => d.slug,
            self.audience => d.audience,
            self.title => d.title,
            self.summary => d.summary,
            self.topics => d.topics,
            self.body => d.body,
        )
    }
}

/// One search result: the page to link to and a snippet of HTML (text escaped, matches in `<mark>`).
#[derive(Debug, Clone)]
pub struct Hit {
    pub slug: String,
    pub audience: String,
    pub title: String,
    pub summary: String,
    pub snippet_html: String,
}

/// What to index for one article page: one audience's view of an article.
pub struct IndexDoc {
    pub slug: String,
    pub audience: String,
    pub title: String,
    pub summary: String,
    pub topics: String,
    pub body: String,
}

impl SearchIndex {
    /// Indexes `docs`.
    pub fn build(docs: Vec<IndexDoc>) -> tantivy::Result<Self> {
        let mut schema = Schema::builder();
        let text = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("en_stem")
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored();
        let fields = Fields {
            slug: schema.add_text_field("slug", STRING | STORED),
            audience: schema.add_text_field("audience", STRING | STORED),
            title: schema.add_text_field("title", text.clone()),
            summary: schema.add_text_field("summary", text.clone()),
            topics: schema.add_text_field("topics", text.clone()),
            body: schema.add_text_field("body", text),
        };
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(
            std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(4),
            50_000_000,
        )?;
        for d in docs {
            writer.add_document(fields.document(d))?;
        }
        writer.commit()?;
        drop(writer);
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            writer: std::sync::Mutex::new(None),
        })
    }

    /// Replaces the documents of the articles `slugs` by `docs` (the pages of those that are still
    /// public), and makes the change visible to searches.
    pub fn replace(
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
            writer.add_document(f.document(d))?;
        }
        writer.commit()?;
        self.reader.reload()
    }

    /// The terms the index would make of `text` (the body field's analyser).
    fn analyse(&self, text: &str) -> Vec<String> {
        let Ok(mut analyser) = self.index.tokenizer_for_field(self.fields.body) else {
            return Vec::new();
        };
        let mut terms = Vec::new();
        analyser
            .token_stream(text)
            .process(&mut |token| terms.push(token.text.clone()));
        terms
    }

    /// The tantivy query for `parsed`: each word and each phrase searched in the title, summary, topics
    /// and body (title weighed most), any of them matching.
    fn query_for(&self, parsed: &ReaderQuery) -> Box<dyn Query> {
        let f = self.fields;
        let fields = [
            (f.title, 4.0),
            (f.summary, 2.0),
            (f.topics, 2.0),
            (f.body, 1.0),
        ];
        let boosted = |query: Box<dyn Query>, boost: f32| -> (Occur, Box<dyn Query>) {
            (Occur::Should, Box::new(BoostQuery::new(query, boost)))
        };
        let mut clauses = Vec::new();
        for word in &parsed.words {
            for (field, boost) in fields {
                let term = Term::from_field_text(field, word);
                clauses.push(boosted(
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                    boost,
                ));
            }
        }
        for phrase in &parsed.phrases {
            for (field, boost) in fields {
                let terms = phrase
                    .iter()
                    .map(|word| Term::from_field_text(field, word))
                    .collect();
                clauses.push(boosted(Box::new(PhraseQuery::new(terms)), boost));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// The best `limit` pages for `query` among those of `audience`. The query is read as a reader
    /// means it ([`ReaderQuery`]): words and quoted phrases, nothing costlier.
    pub fn search(&self, query: &str, audience: &str, limit: usize) -> Vec<Hit> {
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        if query.trim().is_empty() || limit == 0 {
            return Vec::new();
        }
        let f = self.fields;
        let parsed = ReaderQuery::parse(&query, |text| self.analyse(text));
        if parsed.is_empty() {
            return Vec::new();
        }
        let text_query = self.query_for(&parsed);
        let audience_query = tantivy::query::TermQuery::new(
            Term::from_field_text(f.audience, audience),
            IndexRecordOption::Basic,
        );
        let combined =
            BooleanQuery::intersection(vec![text_query.box_clone(), Box::new(audience_query)]);
        let searcher = self.reader.searcher();
        let Ok(top) = searcher.search(&combined, &TopDocs::with_limit(limit).order_by_score())
        else {
            return Vec::new();
        };
        let snippets = SnippetGenerator::create(&searcher, &*text_query, f.body).ok();
        top.into_iter()
            .filter_map(|(_, address)| {
                let doc: TantivyDocument = searcher.doc(address).ok()?;
                let get = |field| {
                    doc.get_first(field)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string()
                };
                let snippet_html = snippets
                    .as_ref()
                    .map(|g| {
                        let mut s = g.snippet_from_doc(&doc);
                        s.set_snippet_prefix_postfix("<mark>", "</mark>");
                        s.to_html()
                    })
                    .unwrap_or_default();
                Some(Hit {
                    slug: get(f.slug),
                    audience: get(f.audience),
                    title: get(f.title),
                    summary: get(f.summary),
                    snippet_html,
                })
            })
            .collect()
    }
}

/// The documents to index for the public articles of `site`: each article in every audience, with
/// the wording its page shows (the nearest one where the article has none for that audience). With
/// `take_text`, each wording's text is moved into its document rather than copied where the article
/// is not shared (for a site that releases its bodies once its pages are built); a wording shown to
/// several audiences is copied for all but the last.
pub fn documents(site: &mut Site, take_text: bool) -> Vec<IndexDoc> {
    let show_pending = site.config.show_pending;
    let config = &site.config;
    let mut docs = Vec::with_capacity(site.articles.len() * config.audiences.len());
    for article in site.articles.values_mut() {
        if !article.is_public(show_pending) {
            continue;
        }
        match std::sync::Arc::get_mut(article) {
            Some(article) if take_text => {
                let (mut article_docs, shown) = article_documents(config, article);
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
            }
            _ => docs.extend(documents_of(config, article)),
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
            slug: article.slug.clone(),
            audience: audience.id.clone(),
            title: article.title_for(wording).to_string(),
            summary: article.summary_for(wording).to_string(),
            topics: topics.clone(),
            body: String::new(),
        });
    }
    (docs, shown)
}

/// The documents of `article` as readers see it now, its text copied: for updating the index when
/// one article changes.
pub fn documents_of(config: &SiteConfig, article: &Article) -> Vec<IndexDoc> {
    let (mut docs, shown) = article_documents(config, article);
    for (doc, index) in docs.iter_mut().zip(shown) {
        doc.body = article.wordings[index].body.text.clone();
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
}
