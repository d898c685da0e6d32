// Browser checks for healthpress, run against an already-running server over the fixture content
// (tests/fixtures/valid):
//
//   HEALTHPRESS_URL=http://127.0.0.1:8080 node --test-reporter=spec tests/browser/run.mjs
//
// Drives the system Chromium (HEALTHPRESS_CHROMIUM, default /usr/bin/chromium) through playwright-core, which
// never downloads a browser of its own. `cargo test --test browser` starts the server and runs this file.
//
// Checks: axe-core (WCAG 2.0/2.1/2.2 A and AA, best practices) on every page at desktop and phone widths; the
// audience choice persists across articles; a citation jumps to its reference; the audience choice works with the
// keyboard alone, with a skip link first and a visible focus indicator on everything focusable; no horizontal
// scroll on phones; the feedback form without JavaScript; the editor's workspace (wordings side by side unclipped with
// their headings in view, the live sandbox, the Render button without JavaScript, axe on every editor page); full-page
// screenshots into tests/browser/screenshots/.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AXE_TAGS, CHROMIUM, describeNode, launchChromium, runAxe } from './common.mjs';


const BASE_URL = (process.env.HEALTHPRESS_URL ?? '').replace(/\/+$/, '');
// A second server over the bundled articles (content/), for the first-screen checks; skipped when unset.
const BUNDLED_URL = (process.env.HEALTHPRESS_BUNDLED_URL ?? '').replace(/\/+$/, '');
const BUNDLED_ARTICLES = ['leg-cramps', 'pad-claudication', 'quinine-for-leg-cramps', 'statins-and-muscle-symptoms'];
// The editor area, opened by `healthpress preview` (no login): over the bundled articles, and over the fixture
// (a draft, an article assigned for review and overdue). Its checks are skipped when these are unset.
const EDITOR_URL = (process.env.HEALTHPRESS_EDITOR_URL ?? '').replace(/\/+$/, '');
const EDITOR_FIXTURE_URL = (process.env.HEALTHPRESS_EDITOR_FIXTURE_URL ?? '').replace(/\/+$/, '');
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

if (!BASE_URL) {
  console.error('HEALTHPRESS_URL is not set: start `healthpress serve --content tests/fixtures/valid` and set it to its base URL');
  process.exit(2);
}

const WIDTHS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 375, height: 812 },
};

// The viewports and colour schemes axe checks every page in: the stylesheet has a dark scheme too.
const AXE_VARIANTS = [
  { name: 'desktop 1280px', viewport: WIDTHS.desktop, colorScheme: 'light' },
  { name: 'phone 375px', viewport: WIDTHS.phone, colorScheme: 'light' },
  { name: 'desktop 1280px dark', viewport: WIDTHS.desktop, colorScheme: 'dark' },
];

// Pages axe checks. `status` is what the page must answer; `optional` pages are planned routes: while they answer
// 404 they are skipped with a note, once they exist they are checked like the others.
const AXE_PAGES = [
  { path: '/', status: 200 },
  { path: '/articles/cramp-care/patient', status: 200 },
  { path: '/articles/cramp-care/professional', status: 200 },
  { path: '/articles/pending-topic/patient', status: 200 },
  { path: '/pages/editorial-policy', status: 200 },
  { path: '/no-such-page', status: 404 },
  { path: '/search?q=cramp&audience=patient', status: 200 },
  { path: '/ask?q=cramps+awake+nights&audience=patient', status: 200 },
  { path: '/ask?q=how+do+I+renew+my+passport&audience=patient', status: 200 },
  { path: '/topics/muscles', status: 200, optional: true },
  { path: '/topics', status: 200, optional: true },
  { path: '/articles', status: 200, optional: true },
  { path: '/reviewers', status: 200 },
  {
    path: '/infobutton?mainSearchCriteria.v.c=I70.213&mainSearchCriteria.v.cs=2.16.840.1.113883.6.90&knowledgeResponseType=text/html',
    status: 404,
  },
];

// Same-origin subresources known to fail today, each with the reason. The page-load check tolerates these (and says
// so) but fails on anything else; it notes when one is fixed, so its entry can be removed.
const KNOWN_BROKEN = {};

// Pages that must fit a phone screen without horizontal scrolling.
const LAYOUT_PAGES = [
  '/',
  '/articles/cramp-care/patient',
  '/articles/cramp-care/professional',
  '/articles/pending-topic/patient',
];
const LAYOUT_WIDTHS = [320, 375];


let browser;

/** True when the page's path (ignoring any #section the server or script adds) is the professional wording. */
const isProfessional = (slug) => (url) => new URL(url).pathname === `/articles/${slug}/professional`;
const pathOf = (page) => new URL(page.url()).pathname;
const axeSummary = [];

/** A fresh context (own cookies) at the given viewport. */
async function newContext(viewport, options = {}) {
  const context = await browser.newContext({ viewport, ...options });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(15_000);
  return context;
}

/** Runs `fn(page)` in a fresh context and always closes it. */
async function withPage(viewport, fn, options = {}) {
  const context = await newContext(viewport, options);
  try {
    return await fn(await context.newPage());
  } finally {
    await context.close();
  }
}

async function goto(page, path) {
  const response = await page.goto(BASE_URL + path, { waitUntil: 'load' });
  assert.ok(response, `no response for ${path}`);
  return response;
}


