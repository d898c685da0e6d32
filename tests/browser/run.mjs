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
// scroll on phones; the feedback form without JavaScript; full-page screenshots into tests/browser/screenshots/.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

const BASE_URL = (process.env.HEALTHPRESS_URL ?? '').replace(/\/+$/, '');
// A second server over the bundled articles (content/), for the first-screen checks; skipped when unset.
const BUNDLED_URL = (process.env.HEALTHPRESS_BUNDLED_URL ?? '').replace(/\/+$/, '');
const BUNDLED_ARTICLES = ['leg-cramps', 'pad-claudication', 'quinine-for-leg-cramps', 'statins-and-muscle-symptoms'];
const CHROMIUM = process.env.HEALTHPRESS_CHROMIUM || '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

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

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

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

function describeNode(node) {
  return `${node.target.join(' ')}${node.failureSummary ? ` (${node.failureSummary.replace(/\s+/g, ' ').trim()})` : ''}`;
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
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
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
            await page.addScriptTag({ content: AXE_SOURCE });
            const results = await page.evaluate(
              (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'incomplete'] }),
              AXE_TAGS,
            );
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
