import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { defineCommand, defineConnector, param, startRegistry } from '@connector-proxy/core';
import { readConfig } from '@connector-proxy/server';
import { type RunningServer, startServer } from '@connector-proxy/server/node';
import example from 'connector-example';
import http from 'connector-http';
import smtp from 'connector-smtp';
import { type Browser, chromium, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = new URL('../.artifacts/', import.meta.url);
// Without Chromium the browser tests skip loudly, except in CI, where they must run.
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: apt-get install -y chromium`;
if (skip && process.env.CI === 'true') throw new Error(skip);
if (skip) console.warn(`SKIPPING the playground's browser tests: ${skip}`);
const KEY = `key-${Math.random().toString(36).slice(2)}`;

/** A command with one parameter of every kind the form renders differently. */
const Probe = defineCommand({
  description: 'Echo every kind of parameter back, typed.',
  params: {
    size: param.enum(['S', 'M', 'L'], 'Which size').default('M'),
    token: param.str('A secret token').secret(),
    gift: param.bool('Wrap it').optional(),
    qty: param.int('How many'),
    extra: param.any('Anything JSON').optional(),
  },
  errors: { ProbeFailed: 'The probe failed on purpose.' },
  run(args, { log, taskData }) {
    log(`probing ${args.qty}`);
    return { body: { ...args, token: args.token.length, taskData } };
  },
});
const probe = defineConnector({ name: 'probe', commands: { Probe } });

let browser: Browser;
let open: RunningServer;
let locked: RunningServer;
const commandCount = { value: 0 };

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const connectors = [example, http, smtp, probe];
  const base = { CONNECTOR_PROXY_PORT: '0', CONNECTOR_PROXY_LOG_FORMAT: 'off' };
  const openRegistry = await startRegistry(connectors);
  commandCount.value = openRegistry.entries().length;
  open = await startServer(readConfig(base), openRegistry, { write: () => {} });
  locked = await startServer(readConfig({ ...base, CONNECTOR_PROXY_API_KEY: KEY }), await startRegistry(connectors), {
    write: () => {},
  });
  if (skip) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  await open?.close();
  await locked?.close();
});

/** A fresh tab that fails the test on a script error, a CSP violation or a request elsewhere. */
async function newPage(origin: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // The browser notes each 401 (no key yet) and 400 (InvalidParameters) answer; those are expected.
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 40[01] /.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(`${origin}/`)) problems.push(`request elsewhere: ${request.url()}`);
  });
  return { page, problems };
}

async function runAndWait(page: Page): Promise<void> {
  await page.locator('#output').evaluate((node) => {
    node.hidden = true;
  });
  await page.click('#run');
  await page.locator('#output').waitFor({ state: 'visible' });
}

