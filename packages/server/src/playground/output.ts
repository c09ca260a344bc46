/** The playground's answer view and its "copy as curl" and "copy as BPMN" (browser JavaScript). */
export const PLAYGROUND_OUTPUT_SCRIPT = String.raw`'use strict';
(function () {
  var $ = function (id) { return document.getElementById(id); };

  function pretty(value) {
    if (typeof value === 'string') {
      try { return JSON.stringify(JSON.parse(value), null, 2); } catch (error) { return value; }
    }
    return JSON.stringify(value, null, 2);
  }

  // The answer, readably: outcome, status, duration, error, body, headers, logs, raw envelope.
  function show(res, text, ms) {
    var envelope = null;
    try { envelope = JSON.parse(text); } catch (error) { envelope = null; }
    var isEnvelope = envelope !== null && typeof envelope === 'object' && 'command_response' in envelope && 'error' in envelope;
    var error = isEnvelope ? envelope.error : null;
    var response = isEnvelope ? envelope.command_response || {} : null;
    var outcome = $('outcome');
    outcome.className = error || !res.ok ? 'outcome failed' : 'outcome ok';
    outcome.textContent = error ? error.error_code : res.ok ? 'ok' : 'failed';
    var status = ['HTTP ' + res.status];
    if (response && response.http_status !== undefined) status.push('http_status ' + response.http_status);
    status.push(ms + ' ms');
    $('answer-status').textContent = status.join(' · ');
    $('answer-error').hidden = !error;
    $('answer-error').textContent = error ? error.error_code + ': ' + error.message : '';
    var body = isEnvelope ? response.body : text;
    $('answer-mimetype').textContent = isEnvelope ? (response.mimetype || 'application/json') : (res.headers.get('content-type') || '');
    $('answer-body').textContent = body === undefined ? '(none)' : pretty(body);
    var headers = response && response.headers ? Object.keys(response.headers) : [];
    $('answer-headers-box').hidden = headers.length === 0;
    $('answer-headers').textContent = headers.map(function (k) { return k + ': ' + response.headers[k]; }).join('\n');
    var logs = isEnvelope && Array.isArray(envelope.spiff__logs) ? envelope.spiff__logs : [];
    $('answer-logs-count').textContent = String(logs.length);
    var list = $('answer-logs');
    list.replaceChildren();
    logs.forEach(function (line) { list.append(window.Playground.el('li', { text: String(line) })); });
    $('answer-raw').textContent = isEnvelope ? JSON.stringify(envelope, null, 2) : text;
    $('output').hidden = false;
  }

  function secretPlaceholder(p, value) {
    return typeof value === 'string' && /^secret:|SPIFF_SECRET:/.test(value) ? value : 'secret:' + p.id.toUpperCase();
  }

  // Secret values never leave in a copy: they become a SpiffArena secret reference.
  function copyValues(command, params) {
    var out = {};
    command.parameters.forEach(function (p) {
      if (!Object.prototype.hasOwnProperty.call(params, p.id)) return;
      out[p.id] = p.secret ? secretPlaceholder(p, params[p.id]) : params[p.id];
    });
    return out;
  }

  function shellQuote(text) { return "'" + text.replace(/'/g, "'\\''") + "'"; }

  function curl(command, input) {
    var body = Object.assign({}, copyValues(command, input.params), { spiff__task_data: input.taskData });
    var lines = ['curl -sS -X POST ' + shellQuote(location.origin + '/v1/do/' + command.id), "  -H 'Content-Type: application/json'"];
    if (sessionStorage.getItem('connector-proxy-api-key') !== null) lines.push('  -H "Spiff-Connector-Proxy-Api-Key: $CONNECTOR_PROXY_API_KEY"');
    lines.push('  --data ' + shellQuote(JSON.stringify(body)));
    return lines.join(' \\\n');
  }

  // A value as the Python expression SpiffArena evaluates: True/False/None, quoted strings.
  function python(value) {
    if (value === null) return 'None';
    if (value === true) return 'True';
    if (value === false) return 'False';
    if (typeof value === 'number') return String(value);
    if (typeof value === 'string') return JSON.stringify(value);
    if (Array.isArray(value)) return '[' + value.map(python).join(', ') + ']';
    return '{' + Object.keys(value).map(function (k) { return JSON.stringify(k) + ': ' + python(value[k]); }).join(', ') + '}';
  }

  function xmlAttr(text) {
    return String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }

  function bpmn(command, input) {
    var values = copyValues(command, input.params);
    var id = 'Activity_' + Math.random().toString(36).slice(2, 9);
    var params = command.parameters.filter(function (p) { return Object.prototype.hasOwnProperty.call(values, p.id); }).map(function (p) {
      return '        <spiffworkflow:parameter id="' + xmlAttr(p.id) + '" type="' + xmlAttr(p.type) + '" value="' + xmlAttr(python(values[p.id])) + '"/>';
    });
    return [
      '<bpmn:serviceTask id="' + id + '" name="' + xmlAttr(command.id.split('/')[1]) + '">',
      '  <bpmn:extensionElements>',
      '    <spiffworkflow:serviceTaskOperator id="' + xmlAttr(command.id) + '" resultVariable="result">',
      '      <spiffworkflow:parameters>',
    ].concat(params, [
      '      </spiffworkflow:parameters>',
      '    </spiffworkflow:serviceTaskOperator>',
      '  </bpmn:extensionElements>',
      '</bpmn:serviceTask>',
    ]).join('\n');
  }

  async function copy(kind) {
    var command = window.Playground.state.selected;
    var input = window.Playground.readForm(command);
    if (!input) return;
    var text = kind === 'curl' ? curl(command, input) : bpmn(command, input);
    $('snippet-text').textContent = text;
    $('snippet-title').textContent = kind === 'curl' ? 'curl' : 'BPMN service task';
    $('snippet').hidden = false;
    var note = $('snippet-note');
    try {
      await navigator.clipboard.writeText(text);
      note.textContent = 'Copied to the clipboard.';
    } catch (error) {
      note.textContent = 'Select the text below to copy it.';
    }
  }

  window.PlaygroundOutput = { show: show, copy: copy, python: python };
})();
`;
