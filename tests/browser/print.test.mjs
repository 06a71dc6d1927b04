// A printed entry, measured in the PDF Chromium makes of it (A4) and in its print layout: how
// many pages it takes, which page each step's title and first code block land on, that no frame
// is split so that a piece of it stands empty at the foot of a page, that no page but the last
// is left mostly blank, and that paper stays white in either colour scheme.
// The PDF is read with pdfjs-dist: its text, page by page, with positions.
// Run from the repository root after `cargo build`: node --test tests/browser/print.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { assertNoErrors, builtSite, launch, newPage, repoRoot, serveDir } from './harness.mjs';

const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');

const FIXTURE = path.join(repoRoot, 'tests/fixtures/entry-page');
// The width of an A4 sheet less the theme's @page margins (21 cm - 2 × 1.2 cm), in CSS px:
// the print layout measured in the page is the one the PDF is made of.
const PRINT_WIDTH = Math.round(((21 - 2 * 1.2) / 2.54) * 96);
// A4 less the top and bottom margins (29.7 cm - 2 × 1 cm), in CSS px.
const PRINT_HEIGHT = Math.round(((29.7 - 2 * 1) / 2.54) * 96);

let demo;
let fixture;
let browser;

before(async () => {
  const [demoOut, fixtureOut] = await Promise.all([builtSite(), builtSite({ root: FIXTURE })]);
  demo = await serveDir(demoOut);
  fixture = await serveDir(fixtureOut, { prefix: '/kb/' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await demo?.close();
  await fixture?.close();
});

/** Text as compared between the page and the PDF: no white space, compatibility forms folded. */
const squash = (text) => text.normalize('NFKC').replace(/\s+/g, '');

/** The number of page objects in a PDF file, read from the file itself. */
function pageObjects(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
}

/**
 * The pages of a PDF: each page's text (squashed) and how far down its lowest line of text
 * reaches, as a fraction of the sheet's height.
 */
async function readPdf(pdf) {
  const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0, isEvalSupported: false }).promise;
  const pages = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const [, , , height] = page.view;
    const { items } = await page.getTextContent();
    const shown = items.filter((item) => item.str.trim() !== '');
    const lowest = Math.min(...shown.map((item) => item.transform[5]));
    pages.push({ text: squash(shown.map((item) => item.str).join('')), reach: (height - lowest) / height });
  }
  await doc.destroy();
  return pages;
}

/**
 * What the print layout shows, in document order: for each frame (quick fix, code block,
 * checklist item, question, disclosure) its first and last words and its height against the
 * height of what it holds; for each step, its title and the first line of its first code block.
 */
function printedEntry() {
  const squash = (text) => text.normalize('NFKC').replace(/\s+/g, '');
  const visibleText = (el) => squash(el.innerText);
  const order = [...document.querySelectorAll('*')];
  const index = new Map(order.map((el, i) => [el, i]));
  const lastDescendant = (el) => {
    let last = el;
    while (last.lastElementChild) {
      last = last.lastElementChild;
    }
    return last;
  };
  const depth = (el) => {
    let d = 0;
    for (let p = el; p; p = p.parentElement) {
      d++;
    }
    return d;
  };
  const probes = [];
  const frames = [];
  const NEEDLE = 24;
  const framed = document.querySelectorAll('#quick-fix, .entry .snippet, .entry .check, .entry .faq-item, .entry .disclosure');
  framed.forEach((el, n) => {
    const text = visibleText(el);
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const kids = [...el.children].filter((kid) => kid.getClientRects().length > 0);
    const top = Math.min(...kids.map((kid) => kid.getBoundingClientRect().top));
    const bottom = Math.max(...kids.map((kid) => kid.getBoundingClientRect().bottom));
    const frame = {
      id: el.id || `${el.className.split(' ')[0]} #${n + 1}`,
      height: box.height,
      // The height the frame needs: its children, its padding and its borders.
      needed: bottom - top
        + parseFloat(style.paddingTop) + parseFloat(style.paddingBottom)
        + parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth),
    };
    frames.push(frame);
    probes.push({ key: [index.get(el), 0, 0], frame: frame.id, end: 'first', needle: text.slice(0, NEEDLE) });
    probes.push({ key: [index.get(lastDescendant(el)), 1, -depth(el)], frame: frame.id, end: 'last', needle: text.slice(-NEEDLE) });
  });
  const steps = [...document.querySelectorAll('#steps .step')].map((step) => {
    const title = step.querySelector('.step-title');
    const code = step.querySelector('.snippet pre');
    const result = { id: step.id, title: title.innerText.trim(), hasCode: Boolean(code) };
    probes.push({ key: [index.get(title), 0, 0], step: step.id, end: 'title', needle: visibleText(title).slice(0, 40) });
    if (code) {
      const firstLine = code.innerText.split('\n').find((line) => line.trim() !== '');
      probes.push({ key: [index.get(code), 0, 0], step: step.id, end: 'code', needle: squash(firstLine) });
    }
    return result;
  });
  const compare = (a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2];
  probes.sort(compare);
  return { probes, frames, steps };
}