test('the playground is static text under a strict content security policy, open even with a key', async () => {
  for (const server of [open, locked]) {
    for (const [path, type] of [
      ['/playground', 'text/html'],
      ['/playground.js', 'text/javascript'],
      ['/playground.css', 'text/css'],
    ] as const) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.ok(res.headers.get('content-type')?.startsWith(type), path);
      assert.equal(
        res.headers.get('content-security-policy'),
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
      );
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      const text = await res.text();
      assert.doesNotMatch(text, /https?:\/\/(?!127\.0\.0\.1)[a-z]/i, `${path} names no other host`);
    }
  }
  const post = await fetch(`${open.url}/playground`, { method: 'POST' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET, HEAD');
});

test('in Chromium: list and search commands, run example/Example, copy as BPMN and curl, and an InvalidParameters case', {
  skip,
}, async () => {
  const { page, problems } = await newPage(open.url);
  await page.goto(`${open.url}/playground`);
  await page.locator('button.command').first().waitFor();
  assert.equal(await page.locator('button.command').count(), commandCount.value);
  assert.equal(await page.textContent('#count'), `${commandCount.value} of ${commandCount.value} commands`);
  assert.deepEqual(await page.locator('nav h3').allTextContents(), ['example', 'http', 'smtp', 'probe']);

  await page.fill('#search', 'ECHO a mess');
  assert.deepEqual(await page.locator('button.command').evaluateAll((nodes) => nodes.map((n) => n.dataset.id)), [
    'example/Example',
  ]);
  await page.fill('#search', 'smtp_starttls');
  assert.deepEqual(await page.locator('button.command').evaluateAll((nodes) => nodes.map((n) => n.dataset.id)), [
    'smtp/SendEmail',
  ]);
  await page.fill('#search', '');
  await page.click('button[data-id="example/Example"]');
  assert.equal(await page.textContent('#command-id'), 'example/Example');
  assert.match((await page.textContent('#error-codes')) ?? '', /InvalidParameters/);

  await page.fill('#param-message', 'hello');
  await page.fill('#task-data', '{"order": 42}');
  await runAndWait(page);
  assert.equal(await page.textContent('#outcome'), 'ok');
  assert.match((await page.textContent('#answer-status')) ?? '', /^HTTP 200 · \d+ ms$/);
  assert.deepEqual(JSON.parse((await page.textContent('#answer-body')) ?? ''), {
    connector_response: "You passed the example connector: 'hello'. Have a good day!",
  });
  assert.equal(await page.textContent('#answer-mimetype'), 'application/json');
  assert.equal(JSON.parse((await page.textContent('#answer-raw')) ?? '').command_response_version, 2);

  await page.click('#copy-bpmn');
  const bpmn = (await page.textContent('#snippet-text')) ?? '';
  assert.match(
    bpmn,
    /^<bpmn:serviceTask id="Activity_[a-z0-9]+" name="Example">\n {2}<bpmn:extensionElements>\n {4}<spiffworkflow:serviceTaskOperator id="example\/Example" resultVariable="result">\n {6}<spiffworkflow:parameters>\n {8}<spiffworkflow:parameter id="message" type="str" value="&quot;hello&quot;"\/>\n {6}<\/spiffworkflow:parameters>\n {4}<\/spiffworkflow:serviceTaskOperator>\n {2}<\/bpmn:extensionElements>\n<\/bpmn:serviceTask>$/,
  );
  await page.click('#copy-curl');
  const curl = (await page.textContent('#snippet-text')) ?? '';
  assert.ok(curl.startsWith(`curl -sS -X POST '${open.url}/v1/do/example/Example'`), curl);
  // The copied request, sent as curl would send it, gets the same answer.
  const data = /--data '(.*)'$/.exec(curl)?.[1] ?? '';
  assert.deepEqual(JSON.parse(data), { message: 'hello', spiff__task_data: { order: 42 } });
  const replay = await fetch(`${open.url}/v1/do/example/Example`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: data,
  });
  assert.equal(replay.status, 200);

  await page.fill('#param-message', '');
  assert.equal(await page.locator('#snippet').isVisible(), false, 'a copy of older values goes when the form changes');
  await runAndWait(page);
  assert.equal(await page.textContent('#outcome'), 'InvalidParameters');
  assert.match((await page.textContent('#answer-status')) ?? '', /^HTTP 400 · /);
  assert.match((await page.textContent('#answer-error')) ?? '', /^InvalidParameters: .*message/);
  await page.screenshot({ path: new URL('playground-invalid.png', ARTIFACTS).pathname, fullPage: true });
  assert.deepEqual(problems, []);
});

