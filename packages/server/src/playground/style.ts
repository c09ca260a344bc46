/** The playground's style sheet. */
export const PLAYGROUND_CSS = `[hidden] { display: none !important; }
:root { color-scheme: light dark; --accent: #2f6fde; --ok: #1d7f3b; --bad: #b3261e; --line: #8884; font-family: system-ui, sans-serif; }
body { margin: 0; line-height: 1.4; }
header { display: flex; gap: 1rem; align-items: center; padding: .75rem 1rem; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
header h1 { font-size: 1.2rem; margin: 0; }
#search { flex: 1; min-width: 14rem; padding: .4rem .6rem; font: inherit; }
#status:empty { display: none; }
#status, #key-form { margin: 1rem; }
#key-form { max-width: 32rem; padding: 1rem; border: 1px solid var(--line); border-radius: 6px; }
main { display: grid; grid-template-columns: minmax(14rem, 22rem) 1fr; min-height: calc(100vh - 4rem); }
nav { border-right: 1px solid var(--line); overflow: auto; }
nav ul { list-style: none; margin: 0; padding: 0; }
nav h3 { font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; margin: .8rem 1rem .3rem; opacity: .7; }
button.command { display: block; width: 100%; text-align: left; border: 0; background: none; padding: .35rem 1rem; cursor: pointer; font: inherit; color: inherit; }
button.command small { display: block; opacity: .7; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
button.command:hover, button.command[aria-current] { background: #2f6fde22; }
button.command[aria-current] { box-shadow: inset 3px 0 var(--accent); }
#workspace { padding: 1rem 1.5rem; overflow: auto; max-width: 60rem; }
#command-id { margin-top: 0; font-family: ui-monospace, monospace; }
.field { margin: .7rem 0; display: grid; gap: .25rem; }
.field label { display: flex; gap: .6rem; align-items: baseline; }
.traits, .muted { opacity: .7; font-size: .85rem; }
.help { margin: 0; font-size: .9rem; opacity: .85; }
.problem { color: var(--bad); margin: 0; }
input[type=text], input[type=password], input[type=number], select, textarea { font: inherit; padding: .35rem .5rem; width: 100%; max-width: 40rem; box-sizing: border-box; }
#api-key { width: auto; }
#snippet-text { white-space: pre-wrap; word-break: break-all; }
textarea { font-family: ui-monospace, monospace; font-size: .9rem; }
input[type=checkbox] { justify-self: start; width: 1.1rem; height: 1.1rem; }
.actions { display: flex; gap: .5rem; align-items: center; margin: 1rem 0; flex-wrap: wrap; }
button { font: inherit; padding: .4rem .9rem; border-radius: 5px; border: 1px solid var(--line); cursor: pointer; }
button.primary { background: var(--accent); color: white; border-color: var(--accent); }
button:disabled { opacity: .5; cursor: progress; }
pre { background: #8881; padding: .6rem .8rem; border-radius: 5px; overflow: auto; max-height: 28rem; font-size: .85rem; }
.outcome { font-size: .85rem; padding: .1rem .5rem; border-radius: 1rem; color: white; }
.outcome.ok { background: var(--ok); }
.outcome.failed { background: var(--bad); }
#answer-logs { font-family: ui-monospace, monospace; font-size: .85rem; }
@media (max-width: 45rem) { main { grid-template-columns: 1fr; } nav { border-right: 0; border-bottom: 1px solid var(--line); max-height: 40vh; } }
`;
