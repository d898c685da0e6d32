//! The site in a second language: Spanish pages under `/es/`, their chrome from the Spanish
//! messages, translations bound to the approved source text they translate, Spanish search, and the
//! checks that keep translations honest.

mod common;

use actix_web::web;
use common::{app, copy_dir, fixture, get};
use healthpress::content::approval::text_fingerprint;
use healthpress::content::approve_article;
use healthpress::content::{Date, load_site};
use healthpress::web::AppState;
use std::path::Path;

const LANGUAGES: &str = r#"
[[languages]]
id = "en"
label = "English"

[[languages]]
id = "es"
label = "Español"
description = "Información de salud clara y revisada."
emergency = "En caso de emergencia, llame al número de emergencias de su zona."

[languages.audiences.patient]
label = "Paciente o cuidador"
description = "Lenguaje sencillo."
disclaimer = "Hable con su propio profesional sanitario sobre su atención."

[languages.audiences.professional]
label = "Profesional sanitario"
description = "Términos clínicos y dosis."
disclaimer = "Para profesionales sanitarios: use su juicio clínico."
"#;

/// The Spanish patient wording of the fixture's `cramp-care`, translating the source text whose
/// fingerprint is `source`.
fn spanish_patient(source: &str) -> String {
    format!(
        r#"+++
translates = "{source}"
title = "Cuidado de los calambres"
+++
Estire la pantorrilla cuando empiece un calambre. [@beta]

## Cuándo pedir ayuda {{#when-to-get-help}}

Vaya al médico si los calambres no le dejan dormir. [@alpha; @gamma] Volver a estirar ayuda. [@beta] Si tiene hipertensión, dígaselo.

> [!EMERGENCY]
> Llame al 999 ahora si:
>
> - la pierna se le pone fría, pálida o entumecida
> - le falta el aire

> [!NON-URGENT]
> Pida cita con su médico de cabecera si:
>
> - los calambres no le dejan dormir casi ninguna noche
"#
    )
}

/// A copy of the `valid` fixture in English and Spanish, `cramp-care` approved with its Spanish
/// patient wording bound to the approved English one.
fn bilingual_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    let root = dir.path();
    append(&root.join("site.toml"), LANGUAGES);
    append(
        &root.join("articles/cramp-care/article.toml"),
        "\n[translations.es]\ntitle = \"Cuidado de los calambres\"\nsummary = \"Qué ayuda con los calambres.\"\n",
    );
    // `[translations]` must come before the article's tables: move it to the top.
    let path = root.join("articles/cramp-care/article.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let (main, translations) = text.split_once("\n[translations.es]").unwrap();
    let (head, rest) = main.split_once("\n[review]").unwrap();
    std::fs::write(
        &path,
        format!("{head}\n[translations.es]{translations}\n[review]{rest}"),
    )
    .unwrap();
    approve(root, "First approval.");
    write_spanish(root);
    approve(root, "Spanish translation of the patient wording.");
    dir
}

fn append(path: &Path, text: &str) {
    let mut all = std::fs::read_to_string(path).unwrap();
    all.push_str(text);
    std::fs::write(path, all).unwrap();
}

fn source_print(root: &Path) -> String {
    text_fingerprint(&std::fs::read(root.join("articles/cramp-care/patient.md")).unwrap())
}

fn write_spanish(root: &Path) {
    std::fs::write(
        root.join("articles/cramp-care/patient.es.md"),
        spanish_patient(&source_print(root)),
    )
    .unwrap();
}

fn approve(root: &Path, note: &str) {
    approve_article(
        root,
        "cramp-care",
        &["rev-one".to_string()],
        note,
        Date::today(),
        None,
    )
    .expect("approves");
}

fn state_of(root: &Path) -> web::Data<AppState> {
    web::Data::new(AppState::load(root).expect("the site loads"))
}

