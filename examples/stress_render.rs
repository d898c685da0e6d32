//! Renders adversarial Markdown shapes and reports time and output size:
//! `cargo run --release --example stress_render`.
use std::time::Instant;
fn main() {
    let cases: Vec<(&str, String)> = vec![
        ("quotes 10k deep", ">".repeat(10_000) + " x"),
        (
            "lists 5k deep",
            (0..5_000)
                .map(|i| format!("{}- x\n", "  ".repeat(i)))
                .collect(),
        ),
        ("html 20k nested divs", "<div>".repeat(20_000) + "x"),
        ("headings 20k repeated", "## h\n\n".repeat(20_000)),
        ("1 MB paragraph", "word ".repeat(200_000)),
        ("1 MB of citations", "[@a] ".repeat(200_000)),
        ("emphasis 50k", "*a **b ".repeat(50_000)),
        ("links 50k", "[x](http://e.com) ".repeat(50_000)),
        (
            "table 2k cols",
            format!("|{}\n|{}\n", "a|".repeat(2000), "-|".repeat(2000)),
        ),
    ];
    for (name, src) in cases {
        let t = Instant::now();
        let (r, p) = healthpress::markdown::render(&src, &|k| k == "a");
        println!(
            "{name}: {:?}, {} KB html, {} problems",
            t.elapsed(),
            r.html.len() / 1024,
            p.len()
        );
    }
}
