//! Times the Markdown pipeline, then readability, then plain-language coaching (toward grade 8, with
//! the built-in word list), over every wording of a content folder:
//! `cargo run --release --example profile_render -- DIR`.
use std::time::Instant;
fn main() {
    let dir = std::env::args().nth(1).expect("content folder");
    let mut texts = Vec::new();
    for e in std::fs::read_dir(format!("{dir}/articles"))
        .unwrap()
        .flatten()
    {
        for w in ["patient.md", "professional.md"] {
            if let Ok(t) = std::fs::read_to_string(e.path().join(w)) {
                texts.push(t);
            }
        }
    }
    let t = Instant::now();
    let mut bytes = 0;
    for s in &texts {
        let (r, _) = healthpress::markdown::render(s, &|_| true);
        bytes += r.html.len();
    }
    println!(
        "{} wordings rendered in {:?} ({} MB of HTML)",
        texts.len(),
        t.elapsed(),
        bytes / 1_000_000
    );
    let bodies: Vec<healthpress::markdown::Rendered> = texts
        .iter()
        .map(|s| healthpress::markdown::render(s, &|_| true).0)
        .collect();
    let t = Instant::now();
    let words: usize = bodies
        .iter()
        .map(|body| healthpress::readability::Readability::of(&body.text).words)
        .sum();
    println!(
        "{words} words measured for readability in {:?}",
        t.elapsed()
    );
    let list = healthpress::coach::PlainWords::built_in();
    let t = Instant::now();
    let flagged: usize = bodies
        .iter()
        .map(|body| healthpress::coach::coach(body, &list, Some(8.0)).flagged_sentences())
        .sum();
    println!(
        "{} wordings coached in {:?} ({flagged} sentences flagged)",
        bodies.len(),
        t.elapsed()
    );
}