/** What is focused right now, and whether it shows a focus indicator. */
async function focusInfo(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    const id = el.id ? `#${el.id}` : '';
    const cls = el.classList.length ? `.${[...el.classList].join('.')}` : '';
    const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').replace(/\s+/g, ' ').trim().slice(0, 40);
    return {
      desc: `${el.tagName.toLowerCase()}${id}${cls}${text ? ` "${text}"` : ''}`,
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute('type'),
      name: el.getAttribute('name'),
      value: el.getAttribute('value'),
      isSkipLink: el.classList.contains('skip-link'),
      indicator: outline || shadow,
      outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
      boxShadow: style.boxShadow,
    };
  });
}

// Fail fast, with one clear message, when the server or the browser is not there.
try {
  const response = await fetch(`${BASE_URL}/healthz`);
  if (!response.ok) throw new Error(`/healthz answered ${response.status}`);
} catch (e) {
  console.error(`healthpress is not reachable at ${BASE_URL}: ${e.cause?.message ?? e.message}`);
  process.exit(1);
}
try {
  browser = await launchChromium();
} catch (e) {
  console.error(`cannot launch Chromium at ${CHROMIUM} (install the chromium package, or set HEALTHPRESS_CHROMIUM): ${e.message}`);
  process.exit(1);
}
mkdirSync(SCREENSHOTS, { recursive: true });

