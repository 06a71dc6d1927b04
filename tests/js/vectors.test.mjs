// The browser engine's text analysis against the cases the Rust index builder is tested with,
// reading text with the tables the index carries (tests/search-vectors.json holds the ones the
// builder writes into meta.js; `cargo test search::shared_vectors` fails when they differ).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { engine } from './support.mjs';

const vectors = JSON.parse(readFileSync(new URL('../search-vectors.json', import.meta.url), 'utf8'));
const analyser = engine.createAnalyser(vectors.analysis);

test('stems match the Rust stemmer', () => {
  assert.ok(vectors.stem.length > 40);
  for (const [word, expected] of vectors.stem) {
    assert.equal(analyser.stem(word), expected, `stem(${word})`);
  }
});

test('terms, phrases and word pairs match the Rust analyser', () => {
  assert.ok(vectors.analyze.length > 40);
  for (const { input, terms, phrase, bigrams } of vectors.analyze) {
    assert.deepEqual(analyser.terms(input), terms, `terms(${JSON.stringify(input)})`);
    assert.deepEqual(analyser.phraseTokens(input), phrase, `phrase(${JSON.stringify(input)})`);
    assert.deepEqual(analyser.bigrams(analyser.phraseTokens(input)), bigrams, `bigrams(${JSON.stringify(input)})`);
  }
});

test('code keys and their hashes match', () => {
  for (const [code, expected] of vectors.code_key) {
    assert.equal(analyser.codeKey(code), expected, `codeKey(${code})`);
  }
  for (const [key, expected] of vectors.fnv1a) {
    assert.equal(analyser.fnv1a(key), expected, `fnv1a(${key})`);
  }
});

test('the engine reads text only with the tables it is given', () => {
  const { stopWords, ...rest } = vectors.analysis;
  assert.throws(() => engine.createAnalyser(rest), /lacks the analysis table stopWords/);
  // A stop word is left out of the terms with the tables, and kept when the tables say so.
  assert.deepEqual(analyser.terms('the server'), ['server']);
  const noStops = engine.createAnalyser({ ...vectors.analysis, stopWords: [] });
  assert.deepEqual(noStops.terms('the server'), ['the', 'server']);
  // Placeholders too: a long number and an address become what the tables name.
  assert.deepEqual(analyser.phraseTokens('port 5432 at 10.0.0.1 1234567'), ['port', '<num>', 'at', '<ip>', '<num>']);
  const named = engine.createAnalyser({
    ...vectors.analysis,
    placeholders: { ...vectors.analysis.placeholders, ip: '<address>', num: '<n>' },
  });
  assert.deepEqual(named.phraseTokens('port 5432 at 10.0.0.1 1234567'), ['port', '<n>', 'at', '<address>', '<n>']);
  const { ip, ...noIp } = vectors.analysis.placeholders;
  assert.throws(() => engine.createAnalyser({ ...vectors.analysis, placeholders: noIp }), /lacks the placeholder ip/);
});
