// People's paths through healthpress, walked in Chromium as each person would: typing, clicking and the keyboard,
// with JavaScript on and, where a page must work without it, off. They run against `healthpress serve --editors FILE
// --watch` over a copy of the bundled content, with real sign-in (never `preview`, which has no login):
//
//   HEALTHPRESS_JOURNEY_URL=http://127.0.0.1:8080 HEALTHPRESS_JOURNEY_EDITOR=alice HEALTHPRESS_JOURNEY_REVIEWER=okafor \
//   HEALTHPRESS_JOURNEY_SECOND_REVIEWER=raman HEALTHPRESS_JOURNEY_PASSWORD=... node --test-reporter=spec tests/browser/journeys.mjs
//
// `cargo test --test browser` starts that server and runs this file after run.mjs. Every journey ends with axe-core
// (0 violations) and keeps a screenshot of each step in tests/browser/screenshots/journey-*.png. Every response is
// watched for `WWW-Authenticate`, which makes a browser raise its own password dialog over the page.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeNode, launchChromium, runAxe } from './common.mjs';

const URL_BASE = (process.env.HEALTHPRESS_JOURNEY_URL ?? '').replace(/\/+$/, '');
const EDITOR = process.env.HEALTHPRESS_JOURNEY_EDITOR ?? '';
const REVIEWER = process.env.HEALTHPRESS_JOURNEY_REVIEWER ?? '';
const SECOND_REVIEWER = process.env.HEALTHPRESS_JOURNEY_SECOND_REVIEWER ?? '';
const PASSWORD = process.env.HEALTHPRESS_JOURNEY_PASSWORD ?? '';
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 900 };

if (!URL_BASE || !EDITOR || !REVIEWER || !SECOND_REVIEWER || !PASSWORD) {
  console.error('set HEALTHPRESS_JOURNEY_URL, HEALTHPRESS_JOURNEY_EDITOR, HEALTHPRESS_JOURNEY_REVIEWER, HEALTHPRESS_JOURNEY_SECOND_REVIEWER and HEALTHPRESS_JOURNEY_PASSWORD');
  process.exit(2);
}

let browser;
before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

/**
 * A person's browser: a fresh context at `viewport`, JavaScript on or off. Every response that would raise the
 * browser's own password dialog is recorded in `challenged`.
 */