/// The page's text outside the article's own words (title, summary, body, references): what the
/// site itself says around them.
fn chrome_of(page: &str) -> String {
    let mut chrome = page.to_string();
    for (start, end) in [
        ("<div class=\"article-body\"", "</div>\n\n"),
        ("<script type=\"application/ld+json\">", "</script>"),
        ("<ol>", "</ol>"),
        // Reviewers' notes, written in the source language and marked as such.
        ("<span class=\"change-note\" lang=\"en\">", "</span>"),
    ] {
        while let Some(a) = chrome.find(start) {
            let Some(b) = chrome[a..].find(end) else {
                break;
            };
            chrome.replace_range(a..a + b + end.len(), " ");
        }
    }
    // Text only: tags and attributes that are not read out go.
    let mut text = String::new();
    let mut in_tag = false;
    let mut tag = String::new();
    for c in chrome.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' => {
                in_tag = false;
                // Attributes people read or hear: labels, placeholders, titles.
                for attr in ["aria-label=\"", "placeholder=\"", "title=\""] {
                    if let Some(at) = tag.find(attr) {
                        let value = &tag[at + attr.len()..];
                        text.push(' ');
                        text.push_str(value.split('"').next().unwrap_or(""));
                        text.push(' ');
                    }
                }
                text.push(' ');
            }
            c if in_tag => tag.push(c),
            c => text.push(c),
        }
    }
    text
}

/// English words no Spanish sentence of the chrome would hold.
const ENGLISH: &[&str] = &[
    "the",
    "and",
    "of",
    "to",
    "Home",
    "Search",
    "Topics",
    "Review",
    "Reviewed",
    "Approved",
    "Submitted",
    "Was",
    "helpful",
    "Yes",
    "Send",
    "feedback",
    "Which",
    "describes",
    "you",
    "Why",
    "ask",
    "Show",
    "question",
    "References",
    "Disclaimer",
    "changed",
    "updated",
    "Last",
    "Skip",
    "content",
    "Pending",
    "sample",
    "fictional",
    "Emergency",
    "advice",
    "Guideline",
    "Research",
    "What",
    "our",
    "Our",
    "reviewers",
    "Read",
    "this",
    "section",
    "for",
];

#[actix_web::test]
async fn a_spanish_page_has_lang_es_reciprocal_hreflang_and_all_its_chrome_in_spanish() {
    let dir = bilingual_site();
    let app = app(state_of(dir.path())).await;
    let (status, _, es) = get(&app, "/es/articles/cramp-care/patient").await;
    assert_eq!(status, 200, "{es}");
    assert!(es.contains("<html lang=\"es\">"), "{es}");
    assert!(es.contains("Estire la pantorrilla"), "{es}");
    // Reciprocal, absolute alternates, and x-default to the source.
    let base = "https://health.example.org";
    for (lang, path) in [
        ("en", "/articles/cramp-care/patient"),
        ("es", "/es/articles/cramp-care/patient"),
        ("x-default", "/articles/cramp-care/patient"),
    ] {
        let link = format!("<link rel=\"alternate\" hreflang=\"{lang}\" href=\"{base}{path}\">");
        assert!(es.contains(&link), "no {link} in {es}");
    }
    let (_, _, en) = get(&app, "/articles/cramp-care/patient").await;
    assert!(en.contains("<html lang=\"en\">"));
    assert!(
        en.contains(&format!(
            "<link rel=\"alternate\" hreflang=\"es\" href=\"{base}/es/articles/cramp-care/patient\">"
        )),
        "{en}"
    );
    // The language links, each in its own name.
    assert!(
        es.contains(">English</a>") && es.contains(">Español</span>"),
        "{es}"
    );
    // The care cards' kinds, dates in words and the review box, in Spanish.
    assert!(es.contains("Emergencia"), "{es}");
    assert!(es.contains("Qué ha cambiado"), "{es}");
    assert!(es.contains(" de 20"), "a date in Spanish words: {es}");
    assert!(es.contains("Paciente o cuidador"), "{es}");
    assert!(es.contains("En caso de emergencia"), "{es}");
    // The words the body's markup adds for screen readers, too.
    assert!(
        es.contains("<span class=\"visually-hidden\">Referencia </span>"),
        "{es}"
    );
    assert!(!es.contains(">Reference </span>"), "{es}");
    // No English word left in the chrome.
    let chrome = chrome_of(&es);
    let words: Vec<&str> = chrome
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let left: Vec<&&str> = ENGLISH.iter().filter(|e| words.contains(e)).collect();
    assert!(
        left.is_empty(),
        "English left in the Spanish chrome: {left:?}\n{chrome}\n{es}"
    );
    // The English page's chrome is English: the check above can fail.
    let en_words = chrome_of(&en);
    assert!(en_words.contains("Was this page helpful?"), "{en_words}");
}

