// The browser engine's text analysis against the cases the Rust index builder is tested with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const search = require('../../static/assets/search.js');
const vectors = JSON.parse(readFileSync(new URL('../search-vectors.json', import.meta.url), 'utf8'));

test('stems match the Rust stemmer', () => {
  for (const [word, expected] of vectors.stem) {
    assert.equal(search.stem(word), expected, `stem(${word})`);
  }
});

test('terms, phrases and word pairs match the Rust analyser', () => {
  for (const { input, terms, phrase, bigrams } of vectors.analyze) {
    assert.deepEqual(search.terms(input), terms, `terms(${JSON.stringify(input)})`);
    assert.deepEqual(search.phraseTokens(input), phrase, `phrase(${JSON.stringify(input)})`);
    assert.deepEqual(search.bigrams(search.phraseTokens(input)), bigrams, `bigrams(${JSON.stringify(input)})`);
  }
});

test('code keys and their hashes match', () => {
  for (const [code, expected] of vectors.code_key) {
    assert.equal(search.codeKey(code), expected, `codeKey(${code})`);
  }
  for (const [key, expected] of vectors.fnv1a) {
    assert.equal(search.fnv1a(key), expected, `fnv1a(${key})`);
  }
});
