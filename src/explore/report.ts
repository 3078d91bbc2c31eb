// The one-file HTML report: the taxonomy as a collapsible tree, each vertical's coverage matrix
// (output labels x datasets), every dataset's LUT, and a search box that matches exactly as
// `labelmap find` does (the normaliser's own source is embedded). Pure: data in, one HTML string
// out, no network, no CDN; the data sits in one JSON island that the inline script reads.
// Legible in grayscale: every status is a word and a symbol, never a colour alone.
import type { Bundle } from '../taxonomy/types.js';
import { normalizerSource } from '../text/normalize.js';
import type { LabelIndex } from './index.js';

/** Marks a file as a labelmap report: a report replaces only a file that carries it. */
export const REPORT_GENERATOR = '<meta name="generator" content="labelmap report">';

export interface ReportChange {
  sheet: string;
  level: string;
  text: string;
}

export interface ReportData {
  title: string;
  /** Where the sheets came from, shown in the header. */
  sheets: string;
  index: LabelIndex;
  /** One per vertical shown, in order. */
  verticals: {
    name: string;
    labels: { train_id: number; name: string; color: string; is_thing: boolean | null }[];
    sets: { id: number; name: string; members: string[] }[];
    coverage: { dataset: string; cells: { label: string; status: string; because: string[] }[] }[];
  }[];
  /** `report --diff a b`: the changes, as `diff` computes them. */
  diff?: { a: string; b: string; changes: ReportChange[] } | null;
}

/** The report's data from the index and the compiled bundles. */
export function reportData(title: string, sheets: string, index: LabelIndex, bundles: readonly Bundle[]): ReportData {
  return {
    title,
    sheets,
    index,
    verticals: bundles.map((b) => {
      const sets = ((b as Bundle & { label_sets?: { id: number; name: string; members: string[] }[] }).label_sets ?? []).map((s) => ({ id: s.id, name: s.name, members: [...s.members] }));
      return {
        name: b.vertical ?? 'unified',
        labels: b.labels.map((l) => ({ train_id: l.train_id, name: l.name, color: l.color, is_thing: l.is_thing })),
        sets,
        coverage: b.datasets.map((d) => ({
          dataset: d.name,
          cells: d.coverage.map((c) => ({ label: c.label, status: c.status, because: [...((c as { because?: string[] }).because ?? [])] })),
        })),
      };
    }),
  };
}