#[actix_web::test]
async fn a_wording_not_yet_translated_is_the_source_with_a_notice_in_spanish() {
    let dir = bilingual_site();
    let app = app(state_of(dir.path())).await;
    let (status, _, page) = get(&app, "/es/articles/cramp-care/professional").await;
    assert_eq!(status, 200);
    assert!(page.contains("<html lang=\"es\">"));
    assert!(page.contains("aún no está traducida al español"), "{page}");
    // The English text is marked as English, and search engines are sent to the English page.
    assert!(
        page.contains("class=\"article-body\" lang=\"en\""),
        "{page}"
    );
    assert!(
        page.contains(
            "<link rel=\"canonical\" href=\"https://health.example.org/articles/cramp-care/professional\">"
        ),
        "{page}"
    );
    // Home, the A to Z and the 404 page in Spanish.
    let (_, _, home) = get(&app, "/es/").await;
    assert!(home.contains("<html lang=\"es\">") && home.contains("Cuidado de los calambres"));
    assert!(home.contains("href=\"/es/articles/cramp-care\""), "{home}");
    let (_, _, az) = get(&app, "/es/articles").await;
    assert!(az.contains("Artículos de la A a la Z"), "{az}");
    let (status, _, missing) = get(&app, "/es/articles/nothing-here/patient").await;
    assert_eq!(status, 404);
    assert!(missing.contains("Página no encontrada"), "{missing}");
    let (status, _, _) = get(&app, "/xx/articles").await;
    assert_eq!(status, 404, "a language the site does not have");
}

#[actix_web::test]
async fn a_changed_source_marks_the_translation_out_of_date_until_it_is_approved_again() {
    let dir = bilingual_site();
    let root = dir.path();
    let follows = Date::today();
    // The English text changes and is approved again; the Spanish still names the old text.
    let patient = root.join("articles/cramp-care/patient.md");
    let text = std::fs::read_to_string(&patient).unwrap();
    std::fs::write(
        &patient,
        text.replace("Stretching again helps.", "Stretching again often helps."),
    )
    .unwrap();
    approve(root, "A softer claim about stretching.");
    let site = load_site(root).unwrap();
    let app = app(state_of(root)).await;
    let (status, _, page) = get(&app, "/es/articles/cramp-care/patient").await;
    assert_eq!(status, 200, "an out-of-date translation stays up");
    let d = |d: Date| site.config.messages.of("es").date(d);
    let notice = format!(
        "Esta traducción sigue la versión en inglés del {}. La versión en inglés se actualizó el {}:",
        d(follows),
        d(Date::today())
    );
    assert!(page.contains(&notice), "no {notice:?} in {page}");
    assert!(
        page.contains("href=\"/articles/cramp-care/patient#changes\""),
        "links to the source's change log: {page}"
    );
    // It is in the review queue, and `check` warns (`--strict` fails).
    let queue = healthpress::content::review_queue(&site, Date::today());
    let entry = queue
        .iter()
        .find(|e| e.article.slug == "cramp-care")
        .expect("queued");
    assert!(matches!(
        entry.waiting,
        healthpress::content::Waiting::TranslationOutOfDate(_)
    ));
    assert_eq!(entry.languages, vec!["es".to_string()]);
    let (passed, out) = common::check_strict(root);
    assert!(!passed && out.contains("translation out of date"), "{out}");
    // Translated again, bound to the new text, and approved: the mark and the queue entry go.
    write_spanish(root);
    approve(root, "Spanish updated.");
    let site = load_site(root).unwrap();
    let queue = healthpress::content::review_queue(&site, Date::today());
    assert!(
        queue.iter().all(|e| e.article.slug != "cramp-care"),
        "{queue:?}"
    );
    let app = common::app(state_of(root)).await;
    let (_, _, page) = get(&app, "/es/articles/cramp-care/patient").await;
    assert!(!page.contains("Esta traducción sigue"), "{page}");
    let (_, out) = common::check_strict(root);
    assert!(!out.contains("translation out of date"), "{out}");
}

#[actix_web::test]
async fn an_unapproved_or_unbound_translation_is_never_public() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    let root = dir.path();
    append(&root.join("site.toml"), LANGUAGES);
    approve(root, "First approval.");
    // Written after the approval: in the working files only.
    write_spanish(root);
    let app = app(state_of(root)).await;
    let (status, _, page) = get(&app, "/es/articles/cramp-care/patient").await;
    assert_eq!(status, 200);
    assert!(!page.contains("Estire la pantorrilla"), "{page}");
    assert!(
        page.contains("Stretch your calf"),
        "the source wording instead: {page}"
    );
    let (_, _, found) = get(&app, "/es/search?q=pantorrilla&audience=patient").await;
    assert!(!found.contains("cramp-care"), "{found}");
    // Approved without saying which text it translates: still not shown.
    let spanish = root.join("articles/cramp-care/patient.es.md");
    let text = std::fs::read_to_string(&spanish).unwrap();
    let unbound: String = text
        .lines()
        .filter(|l| !l.starts_with("translates"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&spanish, unbound).unwrap();
    approve(root, "Unbound Spanish.");
    let app = common::app(state_of(root)).await;
    let (_, _, page) = get(&app, "/es/articles/cramp-care/patient").await;
    assert!(!page.contains("Estire la pantorrilla"), "{page}");
    let (_, out) = common::check_strict(root);
    assert!(
        out.contains("does not say which English text it translates"),
        "{out}"
    );
}

