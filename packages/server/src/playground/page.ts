/** The playground page: markup only; behaviour in playground.js, looks in playground.css. */
export const PLAYGROUND_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Playground · SpiffWorkflow connector proxy</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/playground.css">
<script src="/playground.js" defer></script>
</head>
<body>
<header>
  <h1>Connector playground</h1>
  <input id="search" type="search" placeholder="Search commands, descriptions, parameters" aria-label="Search commands">
  <span id="count" class="muted"></span>
  <button id="forget-key" type="button" hidden>Forget API key</button>
</header>
<p id="status" role="status"></p>
<form id="key-form" hidden>
  <p id="key-message"></p>
  <label for="api-key">API key</label>
  <input id="api-key" type="password" autocomplete="off">
  <button type="submit">Use key</button>
  <p class="muted">The key is kept only in this tab (sessionStorage) and sent as the Spiff-Connector-Proxy-Api-Key header.</p>
</form>
<main id="main">
  <nav aria-label="Commands"><ul id="commands"></ul></nav>
  <section id="workspace">
    <p id="empty" class="muted">Choose a command on the left.</p>
    <div id="detail" hidden>
      <h2 id="command-id"></h2>
      <p id="command-description"></p>
      <p id="command-traits" class="muted"></p>
      <h3>Parameters</h3>
      <div id="params"></div>
      <div class="field">
        <label for="task-data"><code>spiff__task_data</code><span class="traits">JSON object, optional</span></label>
        <textarea id="task-data" rows="3" spellcheck="false" placeholder='{"order_id": 42}'></textarea>
        <p class="problem" id="task-data-problem" hidden></p>
      </div>
      <div class="actions">
        <button id="run" type="button" class="primary">Run</button>
        <button id="copy-curl" type="button">Copy as curl</button>
        <button id="copy-bpmn" type="button">Copy as BPMN</button>
        <span id="run-state" class="muted" role="status"></span>
      </div>
      <div id="snippet" hidden>
        <h3 id="snippet-title"></h3>
        <p id="snippet-note" class="muted"></p>
        <pre id="snippet-text"></pre>
        <p class="muted">Secret values are replaced by secret:NAME references in copies.</p>
      </div>
      <div id="output" hidden>
        <h3>Answer <span id="outcome"></span> <span id="answer-status" class="muted"></span></h3>
        <p id="answer-error" class="problem" hidden></p>
        <h4>Body <span id="answer-mimetype" class="muted"></span></h4>
        <pre id="answer-body"></pre>
        <div id="answer-headers-box" hidden><h4>Headers</h4><pre id="answer-headers"></pre></div>
        <h4>spiff__logs (<span id="answer-logs-count">0</span>)</h4>
        <ol id="answer-logs"></ol>
        <details><summary>Raw envelope</summary><pre id="answer-raw"></pre></details>
      </div>
      <div id="result-box" hidden><h3>Result</h3><pre id="result-text"></pre></div>
      <div id="errors-box" hidden><h3>Error codes</h3><ul id="error-codes"></ul></div>
    </div>
  </section>
</main>
</body>
</html>
`;