/** JSON that is safe inside a <script> element: no `</script>`, no `<!--`, no line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderReport(data: ReportData): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
${REPORT_GENERATOR}
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(data.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
  <h1>${escapeHtml(data.title)}</h1>
  <p class="meta">taxonomy ${escapeHtml(`${data.index.taxonomy.name}@${data.index.taxonomy.version}`)} · ${data.index.classes.length} classes · ${data.index.datasets.length} datasets · ${data.verticals.length} vertical(s) · sheets: ${escapeHtml(data.sheets)}</p>
  <label class="search">Search <input id="search" type="search" placeholder="bicycle, traffic lights, person…" autocomplete="off"></label>
  <span id="search-count" class="meta"></span>
</header>
<nav><a href="#tree">Taxonomy</a> <a href="#coverage">Coverage</a> <a href="#luts">Lookup tables</a>${data.diff ? ' <a href="#diff">Changes</a>' : ''}</nav>
<main>
<section id="tree"><h2>Taxonomy</h2><p class="hint">Click a class to open it. Sources per dataset are listed under each class.</p><div id="tree-root"></div></section>
<section id="coverage"><h2>Coverage</h2><p class="hint">Per output label and dataset: <b>● full</b> (the dataset labels it), <b>◐ partial</b> (only through a coarser class or a label set), <b>○ none</b> (the dataset never labels it: its absence is not background). Hover a cell for the reason.</p><div id="coverage-root"></div></section>
<section id="luts"><h2>Lookup tables</h2><p class="hint">Per dataset: native id → output label, label set or ignore, and why.</p><div id="lut-root"></div></section>
${data.diff ? '<section id="diff"><h2>Changes</h2><div id="diff-root"></div></section>' : ''}
</main>
<script type="application/json" id="labelmap-data">${scriptJson(data)}</script>
<script>
${normalizerSource()}
${SCRIPT}
</script>
</body>
</html>
`;
}

const CSS = `
:root { font-family: system-ui, sans-serif; color: #111; background: #fff; }
body { margin: 0; }
header { position: sticky; top: 0; background: #f4f4f4; border-bottom: 1px solid #999; padding: 8px 16px; z-index: 2; }
h1 { font-size: 1.3em; margin: 0 0 4px; }
nav { padding: 4px 16px; border-bottom: 1px solid #ccc; }
nav a { margin-right: 12px; }
main { padding: 0 16px 32px; }
section { scroll-margin-top: 110px; }
.meta, .hint { color: #444; font-size: 0.9em; margin: 2px 0; }
.search input { font-size: 1em; width: 22em; padding: 2px 4px; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; border: 1px solid #000; vertical-align: middle; margin-right: 4px; }
.hex { font-family: ui-monospace, monospace; font-size: 0.8em; color: #444; }
details.node { margin-left: 1.2em; }
details.node > summary { cursor: pointer; padding: 1px 0; }
.node .desc { color: #333; font-size: 0.9em; margin: 2px 0 2px 1.2em; max-width: 60em; }
.node .srcs { font-size: 0.85em; margin: 0 0 4px 1.2em; }
.badge { font-size: 0.75em; border: 1px solid #666; border-radius: 3px; padding: 0 3px; margin-left: 4px; }
.hidden { display: none; }
mark { background: #ffe680; }
table { border-collapse: collapse; font-size: 0.85em; margin: 4px 0 12px; }
th, td { border: 1px solid #999; padding: 2px 5px; text-align: left; }
th { background: #eee; position: sticky; top: 0; }
td.cov { text-align: center; white-space: nowrap; }
td.full { background: #cfe8cf; }
td.partial { background: repeating-linear-gradient(45deg, #fff2c6, #fff2c6 4px, #f3dc8c 4px, #f3dc8c 8px); }
td.none { background: #fff; color: #555; }
.vertical-pick { margin: 4px 0; }
`;

// The page's behaviour: plain DOM, no framework. Reads the JSON island, builds the three
// sections, and filters them with nameTokens/matchLevel (embedded above, the CLI's own code).
const SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('labelmap-data').textContent);
  var index = data.index;
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) { if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]); }
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function swatch(color) { return el('span', { class: 'swatch', style: 'background:' + color, title: color }); }

  // --- taxonomy tree -------------------------------------------------------------------------
  // Keyed by names from the sheets: null-prototype objects (a dataset named constructor must not find Object.prototype.constructor).
  function dict() { return Object.create(null); }
  var childrenOf = dict(); var byName = dict();
  index.classes.forEach(function (c) { byName[c.name] = c; (childrenOf[c.parent] = childrenOf[c.parent] || []).push(c); });
  var sourcesOf = dict();
  index.sources.forEach(function (s) { (sourcesOf[s.target] = sourcesOf[s.target] || []).push(s); });
  var nodeEls = dict();
  function buildNode(c) {
    var kids = childrenOf[c.name] || [];
    var d = el('details', { class: 'node', 'data-name': c.name });
    var summary = el('summary', {}, [swatch(c.color || '#ffffff'), el('b', { text: c.name }), ' ', el('span', { class: 'hex', text: '#' + c.id + ' ' + (c.color || '') }),
      c.is_thing === true ? el('span', { class: 'badge', text: 'thing' }) : c.is_thing === false ? el('span', { class: 'badge', text: 'stuff' }) : null,
      kids.length ? el('span', { class: 'hex', text: ' (' + kids.length + ')' }) : null]);
    d.appendChild(summary);
    if (c.description) d.appendChild(el('div', { class: 'desc', text: c.description }));
    var srcs = sourcesOf[c.name] || [];
    if (srcs.length) {
      var byDs = dict();
      srcs.forEach(function (s) { (byDs[s.dataset] = byDs[s.dataset] || []).push(s.name + ' (' + s.id + ')'); });
      d.appendChild(el('div', { class: 'srcs' }, Object.keys(byDs).sort().map(function (ds) { return el('div', { text: ds + ': ' + byDs[ds].join(', ') }); })));
    }
    kids.forEach(function (k) { d.appendChild(buildNode(k)); });
    nodeEls[c.name] = d;
    return d;
  }
  var treeRoot = document.getElementById('tree-root');
  (childrenOf[''] || []).forEach(function (c) { treeRoot.appendChild(buildNode(c)); });

  // --- coverage matrix, one per vertical -------------------------------------------------------
  var SYMBOL = { full: '● full', partial: '◐ partial', none: '○ none' };
  var covRoot = document.getElementById('coverage-root');
  var lutRoot = document.getElementById('lut-root');
  var pick = el('select', { id: 'vertical-pick', 'aria-label': 'vertical' }, data.verticals.map(function (v) { return el('option', { value: v.name, text: v.name }); }));
  if (data.verticals.length > 1) covRoot.appendChild(el('div', { class: 'vertical-pick' }, ['Vertical ', pick]));
  var matrices = dict();
  data.verticals.forEach(function (v) {
    var datasets = v.coverage.map(function (c) { return c.dataset; });
    var table = el('table', { class: 'matrix', 'data-vertical': v.name });
    table.appendChild(el('tr', {}, [el('th', { text: 'id' }), el('th', { text: 'output label' })].concat(datasets.map(function (d) { return el('th', { text: d }); }))));
    v.labels.forEach(function (l, i) {
      var row = el('tr', { 'data-label': l.name }, [el('td', { text: String(l.train_id) }), el('td', {}, [swatch(l.color), l.name, l.is_thing === true ? el('span', { class: 'badge', text: 'thing' }) : l.is_thing === false ? el('span', { class: 'badge', text: 'stuff' }) : null])]);
      v.coverage.forEach(function (c) {
        var cell = c.cells[i];
        var why = cell.because && cell.because.length ? cell.because.join('; ') : (cell.status === 'full' ? 'labelled as this class' : cell.status === 'none' ? c.dataset + ' never labels it' : 'only through a coarser class');
        row.appendChild(el('td', { class: 'cov ' + cell.status, title: c.dataset + ' / ' + l.name + ': ' + cell.status + ' (' + why + ')', 'data-status': cell.status, text: SYMBOL[cell.status] || cell.status }));
      });
      table.appendChild(row);
    });
    var wrap = el('div', { class: 'matrix-wrap', 'data-vertical': v.name }, [el('h3', { text: v.name + ': ' + v.labels.length + ' labels × ' + datasets.length + ' datasets' }), table]);
    if (v.sets.length) {
      wrap.appendChild(el('h4', { text: 'Label sets' }));
      wrap.appendChild(el('table', {}, [el('tr', {}, [el('th', { text: 'id' }), el('th', { text: 'set' }), el('th', { text: 'members' })])].concat(v.sets.map(function (s) {
        return el('tr', {}, [el('td', { text: String(s.id) }), el('td', { text: s.name }), el('td', { text: s.members.join(', ') })]);
      }))));
    }
    matrices[v.name] = wrap;
    covRoot.appendChild(wrap);
  });
  function landingText(l) {
    if (!l) return '-';
    if (l.kind === 'label') return l.output;
    if (l.kind === 'set') return '{' + l.output + '} (label set)';
    return 'ignore (' + l.reason + ')';
  }
  var lutTables = dict();
  index.datasets.forEach(function (d) {
    var det = el('details', { class: 'lut', 'data-dataset': d.name }, [el('summary', { text: d.name + '@' + d.version })]);
    var table = el('table', {});
    table.appendChild(el('tr', {}, [el('th', { text: 'id' }), el('th', { text: 'name' }), el('th', { text: 'target' }), el('th', { text: 'output' }), el('th', { text: 'train id' })]));
    index.sources.filter(function (s) { return s.dataset === d.name; }).forEach(function (s) {
      var row = el('tr', { 'data-source': s.name });
      row.appendChild(el('td', { text: String(s.id) }));
      row.appendChild(el('td', { text: s.name }));
      row.appendChild(el('td', { text: s.target }));
      row.appendChild(el('td', { class: 'landing' }));
      row.appendChild(el('td', { class: 'tid' }));
      row._source = s;
      table.appendChild(row);
    });
    det.appendChild(table);
    lutTables[d.name] = table;
    lutRoot.appendChild(det);
  });
  function showVertical(name) {
    Object.keys(matrices).forEach(function (k) { matrices[k].classList.toggle('hidden', k !== name); });
    Object.keys(lutTables).forEach(function (k) {
      Array.prototype.forEach.call(lutTables[k].querySelectorAll('tr[data-source]'), function (row) {
        var l = row._source.landings.filter(function (x) { return x.vertical === name; })[0];
        row.querySelector('.landing').textContent = landingText(l);
        row.querySelector('.tid').textContent = l ? String(l.train_id) : '';
      });
    });
  }
  pick.addEventListener('change', function () { showVertical(pick.value); });
  if (data.verticals.length) showVertical(data.verticals[0].name);

  // --- diff ------------------------------------------------------------------------------------
  if (data.diff) {
    var dr = document.getElementById('diff-root');
    dr.appendChild(el('p', { class: 'hint', text: data.diff.a + ' → ' + data.diff.b + ': ' + data.diff.changes.length + ' change(s)' }));
    dr.appendChild(el('table', {}, [el('tr', {}, [el('th', { text: 'level' }), el('th', { text: 'sheet' }), el('th', { text: 'change' })])].concat(data.diff.changes.map(function (c) {
      return el('tr', { 'data-level': c.level }, [el('td', { text: c.level }), el('td', { text: c.sheet }), el('td', { text: c.text })]);
    }))));
  }

  // --- search: the CLI's matching ---------------------------------------------------------------
  var input = document.getElementById('search');
  var count = document.getElementById('search-count');
  function search() {
    var q = nameTokens(input.value);
    var all = Object.keys(nodeEls);
    if (!q.length) {
      all.forEach(function (n) { nodeEls[n].classList.remove('hidden'); nodeEls[n].open = false; });
      count.textContent = '';
      return;
    }
    var hits = dict();
    index.classes.forEach(function (c) { if (matchLevel(q, c.name) || matchLevel(q, c.display_name)) hits[c.name] = true; });
    index.sources.forEach(function (s) {
      var lv = Math.max(matchLevel(q, s.name), matchLevel(q, s.display_name));
      s.synonyms.forEach(function (n) { lv = Math.max(lv, matchLevel(q, n)); });
      if (lv && byName[s.target]) hits[s.target] = true;
    });
    var visible = dict();
    Object.keys(hits).forEach(function (n) {
      for (var c = byName[n]; c; c = byName[c.parent]) visible[c.name] = true;
    });
    all.forEach(function (n) {
      var show = !!visible[n];
      nodeEls[n].classList.toggle('hidden', !show);
      nodeEls[n].open = show && !hits[n];
    });
    count.textContent = Object.keys(hits).length + ' matching class(es)';
  }
  input.addEventListener('input', search);
  window.labelmapReport = { search: function (text) { input.value = text; search(); } };
})();
`;
