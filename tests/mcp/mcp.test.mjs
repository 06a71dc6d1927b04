// `errorbook mcp` driven by the official Model Context Protocol clients: the stable TypeScript
// SDK (@modelcontextprotocol/sdk, which opens with the `initialize` handshake) and the next
// client (@modelcontextprotocol/client), each listing the tools and calling every one on the
// bundled site. What the server answers is compared with what a build publishes and with what
// `errorbook triage` prints for the same log.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { Client as StableClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StableTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Client as NextClient } from '@modelcontextprotocol/client';
import { StdioClientTransport as NextTransport } from '@modelcontextprotocol/client/stdio';

import { binaryPath, builtSite, repoRoot } from '../js/support.mjs';

const LOG = [
  '2026-12-01T10:00:01Z web-1 upstream connect error or disconnect/reset before headers. reset reason: connection failure',
  '2026-12-01T10:00:02Z web-1 GET /api/orders 200 12ms',
  'Error: connect ECONNREFUSED 127.0.0.1:5432',
  '2026-12-01T10:00:03Z web-2 upstream connect error or disconnect/reset before headers. reset reason: overflow',
  'nothing to see here',
].join('\n');

const clients = [
  ['the stable SDK (initialize handshake)', StableClient, StableTransport],
  ['the next client', NextClient, NextTransport],
];

function structured(result) {
  assert.equal(result.isError, false, JSON.stringify(result.content));
  assert.ok(result.structuredContent, 'a structured answer');
  // The text content carries the same JSON, for clients that read only text.
  assert.deepEqual(JSON.parse(result.content[0].text), result.structuredContent);
  return result.structuredContent;
}

function errorText(result) {
  assert.equal(result.isError, true, JSON.stringify(result));
  return result.content.map((c) => c.text).join('\n');
}

let site;
let siteConfig;

before(async () => {
  site = await builtSite();
  siteConfig = await readFile(path.join(repoRoot, 'site.yaml'), 'utf8');
});