#[actix_web::test]
async fn spanish_search_finds_calambres_from_calambre_in_spanish_pages_only() {
    let dir = bilingual_site();
    let app = app(state_of(dir.path())).await;
    let (status, _, found) = get(&app, "/es/search?q=calambre&audience=patient").await;
    assert_eq!(status, 200);
    assert!(
        found.contains("href=\"/es/articles/cramp-care/patient\""),
        "{found}"
    );
    assert!(found.contains("1 artículo coincide"), "{found}");
    assert!(
        found.contains("<mark>calambres</mark>") || found.contains("<mark>calambre</mark>"),
        "{found}"
    );
    // English search does not find Spanish words, nor Spanish search English ones.
    let (_, _, en) = get(&app, "/search?q=calambre&audience=patient").await;
    assert!(!en.contains("cramp-care/patient\""), "{en}");
    let (_, _, es) = get(&app, "/es/search?q=stretch&audience=patient").await;
    assert!(!es.contains("/es/articles/cramp-care/patient\""), "{es}");
    // Follow-up questions are answered from Spanish passages.
    let (_, _, answer) = get(
        &app,
        "/es/ask?q=cu%C3%A1ndo+pedir+ayuda+calambres&audience=patient",
    )
    .await;
    assert!(answer.contains("Vaya al médico"), "{answer}");
    assert!(!answer.contains("See a doctor"), "{answer}");
}

#[test]
fn a_moved_decimal_point_in_spanish_is_a_parity_warning_naming_both_files() {
    let dir = bilingual_site();
    let root = dir.path();
    let patient = root.join("articles/cramp-care/patient.md");
    let text = std::fs::read_to_string(&patient).unwrap();
    std::fs::write(
        &patient,
        text.replace(
            "Stretching again helps.",
            "Stretching again helps. Take 5 mg.",
        ),
    )
    .unwrap();
    write_spanish(root);
    let spanish = root.join("articles/cramp-care/patient.es.md");
    let text = std::fs::read_to_string(&spanish).unwrap();
    std::fs::write(
        &spanish,
        text.replace(
            "Volver a estirar ayuda.",
            "Volver a estirar ayuda. Tome 0,5 mg.",
        ),
    )
    .unwrap();
    let site = load_site(root).unwrap();
    let warning = site
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .find(|d| d.contains("0,5 mg"))
        .unwrap_or_else(|| panic!("no parity warning: {:?}", site.diagnostics));
    assert!(
        warning.contains("patient.es.md") && warning.contains("patient.md"),
        "{warning}"
    );
    assert!(warning.contains("5 mg"), "{warning}");
    assert!(
        warning.contains("when-to-get-help"),
        "names the section: {warning}"
    );
    // The same dose written with a decimal comma is no warning.
    std::fs::write(
        &spanish,
        std::fs::read_to_string(&spanish)
            .unwrap()
            .replace("0,5 mg", "5 mg"),
    )
    .unwrap();
    let site = load_site(root).unwrap();
    assert!(
        !site
            .diagnostics
            .iter()
            .any(|d| d.to_string().contains("patient.es.md") && d.to_string().contains(" mg")),
        "{:?}",
        site.diagnostics
    );
}

#[test]
fn a_missing_message_key_is_a_check_error_naming_the_key_and_language() {
    let dir = bilingual_site();
    let root = dir.path();
    append(
        &root.join("site.toml"),
        "\n[[languages]]\nid = \"fr\"\nlabel = \"Français\"\n",
    );
    std::fs::create_dir_all(root.join("messages")).unwrap();
    std::fs::write(root.join("messages/fr.ftl"), "nav-home = Accueil\n").unwrap();
    let (passed, out) = common::check_strict(root);
    assert!(!passed, "{out}");
    assert!(
        out.contains("error") && out.contains("`fr`") && out.contains("nav-topics"),
        "{out}"
    );
    assert!(
        !out.contains("nav-home,"),
        "a key the file has is not named: {out}"
    );
}