/**
 * Finds each probe's page: the first page, from the page of the probe before it in document
 * order, whose text holds its needle. Pages are searched in order rather than the whole text
 * because a page's text comes in painting order, which need not be document order.
 */
function locate(pages, probes) {
  let from = 0;
  return probes.map((probe) => {
    let page = from;
    while (page < pages.length && !pages[page].text.includes(probe.needle)) {
      page++;
    }
    assert.ok(probe.needle.length >= 3 && page < pages.length,
      `"${probe.needle}" (${probe.end} of ${probe.frame || probe.step}) is printed on page ${from + 1} or after`);
    from = page;
    return { ...probe, page };
  });
}

/** Prints `url` to an A4 PDF and measures it. */
async function printEntry(url, contextOptions = {}) {
  const page = await newPage(browser, { viewport: { width: PRINT_WIDTH, height: 1000 }, ...contextOptions });
  await page.goto(url);
  await page.emulateMedia({ media: 'print' });
  const layout = await page.evaluate(printedEntry);
  const pdf = await page.pdf({ format: 'A4' });
  const pages = await readPdf(pdf);
  assertNoErrors(page);
  await page.context().close();
  return { pdf, pages, layout, located: locate(pages, layout.probes) };
}

/** The checks every printed entry passes. */
function assertPrintsWell({ pages, layout, located }, name) {
  // No frame stretches past what it holds (the quick fix once ran on, empty, to the foot of
  // its page).
  for (const frame of layout.frames) {
    assert.ok(Math.abs(frame.height - frame.needed) <= 3,
      `${name}: ${frame.id} is ${frame.height.toFixed(1)} px tall around ${frame.needed.toFixed(1)} px of content`);
  }
  // A frame that fits on a page is printed whole on one: no page ends or starts with an empty
  // piece of a frame whose text is on the other.
  const byFrame = new Map();
  for (const probe of located.filter((p) => p.frame)) {
    byFrame.set(probe.frame, { ...byFrame.get(probe.frame), [probe.end]: probe.page });
  }
  assert.ok(byFrame.size >= 3, `${name}: frames were found in the PDF`);
  for (const frame of layout.frames) {
    const where = byFrame.get(frame.id);
    if (frame.height < PRINT_HEIGHT * 0.9) {
      assert.equal(where.last, where.first,
        `${name}: ${frame.id} starts on page ${where.first + 1} and ends on page ${where.last + 1}`);
    }
  }
  // Each step's title prints on the page of its first code block.
  const withCode = layout.steps.filter((step) => step.hasCode);
  assert.ok(withCode.length >= 2, `${name}: steps with code blocks`);
  for (const step of withCode) {
    const title = located.find((p) => p.step === step.id && p.end === 'title');
    const code = located.find((p) => p.step === step.id && p.end === 'code');
    assert.equal(code.page, title.page,
      `${name}: ${step.id} "${step.title}" is on page ${title.page + 1}, its first code block on page ${code.page + 1}`);
  }
  // Keeping blocks whole moves some to the next page, but never leaves most of a page blank.
  pages.slice(0, -1).forEach((page, i) => {
    assert.ok(page.reach > 0.6, `${name}: page ${i + 1} of ${pages.length} is filled only to ${Math.round(page.reach * 100)}%`);
  });
}

