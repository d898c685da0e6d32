#!/usr/bin/env python3
"""Writes a synthetic content folder for load and speed measurements.

usage: scripts/generate-content.py ARTICLES OUT_DIR [--bytes N] [--approved] [--spanish]

Each article gets patient.md and professional.md of about N bytes (default 6000) of Markdown with headings,
lists, a table and citations, and three references. The text is filler, not medical advice. The site is in
English alone; with --spanish it is in English and Spanish, every article has both wordings translated
(patient.es.md, professional.es.md, bound to their source by `translates`) and an approval record with its
approved copy (content/approved/<slug>/), as `healthpress approve` writes them, so the translations are public.
--approved gives every article such a record and copy without translations (to compare with --spanish).
"""
import argparse
import hashlib
import os
import random
import shutil
import struct

# First words of titles, one per letter, so the A to Z spreads over every letter as a real library's does.
TITLE_WORDS = ("Abdominal Back Chest Dental Ear Foot Gum Hip Itch Jaw Knee Leg Mouth Neck Ovary Pelvic Quadriceps "
               "Rib Skin Toe Ulcer Vein Wrist X-ray Yawning Zinc").split()
SPANISH = dict(zip(
    "muscle cramp stretch calf night sleep water walk rest pain doctor nurse advice treatment dose "
    "evidence review guideline study patient symptom leg foot heat ice massage daily weekly help".split(),
    "músculo calambre estirar pantorrilla noche dormir agua caminar descanso dolor médico enfermera consejo "
    "tratamiento dosis evidencia revisión guía estudio paciente síntoma pierna pie calor hielo masaje diario "
    "semanal ayuda".split()))
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


def to_spanish(text):
    """The filler text with each filler word in Spanish: the same structure, ids, figures and citations."""
    out = []
    for word in text.split(" "):
        core = word.strip(".,").lower()
        if core in SPANISH:
            es = SPANISH[core]
            if word[:1].isupper():
                es = es.capitalize()
            word = word.replace(word.strip(".,"), es)
        out.append(word)
    return " ".join(out).replace("## Section", "## Sección")


def fingerprint(files):
    """healthpress's fingerprint of an article's files: names and bytes, in name order."""
    h = hashlib.sha256()
    for name, data in sorted(files.items()):
        raw = name.encode()
        h.update(struct.pack("<Q", len(raw)) + raw + struct.pack("<Q", len(data)) + data)
    return "sha256:" + h.hexdigest()


def approve(article_dir, approved_dir, sources):
    """An approval record and the approved copy of the article's files, as `healthpress approve` writes them."""
    files = {}
    for name in os.listdir(article_dir):
        if name == "article.toml" or name.endswith(".md"):
            with open(os.path.join(article_dir, name), "rb") as f:
                files[name] = f.read()
    os.makedirs(approved_dir)
    for name, data in files.items():
        with open(os.path.join(approved_dir, name), "wb") as f:
            f.write(data)
    with open(os.path.join(approved_dir, "approvals.toml"), "w") as f:
        f.write("[[approvals]]\ndate = 2025-01-15\nreviewers = [\"synthetic\"]\n"
                "note = \"Synthetic approval.\"\n"
                f"fingerprint = \"{fingerprint(files)}\"\n\n[approvals.sources]\n")
        for audience, print_ in sources.items():
            f.write(f"{audience} = \"{print_}\"\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("articles", type=int)
    ap.add_argument("out")
    ap.add_argument("--bytes", type=int, default=6000)
    ap.add_argument("--spanish", action="store_true", help="in English and Spanish, every article translated")
    ap.add_argument("--approved", action="store_true", help="every article with an approval record")
    args = ap.parse_args()
    rng = random.Random(42)
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(os.path.join(args.out, "articles"))
    os.makedirs(os.path.join(args.out, "pages"))
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "content", "site.toml")) as f:
        site = f.read()
    if not args.spanish:
        # English alone: the bundled site's [[languages]] (at its end) are left out.
        site = site.split("\n# The site's languages")[0] + "\n"
    with open(os.path.join(args.out, "site.toml"), "w") as f:
        f.write(site)
    with open(os.path.join(args.out, "reviewers.toml"), "w") as f:
        f.write('[reviewers.synthetic]\nname = "Synthetic Reviewer"\ncredentials = "MD"\n')
    with open(os.path.join(args.out, "pages", "editorial-policy.md"), "w") as f:
        f.write('+++\ntitle = "Editorial policy"\n+++\nSynthetic content for measurements.\n')
    for i in range(args.articles):
        d = os.path.join(args.out, "articles", f"article-{i:05d}")
        os.makedirs(d)
        summary = sentence(rng)
        translated = (f'''
[translations.es]
title = "Artículo sintético {i}: {TITLE_WORDS[i % len(TITLE_WORDS)]}"
summary = "{to_spanish(summary)}"
''' if args.spanish else "")
        with open(os.path.join(d, "article.toml"), "w") as f:
            f.write(f'''title = "{TITLE_WORDS[i % len(TITLE_WORDS)]} synthetic article {i}"
summary = "{summary}"
topics = ["Topic {i % 50}", "Group {i % 7}"]
updated = 2025-{1 + i % 12:02d}-{1 + i % 28:02d}
{translated}
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
        sources = {}
        for audience in ("patient", "professional"):
            text = body(rng, args.bytes)
            with open(os.path.join(d, f"{audience}.md"), "w") as f:
                f.write(text)
            if args.spanish:
                sources[audience] = "sha256:" + hashlib.sha256(text.encode()).hexdigest()
                with open(os.path.join(d, f"{audience}.es.md"), "w") as f:
                    f.write(f'+++\ntranslates = "{sources[audience]}"\n+++\n{to_spanish(text)}')
        if args.spanish or args.approved:
            for audience in ("patient", "professional"):
                with open(os.path.join(d, f"{audience}.md"), "rb") as f:
                    sources[audience] = "sha256:" + hashlib.sha256(f.read()).hexdigest()
            approve(d, os.path.join(args.out, "approved", f"article-{i:05d}"), sources)


if __name__ == "__main__":
    main()
