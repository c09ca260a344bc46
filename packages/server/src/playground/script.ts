/** The playground's listing, search, API key prompt, parameter form and run (browser JavaScript, no build step). */
export const PLAYGROUND_SCRIPT = String.raw`'use strict';
(function () {
  var KEY_STORE = 'connector-proxy-api-key';
  var KEY_HEADER = 'Spiff-Connector-Proxy-Api-Key';
  var state = { commands: [], selected: null, last: null };
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === undefined || value === null || value === false) return;
      if (name === 'text') node.textContent = value;
      else if (name === 'onclick' || name === 'oninput' || name === 'onchange') node[name] = value;
      else node.setAttribute(name, value === true ? '' : String(value));
    });
    (children || []).forEach(function (child) { if (child) node.append(child); });
    return node;
  }

  function plain(text) { return String(text || '').replace(/\x60+([^\x60]*)\x60+/g, '$1').replace(/\x60/g, ''); }

  function headers(extra) {
    var h = Object.assign({}, extra || {});
    var key = sessionStorage.getItem(KEY_STORE);
    if (key) h[KEY_HEADER] = key;
    return h;
  }

  // The listing: ask for the API key when it answers 401, keep the key in this tab only.
  async function load() {
    $('status').textContent = 'Loading commands…';
    var res;
    try {
      res = await fetch('/v1/commands?detailed=true', { headers: headers() });
    } catch (error) {
      $('status').textContent = 'Could not reach the proxy: ' + error.message;
      return;
    }
    if (res.status === 401) {
      var had = sessionStorage.getItem(KEY_STORE) !== null;
      sessionStorage.removeItem(KEY_STORE);
      showKeyForm(had ? 'The proxy refused that API key. Try again.' : 'This proxy needs its API key.');
      return;
    }
    if (!res.ok) {
      $('status').textContent = 'The listing answered HTTP ' + res.status;
      return;
    }
    state.commands = await res.json();
    $('key-form').hidden = true;
    $('main').hidden = false;
    $('forget-key').hidden = sessionStorage.getItem(KEY_STORE) === null;
    $('status').textContent = '';
    renderList();
    var wanted = decodeURIComponent(location.hash.slice(1));
    var first = state.commands.find(function (c) { return c.id === wanted; }) || state.commands[0];
    if (first) select(first.id);
  }

  function showKeyForm(message) {
    $('status').textContent = '';
    $('key-message').textContent = message;
    $('key-form').hidden = false;
    $('main').hidden = true;
    $('api-key').value = '';
    $('api-key').focus();
  }

  function matches(command, query) {
    if (!query) return true;
    var text = [command.id, command.description || ''].concat(command.parameters.map(function (p) { return p.id; }));
    return text.join(' ').toLowerCase().indexOf(query) >= 0;
  }

  function renderList() {
    var query = $('search').value.trim().toLowerCase();
    var list = $('commands');
    list.replaceChildren();
    var groups = {};
    var shown = 0;
    state.commands.forEach(function (command) {
      if (!matches(command, query)) return;
      var connector = command.id.split('/')[0];
      if (!groups[connector]) {
        groups[connector] = el('ul', {});
        list.append(el('li', { class: 'connector' }, [el('h3', { text: connector }), groups[connector]]));
      }
      shown++;
      var button = el('button', {
        type: 'button',
        class: 'command',
        'data-id': command.id,
        'aria-current': state.selected && state.selected.id === command.id ? 'true' : null,
        title: plain(command.description),
        onclick: function () { select(command.id); },
      }, [el('span', { text: command.id.split('/')[1] }), el('small', { text: plain(command.description) })]);
      groups[connector].append(el('li', {}, [button]));
    });
    $('count').textContent = shown + ' of ' + state.commands.length + (state.commands.length === 1 ? ' command' : ' commands');
  }

  function select(id) {
    var command = state.commands.find(function (c) { return c.id === id; });
    if (!command) return;
    state.selected = command;
    state.last = null;
    history.replaceState(null, '', '#' + id);
    renderList();
    $('empty').hidden = true;
    $('detail').hidden = false;
    $('command-id').textContent = command.id;
    $('command-description').textContent = plain(command.description);
    var traits = [];
    if (command.long_running) traits.push('long-running');
    if (command.idempotent) traits.push('idempotent');
    $('command-traits').textContent = traits.join(' · ');
    renderForm(command);
    renderErrors(command);
    $('output').hidden = true;
    $('snippet').hidden = true;
  }

  function renderErrors(command) {
    var list = $('error-codes');
    list.replaceChildren();
    (command.errors || []).forEach(function (e) {
      list.append(el('li', {}, [el('code', { text: e.code }), document.createTextNode(' ' + plain(e.description))]));
    });
    $('errors-box').hidden = (command.errors || []).length === 0;
    var result = command.result;
    $('result-box').hidden = !result;
    if (result) {
      $('result-text').textContent = [plain(result.description), result.mimetype ? 'mimetype: ' + result.mimetype : '',
        result.schema ? 'schema: ' + JSON.stringify(result.schema) : ''].filter(Boolean).join('\n');
    }
  }

  function renderForm(command) {
    var form = $('params');
    form.replaceChildren();
    if (command.parameters.length === 0) form.append(el('p', { class: 'muted', text: 'This command takes no parameters.' }));
    command.parameters.forEach(function (p) {
      var id = 'param-' + p.id;
      var input;
      var hasDefault = Object.prototype.hasOwnProperty.call(p, 'default');
      if (p.enum) {
        input = el('select', { id: id, name: p.id });
        if (!p.required || !hasDefault) input.append(el('option', { value: '', text: p.required ? '(choose)' : '(not set)' }));
        p.enum.forEach(function (v) { input.append(el('option', { value: v, text: v, selected: hasDefault && p.default === v })); });
      } else if (p.type === 'bool') {
        input = el('input', { id: id, name: p.id, type: 'checkbox', checked: hasDefault && p.default === true });
      } else if (p.type === 'int') {
        input = el('input', { id: id, name: p.id, type: 'number', step: '1', placeholder: hasDefault ? String(p.default) : '' });
      } else if (p.type === 'any') {
        input = el('textarea', { id: id, name: p.id, rows: '3', spellcheck: 'false', placeholder: hasDefault ? JSON.stringify(p.default) : 'JSON, e.g. {"a": 1} or ["x"]' });
      } else {
        input = el('input', { id: id, name: p.id, type: p.secret ? 'password' : 'text', autocomplete: p.secret ? 'off' : null, placeholder: hasDefault ? String(p.default) : '' });
      }
      input.dataset.type = p.type;
      var traits = [p.type, p.required ? 'required' : 'optional'];
      if (hasDefault) traits.push('default ' + JSON.stringify(p.default));
      if (p.secret) traits.push('secret');
      form.append(el('div', { class: 'field' }, [
        el('label', { for: id }, [el('code', { text: p.id }), el('span', { class: 'traits', text: traits.join(', ') })]),
        input,
        p.description ? el('p', { class: 'help', text: plain(p.description) }) : null,
        el('p', { class: 'problem', id: 'problem-' + p.id, hidden: true }),
      ]));
    });
  }

  // The form's values as the request's parameters; a problem per field that cannot be read.
  function readForm(command) {
    var values = {};
    var problems = 0;
    command.parameters.forEach(function (p) {
      var input = $('param-' + p.id);
      var problem = $('problem-' + p.id);
      problem.hidden = true;
      if (p.type === 'bool' && !p.enum) {
        if (input.checked || p.required || Object.prototype.hasOwnProperty.call(p, 'default')) values[p.id] = input.checked;
        return;
      }
      var text = input.value;
      if (text.trim() === '') return;
      if (p.type === 'any') {
        try { values[p.id] = JSON.parse(text); } catch (error) {
          problem.textContent = 'Not valid JSON: ' + error.message;
          problem.hidden = false;
          problems++;
        }
      } else if (p.type === 'int' && !p.enum && /^-?\d+$/.test(text.trim())) {
        values[p.id] = Number(text.trim());
      } else {
        values[p.id] = text;
      }
    });
    var taskData = {};
    var taskText = $('task-data').value.trim();
    $('task-data-problem').hidden = true;
    if (taskText !== '') {
      try { taskData = JSON.parse(taskText); } catch (error) { taskData = undefined; $('task-data-problem').textContent = 'Not valid JSON: ' + error.message; }
      if (taskData === null || typeof taskData !== 'object' || Array.isArray(taskData)) {
        if (taskData !== undefined) $('task-data-problem').textContent = 'Task data must be a JSON object ({...})';
        $('task-data-problem').hidden = false;
        problems++;
      }
    }
    return problems > 0 ? null : { params: values, taskData: taskData };
  }

  async function run() {
    var command = state.selected;
    var input = readForm(command);
    if (!input) return;
    var body = Object.assign({}, input.params, { spiff__task_data: input.taskData });
    $('run').disabled = true;
    $('run-state').textContent = 'Running…';
    var started = performance.now();
    var res, text;
    try {
      res = await fetch('/v1/do/' + command.id, { method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), body: JSON.stringify(body) });
      text = await res.text();
    } catch (error) {
      $('run-state').textContent = 'The request failed: ' + error.message;
      $('run').disabled = false;
      return;
    }
    var ms = Math.round(performance.now() - started);
    $('run').disabled = false;
    $('run-state').textContent = '';
    if (res.status === 401) { showKeyForm('The proxy refused the API key. Enter it again.'); return; }
    state.last = input;
    window.PlaygroundOutput.show(res, text, ms);
  }

  window.Playground = { state: state, readForm: readForm, plain: plain, el: el };

  document.addEventListener('DOMContentLoaded', function () {
    $('search').oninput = renderList;
    // A copy shows the values it was made from: one that no longer matches the form goes.
    $('detail').addEventListener('input', function () { $('snippet').hidden = true; });
    $('detail').addEventListener('change', function () { $('snippet').hidden = true; });
    $('run').onclick = run;
    $('key-form').onsubmit = function (event) {
      event.preventDefault();
      var key = $('api-key').value;
      if (key === '') return;
      sessionStorage.setItem(KEY_STORE, key);
      load();
    };
    $('forget-key').onclick = function () { sessionStorage.removeItem(KEY_STORE); location.reload(); };
    $('copy-curl').onclick = function () { window.PlaygroundOutput.copy('curl'); };
    $('copy-bpmn').onclick = function () { window.PlaygroundOutput.copy('bpmn'); };
    load();
  });
})();
`;