for (const [name, Client, Transport] of clients) {
  describe(`errorbook mcp with ${name}`, () => {
    let client;
    let stderr = '';

    before(async () => {
      const transport = new Transport({
        command: binaryPath(),
        args: ['mcp', '--root', repoRoot],
        stderr: 'pipe',
      });
      transport.stderr?.on('data', (chunk) => { stderr += chunk; });
      client = new Client({ name: 'errorbook-tests', version: '1.0.0' });
      await client.connect(transport);
    });

    after(async () => {
      await client?.close();
    });

    test('names itself and lists the three tools with their parameters', async () => {
      const version = client.getServerVersion();
      assert.equal(version.name, 'errorbook');
      assert.match(version.version, /^\d+\.\d+\.\d+/);
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), ['get_entry', 'search', 'triage']);
      const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
      assert.deepEqual(Object.keys(byName.search.inputSchema.properties).sort(),
        ['category', 'limit', 'query', 'severity']);
      assert.deepEqual(byName.search.inputSchema.required, ['query']);
      assert.deepEqual(byName.get_entry.inputSchema.required, ['entry']);
      assert.deepEqual(byName.triage.inputSchema.required, ['log']);
      for (const tool of tools) {
        assert.ok(tool.description.length > 40, `${tool.name} is described`);
        assert.equal(tool.annotations?.readOnlyHint, true, `${tool.name} is read-only`);
      }
      assert.match(client.getInstructions(), /get_entry/);
      assert.equal(stderr, '', 'nothing on standard error for a clean site');
    });

    test('search finds an entry by its code, first, with its URL under base_url', async () => {
      const { results } = structured(await client.callTool({ name: 'search', arguments: { query: '503' } }));
      assert.equal(results[0].id, 'http/503');
      assert.equal(results[0].code, '503');
      assert.match(results[0].title, /Service Unavailable/);
      const base = /^base_url:\s*"?([^"\n]+)"?/m.exec(siteConfig)[1].replace(/\/?$/, '/');
      assert.equal(results[0].url, `${base}http/503/`);
      assert.ok(results[0].summary.length > 20);
      assert.equal(results[0].status, 'current');
    });

    test('search finds an entry from a pasted log line, and honours filters and the limit', async () => {
      const line = '2026-12-01T10:00:00Z Error: connect ECONNREFUSED 10.1.2.3:5432';
      const { results } = structured(await client.callTool({ name: 'search', arguments: { query: line } }));
      assert.equal(results[0].code, 'ECONNREFUSED');
      const one = structured(await client.callTool({ name: 'search', arguments: { query: 'timeout', limit: 1 } }));
      assert.equal(one.results.length, 1);
      const http = structured(await client.callTool({
        name: 'search', arguments: { query: 'timeout', category: 'http', limit: 50 },
      }));
      assert.ok(http.results.length >= 1);
      assert.ok(http.results.every((r) => r.category === 'http'), JSON.stringify(http.results));
      const none = structured(await client.callTool({ name: 'search', arguments: { query: 'zzyzxquux' } }));
      assert.deepEqual(none.results, []);
    });

    test('search refuses an empty query and a limit out of range, as tool errors', async () => {
      assert.match(errorText(await client.callTool({ name: 'search', arguments: { query: '  ' } })), /empty/);
      assert.match(errorText(await client.callTool({ name: 'search', arguments: { query: '503', limit: 0 } })),
        /between 1 and 50/);
      assert.match(errorText(await client.callTool({ name: 'search', arguments: { query: '503', category: 'htp' } })),
        /no category `htp`; the categories are .*\bhttp\b/);
    });

    test('get_entry returns the Markdown copy the build publishes, by id, code or message', async () => {
      const published = await readFile(path.join(site, 'http', '503', 'index.md'), 'utf8');
      for (const entry of ['http/503', '503', '/http/503/']) {
        const result = await client.callTool({ name: 'get_entry', arguments: { entry } });
        assert.equal(result.isError, false, entry);
        assert.equal(result.content[0].type, 'text');
        assert.equal(result.content[0].text, published, `get_entry ${entry}`);
      }
      assert.match(published, /^# HTTP 503 Service Unavailable/);
      assert.match(published, /## Quick fix/);
    });

    test('get_entry gives an entry with placeholders with their declared values filled in', async () => {
      const published = await readFile(path.join(site, 'kubernetes', 'crashloopbackoff', 'index.md'), 'utf8');
      const result = await client.callTool({ name: 'get_entry', arguments: { entry: 'kubernetes/crashloopbackoff' } });
      assert.equal(result.isError, false);
      assert.equal(result.content[0].text, published);
      assert.match(published, /kubectl get pods -n shop/);
      assert.doesNotMatch(published, /<<namespace>>/);
    });

    test('get_entry names the nearest entries for an unknown code', async () => {
      const text = errorText(await client.callTool({ name: 'get_entry', arguments: { entry: '5033' } }));
      assert.match(text, /no entry has the id, code or message `5033`/);
      assert.match(text, /http\/503 \(503\)/);
    });

    test('triage finds what `errorbook triage` finds in the same log', async () => {
      const answer = structured(await client.callTool({ name: 'triage', arguments: { log: LOG } }));
      const cli = spawnSync(binaryPath(), ['triage', '--format', 'json', '--root', repoRoot], {
        input: LOG, encoding: 'utf8',
      });
      assert.equal(cli.status, 0, cli.stderr);
      assert.deepEqual(answer.found, JSON.parse(cli.stdout));
      assert.equal(answer.lines, 5);
      const codes = answer.found.map((f) => f.code);
      assert.ok(codes.includes('ECONNREFUSED'), codes.join(' '));
      const upstream = answer.found.find((f) => f.count === 2);
      assert.ok(upstream, JSON.stringify(answer.found));
      assert.deepEqual(upstream.lines, [1, 4]);
    });

    test('triage cuts a log longer than 4 MiB at a line break and says so', async () => {
      const line = 'Error: connect ECONNREFUSED 127.0.0.1:5432\n';
      const log = line.repeat(Math.ceil((5 * 1024 * 1024) / line.length));
      const answer = structured(await client.callTool({ name: 'triage', arguments: { log } }));
      const kept = Math.floor((4 * 1024 * 1024) / line.length);
      assert.equal(answer.lines, kept);
      assert.match(answer.note, /only the first 4 MiB of the log were read/);
      assert.equal(answer.found.find((f) => f.code === 'ECONNREFUSED').count, kept);
    });

    test('triage of one line longer than 4 MiB reads its head, as the command does', async () => {
      const log = 'connect ECONNREFUSED 1.2.3.4:5432 ' + 'x'.repeat(5 * 1024 * 1024) + '\n';
      const answer = structured(await client.callTool({ name: 'triage', arguments: { log } }));
      assert.equal(answer.lines, 1);
      assert.match(answer.note, /only the first 4 MiB/);
      assert.deepEqual(answer.found.map((f) => f.entry), ['linux/econnrefused']);
    });

    test('search refuses a severity the site does not have, naming those it has', async () => {
      const text = errorText(await client.callTool({ name: 'search', arguments: { query: 'timeout', severity: 'nope' } }));
      assert.match(text, /no severity `nope`; the severities are blocker, critical, major, minor, info/);
    });

    test('triage of a log without a known error finds nothing', async () => {
      const answer = structured(await client.callTool({ name: 'triage', arguments: { log: 'all good\nstill good' } }));
      assert.deepEqual(answer.found, []);
      assert.equal(answer.lines, 2);
    });
  });
}