#[actix_web::test]
async fn the_sitemap_lists_each_page_with_its_language_alternates() {
    let dir = bilingual_site();
    let app = app(state_of(dir.path())).await;
    let (_, _, sitemap) = get(&app, "/sitemap.xml").await;
    assert!(
        sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<xhtml:link rel=\"alternate\" hreflang=\"es\" href=\"https://health.example.org/es/articles/cramp-care/patient\"/>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://health.example.org/es/articles/cramp-care/patient</loc>"),
        "{sitemap}"
    );
    // A wording not translated is the source page's: not listed again under /es/.
    assert!(
        !sitemap
            .contains("<loc>https://health.example.org/es/articles/cramp-care/professional</loc>"),
        "{sitemap}"
    );
}

#[actix_web::test]
async fn editors_see_each_translation_beside_its_source_with_its_state_and_reading_level() {
    use base64::Engine;
    use healthpress::web::Options;
    use healthpress::web::editor::EditorState;
    use healthpress::web::editor::auth::{EditorAccess, Editors, hash_password};
    let dir = bilingual_site();
    let root = dir.path();
    let state = AppState::open(
        root,
        Options {
            keep_bodies: true,
            readability: true,
        },
    )
    .expect("loads");
    let password = "correct horse battery";
    let editors =
        Editors::from_hashes([("alice".to_string(), hash_password(password).unwrap())].into());
    let editors = web::Data::new(EditorState::new(
        EditorAccess::Accounts(editors),
        Vec::new(),
        common::store(),
    ));
    let app = common::app_with(web::Data::new(state), editors).await;
    let auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("alice:{password}"))
    );
    let req = actix_web::test::TestRequest::get()
        .uri("/editor/articles/cramp-care")
        .insert_header(("authorization", auth));
    let (status, _, page) = common::send(&app, req).await;
    assert_eq!(status, 200, "{page}");
    // Side by side: the Spanish patient wording is a column of its own, aligned by section.
    assert!(page.contains("Patient or caregiver (Español)"), "{page}");
    assert!(page.contains("Vaya al médico"), "{page}");
    // Its state, the fingerprint a translation names, and its Spanish reading level.
    assert!(page.contains("Follows the current English text"), "{page}");
    let print = source_print(root);
    assert!(
        page.contains(&format!("translates = &quot;{print}&quot;"))
            || page.contains(&format!("translates = \"{print}\"")),
        "{page}"
    );
    assert!(
        page.contains("Fernández-Huerta") && page.contains("INFLESZ") && page.contains("SOL grade"),
        "{page}"
    );
}

#[actix_web::test]
async fn a_withdrawn_article_answers_410_in_the_readers_language() {
    let dir = bilingual_site();
    let root = dir.path();
    healthpress::content::approval::withdraw(root, "cramp-care", "Dose under check", Date::today())
        .unwrap();
    let app = app(state_of(root)).await;
    let (status, _, page) = get(&app, "/es/articles/cramp-care/patient").await;
    assert_eq!(status, 410, "{page}");
    assert!(page.contains("<html lang=\"es\">"), "{page}");
    assert!(page.contains("Este artículo se ha retirado"), "{page}");
    assert!(
        !page.contains("Estire la pantorrilla"),
        "nothing of its text: {page}"
    );
    let (status, _, page) = get(&app, "/articles/cramp-care/patient").await;
    assert_eq!(status, 410);
    assert!(page.contains("This article has been withdrawn"), "{page}");
}

#[test]
fn a_spanish_wording_over_its_reading_target_is_a_warning_with_the_spanish_measures() {
    let dir = bilingual_site();
    let root = dir.path();
    let site_toml = root.join("site.toml");
    let text = std::fs::read_to_string(&site_toml).unwrap();
    std::fs::write(
        &site_toml,
        text.replace(
            "[languages.audiences.patient]\n",
            "[languages.audiences.patient]\nmax_grade = 1\n",
        ),
    )
    .unwrap();
    let site = load_site(root).unwrap();
    let warning = site
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .find(|d| d.contains("patient.es.md") && d.contains("SOL"))
        .unwrap_or_else(|| panic!("no reading-level warning: {:?}", site.diagnostics));
    assert!(
        warning.contains("Fernández-Huerta") && warning.contains("INFLESZ"),
        "{warning}"
    );
}