async function person(name, viewport, { javaScript = true } = {}) {
  // bypassCSP lets axe be injected at the end; the site's own scripts run as they do for readers.
  const context = await browser.newContext({ viewport, javaScriptEnabled: javaScript, bypassCSP: true });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(15_000);
  const page = await context.newPage();
  const challenged = [];
  page.on('response', (response) => {
    if (response.headers()['www-authenticate']) challenged.push(`${response.status()} ${response.url()}`);
  });
  let step = 0;
  const shot = async (what) => {
    step += 1;
    await page.screenshot({
      path: `${SCREENSHOTS}journey-${name}${javaScript ? '' : '-nojs'}-${String(step).padStart(2, '0')}-${what}.png`,
      fullPage: false,
    });
  };
  const done = async () => {
    assert.deepEqual(challenged, [], 'no response asked the browser for a password');
    // axe is a script: without JavaScript, the last page is opened again, with the same cookies, to check it.
    let checked = page;
    if (!javaScript) {
      const withScript = await browser.newContext({ viewport, bypassCSP: true, storageState: await context.storageState() });
      checked = await withScript.newPage();
      await checked.goto(page.url(), { waitUntil: 'load' });
    }
    const results = await runAxe(checked);
    const details = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map(describeNode).join('; ')})`);
    assert.equal(results.violations.length, 0, `axe on ${page.url()}:\n${details.join('\n')}`);
    if (checked !== page) await checked.context().close();
    await context.close();
  };
  return { page, shot, done, challenged, context };
}

const go = (page, path) => page.goto(`${URL_BASE}${path}`, { waitUntil: 'load' });
const pathOf = (page) => new URL(page.url()).pathname;

/** Signs in through the form as a person does: types the name and password, presses the button. */
async function signIn(page, name, password = PASSWORD) {
  await go(page, '/editor/');
  assert.equal(pathOf(page), '/editor/login', 'a browser without a session is sent to the sign-in form');
  await page.getByLabel('Name').fill('');
  await page.getByLabel('Name').pressSequentially(name);
  await page.getByLabel('Password').pressSequentially(password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Sign in' }).click()]);
}

async function signOut(page) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.getByRole('button', { name: /^Sign out/ }).click(),
  ]);
  await go(page, '/editor/');
  assert.equal(pathOf(page), '/editor/login', 'signed out, the editor area asks to sign in again');
}

describe('an editor', () => {
  for (const javaScript of [true, false]) {
    test(`signs in, reads the dashboard, an article's diff and side by side, the sandbox, and signs out (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const { page, shot, done } = await person('editor', DESKTOP, { javaScript });
      // A wrong password: the form again, with a clear message.
      await signIn(page, EDITOR, 'not the password');
      assert.equal(pathOf(page), '/editor/login');
      assert.match(await page.getByRole('alert').innerText(), /That name and password do not match/);
      await shot('wrong-password');
      await signIn(page, EDITOR);
      assert.equal(pathOf(page), '/editor/', 'signed in, on the dashboard');
      assert.match(await page.locator('main h1').innerText(), /./);
      await shot('dashboard');

      // An article the sample reviewers approved, as its editor page shows it: approval, wordings side by side.
      await page.getByRole('link', { name: /Leg cramps/ }).first().click();
      await page.waitForLoadState('load');
      assert.equal(pathOf(page), '/editor/articles/leg-cramps');
      assert.match(await page.locator('#approval').innerText(), /changed since approval/);
      const added = await page.locator('#approval ins').allInnerTexts();
      assert.match(added.join(''), /An\s*edit\s*waiting\s*for\s*review/, 'the diff marks the edit as added');
      assert.ok(await page.locator('.side-by-side, table').first().isVisible(), 'the wordings side by side');
      await shot('article');

      // The sandbox: with JavaScript the preview follows the typing; without it the Render button posts the form.
      await go(page, '/editor/sandbox');
      const sandbox = page.locator('#sandbox-markdown');
      await sandbox.fill('');
      await sandbox.pressSequentially('## Typed in a journey\n\nStretch your calf gently.', { delay: 5 });
      if (!javaScript) await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Render' }).click()]);
      await page.waitForFunction(
        () => document.querySelector('#sandbox-preview')?.textContent.includes('Typed in a journey'),
        null,
        { timeout: 10_000 },
      );
      await shot('sandbox');
      await signOut(page);
      await done();
    });
  }
});

describe('a reviewer', () => {
  test('signs in, finds the articles assigned to them, approves one with a note, sees the public page change, signs out', async () => {
    const { page, shot, done } = await person('reviewer', DESKTOP);
    await signIn(page, REVIEWER);
    await go(page, '/editor/reviews');
    const queue = page.locator('main');
    // The bundled PAD article says "Being reviewed by" this reviewer: it is in their queue.
    assert.match(await queue.innerText(), /Peripheral|PAD|claudication/i, 'the assigned article is in the queue');
    await shot('queue');
    await page.locator('main a[href="/editor/articles/pad-claudication"]').first().click();
    await page.waitForLoadState('load');
    const public0 = await (await fetch(`${URL_BASE}/articles/pad-claudication/patient`)).text();
    assert.doesNotMatch(public0, /review-status">Approved/);
    await page.getByLabel(/What changed, for readers/).pressSequentially('Checked in a journey: first sample approval.');
    await shot('approve-note');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: /^Approve these files/ }).click()]);
    assert.equal(pathOf(page), '/editor/articles/pad-claudication');
    // The watcher sees the approved copy written (a reload that finds nothing new): let it settle.
    await page.waitForTimeout(1500);
    await page.waitForLoadState('load');
    assert.match(await page.locator('#approval').innerText(), /the working files are the same/);
    await shot('approved');
    // The public page changes at once (the server watches the content folder).
    const reader = await browser.newPage();
    await reader.goto(`${URL_BASE}/articles/pad-claudication/patient`);
    assert.match(await reader.locator('.review-status').innerText(), /Approved \(sample approval by fictional reviewers\)/);
    assert.match(await reader.locator('#changes').innerText(), /Checked in a journey/);
    await reader.close();
    await signOut(page);
    await done();
  });

  test('sends an article back with a note, without JavaScript; readers see no change', async () => {
    const { page, shot, done } = await person('reviewer-send-back', DESKTOP, { javaScript: false });
    await signIn(page, REVIEWER);
    await go(page, '/editor/articles/statins-and-muscle-symptoms');
    const note = 'Journey: the stop rule needs its source beside it.';
    await page.getByLabel(/What needs changing, for the editors/).pressSequentially(note);
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('button', { name: 'Send back with these changes' }).click(),
    ]);
    assert.equal(pathOf(page), '/editor/articles/statins-and-muscle-symptoms');
    assert.match(await page.locator('.status-banner').innerText(), /Changes requested/);
    assert.match(await page.locator('#approval').innerText(), new RegExp(`Changes requested\\. .*${note}`));
    await shot('sent-back');
    await go(page, '/editor/reviews?reviewer=');
    assert.match(await page.locator('main').innerText(), /Changes requested/);
    const reader = await (await fetch(`${URL_BASE}/articles/statins-and-muscle-symptoms/patient`)).text();
    assert.doesNotMatch(reader, /stop rule needs its source/);
    await signOut(page);
    await done();
  });
});