describe('a printed entry', () => {
  test('the 503 entry prints on at most six A4 pages, its steps beside their code, no frame split', { timeout: 60_000 }, async () => {
    const printed = await printEntry(`${demo.url}http/503/`);
    assert.equal(pageObjects(printed.pdf), printed.pages.length, 'pdfjs reads every page of the file');
    assert.ok(printed.pages.length >= 3, `the entry takes ${printed.pages.length} pages`);
    assert.ok(printed.pages.length <= 6, `the 503 entry prints on ${printed.pages.length} A4 pages`);
    // The whole entry is there, from the quick fix to the sources.
    const text = printed.pages.map((page) => page.text).join('');
    for (const words of ['Quick fix', 'How to fix it', 'How to verify the fix', 'Frequently asked questions', 'Sources']) {
      assert.ok(text.includes(squash(words)), `"${words}" is printed`);
    }
    assert.ok(printed.layout.steps.length >= 5, 'the 503 entry has its steps');
    assertPrintsWell(printed, 'http/503');
  });

  test('an entry of long steps and many aliases prints without empty frames', { timeout: 60_000 }, async () => {
    const printed = await printEntry(`${fixture.url}nodejs/heap-out-of-memory/`);
    assert.ok(printed.layout.steps.length >= 8, 'the fixture has its long steps');
    // Paper cannot open "+N more": every alias is printed.
    const text = printed.pages.map((page) => page.text).join('');
    for (const n of [1, 14]) {
      assert.ok(text.includes(squash(`JavaScript heap out of memory (variant ${n})`)), `alias ${n} is printed`);
    }
    assertPrintsWell(printed, 'nodejs/heap-out-of-memory');
  });

  for (const [scheme, forced] of [['dark', false], ['light', 'dark']]) {
    const how = forced ? `with dark chosen by the toggle (system ${scheme})` : `with a ${scheme} system scheme`;
    test(`paper is white and code keeps its light colours ${how}`, async () => {
      const colours = async (options) => {
        const page = await newPage(browser, options.context);
        if (options.theme) {
          await page.addInitScript((theme) => window.localStorage.setItem('errorbook:theme', theme), options.theme);
        }
        await page.goto(`${demo.url}http/503/`);
        await page.emulateMedia({ media: 'print' });
        const seen = await page.evaluate(() => {
          const comment = document.querySelector('.snippet .hl-c');
          return {
            theme: document.documentElement.getAttribute('data-theme'),
            background: getComputedStyle(document.body).backgroundColor,
            text: getComputedStyle(document.body).color,
            comment: comment ? getComputedStyle(comment).color : 'missing',
            quickFix: getComputedStyle(document.querySelector('#quick-fix')).backgroundColor,
          };
        });
        await page.context().close();
        return seen;
      };
      const paper = await colours({ context: { colorScheme: 'light' } });
      const printed = await colours({ context: { colorScheme: scheme }, theme: forced || null });
      assert.equal(printed.theme, forced || null, 'the page has the scheme under test');
      assert.match(paper.background, /^rgba?\(255, 255, 255|^rgba\(0, 0, 0, 0\)/, `light paper: ${paper.background}`);
      assert.equal(paper.text, 'rgb(0, 0, 0)', 'text prints black');
      assert.notEqual(paper.comment, 'missing');
      assert.deepEqual(printed, { ...paper, theme: forced || null }, `printed ${how} as on a light screen`);
    });
  }
});