describe('healthpress in Chromium', () => {
  after(async () => {
    await browser.close();
    if (axeSummary.length) {
      console.log('\naxe-core summary (tags: %s)', AXE_TAGS.join(', '));
      for (const line of axeSummary) console.log(`  ${line}`);
    }
  });

  describe('axe-core: no accessibility violations', () => {
    for (const entry of AXE_PAGES) {
      for (const variant of AXE_VARIANTS) {
        const label = `${entry.path} at ${variant.name}`;
        test(label, async (t) => {
          // bypassCSP: the site's CSP allows no inline script, and axe is injected as one.
          await withPage(variant.viewport, async (page) => {
            const response = await goto(page, entry.path);
            if (entry.optional && response.status() === 404) {
              const note = `${label}: skipped, the page answers 404 (not built yet)`;
              axeSummary.push(note);
              t.skip(note);
              return;
            }
            assert.equal(response.status(), entry.status, `${entry.path} answered ${response.status()}, expected ${entry.status}`);
            const results = await runAxe(page);
            const violations = results.violations;
            const details = violations.map(
              (v) => `    ${v.id} [${v.impact}] ${v.help}\n${v.nodes.map((n) => `      - ${describeNode(n)}`).join('\n')}`,
            );
            // "Incomplete" results are ones axe could not decide (e.g. text over a gradient): noted, not failed.
            const review = results.incomplete.map((v) => `${v.id} (${v.nodes.length})`);
            axeSummary.push(
              `${label}: ${violations.length} violation(s)${review.length ? `; to review by hand: ${review.join(', ')}` : ''}` +
                (violations.length ? `\n${details.join('\n')}` : ''),
            );
            assert.equal(violations.length, 0, `axe found ${violations.length} violation(s) on ${label}:\n${details.join('\n')}`);
          }, { bypassCSP: true, colorScheme: variant.colorScheme });
        });
      }
    }
  });

  describe('pages load cleanly: no failed requests, console errors or CSP violations', () => {
    for (const entry of AXE_PAGES) {
      test(entry.path, async (t) => {
        await withPage(WIDTHS.desktop, async (page) => {
          const problems = [];
          const known = new Set();
          const documentUrl = BASE_URL + entry.path;
          const sameDocument = (url) => url === documentUrl || url === encodeURI(documentUrl);
          const report = (url, what) => {
            const path = url.startsWith(BASE_URL) ? url.slice(BASE_URL.length).split(/[?#]/)[0] : null;
            if (path && KNOWN_BROKEN[path]) known.add(path);
            else problems.push(what);
          };
          page.on('response', (r) => {
            if (r.status() >= 400 && !sameDocument(r.url())) report(r.url(), `${r.status()} for ${r.url()}`);
          });
          page.on('requestfailed', (r) => report(r.url(), `request failed: ${r.url()} (${r.failure()?.errorText})`));
          // No third-party requests: everything a page loads comes from the site itself.
          page.on('request', (r) => {
            if (!r.url().startsWith(BASE_URL + '/')) problems.push(`third-party request: ${r.url()}`);
          });
          page.on('pageerror', (e) => problems.push(`uncaught script error: ${e.message}`));
          page.on('console', (m) => {
            if (m.type() !== 'error') return;
            const url = m.location()?.url ?? '';
            // A failed load is also logged to the console; it is reported once, above.
            if (/^Failed to load resource/.test(m.text())) return;
            // e.g. "Refused to execute script from '<url>' ...": about the resource named, not the page.
            const named = m.text().match(/https?:\/\/[^\s'"]+/)?.[0];
            report(named ?? url, `console error: ${m.text()}${url ? ` (${url})` : ''}`);
          });
          const response = await goto(page, entry.path);
          if (entry.optional && response.status() === 404) {
            t.skip(`${entry.path} answers 404 (not built yet)`);
            return;
          }
          assert.equal(response.status(), entry.status);
          await page.waitForLoadState('networkidle');
          for (const path of known) console.log(`known issue on ${entry.path}: ${path}: ${KNOWN_BROKEN[path]}`);
          assert.deepEqual(problems, [], `${entry.path}:\n  ${problems.join('\n  ')}`);
        });
      });
    }
    test('known broken resources are still broken (remove fixed ones from KNOWN_BROKEN)', async (t) => {
      for (const path of Object.keys(KNOWN_BROKEN)) {
        const response = await fetch(BASE_URL + path);
        if (response.ok) t.diagnostic(`${path} now answers ${response.status}: remove it from KNOWN_BROKEN in run.mjs`);
      }
    });
  });

  describe('audience choice', () => {
    test('choosing a wording persists across articles', async () => {
      await withPage(WIDTHS.desktop, async (page) => {
        await goto(page, '/articles/cramp-care/patient');
        const choice = page.getByLabel('Which best describes you?');
        assert.equal(await choice.inputValue(), 'patient', 'the current wording is the one selected');
        await choice.selectOption('professional');
        await Promise.all([
          page.waitForURL(isProfessional('cramp-care')),
          page.locator('#audience-choice').getByRole('button', { name: 'Show' }).click(),
        ]);
        assert.equal(pathOf(page), '/articles/cramp-care/professional');
        assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Cramp care for clinicians');
        assert.equal(
          await page.getByLabel('Which best describes you?').inputValue(),
          'professional',
          'the professional option is selected on the professional wording',
        );

        // No audience in the URL: the server redirects to the remembered wording.
        const response = await goto(page, '/articles/pending-topic');
        assert.equal(response.status(), 200);
        assert.equal(
          pathOf(page),
          '/articles/pending-topic/professional',
          `expected the remembered wording; landed on ${page.url()} (cookies: ${JSON.stringify(await page.context().cookies())})`,
        );
      });
    });

    test('the compact controls work without JavaScript, on a phone', async () => {
      await withPage(WIDTHS.phone, async (page) => {
        await goto(page, '/articles/cramp-care/patient');
        // The review details open in place.
        const steps = page.locator('#review .review-steps');
        assert.equal(await steps.isVisible(), false, 'the review steps start folded into the compact line');
        await page.locator('#review summary').click();
        assert.ok(await steps.isVisible(), 'the review steps open in place');
        assert.ok(await page.locator('#review .reviewer').first().isVisible(), 'credentials are in the details');
        // The wording choice is a plain form.
        await page.getByLabel('Which best describes you?').selectOption('professional');
        await Promise.all([
          page.waitForURL(isProfessional('cramp-care')),
          page.locator('#audience-choice').getByRole('button', { name: 'Show' }).click(),
        ]);
        assert.equal(pathOf(page), '/articles/cramp-care/professional');
      }, { javaScriptEnabled: false });
    });

    test('the wording choice works with the keyboard alone', async () => {
      await withPage(WIDTHS.desktop, async (page) => {
        await goto(page, '/articles/cramp-care/patient');

        // The skip link is the first thing Tab reaches, is visible when focused, and moves focus to the main content.
        await page.keyboard.press('Tab');
        const first = await focusInfo(page);
        assert.ok(first?.isSkipLink, `first focusable element should be the skip link, got ${first?.desc}`);
        assert.ok(first.indicator, `skip link has no visible focus indicator (outline ${first.outline}, box-shadow ${first.boxShadow})`);
        const skipBox = await page.locator('a.skip-link').boundingBox();
        assert.ok(skipBox && skipBox.y >= 0 && skipBox.y < WIDTHS.desktop.height, 'the focused skip link is on screen');
        await page.keyboard.press('Enter');
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', 'the skip link moves focus to <main>');

        // Tab forward to the wording choice, checking each focused element's indicator on the way.
        let info;
        for (let i = 0; i < 20; i++) {
          await page.keyboard.press('Tab');
          info = await focusInfo(page);
          assert.ok(info, 'focus left the page before reaching the audience choice');
          assert.ok(info.indicator, `${info.desc} has no visible focus indicator (outline ${info.outline}, box-shadow ${info.boxShadow})`);
          if (info.tag === 'select' && info.name === 'audience') break;
        }
        assert.equal(info?.name, 'audience', `never reached the wording choice by Tab; last focus ${info?.desc}`);
        const choice = page.locator('#audience-select');
        assert.equal(await choice.inputValue(), 'patient', 'the current wording is selected');

        // The arrow keys change the choice; Tab reaches the button, Enter sends it.
        await page.keyboard.press('ArrowDown');
        assert.equal(await choice.inputValue(), 'professional', 'ArrowDown selects the professional wording');
        await page.keyboard.press('Tab');
        info = await focusInfo(page);
        assert.equal(info?.tag, 'button', `Tab after the choice should reach its button, got ${info?.desc}`);
        assert.ok(info.indicator, `${info.desc} has no visible focus indicator (outline ${info.outline}, box-shadow ${info.boxShadow})`);
        await Promise.all([page.waitForURL(isProfessional('cramp-care')), page.keyboard.press('Enter')]);
        assert.equal(pathOf(page), '/articles/cramp-care/professional');
      });
    });
  });

  describe('the answer on the first screen (bundled articles)', () => {
    for (const [name, viewport] of [['phone 375x812', { width: 375, height: 812 }], ['desktop 1280x900', WIDTHS.desktop]]) {
      for (const slug of BUNDLED_ARTICLES) {
        for (const audience of ['patient', 'professional']) {
          const path = `/articles/${slug}/${audience}`;
          test(`${path} at ${name}`, async (t) => {
            if (!BUNDLED_URL) {
              t.skip('HEALTHPRESS_BUNDLED_URL is not set');
              return;
            }
            await withPage(viewport, async (page) => {
              const response = await page.goto(BUNDLED_URL + path, { waitUntil: 'load' });
              assert.equal(response?.status(), 200);
              const m = await page.evaluate(() => {
                const box = (selector) => {
                  const el = document.querySelector(selector);
                  if (!el) return null;
                  const r = el.getBoundingClientRect();
                  return { top: Math.round(r.top), bottom: Math.round(r.bottom) };
                };
                return {
                  height: window.innerHeight,
                  title: box('h1'),
                  summary: box('.lead'),
                  review: box('#review'),
                  choice: box('#audience-choice'),
                  paragraph: box('.article-body p, .article-body li'),
                };
              });
              for (const part of ['title', 'summary', 'review', 'choice']) {
                assert.ok(m[part] && m[part].bottom <= m.height, `${part} ends below the first screen: ${JSON.stringify(m)}`);
              }
              assert.ok(m.paragraph, 'the body has a paragraph');
              // At least a line of the first paragraph shows.
              assert.ok(m.paragraph.top + 24 <= m.height, `the first body paragraph starts at ${m.paragraph.top}px, below the ${m.height}px screen: ${JSON.stringify(m)}`);
              if (name.startsWith('phone')) {
                await page.screenshot({ path: `${SCREENSHOTS}first-screen-${slug}-${audience}-375.png` });
              }
            });
          });
        }
      }
    }
  });

  describe('feedback', () => {
    test('"Was this page helpful?" is one POST without JavaScript, back to the same wording with a thank-you', async () => {
      await withPage(WIDTHS.desktop, async (page) => {
        await goto(page, '/articles/cramp-care/professional');
        const section = page.getByRole('region', { name: 'Was this page helpful?' });
        assert.equal(await page.locator('#feedback-thanks').isVisible(), false, 'no thank-you before sending');
        await section.getByRole('radio', { name: 'No' }).check();
        await section.getByRole('textbox', { name: /What was missing or unclear/ }).fill('The dose table was hard to read.');
        await Promise.all([
          page.waitForURL((url) => new URL(url).hash === '#feedback-thanks'),
          section.getByRole('button', { name: 'Send feedback' }).click(),
        ]);
        assert.equal(pathOf(page), '/articles/cramp-care/professional');
        assert.ok(await page.locator('#feedback-thanks').isVisible(), 'the thank-you shows');
      }, { javaScriptEnabled: false });
    });
  });

  describe('keyboard focus', () => {
    for (const path of ['/', '/articles/cramp-care/patient']) {
      test(`every focusable element on ${path} shows a focus indicator`, async () => {
        await withPage(WIDTHS.desktop, async (page) => {
          await goto(page, path);
          const seen = [];
          const missing = [];
          for (let i = 0; i < 80; i++) {
            await page.keyboard.press('Tab');
            const info = await focusInfo(page);
            if (!info || (i > 0 && info.isSkipLink)) break; // wrapped around past the end of the page
            seen.push(info.desc);
            if (!info.indicator) missing.push(`${info.desc} (outline ${info.outline}, box-shadow ${info.boxShadow})`);
          }
          assert.ok(seen.length > 3, `Tab reached only ${seen.length} element(s): ${seen.join(', ')}`);
          assert.deepEqual(missing, [], `elements without a visible focus indicator:\n  ${missing.join('\n  ')}`);
        });
      });
    }
  });

  describe('citations', () => {
    for (const [widthName, viewport] of Object.entries(WIDTHS)) {
      test(`a citation link jumps to its reference (${widthName})`, async () => {
        await withPage(viewport, async (page) => {
          await goto(page, '/articles/cramp-care/patient');
          const link = page.locator('sup.cite a').first();
          const href = await link.getAttribute('href');
          assert.match(href ?? '', /^#ref-/, `first citation links to ${href}`);
          await link.click();
          await page.waitForFunction(() => location.hash.startsWith('#ref-'));
          const hash = new URL(page.url()).hash;
          assert.equal(hash, href);
          const box = await page.evaluate((id) => {
            const el = document.getElementById(id);
            if (!el) return null;
            const r = el.getBoundingClientRect();
            return { top: r.top, bottom: r.bottom, innerHeight: window.innerHeight };
          }, decodeURIComponent(hash.slice(1)));
          assert.ok(box, `no element with id ${hash.slice(1)}`);
          assert.ok(
            box.top >= 0 && box.top < box.innerHeight && box.bottom > 0,
            `${hash} is not in the viewport: top ${box.top}, bottom ${box.bottom}, viewport height ${box.innerHeight}`,
          );
        });
      });
    }
  });

  describe('phone layout: no horizontal scroll', () => {
    for (const width of LAYOUT_WIDTHS) {
      for (const path of LAYOUT_PAGES) {
        test(`${path} at ${width}px`, async () => {
          await withPage({ width, height: 740 }, async (page) => {
            const response = await goto(page, path);
            assert.equal(response.status(), 200);
            const m = await page.evaluate(() => {
              const vw = window.innerWidth;
              const wide = [...document.body.querySelectorAll('*')]
                .filter((el) => el.getBoundingClientRect().right > vw + 0.5)
                .slice(0, 5)
                .map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(/\s+/).join('.')}` : ''} (right ${Math.round(el.getBoundingClientRect().right)})`);
              return { scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, wide };
            });
            assert.ok(
              m.scrollWidth <= m.innerWidth,
              `scrollWidth ${m.scrollWidth} > innerWidth ${m.innerWidth}; too wide: ${m.wide.join(', ')}`,
            );
          });
        });
      }
    }
  });

  describe('print', () => {
    test('an article prints with reviewers, dates and full reference links, without navigation', async () => {
      await withPage(WIDTHS.desktop, async (page) => {
        await goto(page, '/articles/cramp-care/patient');
        await page.emulateMedia({ media: 'print' });
        const result = await page.evaluate(() => {
          const shown = (selector) => {
            const el = document.querySelector(selector);
            return !!el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 0;
          };
          return {
            header: shown('.site-header'),
            form: shown('.audience-choice'),
            footer: shown('.site-footer'),
            review: shown('#review'),
            reviewers: shown('.reviewer'),
            dates: shown('.review-dates'),
            references: shown('#references'),
            printUrl: shown('.print-url'),
            printUrlText: document.querySelector('.print-url')?.textContent ?? '',
            card: shown('.care-emergency'),
            cardKind: shown('.care-emergency .care-card-kind'),
            cardKindText: document.querySelector('.care-emergency .care-card-kind')?.textContent ?? '',
            cardBorder: (() => {
              const el = document.querySelector('.care-emergency');
              return el ? getComputedStyle(el).borderTopStyle : '';
            })(),
          };
        });
        assert.equal(result.header, false, 'site header hidden in print');
        assert.equal(result.form, false, 'audience choice hidden in print');
        assert.equal(result.footer, false, 'footer hidden in print');
        assert.ok(result.review && result.reviewers && result.dates, 'review status, reviewers and dates print');
        assert.ok(result.references, 'references print');
        assert.ok(result.printUrl && /https:\/\//.test(result.printUrlText), `reference links print in full: ${result.printUrlText}`);
        assert.ok(result.card && result.cardKind, 'care cards print, with their kind written out');
        assert.equal(result.cardKindText, 'Emergency:', 'the urgency is in words, not only in colour');
        assert.equal(result.cardBorder, 'solid', 'a card keeps its border in print');
        await page.pdf({ path: `${SCREENSHOTS}cramp-care-patient-print.pdf` }).catch(() => {});
      });
    });
  });

  describe('editor area', () => {
    const bases = { editor: EDITOR_URL, fixture: EDITOR_FIXTURE_URL };
    const skipUnlessEditor = (t) => {
      if (EDITOR_URL && EDITOR_FIXTURE_URL) return false;
      t.skip('HEALTHPRESS_EDITOR_URL or HEALTHPRESS_EDITOR_FIXTURE_URL is not set');
      return true;
    };
    // Markdown for the sandbox: a section, a long sentence, a listed hard word, a table and a care card.
    const SANDBOX_TEXT = [
      '## When to get help {#when-to-get-help}',
      '',
      'Ask your physician before you stop a medicine. You can stretch your leg and then walk around the room for a short time and then sit down and rest until the pain goes away.',
      '',
      '| Dose | When |',
      '|---|---|',
      '| 10 mg | at night |',
      '',
      '> [!EMERGENCY]',
      '> Call 999 now if:',
      '>',
      '> - your leg turns cold, pale or numb',
    ].join('\n');

    /** Types into the sandbox with `fill` and waits for the page rendered from it. */
    async function fillSandbox(page, text, expected) {
      await page.locator('#sandbox-markdown').fill(text);
      await page.waitForFunction(
        (want) => document.querySelector('#sandbox-preview .article-body')?.textContent.includes(want),
        expected,
        { timeout: 10_000 },
      );
    }

    // Every editor page: no axe violations at desktop, phone and dark.
    const EDITOR_PAGES = [
      { base: 'editor', path: '/editor/' },
      { base: 'editor', path: '/editor/articles/leg-cramps' },
      { base: 'editor', path: '/editor/articles/statins-and-muscle-symptoms' },
      { base: 'editor', path: '/editor/sandbox' },
      { base: 'editor', path: '/editor/sandbox', typed: true },
      { base: 'editor', path: '/editor/reviews' },
      { base: 'fixture', path: '/editor/' },
      { base: 'fixture', path: '/editor/articles/cramp-care' },
      { base: 'fixture', path: '/editor/reviews' },
    ];
    for (const entry of EDITOR_PAGES) {
      for (const variant of AXE_VARIANTS) {
        const label = `axe: ${entry.path}${entry.typed ? ' (with text typed)' : ''} over ${entry.base === 'editor' ? 'the bundled content' : 'the fixture'} at ${variant.name}`;
        test(label, async (t) => {
          if (skipUnlessEditor(t)) return;
          await withPage(variant.viewport, async (page) => {
            const response = await page.goto(bases[entry.base] + entry.path, { waitUntil: 'load' });
            assert.equal(response?.status(), 200, `${entry.path} answered ${response?.status()}`);
            if (entry.typed) await fillSandbox(page, SANDBOX_TEXT, 'Call 999 now if');
            const results = await runAxe(page);
            const details = results.violations.map(
              (v) => `    ${v.id} [${v.impact}] ${v.help}\n${v.nodes.slice(0, 8).map((n) => `      - ${describeNode(n)}`).join('\n')}`,
            );
            const review = results.incomplete.map((v) => `${v.id} (${v.nodes.length})`);
            axeSummary.push(
              `${label}: ${results.violations.length} violation(s)${review.length ? `; to review by hand: ${review.join(', ')}` : ''}` +
                (results.violations.length ? `\n${details.join('\n')}` : ''),
            );
            assert.equal(results.violations.length, 0, `axe found ${results.violations.length} violation(s) on ${label}:\n${details.join('\n')}`);
          }, { bypassCSP: true, colorScheme: variant.colorScheme });
        });
      }
    }

    // What of the side-by-side view is cut off or out of place: every element inside its column (regions that
    // scroll sideways may hold wider content, but must fit themselves), no column scrolling sideways, no page
    // scrolling sideways; and how the columns are laid out.
    function measureSideBySide() {
      const problems = [];
      const viewport = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth > window.innerWidth) {
        problems.push(`the page scrolls sideways: scrollWidth ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
      }
      const name = (el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).trim().split(/\s+/).join('.')}` : ''}`;
      const rows = [...document.querySelectorAll('.sbs-row')];
      let scrollers = 0;
      let overflowing = 0;
      for (const row of rows) {
        const cells = [...row.querySelectorAll(':scope > .sbs-cell')];
        for (const cell of cells) {
          const box = cell.getBoundingClientRect();
          if (box.left < -0.5 || box.right > viewport + 0.5) problems.push(`a column runs off the window: ${Math.round(box.left)}..${Math.round(box.right)}`);
          if (cell.scrollWidth > cell.clientWidth + 1) problems.push(`a column scrolls sideways (${cell.scrollWidth} > ${cell.clientWidth}): ${cell.textContent.slice(0, 60)}`);
          for (const el of cell.querySelectorAll('*')) {
            const scroller = el.parentElement?.closest('.cell-table');
            if (scroller && cell.contains(scroller)) continue;
            const r = el.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;
            if (r.right > box.right + 1 || r.left < box.left - 1) {
              problems.push(`${name(el)} "${(el.textContent || '').trim().slice(0, 40)}" is cut off: ${Math.round(r.left)}..${Math.round(r.right)} outside its column ${Math.round(box.left)}..${Math.round(box.right)}`);
            }
          }
          for (const region of cell.querySelectorAll('.cell-table')) {
            scrollers += 1;
            if (region.scrollWidth > region.clientWidth + 1) overflowing += 1;
            const style = getComputedStyle(region);
            if (!['auto', 'scroll'].includes(style.overflowX)) problems.push(`a table's region does not scroll sideways (${style.overflowX})`);
          }
        }
      }
      const first = rows.find((row) => row.querySelectorAll(':scope > .sbs-cell').length > 1);
      const layout = first
        ? [...first.querySelectorAll(':scope > .sbs-cell')].map((c) => {
            const r = c.getBoundingClientRect();
            return { left: Math.round(r.left), right: Math.round(r.right), top: Math.round(r.top + window.scrollY), bottom: Math.round(r.bottom + window.scrollY) };
          })
        : [];
      return { problems: problems.slice(0, 10), rows: rows.length, scrollers, overflowing, layout, viewport };
    }

    for (const [name, viewport] of [['desktop 1280px', WIDTHS.desktop], ['phone 375px', WIDTHS.phone]]) {
      for (const slug of BUNDLED_ARTICLES) {
        test(`wordings side by side, unclipped: ${slug} at ${name}`, async (t) => {
          if (skipUnlessEditor(t)) return;
          await withPage(viewport, async (page) => {
            const response = await page.goto(`${EDITOR_URL}/editor/articles/${slug}`, { waitUntil: 'load' });
            assert.equal(response?.status(), 200);
            const m = await page.evaluate(measureSideBySide);
            assert.ok(m.rows >= 5, `only ${m.rows} rows`);
            assert.deepEqual(m.problems, [], `${slug} at ${name}:\n  ${m.problems.join('\n  ')}`);
            assert.ok(m.layout.length >= 2, 'a row with both wordings');
            const [a, b] = m.layout;
            if (name.startsWith('desktop')) {
              // Side by side, each wording in at least a third of the window.
              assert.ok(a.right <= b.left && a.top === b.top, `the wordings are not side by side: ${JSON.stringify(m.layout)}`);
              for (const c of m.layout) assert.ok(c.right - c.left >= m.viewport / 3, `a column is only ${c.right - c.left}px wide`);
            } else {
              // One column: the wordings one under the other, each the width of the window less its margins.
              assert.ok(b.top >= a.bottom, `the wordings are not one under the other: ${JSON.stringify(m.layout)}`);
              for (const c of m.layout) assert.ok(c.right - c.left >= m.viewport - 48, `a column is only ${c.right - c.left}px wide`);
            }
            if (slug === 'statins-and-muscle-symptoms') assert.ok(m.scrollers >= 2, `the tables are not in regions that scroll: ${m.scrollers}`);
          });
        });
      }

      test(`section headings stay in view while scrolling (${name})`, async (t) => {
        if (skipUnlessEditor(t)) return;
        await withPage(viewport, async (page) => {
          await page.goto(`${EDITOR_URL}/editor/articles/leg-cramps`, { waitUntil: 'load' });
          // The tallest column of the view: scroll a third of the way into it.
          const target = await page.evaluate(() => {
            const cells = [...document.querySelectorAll('.sbs-cell')].filter((c) => c.querySelector('.sbs-heading'));
            let best = 0;
            cells.forEach((c, i) => { if (c.offsetHeight > cells[best].offsetHeight) best = i; });
            const cell = cells[best];
            cell.dataset.probe = 'tallest';
            const top = cell.getBoundingClientRect().top + window.scrollY;
            return { top, height: cell.offsetHeight };
          });
          assert.ok(target.height > 400, `the tallest section is only ${target.height}px`);
          const into = Math.min(Math.round(target.height / 3), 600);
          await page.evaluate((y) => window.scrollTo(0, y), target.top + into);
          const m = await page.evaluate(() => {
            const cell = document.querySelector('[data-probe="tallest"]');
            const heading = cell.querySelector('.sbs-heading').getBoundingClientRect();
            const row = cell.closest('.sbs-row');
            const bar = cell.closest('.sbs').querySelector('.sbs-columns');
            const barBox = bar && getComputedStyle(bar).display !== 'none' ? bar.getBoundingClientRect() : null;
            const others = [...row.querySelectorAll('.sbs-heading')].map((h) => {
              const r = h.getBoundingClientRect();
              return { top: Math.round(r.top), bottom: Math.round(r.bottom) };
            });
            return {
              cellTop: Math.round(cell.getBoundingClientRect().top),
              heading: { top: Math.round(heading.top), bottom: Math.round(heading.bottom) },
              bar: barBox ? { top: Math.round(barBox.top), bottom: Math.round(barBox.bottom) } : null,
              others,
              height: window.innerHeight,
            };
          });
          assert.ok(m.cellTop < -100, `the section was not scrolled into: its top is at ${m.cellTop}`);
          const floor = m.bar ? m.bar.bottom - 1 : -1;
          for (const h of name.startsWith('desktop') ? m.others : [m.heading]) {
            assert.ok(h.top >= floor && h.bottom <= m.height, `a section heading is out of view while its section is read: ${JSON.stringify(m)}`);
          }
          if (m.bar) assert.ok(m.bar.top >= 0 && m.bar.top <= 1, `the wordings' names are out of view: ${JSON.stringify(m)}`);
          await page.screenshot({ path: `${SCREENSHOTS}editor-side-by-side-scrolled-${viewport.width}.png` });
        });
      });

      test(`the live sandbox renders as the editor types (${name})`, async (t) => {
        if (skipUnlessEditor(t)) return;
        await withPage(viewport, async (page) => {
          const errors = [];
          page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
          page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
          const posts = [];
          page.on('request', (r) => { if (r.method() === 'POST') posts.push(r.url()); });
          await page.goto(`${EDITOR_URL}/editor/sandbox`, { waitUntil: 'load' });
          await page.evaluate(() => { window.sameDocument = true; });
          const source = page.locator('#sandbox-markdown');
          await source.pressSequentially('## Ask first {#ask}\n\nAsk your physician.', { delay: 20 });
          await page.waitForSelector('#sandbox-preview .article-body h2#ask', { timeout: 10_000 });
          await page.waitForFunction(
            () => [...document.querySelectorAll('#sandbox-coaching .coach-word')].some((e) => e.textContent === 'physician'),
            null,
            { timeout: 10_000 },
          );
          assert.equal(await page.evaluate(() => window.sameDocument), true, 'the page was not loaded again');
          assert.equal(pathOf(page), '/editor/sandbox');
          assert.ok(posts.length >= 1 && posts.length <= 4, `typing 40 characters sent ${posts.length} renders (debounced: a few at most)`);
          // Typing more renders again; the editor keeps typing where they were.
          await source.pressSequentially(' It helps.', { delay: 20 });
          await page.waitForFunction(
            () => document.querySelector('#sandbox-preview .article-body')?.textContent.includes('It helps.'),
            null,
            { timeout: 10_000 },
          );
          assert.equal(await page.evaluate(() => document.activeElement?.id), 'sandbox-markdown');
          assert.equal(await source.inputValue(), '## Ask first {#ask}\n\nAsk your physician. It helps.');
          // The coaching above; the Markdown and the page beside each other on a wide screen, one under the other on
          // a phone.
          const box = async (selector) => page.locator(selector).boundingBox();
          const [coaching, text, preview] = [await box('#sandbox-coaching'), await box('#sandbox-markdown'), await box('#sandbox-preview')];
          assert.ok(coaching.y + coaching.height <= text.y, 'the coaching is above the Markdown');
          if (name.startsWith('desktop')) {
            assert.ok(text.x + text.width <= preview.x && Math.abs(text.y - preview.y) < 80, `the Markdown is not left of the page: ${JSON.stringify({ text, preview })}`);
          } else {
            assert.ok(preview.y >= text.y + text.height, 'the page is under the Markdown');
          }
          assert.deepEqual(errors, []);
          await fillSandbox(page, SANDBOX_TEXT, 'Call 999 now if');
          await page.screenshot({ path: `${SCREENSHOTS}editor-sandbox-${viewport.width}.png`, fullPage: true });
        });
      });

      test(`the sandbox's Render button works without JavaScript (${name})`, async (t) => {
        if (skipUnlessEditor(t)) return;
        await withPage(viewport, async (page) => {
          await page.goto(`${EDITOR_URL}/editor/sandbox`, { waitUntil: 'load' });
          await page.locator('#sandbox-markdown').fill(SANDBOX_TEXT);
          await Promise.all([
            page.waitForNavigation({ waitUntil: 'load' }),
            page.getByRole('button', { name: 'Render' }).click(),
          ]);
          assert.equal(pathOf(page), '/editor/sandbox');
          assert.equal(await page.locator('#sandbox-preview .article-body h2#when-to-get-help').count(), 1, 'the page is rendered');
          assert.equal(await page.locator('#sandbox-preview .care-emergency').count(), 1, 'with its care card');
          assert.ok((await page.locator('#sandbox-coaching mark').count()) >= 1, 'the long sentence is marked');
          assert.equal(await page.locator('#sandbox-coaching .coach-word').first().textContent(), 'physician');
          assert.equal(await page.locator('#sandbox-markdown').inputValue(), SANDBOX_TEXT, 'the text is kept');
        }, { javaScriptEnabled: false });
      });
    }

    test('the review queue lists the pending article with its reviewer and due date', async (t) => {
      if (skipUnlessEditor(t)) return;
      await withPage(WIDTHS.desktop, async (page) => {
        await page.goto(`${EDITOR_FIXTURE_URL}/editor/reviews`, { waitUntil: 'load' });
        const row = page.locator('tr', { has: page.locator('a[href="/editor/articles/pending-topic"]') });
        assert.match(await row.textContent(), /Under review[\s\S]*Sam Checker[\s\S]*Overdue: 1 September 2025/);
        assert.equal(await page.locator('a[href="/editor/articles/secret-draft"]').count(), 0, 'drafts are left out');
        await page.getByLabel('Show the reviews of').selectOption('rev-one');
        await Promise.all([page.waitForURL(/reviewer=rev-one/), page.getByRole('button', { name: 'Show' }).click()]);
        assert.match(await page.locator('main').textContent(), /Nothing is waiting for Dr Ada Reviewer/);
      });
    });

    describe('screenshots of the editor area', () => {
      const shots = [
        { name: 'editor-dashboard-1280', base: 'editor', path: '/editor/', viewport: WIDTHS.desktop },
        { name: 'editor-article-leg-cramps-1280', base: 'editor', path: '/editor/articles/leg-cramps', viewport: WIDTHS.desktop },
        { name: 'editor-article-leg-cramps-375', base: 'editor', path: '/editor/articles/leg-cramps', viewport: WIDTHS.phone },
        { name: 'editor-article-statins-1280-dark', base: 'editor', path: '/editor/articles/statins-and-muscle-symptoms', viewport: WIDTHS.desktop, colorScheme: 'dark' },
        { name: 'editor-coaching-leg-cramps-1280', base: 'editor', path: '/editor/articles/leg-cramps', viewport: WIDTHS.desktop, at: '#coach-patient' },
        { name: 'editor-reviews-1280', base: 'fixture', path: '/editor/reviews', viewport: WIDTHS.desktop },
        { name: 'editor-reviews-375', base: 'fixture', path: '/editor/reviews', viewport: WIDTHS.phone },
      ];
      for (const shot of shots) {
        test(shot.name, async (t) => {
          if (skipUnlessEditor(t)) return;
          await withPage(shot.viewport, async (page) => {
            await page.goto(bases[shot.base] + shot.path, { waitUntil: 'load' });
            if (shot.at) await page.locator(shot.at).scrollIntoViewIfNeeded();
            if (shot.at) await page.evaluate((s) => document.querySelector(s).scrollIntoView(), shot.at);
            await page.screenshot({ path: `${SCREENSHOTS}${shot.name}.png` });
          }, { colorScheme: shot.colorScheme ?? 'light' });
        });
      }
    });
  });

  describe('screenshots', () => {
    const shots = [
      { name: 'phone-375', viewport: WIDTHS.phone, colorScheme: 'light' },
      { name: 'desktop-1280', viewport: WIDTHS.desktop, colorScheme: 'light' },
      { name: 'desktop-1280-dark', viewport: WIDTHS.desktop, colorScheme: 'dark' },
    ];
    for (const shot of shots) {
      test(`/articles/cramp-care/patient at ${shot.name}`, async () => {
        await withPage(shot.viewport, async (page) => {
          await goto(page, '/articles/cramp-care/patient');
          const path = `${SCREENSHOTS}cramp-care-patient-${shot.name}.png`;
          await page.screenshot({ path, fullPage: true });
          console.log(`saved ${path}`);
        }, { colorScheme: shot.colorScheme });
      });
    }
  });
});
