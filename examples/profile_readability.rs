//! Times readability over every wording's text: `cargo run --release --example profile_readability -- DIR`.
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
                texts.push(healthpress::markdown::render(&t, &|_| true).0.text);
            }
        }
    }
    let t = Instant::now();
    let mut words = 0;
    for text in &texts {
        words += healthpress::readability::Readability::of(text).words;
    }
    println!(
        "{} texts, {words} words, readability in {:?}",
        texts.len(),
        t.elapsed()
    );
}
