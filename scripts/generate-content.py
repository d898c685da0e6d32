#!/usr/bin/env python3
"""Writes a synthetic content folder for load and speed measurements.

usage: scripts/generate-content.py ARTICLES OUT_DIR [--bytes N]

Each article gets patient.md and professional.md of about N bytes (default 6000) of Markdown with headings,
lists, a table and citations, and three references. The text is filler, not medical advice.
"""
import argparse
import os
import random
import shutil

# First words of titles, one per letter, so the A to Z spreads over every letter as a real library's does.
TITLE_WORDS = ("Abdominal Back Chest Dental Ear Foot Gum Hip Itch Jaw Knee Leg Mouth Neck Ovary Pelvic Quadriceps "
               "Rib Skin Toe Ulcer Vein Wrist X-ray Yawning Zinc").split()
WORDS = ("muscle cramp stretch calf night sleep water walk rest pain doctor nurse advice treatment dose "
         "evidence review guideline study patient symptom leg foot heat ice massage daily weekly help").split()


def sentence(rng):
    n = rng.randint(6, 16)
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def body(rng, size):
    parts = []
    cite = ["[@ref-a]", "[@ref-b]", "[@ref-c]", "[@ref-a; @ref-c]"]
    section = 0
    while sum(len(p) for p in parts) < size:
        section += 1
        parts.append(f"## Section {section} {{#section-{section}}}\n")
        for _ in range(3):
            parts.append(" ".join(sentence(rng) for _ in range(4)) + " " + rng.choice(cite) + "\n")
        parts.append("\n".join(f"- {sentence(rng)}" for _ in range(4)) + "\n")
        if section % 3 == 0:
            parts.append("| Measure | Value |\n|---|---|\n| dose | 10 mg |\n| time | 2 weeks |\n")
    return "\n".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("articles", type=int)
    ap.add_argument("out")
    ap.add_argument("--bytes", type=int, default=6000)
    args = ap.parse_args()
    rng = random.Random(42)
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(os.path.join(args.out, "articles"))
    os.makedirs(os.path.join(args.out, "pages"))
    here = os.path.dirname(os.path.abspath(__file__))
    shutil.copy(os.path.join(here, "..", "content", "site.toml"), args.out)
    with open(os.path.join(args.out, "reviewers.toml"), "w") as f:
        f.write('[reviewers.synthetic]\nname = "Synthetic Reviewer"\ncredentials = "MD"\n')
    with open(os.path.join(args.out, "pages", "editorial-policy.md"), "w") as f:
        f.write('+++\ntitle = "Editorial policy"\n+++\nSynthetic content for measurements.\n')
    for i in range(args.articles):
        d = os.path.join(args.out, "articles", f"article-{i:05d}")
        os.makedirs(d)
        with open(os.path.join(d, "article.toml"), "w") as f:
            f.write(f'''title = "{TITLE_WORDS[i % len(TITLE_WORDS)]} synthetic article {i}"
summary = "{sentence(rng)}"
topics = ["Topic {i % 50}", "Group {i % 7}"]
updated = 2025-{1 + i % 12:02d}-{1 + i % 28:02d}

[review]
status = "approved"
reviewed_by = ["synthetic"]
reviewed_on = 2025-01-15
next_review = 2099-01-15
''')
            for key, kind in (("ref-a", "guideline"), ("ref-b", "research"), ("ref-c", "review")):
                f.write(f'''
[[references]]
key = "{key}"
kind = "{kind}"
title = "Synthetic reference {key}"
source = "Journal of Measurements"
year = 2020
''')
        for audience in ("patient", "professional"):
            with open(os.path.join(d, f"{audience}.md"), "w") as f:
                f.write(body(rng, args.bytes))


if __name__ == "__main__":
    main()