describe('two reviewers', () => {
  test('the first approval publishes nothing; a second reviewer, without JavaScript, publishes it naming both', async () => {
    const slug = 'quinine-for-leg-cramps';
    const publicText = async () => (await fetch(`${URL_BASE}/articles/${slug}/patient`)).text();
    const first = await person('first-reviewer', DESKTOP);
    await signIn(first.page, REVIEWER);
    await go(first.page, `/editor/articles/${slug}`);
    await first.page.getByLabel(/What changed, for readers/).pressSequentially('Journey: a line for two reviewers.');
    await first.shot('first-approval-note');
    await Promise.all([
      first.page.waitForNavigation({ waitUntil: 'load' }),
      first.page.getByRole('button', { name: /^Give the first approval as Dr Amara Okafor/ }).click(),
    ]);
    await first.page.waitForTimeout(1500);
    await go(first.page, `/editor/articles/${slug}`);
    assert.match(await first.page.locator('.status-banner').innerText(), /Awaiting a second reviewer/);
    assert.match(await first.page.locator('#approval').innerText(), /You gave the first approval of this text/);
    assert.equal(await first.page.locator('.approve-form').count(), 0, 'no second Approve for the same reviewer');
    assert.doesNotMatch(await publicText(), /An edit for two reviewers/, 'one approval publishes nothing');
    await first.shot('awaiting-second');
    await signOut(first.page);
    await first.done();

    const second = await person('second-reviewer', DESKTOP, { javaScript: false });
    await signIn(second.page, SECOND_REVIEWER);
    await go(second.page, '/editor/reviews');
    assert.match(await second.page.locator('main').innerText(), /Awaiting a second reviewer/, 'in the second reviewer\'s queue');
    await second.page.locator(`main a[href="/editor/articles/${slug}"]`).first().click();
    await second.page.waitForLoadState('load');
    await second.shot('second-reviewer-page');
    await Promise.all([
      second.page.waitForNavigation({ waitUntil: 'load' }),
      second.page.getByRole('button', { name: /^Give the second approval as Priya Raman/ }).click(),
    ]);
    await second.page.waitForTimeout(1500);
    const reader = await publicText();
    assert.match(reader, /An edit for two reviewers/, 'the second approval publishes');
    assert.match(reader, /Journey: a line for two reviewers/, 'with the first reviewer\'s note');
    assert.match(reader, /Dr Amara Okafor/);
    assert.match(reader, /Priya Raman/);
    await signOut(second.page);
    await second.done();
  });
});

