// The search engine for the Rust tests of src/search, which run it under node:
//
//   node tests/js/engine-cli.mjs analyse CASES.json
//     CASES.json: {tables, cases: [{input, terms, phrase, bigrams, codeKey, fnv1a}], stems:
//     [[word, stem]]}, the analysis tables of meta.js and what the Rust analyser made of each
//     input. Prints how many cases agree; exits 1 listing the first disagreements.
//   node tests/js/engine-cli.mjs search SITE QUERIES.json
//     QUERIES.json: [[query, options]]. Prints the hrefs the engine returns for each, as JSON,
//     reading SITE/search/ as a browser would; with `suggest: true` in the options, the hrefs
//     of the entries it suggests for the query ("did you mean").
//   node tests/js/engine-cli.mjs near CASES.json
//     CASES.json: {rule, tables, entries: [[code key, slug key]], pairs: [[query key, code key,
//     slug key, similarity, closeness, typo]], queries: [[query, suggested indexes]]}, what the
//     Rust rule of the nearest codes made of each. Prints how many agree; exits 1 listing the
//     first disagreements.
//   node tests/js/engine-cli.mjs triage SITE LOG...
//     Prints, as JSON, what the engine's triage finds in each LOG (read as UTF-8) over
//     SITE/search/: [{lines, found: [{href, by, count, lines}]}], one per log, most relevant
//     entry first.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { engine, fileLoader } from './support.mjs';

const [command, ...args] = process.argv.slice(2);

function analyse(file) {
  const { tables, cases, stems } = JSON.parse(readFileSync(file, 'utf8'));
  const a = engine.createAnalyser(tables);
  const failures = [];
  const check = (what, input, got, expected) => {
    if (!isDeepStrictEqual(got, expected)) {
      failures.push(`${what}(${JSON.stringify(input)}): node ${JSON.stringify(got)}, Rust ${JSON.stringify(expected)}`);
    }
  };
  for (const c of cases) {
    const phrase = a.phraseTokens(c.input);
    check('terms', c.input, a.terms(c.input), c.terms);
    check('phrase', c.input, phrase, c.phrase);
    check('bigrams', c.input, a.bigrams(phrase), c.bigrams);
    const key = a.codeKey(c.input);
    check('codeKey', c.input, key, c.codeKey);
    check('fnv1a', key, a.fnv1a(key), c.fnv1a);
  }
  for (const [word, expected] of stems) {
    check('stem', word, a.stem(word), expected);
  }
  if (failures.length) {
    console.error(`${failures.length} disagreements between the engine and the Rust analyser; the first:`);
    console.error(failures.slice(0, 25).join('\n'));
    process.exit(1);
  }
  console.log(`${cases.length} inputs and ${stems.length} stems agree`);
}

function near(file) {
  const { rule, tables, entries, pairs, queries } = JSON.parse(readFileSync(file, 'utf8'));
  const n = engine.createNear(rule, tables);
  const failures = [];
  const check = (what, input, got, expected) => {
    if (!isDeepStrictEqual(got, expected)) {
      failures.push(`${what}(${JSON.stringify(input)}): node ${JSON.stringify(got)}, Rust ${JSON.stringify(expected)}`);
    }
  };
  for (const [wanted, code, slug, similarity, closeness, typo] of pairs) {
    check('similarity', [wanted, code], n.similarity(wanted, code), similarity);
    check('closeness', [wanted, code, slug], n.closeness(wanted, code, slug), closeness);
    check('typo', [wanted, code], n.typo(wanted, code), typo);
  }
  for (const [query, suggested] of queries) {
    check('suggest', query, n.suggest(query, entries), suggested);
  }
  if (failures.length) {
    console.error(`${failures.length} disagreements between the engine and the Rust rule; the first:`);
    console.error(failures.slice(0, 25).join('\n'));
    process.exit(1);
  }
  console.log(`${pairs.length} pairs and ${queries.length} queries agree`);
}

async function search(site, file) {
  const queries = JSON.parse(readFileSync(file, 'utf8'));
  const e = engine.createEngine(fileLoader(site));
  const out = [];
  for (const [query, options] of queries) {
    const { suggest, ...opts } = options || {};
    const results = suggest ? await e.suggest(query) : await e.search(query, opts);
    out.push(results.map((r) => r.href));
  }
  console.log(JSON.stringify(out));
}

async function triage(site, logs) {
  const e = engine.createEngine(fileLoader(site));
  const out = [];
  for (const log of logs) {
    const { lines, found } = await e.triage(readFileSync(log, 'utf8'));
    out.push({ lines, found: found.map((f) => ({ href: f.href, by: f.by, count: f.count, lines: f.lines })) });
  }
  console.log(JSON.stringify(out));
}

if (command === 'analyse' && args.length === 1) {
  analyse(args[0]);
} else if (command === 'near' && args.length === 1) {
  near(args[0]);
} else if (command === 'search' && args.length === 2) {
  await search(args[0], args[1]);
} else if (command === 'triage' && args.length >= 2) {
  await triage(args[0], args.slice(1));
} else {
  console.error('usage: engine-cli.mjs analyse CASES.json | near CASES.json | search SITE QUERIES.json | triage SITE LOG...');
  process.exit(2);
}
