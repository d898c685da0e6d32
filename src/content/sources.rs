//! Which references an editor should look at again: those not checked within the site's recheck
//! period (or never), guidelines old enough that a newer edition may have replaced them, and those
//! with nothing that lets a reader find them (no DOI, PMID or URL).

use super::{Date, ReferenceKind, Site};

/// Why a reference is listed for editors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceConcern {
    /// No `checked_on` date.
    NeverChecked,
    /// Last checked on this date, longer ago than the site's recheck period.
    CheckedLongAgo(Date),
    /// A guideline published this many years ago or more (by its `year`).
    OldGuideline { years: i32 },
    /// Neither a DOI, a PMID nor a URL: readers cannot find the source.
    NoLocator,
}

/// One reference of one article that editors should recheck.
#[derive(Debug, Clone)]
pub struct SourceAlert {
    pub slug: String,
    pub article_title: String,
    pub key: String,
    pub title: String,
    pub year: i32,
    pub concern: SourceConcern,
}

/// Every reference of every loaded article (drafts included) that needs a fresh look on `today`,
/// by article slug, then in the order of the article's reference list. A reference can be listed
/// more than once: for its check, its age, and a missing DOI, PMID and URL.
pub fn source_alerts(site: &Site, today: Date) -> Vec<SourceAlert> {
    let recheck_days = i64::from(site.config.recheck_sources_after_days());
    let old_years = i32::try_from(site.config.old_guideline_years()).unwrap_or(i32::MAX);
    let mut alerts = Vec::new();
    for article in site.articles.values() {
        for r in &article.references {
            let mut concerns = Vec::new();
            match r.checked_on {
                None => concerns.push(SourceConcern::NeverChecked),
                Some(on) if today.days_since(on) > recheck_days => {
                    concerns.push(SourceConcern::CheckedLongAgo(on))
                }
                Some(_) => {}
            }
            let age = today.year() - r.year;
            if r.kind == ReferenceKind::Guideline && age > old_years {
                concerns.push(SourceConcern::OldGuideline { years: age });
            }
            if r.doi.is_none() && r.pmid.is_none() && r.url.is_none() {
                concerns.push(SourceConcern::NoLocator);
            }
            alerts.extend(concerns.into_iter().map(|concern| SourceAlert {
                slug: article.slug.clone(),
                article_title: article.title.clone(),
                key: r.key.clone(),
                title: r.title.clone(),
                year: r.year,
                concern,
            }));
        }
    }
    alerts
}