describe('an expert fact checker', () => {
  test('reads a draft through a link an editor made, comments without an account, and the editor reads it', async () => {
    const slug = 'statins-and-muscle-symptoms';
    const editor = await person('fact-check-editor', DESKTOP);
    await signIn(editor.page, EDITOR);
    await go(editor.page, `/editor/articles/${slug}`);
    await editor.page.getByLabel(/Days the link works/).fill('3');
    await Promise.all([
      editor.page.waitForNavigation({ waitUntil: 'load' }),
      editor.page.getByRole('button', { name: 'Make a fact-check link' }).click(),
    ]);
    const link = await editor.page.getByLabel('Link', { exact: true }).inputValue();
    assert.match(link, /\/fact-check\/[0-9a-f]{32}\.[0-9a-f]{64}$/);
    await editor.shot('link-made');
    await signOut(editor.page);
    await editor.done();

    for (const javaScript of [true, false]) {
      const expert = await person(`fact-checker${javaScript ? '' : '-nojs'}`, PHONE, { javaScript });
      const path = new URL(link).pathname;
      await go(expert.page, path);
      assert.match(await expert.page.locator('.status-banner').innerText(), /Draft for fact check, not for patients/);
      assert.equal(await expert.page.locator('meta[name="robots"]').getAttribute('content'), 'noindex, nofollow');
      await expert.shot('draft');
      await Promise.all([
        expert.page.waitForNavigation({ waitUntil: 'load' }),
        expert.page.getByRole('link', { name: 'Healthcare professional' }).click(),
      ]);
      assert.match(await expert.page.locator('#wording-heading').innerText(), /Healthcare professional/);
      const comment = `Journey fact check ${javaScript ? 'with' : 'without'} JavaScript: cite the CK threshold.`;
      await expert.page.getByLabel('Your name and role (optional)').pressSequentially('Dr Journey, clinical pharmacist');
      await expert.page.getByLabel(/What is wrong, missing or unclear/).pressSequentially(comment);
      await Promise.all([
        expert.page.waitForNavigation({ waitUntil: 'load' }),
        expert.page.getByRole('button', { name: 'Send to the editors' }).click(),
      ]);
      assert.match(await expert.page.getByRole('status').last().innerText(), /your comment has reached the editors/);
      await expert.shot('comment-sent');
      // The link opens nothing else.
      await go(expert.page, '/editor/');
      assert.equal(pathOf(expert.page), '/editor/login');
      await expert.done();
    }

    const back = await person('fact-check-editor-reads', DESKTOP);
    await signIn(back.page, EDITOR);
    await go(back.page, `/editor/articles/${slug}`);
    const panel = await back.page.locator('#fact-check').innerText();
    assert.match(panel, /Dr Journey, clinical pharmacist/);
    assert.match(panel, /with JavaScript: cite the CK threshold/);
    assert.match(panel, /without JavaScript: cite the CK threshold/);
    // Withdrawn, the link answers 410.
    await Promise.all([
      back.page.waitForNavigation({ waitUntil: 'load' }),
      back.page.getByRole('button', { name: /^Withdraw the link made/ }).first().click(),
    ]);
    assert.equal((await fetch(link.replace(/^https?:\/\/[^/]+/, URL_BASE))).status, 410);
    await back.shot('withdrawn');
    await signOut(back.page);
    await back.done();
  });
});

