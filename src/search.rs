//! Full-text search over the public articles (`tantivy`), one document per article page: every
//! (article, audience) pair, holding the wording that page shows. Built once per content load.

use crate::content::Site;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, TantivyDocument, Term, doc};

/// Longest query accepted; longer ones are cut.
pub const MAX_QUERY_CHARS: usize = 200;

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

#[derive(Clone, Copy)]
struct Fields {
    slug: Field,
    audience: Field,
    title: Field,
    summary: Field,
    topics: Field,
    body: Field,
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
            writer.add_document(doc!(
                fields.slug => d.slug,
                fields.audience => d.audience,
                fields.title => d.title,
                fields.summary => d.summary,
                fields.topics => d.topics,
                fields.body => d.body,
            ))?;
        }
        writer.commit()?;
        let reader = index.reader()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
        })
    }

    /// The best `limit` pages for `query` among those of `audience`. A query with syntax errors is
    /// read leniently, as plain words.
    pub fn search(&self, query: &str, audience: &str, limit: usize) -> Vec<Hit> {
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        if query.trim().is_empty() || limit == 0 {
            return Vec::new();
        }
        let f = self.fields;
        let mut parser =
            QueryParser::for_index(&self.index, vec![f.title, f.summary, f.topics, f.body]);
        parser.set_field_boost(f.title, 4.0);
        parser.set_field_boost(f.topics, 2.0);
        parser.set_field_boost(f.summary, 2.0);
        let (text_query, _errors) = parser.parse_query_lenient(&query);
        let audience_query = tantivy::query::TermQuery::new(
            Term::from_field_text(f.audience, audience),
            IndexRecordOption::Basic,
        );
        let combined = tantivy::query::BooleanQuery::intersection(vec![
            text_query.box_clone(),
            Box::new(audience_query),
        ]);
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
/// `take_text`, each wording's text is moved into its document rather than copied (for a site that
/// releases its bodies once its pages are built); a wording shown to several audiences is copied for
/// all but the last.
pub fn documents(site: &mut Site, take_text: bool) -> Vec<IndexDoc> {
    let show_pending = site.config.show_pending;
    let config = &site.config;
    let mut docs = Vec::with_capacity(site.articles.len() * config.audiences.len());
    for article in site
        .articles
        .values_mut()
        .filter(|a| a.is_public(show_pending))
    {
        let shown: Vec<(&str, usize)> = config
            .audiences
            .iter()
            .filter_map(|audience| {
                let wording = article.wording_for(config, &audience.id)?;
                let index = article
                    .wordings
                    .iter()
                    .position(|w| std::ptr::eq(w, wording))?;
                Some((audience.id.as_str(), index))
            })
            .collect();
        let topics = article.topics.join(", ");
        for (n, &(audience, index)) in shown.iter().enumerate() {
            let wording = &article.wordings[index];
            let title = article.title_for(wording).to_string();
            let summary = article.summary_for(wording).to_string();
            let shown_again = shown[n + 1..].iter().any(|&(_, later)| later == index);
            let text = &mut article.wordings[index].body.text;
            let body = if take_text && !shown_again {
                std::mem::take(text)
            } else {
                text.clone()
            };
            docs.push(IndexDoc {
                slug: article.slug.clone(),
                audience: audience.to_string(),
                title,
                summary,
                topics: topics.clone(),
                body,
            });
        }
    }
    docs
}