test('mcp refuses a site with errors before it speaks, on standard error', () => {
  const run = spawnSync(binaryPath(), ['mcp', '--root', path.join(repoRoot, 'tests/fixtures/check/bad-date')], {
    input: '', encoding: 'utf8',
  });
  assert.equal(run.status, 2, run.stderr);
  assert.equal(run.stdout, '', 'standard output is left to the protocol');
  assert.match(run.stderr, /the site has errors/);
});

/** Speaks raw JSON-RPC lines to `errorbook mcp` and returns the replies, one object a line. */
function rawSession(lines) {
  const input = Buffer.concat(lines.map((l) => Buffer.concat([Buffer.isBuffer(l) ? l : Buffer.from(l), Buffer.from('\n')])));
  const run = spawnSync(binaryPath(), ['mcp', '--root', repoRoot], { input, timeout: 60_000 });
  assert.equal(run.status, 0, String(run.stderr));
  return String(run.stdout).split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
const INITIALIZED = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });

test('a request with bytes that are not UTF-8 is answered, reading them as U+FFFD', () => {
  const request = Buffer.concat([
    Buffer.from('{"jsonrpc":"2.0","id":77,"method":"tools/call","params":{"name":"search","arguments":{"query":"503 '),
    Buffer.from([0xff, 0xfe]),
    Buffer.from('"}}}'),
  ]);
  const replies = rawSession([INIT, INITIALIZED, request]);
  const reply = replies.find((r) => r.id === 77);
  assert.ok(reply, `request 77 is answered: ${JSON.stringify(replies)}`);
  assert.equal(reply.result.isError, false);
  assert.equal(reply.result.structuredContent.results[0].id, 'http/503');
});

test('an error reply to a request that could not be read carries "id": null', () => {
  const replies = rawSession([INIT, INITIALIZED, '{"jsonrpc":"2.0","params":{}}', '{"jsonrpc":"2.0","id":5,"method":"ping"}']);
  const invalid = replies.find((r) => r.error && r.error.code === -32600);
  assert.ok(invalid, JSON.stringify(replies));
  assert.ok(Object.hasOwn(invalid, 'id') && invalid.id === null, JSON.stringify(invalid));
  assert.ok(replies.some((r) => r.id === 5 && r.result), 'the session goes on');
});

test('a line that is not JSON gets a parse error with "id": null, and the session goes on', () => {
  const replies = rawSession([INIT, INITIALIZED, 'garbage', '{"jsonrpc":"2.0","id":3,', '{"jsonrpc":"2.0","id":4,"method":"ping"}']);
  const parse = replies.filter((r) => r.error && r.error.code === -32700);
  assert.equal(parse.length, 2, JSON.stringify(replies));
  assert.ok(parse.every((r) => Object.hasOwn(r, 'id') && r.id === null));
  assert.ok(replies.some((r) => r.id === 4 && r.result), 'the next request is answered');
});

test('a last request without a line break is answered', () => {
  const input = `${INIT}\n${INITIALIZED}\n{"jsonrpc":"2.0","id":9,"method":"ping"}`;
  const run = spawnSync(binaryPath(), ['mcp', '--root', repoRoot], { input, timeout: 60_000 });
  const replies = String(run.stdout).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  assert.ok(replies.some((r) => r.id === 9 && r.result), JSON.stringify(replies));
});

test('a client that hangs up at once ends the session without an error', () => {
  const run = spawnSync(binaryPath(), ['mcp', '--root', repoRoot], { input: '', encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, '');
});