describe('a patient on a phone', () => {
  for (const javaScript of [true, false]) {
    test(`chooses a wording, reads an article, asks a follow-up question and sends feedback (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const { page, shot, done } = await person('patient', PHONE, { javaScript });
      await go(page, '/');
      await shot('home');
      // Choosing a wording on the home page shows the choice there.
      await page.getByLabel('Which best describes you?').selectOption('professional');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Show' }).click()]);
      assert.equal(new URL(page.url()).search, '?audience=professional');
      assert.equal(await page.getByLabel('Which best describes you?').inputValue(), 'professional');
      await page.getByLabel('Which best describes you?').selectOption('patient');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Show' }).click()]);
      assert.equal(await page.getByLabel('Which best describes you?').inputValue(), 'patient');
      await page.getByRole('link', { name: 'Leg cramps', exact: true }).click();
      await page.waitForLoadState('load');
      assert.equal(pathOf(page), '/articles/leg-cramps/patient');
      await shot('article');
      // Deep in the article: the care card is a heading a screen reader can jump to.
      const card = page.locator('.care-card-heading').first();
      await card.scrollIntoViewIfNeeded();
      assert.match(await card.evaluate((el) => el.tagName), /^H[2-6]$/);
      await shot('care-card');
      // A follow-up question in their own words, answered from the sample-approved text.
      const ask = page.getByLabel('Have a follow-up question?');
      await ask.scrollIntoViewIfNeeded();
      await ask.pressSequentially('how can I stop leg cramps coming back');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), ask.press('Enter')]);
      assert.equal(pathOf(page), '/ask');
      const firstAnswer = page.locator('.answer h3 a').first();
      assert.equal(new URL(await firstAnswer.getAttribute('href'), URL_BASE).pathname, '/articles/leg-cramps/patient');
      assert.match(await page.locator('.answers-caution').innerText(), /fictional reviewers/);
      await shot('answers');
      await firstAnswer.click();
      await page.waitForLoadState('load');
      // Feedback.
      await page.getByLabel('Yes').check();
      await page.getByLabel(/What was missing or unclear/).pressSequentially('Clear, thank you.');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Send feedback' }).click()]);
      assert.equal(new URL(page.url()).hash, '#feedback-thanks');
      assert.ok(await page.locator('#feedback-thanks').isVisible(), 'the thank-you shows');
      assert.ok(!(await page.locator('#feedback form').isVisible()), 'in place of the form, not above an empty one');
      await shot('feedback-sent');
      // Deep in the article, the reader switches wording there and lands at the same section, not the top.
      await page.locator('#prevention').scrollIntoViewIfNeeded();
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.locator('#prevention + form.section-switch button').click(),
      ]);
      assert.equal(pathOf(page), '/articles/leg-cramps/professional');
      assert.equal(new URL(page.url()).hash, '#prevention');
      const top = await page.locator('#prevention').evaluate((el) => el.getBoundingClientRect().top);
      assert.ok(top > -5 && top < 200, `the section is at the top of the screen (${top}px)`);
      assert.ok((await page.evaluate(() => window.scrollY)) > 400, 'the page did not open at its top');
      await shot('switched-at-section');
      // Search in their own words.
      await go(page, '/');
      const search = page.getByRole('searchbox').first();
      await search.pressSequentially('charley horse');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), search.press('Enter')]);
      assert.equal(pathOf(page), '/search');
      assert.ok(await page.locator('main a[href^="/articles/leg-cramps/"]').first().isVisible(), 'leg cramps is found');
      assert.match(await page.locator('main').innerText(), /also searched for/i);
      await shot('search');
      await done();
    });
  }
});

describe('a Spanish-speaking patient on a phone', () => {
  for (const javaScript of [true, false]) {
    test(`switches to Spanish, reads the article, asks, searches and sends feedback in Spanish (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const { page, shot, done } = await person('spanish-patient', PHONE, { javaScript });
      await go(page, '/articles/leg-cramps/patient');
      // The language link, in the language's own name, leads to the same page in Spanish.
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.getByRole('link', { name: 'Español', exact: true }).click(),
      ]);
      assert.equal(pathOf(page), '/es/articles/leg-cramps/patient');
      assert.equal(await page.locator('html').getAttribute('lang'), 'es');
      assert.equal((await page.locator('h1').innerText()).trim(), 'Calambres en las piernas');
      assert.match(await page.locator('.translation-notice').innerText(), /traducción de muestra/);
      await shot('article');
      // The safety-net is there, in Spanish, as a heading a screen reader can jump to.
      const emergency = page.locator('.care-emergency .care-card-heading').first();
      await emergency.scrollIntoViewIfNeeded();
      assert.match(await emergency.innerText(), /emergencia/i);
      await shot('emergency-card');
      // "Which best describes you?" in Spanish: the professional wording, in Spanish too; the choice is
      // independent of the language.
      await page.getByLabel('¿Qué le describe mejor?').selectOption('professional');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Mostrar' }).click()]);
      assert.equal(pathOf(page), '/es/articles/leg-cramps/professional');
      assert.equal(await page.locator('html').getAttribute('lang'), 'es');
      assert.match(await page.locator('h1').innerText(), /profesionales de la salud/);
      assert.equal(await page.locator('.article-body').getAttribute('lang'), null, 'written in Spanish');
      await shot('professional');
      // A page not yet translated is offered in English, marked as English, with a notice in Spanish.
      await go(page, '/es/articles/statins-and-muscle-symptoms/patient');
      assert.equal(await page.locator('html').getAttribute('lang'), 'es');
      assert.match(await page.locator('main').innerText(), /aún no está traducida al español/);
      assert.equal(await page.locator('.article-body').getAttribute('lang'), 'en');
      await shot('not-translated');
      await go(page, '/es/articles/leg-cramps/professional');
      await page.getByLabel('¿Qué le describe mejor?').selectOption('patient');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Mostrar' }).click()]);
      assert.equal(pathOf(page), '/es/articles/leg-cramps/patient');
      // A follow-up question in their own words, answered from the Spanish text.
      const ask = page.getByLabel('¿Tiene otra pregunta?');
      await ask.scrollIntoViewIfNeeded();
      await ask.pressSequentially('cómo evito los calambres de noche');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), ask.press('Enter')]);
      assert.equal(pathOf(page), '/es/ask');
      const firstAnswer = page.locator('.answer h3 a').first();
      assert.equal(new URL(await firstAnswer.getAttribute('href'), URL_BASE).pathname, '/es/articles/leg-cramps/patient');
      assert.match(await page.locator('.answers-caution').innerText(), /revisores ficticios/);
      await shot('answers');
      await firstAnswer.click();
      await page.waitForLoadState('load');
      // Feedback, back on the Spanish page with the thank-you.
      await page.getByLabel('Sí', { exact: true }).check();
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Enviar opinión' }).click()]);
      assert.equal(pathOf(page), '/es/articles/leg-cramps/patient');
      assert.equal(new URL(page.url()).hash, '#feedback-thanks');
      assert.ok(await page.locator('#feedback-thanks').isVisible(), 'the thank-you shows');
      await shot('feedback-sent');
      // Search in Spanish: "calambre" finds the page about "calambres".
      const search = page.getByRole('searchbox').first();
      await search.pressSequentially('calambre');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), search.press('Enter')]);
      assert.equal(pathOf(page), '/es/search');
      assert.ok(await page.locator('main a[href="/es/articles/leg-cramps/patient"]').first().isVisible(), 'leg cramps is found');
      await shot('search');
      // And back to English from the header.
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.getByRole('link', { name: 'English', exact: true }).click(),
      ]);
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      await done();
    });
  }
});