test('in Chromium: each parameter kind gets its own control, and values arrive typed', { skip }, async () => {
  const { page, problems } = await newPage(open.url);
  await page.goto(`${open.url}/playground#probe/Probe`);
  await page.locator('#param-size').waitFor();
  assert.equal(await page.textContent('#command-id'), 'probe/Probe');
  assert.equal(await page.locator('#param-size').evaluate((n) => n.tagName), 'SELECT');
  assert.deepEqual(await page.locator('#param-size option').allTextContents(), ['(not set)', 'S', 'M', 'L']);
  assert.equal(await page.inputValue('#param-size'), 'M');
  assert.equal(await page.getAttribute('#param-token', 'type'), 'password');
  assert.equal(await page.getAttribute('#param-gift', 'type'), 'checkbox');
  assert.equal(await page.getAttribute('#param-qty', 'type'), 'number');
  assert.equal(await page.locator('#param-extra').evaluate((n) => n.tagName), 'TEXTAREA');

  await page.selectOption('#param-size', 'L');
  await page.fill('#param-token', 'hunter2');
  await page.check('#param-gift');
  await page.fill('#param-qty', '3');
  await page.fill('#param-extra', '{"a": [1, true, null]');
  await page.click('#run');
  assert.match((await page.textContent('#problem-extra')) ?? '', /^Not valid JSON/);
  assert.equal(await page.locator('#output').isVisible(), false);

  await page.fill('#param-extra', '{"a": [1, true, null]}');
  await runAndWait(page);
  assert.equal(await page.textContent('#outcome'), 'ok');
  assert.deepEqual(JSON.parse((await page.textContent('#answer-body')) ?? ''), {
    size: 'L',
    token: 7,
    gift: true,
    qty: 3,
    extra: { a: [1, true, null] },
    taskData: {},
  });
  assert.deepEqual(await page.locator('#answer-logs li').allTextContents(), ['probing 3']);
  assert.equal(await page.textContent('#answer-logs-count'), '1');

  await page.click('#copy-bpmn');
  const bpmn = (await page.textContent('#snippet-text')) ?? '';
  assert.match(bpmn, /<spiffworkflow:parameter id="size" type="str" value="&quot;L&quot;"\/>/);
  assert.match(bpmn, /<spiffworkflow:parameter id="token" type="str" value="&quot;secret:TOKEN&quot;"\/>/);
  assert.match(bpmn, /<spiffworkflow:parameter id="gift" type="bool" value="True"\/>/);
  assert.match(bpmn, /<spiffworkflow:parameter id="qty" type="int" value="3"\/>/);
  assert.match(bpmn, /<spiffworkflow:parameter id="extra" type="any" value="\{&quot;a&quot;: \[1, True, None\]\}"\/>/);
  await page.click('#copy-curl');
  const curl = (await page.textContent('#snippet-text')) ?? '';
  assert.doesNotMatch(curl, /hunter2/);
  assert.doesNotMatch(bpmn, /hunter2/);
  await page.screenshot({ path: new URL('playground.png', ARTIFACTS).pathname, fullPage: true });
  assert.deepEqual(problems, []);
});

test('in Chromium: with an API key the page asks for it, refuses a wrong one and keeps it in the tab only', {
  skip,
}, async () => {
  const { page, problems } = await newPage(locked.url);
  await page.goto(`${locked.url}/playground`);
  await page.locator('#key-form').waitFor({ state: 'visible' });
  assert.equal(await page.textContent('#key-message'), 'This proxy needs its API key.');
  assert.equal(await page.getAttribute('#api-key', 'type'), 'password');
  assert.equal(await page.locator('#main').isVisible(), false);
  await page.screenshot({ path: new URL('playground-key.png', ARTIFACTS).pathname });

  await page.fill('#api-key', 'wrong');
  await page.click('#key-form button[type=submit]');
  await page.waitForFunction("document.getElementById('key-message').textContent.includes('refused')");
  assert.equal(await page.locator('button.command').count(), 0);

  await page.fill('#api-key', KEY);
  await page.click('#key-form button[type=submit]');
  await page.locator('button.command').first().waitFor();
  assert.equal(await page.locator('#key-form').isVisible(), false);
  assert.equal(await page.evaluate("sessionStorage.getItem('connector-proxy-api-key')"), KEY);
  assert.equal(await page.evaluate('localStorage.length'), 0);
  assert.deepEqual(await page.context().cookies(), []);

  await page.click('button[data-id="example/Example"]');
  await page.fill('#param-message', 'with a key');
  await runAndWait(page);
  assert.equal(await page.textContent('#outcome'), 'ok');
  await page.click('#copy-curl');
  const curl = (await page.textContent('#snippet-text')) ?? '';
  assert.match(curl, /-H "Spiff-Connector-Proxy-Api-Key: \$CONNECTOR_PROXY_API_KEY"/);
  assert.ok(!curl.includes(KEY), 'the key itself is not in the copy');

  // Another tab of a fresh session knows nothing of the key.
  const other = await newPage(locked.url);
  await other.page.goto(`${locked.url}/playground`);
  await other.page.locator('#key-form').waitFor({ state: 'visible' });
  assert.deepEqual([...problems, ...other.problems], []);
});