describe('a clinician at 1280 px', () => {
  test('reads the professional wording, follows a citation to its reference and back, and finds the change feed', async () => {
    const { page, shot, done } = await person('clinician', DESKTOP);
    await go(page, '/articles/quinine-for-leg-cramps/professional');
    assert.match(await page.locator('.review-status').innerText(), /sample approval/);
    const cite = page.locator('.article-body sup.cite a').first();
    const target = await cite.getAttribute('href');
    await cite.click();
    assert.equal(new URL(page.url()).hash, target.slice(target.indexOf('#')));
    assert.ok(await page.locator(target.slice(target.indexOf('#'))).isVisible(), 'the reference is in view');
    await shot('reference');
    await page.goBack();
    await shot('back');
    const feed = await page.locator('link[rel="alternate"][type="application/atom+xml"]').getAttribute('href');
    const atom = await (await fetch(new URL(feed, URL_BASE))).text();
    assert.match(atom, /fictional sample reviewer/);
    // Evidence grades beside the citations, in words, with their key under the references.
    assert.match(await page.locator('.article-body .grade').first().innerText(), /GRADE: low certainty/);
    assert.match(await page.locator('.grade-key').innerText(), /how certain the evidence is/);
    // The review box and the footer lead to the review board, which says its reviewers are fictional.
    assert.equal(await page.locator('#review a[href="/reviewers"]').count(), 1, 'the review box links to the board');
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.locator('footer').getByRole('link', { name: 'Our reviewers' }).click(),
    ]);
    assert.equal(pathOf(page), '/reviewers');
    assert.match(await page.locator('main').innerText(), /The reviewers below are fictional/);
    assert.match(await page.locator('main').innerText(), /Declared interests\s+None declared/);
    await shot('review-board');
    await done();
  });
});
