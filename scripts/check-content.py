#!/usr/bin/env python3
"""Dev tool: check the shipped content sheets (taxonomy, mappings, verticals) for problems.

    python3 scripts/check-content.py [--sheets DIR] [--real DIR] [--verbose]

Plain python3, no dependencies. It does not replace `labelmap validate`; it exists so the
content can be checked while the merge engine is still being written. Exit 0 clean, 1 problems.

Native class names come from `sheets/datasets/<dataset>@<version>.csv` when such a sheet exists,
otherwise from the published label files in the real-metadata folder (--real, default
/work/shared/real, see its SOURCES.md).
"""
import argparse
import csv
import io
import json
import os
import re
import sys
from collections import defaultdict

SNAKE = re.compile(r'^[a-z][a-z0-9]*(_[a-z0-9]+)*$')
COLOR = re.compile(r'^#[0-9a-f]{6}$')
INJECTION = ('=', '+', '-', '@')
IGNORE = 'ignore'
BACKGROUND = 'background'
VOC = ['background', 'aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat', 'chair',
       'cow', 'diningtable', 'dog', 'horse', 'motorbike', 'person', 'pottedplant', 'sheep', 'sofa',
       'train', 'tvmonitor', 'void']


class Report:
    def __init__(self):
        self.errors = []
        self.warnings = []

    def error(self, where, msg):
        self.errors.append(f'{where}: {msg}')

    def warn(self, where, msg):
        self.warnings.append(f'{where}: {msg}')


def read_csv(path, header, rep, optional=()):
    """Rows as dicts with their line number; checks encoding, line ends, header, injection.
    `optional` columns may follow the required header, in that order, each present or not."""
    raw = open(path, 'rb').read()
    where = os.path.relpath(path)
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError as e:
        rep.error(where, f'not UTF-8 ({e})')
        return []
    if text.startswith('\ufeff'):
        rep.error(where, 'starts with a BOM (written sheets carry none)')
        text = text[1:]
    if '\r' in text:
        rep.error(where, 'has CR line ends (written sheets use LF)')
    if not text.endswith('\n'):
        rep.error(where, 'does not end with a newline')
    rows = []
    reader = csv.reader(io.StringIO(text, newline=''))
    try:
        got = next(reader)
    except StopIteration:
        rep.error(where, 'empty file')
        return []
    extra = got[len(header):]
    in_order = [c for c in optional if c in extra]
    if got[:len(header)] != header or extra != in_order:
        rep.error(where, f'header is {got}, expected {header}' + (f' (optionally followed by {list(optional)})' if optional else ''))
        return []
    header = got
    for rec in reader:
        line = reader.line_num
        if len(rec) != len(header):
            rep.error(f'{where}:{line}', f'{len(rec)} cells, expected {len(header)}')
            continue
        for col, cell in zip(header, rec):
            if cell != cell.strip():
                rep.error(f'{where}:{line}', f'{col} has leading or trailing spaces')
            if cell.startswith(INJECTION):
                rep.error(f'{where}:{line}', f'{col} starts with {cell[0]!r} (spreadsheet formula injection)')
            if '\n' in cell:
                rep.error(f'{where}:{line}', f'{col} spans several lines')
        row = dict(zip(header, rec))
        row['_line'] = line
        rows.append(row)
    return rows


def latest(folder, name):
    """Path of the highest version of sheets/<folder>/<name>@x.y.z.csv, or None."""
    if not os.path.isdir(folder):
        return None
    best = None
    for f in os.listdir(folder):
        m = re.match(r'^(.+)@(\d+)\.(\d+)\.(\d+)\.csv$', f)
        if m and m.group(1) == name:
            v = tuple(int(x) for x in m.group(2, 3, 4))
            if best is None or v > best[0]:
                best = (v, os.path.join(folder, f))
    return best[1] if best else None


def no_published_names(ds):
    raise OSError(f'{ds} has no published list of the names its sheet uses')


def native_classes(sheets, real, rep):
    """dataset -> list of native class names (a sheet wins over the published files)."""
    out = {}
    from_real = {
        'coco': lambda: [c['name'] for c in json.load(open(f'{real}/coco/instances_val2017.excerpt.json'))['categories']],
        'coco-panoptic': lambda: [c['name'] for c in json.load(open(f'{real}/coco/panoptic_coco_categories.json'))],
        'coco-stuff': lambda: [c['name'] for c in json.load(open(f'{real}/coco/stuff_val2017.excerpt.json'))['categories']],
        'cityscapes': lambda: [r['name'] for r in csv.DictReader(open(f'{real}/cityscapes/labels.facts.csv'))],
        'mapillary-vistas-v1.2': lambda: [l['name'] for l in json.load(open(f'{real}/mapillary/config_v1.1_public.json'))['labels']],
        'mapillary-vistas-v2.0': lambda: [l['name'] for l in json.load(open(f'{real}/mapillary/config_v2.0.json'))['labels']],
        'apolloscape': lambda: [r['name'] for r in csv.DictReader(open(f'{real}/apolloscape/scene-parsing-labels.facts.csv'))],
        'apolloscape-lanemark': lambda: [r['name'] for r in csv.DictReader(open(f'{real}/apolloscape/lane-marking-labels.facts.csv'))],
        'voc': lambda: list(VOC),
        # objectInfo150 names are lists of synonyms; the extractor's short names live in the sheet only.
        'ade20k': lambda: no_published_names('ade20k'),
    }
    for ds, load in from_real.items():
        sheet = latest(os.path.join(sheets, 'datasets'), ds)
        if sheet:
            with open(sheet, encoding='utf-8-sig', newline='') as f:
                out[ds] = [r['name'] for r in csv.DictReader(f)]
            source = os.path.relpath(sheet)
        else:
            try:
                out[ds] = load()
            except OSError as e:
                rep.error(ds, f'no dataset sheet and the published labels cannot be read ({e})')
                continue
            source = real
        dupes = {n for n in out[ds] if out[ds].count(n) > 1}
        if dupes:
            rep.error(ds, f'native names repeat in {source}: {sorted(dupes)}')
    return out


def moved_classes(path):
    """Classes whose parent differs in an earlier version of this taxonomy: they keep their id
    (ids are never renumbered), so it lies outside their new branch's block on purpose."""
    folder, base = os.path.split(path)
    name = re.sub(r'@.*', '', base)
    now = {r['name']: r['parent'] for r in csv.DictReader(open(path, newline='', encoding='utf-8'))}
    moved = set()
    for f in os.listdir(folder):
        if f != base and re.match(rf'^{re.escape(name)}@\d+\.\d+\.\d+\.csv$', f):
            for r in csv.DictReader(open(os.path.join(folder, f), newline='', encoding='utf-8')):
                if r['name'] in now and now[r['name']] != r['parent']:
                    moved.add(r['name'])
    return moved


def check_taxonomy(path, rep):
    rows = read_csv(path, ['id', 'name', 'parent', 'display_name', 'color', 'is_thing', 'description'], rep)
    where = os.path.relpath(path)
    by_name, ids, colours = {}, {}, defaultdict(list)
    for r in rows:
        at = f"{where}:{r['_line']}"
        if not re.fullmatch(r'[1-9]\d*', r['id']):
            rep.error(at, f"id {r['id']!r} is not an integer from 1")
        elif r['id'] in ids:
            rep.error(at, f"id {r['id']} already used by {ids[r['id']]}")
        else:
            ids[r['id']] = r['name']
        if not SNAKE.match(r['name']):
            rep.error(at, f"name {r['name']!r} is not snake_case")
        if r['name'] in by_name:
            rep.error(at, f"name {r['name']} repeats (first on line {by_name[r['name']]['_line']})")
        by_name[r['name']] = r
        if not COLOR.match(r['color']):
            rep.error(at, f"color {r['color']!r} is not #rrggbb in lower case")
        colours[r['color']].append(r['name'])
        if r['is_thing'] not in ('true', 'false'):
            rep.error(at, f"is_thing {r['is_thing']!r} is not true or false")
        if not r['display_name']:
            rep.error(at, 'display_name is empty')
    parent = {}
    for r in rows:
        p = r['parent']
        if p and p not in by_name:
            rep.error(f"{where}:{r['_line']}", f"parent {p!r} is not a taxonomy class")
        elif p:
            parent[r['name']] = p
    for n in by_name:
        seen, cur = {n}, parent.get(n)
        while cur:
            if cur in seen:
                rep.error(f"{where}:{by_name[n]['_line']}", f'{n} is in a parent cycle')
                break
            seen.add(cur)
            cur = parent.get(cur)
    for c, ns in colours.items():
        if len(ns) > 1:
            rep.warn(where, f'colour {c} shared by {", ".join(ns)}')
    # ids in blocks: a child should sit in its top-level branch's hundred block (gaps leave room)
    for n, r in by_name.items():
        top = n
        while top in parent:
            top = parent[top]
        if r['id'].isdigit() and by_name[top]['id'].isdigit():
            if int(r['id']) < int(by_name[top]['id']) and n not in moved_classes(path):
                rep.warn(f"{where}:{r['_line']}", f"id {r['id']} is below its top-level branch {top} ({by_name[top]['id']})")
    return by_name, parent


def children_map(parent):
    kids = defaultdict(list)
    for c, p in parent.items():
        kids[p].append(c)
    return kids


def subtree(node, kids):
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(kids.get(n, []))
    return out


def ancestors(node, parent):
    out, cur = [], parent.get(node)
    while cur:
        out.append(cur)
        cur = parent.get(cur)
    return out


def check_mappings(sheets, tax, natives, rep):
    out = {}
    folder = os.path.join(sheets, 'mappings')
    present = set()
    if os.path.isdir(folder):
        for f in os.listdir(folder):
            m = re.match(r'^(.+)@\d+\.\d+\.\d+\.csv$', f)
            if m:
                present.add(m.group(1))
    for ds in sorted(present - set(natives)):
        rep.warn(ds, 'mapping sheet for a dataset the checker does not know')
    for ds, classes in natives.items():
        path = latest(folder, ds)
        if not path:
            rep.error(ds, 'no mapping sheet')
            continue
        where = os.path.relpath(path)
        rows = read_csv(path, ['source', 'target', 'note'], rep, optional=['contains'])
        seen = {}
        for r in rows:
            at = f"{where}:{r['_line']}"
            s = r['source']
            if s in seen:
                rep.error(at, f'source {s!r} repeats (first on line {seen[s]["_line"]})')
                continue
            seen[s] = r
            if s not in classes:
                rep.error(at, f'source {s!r} is not a {ds} class')
            t = r['target']
            if t != IGNORE and t != BACKGROUND and t not in tax:
                rep.error(at, f'target {t!r} is not a taxonomy class, {IGNORE} or {BACKGROUND}')
            r['contains'] = r.get('contains', '').split()
            for c in r['contains']:
                if c not in tax:
                    rep.error(at, f'contains {c!r}, which is not a taxonomy class')
        for c in classes:
            if c not in seen:
                rep.error(where, f'{ds} class {c!r} is not mapped')
        out[ds] = {'path': where, 'rows': seen}
    return out


def check_vertical(path, tax, parent, kids, rep):
    where = os.path.relpath(path)
    rows = read_csv(path, ['class', 'include', 'train_id', 'color'], rep, ('is_thing', 'other', 'absorbs', 'note'))
    order, tid, col, includes = [], {}, {}, defaultdict(list)
    included_by = {}
    for r in rows:
        at = f"{where}:{r['_line']}"
        c, inc = r['class'], r['include']
        if not SNAKE.match(c):
            rep.error(at, f'class {c!r} is not snake_case')
        if inc not in tax:
            rep.error(at, f'include {inc!r} is not a taxonomy class')
            continue
        if inc in included_by:
            rep.error(at, f'{inc} is already included (line {included_by[inc]})')
        included_by[inc] = r['_line']
        if c not in tid:
            order.append(c)
            tid[c] = r['train_id']
            col[c] = r['color']
        else:
            if r['train_id'] != tid[c]:
                rep.error(at, f'{c} has train_id {r["train_id"]} here and {tid[c]} before')
            if r['color'] != col[c]:
                rep.error(at, f'{c} has colour {r["color"]} here and {col[c]} before')
        if not COLOR.match(r['color']):
            rep.error(at, f"color {r['color']!r} is not #rrggbb in lower case")
        for flag in ('other', 'absorbs'):
            if r.get(flag, '') == 'true':
                rep.error(at, f'{flag} is not modelled by this check (its coverage would differ from merge): extend check_vertical first')
        includes[c].append(inc)
    for i, c in enumerate(order):
        if tid[c] != str(i):
            rep.error(where, f'{c} has train_id {tid[c]}; expected {i} (contiguous from 0 in order of first appearance)')
    if len(order) > 255:
        rep.error(where, f'{len(order)} output classes; a vertical has at most 255')
    cols = defaultdict(list)
    for c in order:
        cols[col[c]].append(c)
    for k, v in cols.items():
        if len(v) > 1:
            rep.error(where, f'colour {k} shared by output classes {", ".join(v)}')
    for c, incs in includes.items():
        for a in incs:
            for b in incs:
                if a != b and a in ancestors(b, parent):
                    rep.error(where, f'{c} includes {b} twice: directly and through its ancestor {a}')
    # resolve every taxonomy node to an output class: nearest included ancestor-or-self
    direct = {inc: c for c, incs in includes.items() for inc in incs}
    resolved = {}
    for n in tax:
        cur = n
        while cur and cur not in direct:
            cur = parent.get(cur)
        resolved[n] = direct[cur] if cur else IGNORE
    return {'path': where, 'order': order, 'includes': includes, 'resolved': resolved}


def coverage(vert, mappings, kids, rep, verbose):
    """Per dataset: which output classes it annotates fully or partially; notes for coarse sources."""
    where = vert['path']
    resolved = vert['resolved']
    full_any = defaultdict(set)
    table = {}
    for ds, m in mappings.items():
        full, partial = set(), set()
        for s, r in m['rows'].items():
            t = r['target']
            if t == IGNORE or t not in resolved:
                continue  # an unknown target is reported by check_mappings
            values = {resolved[n] for n in subtree(t, kids)}
            outs = values - {IGNORE}
            if not outs:
                continue
            # Declared impurities (the mapping's `contains`): where the class is trained (one label, or
            # a label set with no ignore in it), the labels of what it also holds are partial.
            trained = outs if IGNORE not in values else set()
            for c in r.get('contains', []):
                rc = resolved.get(c, IGNORE)
                if trained and rc != IGNORE and rc not in trained:
                    partial.add(rc)
            if len(values) == 1:
                full.add(next(iter(outs)))
                continue
            partial |= outs
            kind = 'split across ' + ', '.join(sorted(outs)) + (' and ignore' if IGNORE in values else '')
            if len(outs) > 1:
                if not r['note']:
                    rep.error(f"{m['path']}:{r['_line']}",
                              f'{s!r} -> {t} is coarser than vertical {where}: {kind}; it needs a note')
                elif verbose:
                    print(f'  coarse {ds}:{s} -> {t}: {kind}')
            else:
                msg = f'{s!r} -> {t} is only partly included by {where}: {kind}'
                if not r['note']:
                    rep.warn(f"{m['path']}:{r['_line']}", msg + ' (no note)')
                elif verbose:
                    print(f'  partial {ds}:{s} -> {t}: {kind}')
        # The definition of `labelmap merge` (docs/merge.md, Coverage): a label that any class of the
        # dataset reaches only coarsely is partial, even when another class maps to it exactly.
        table[ds] = (full - partial, partial)
        for c in full - partial:
            full_any[c].add(ds)
    vname = re.sub(r'@.*', '', os.path.basename(where))
    for c in vert['order']:
        if (vname, c) in KNOWN_NOT_FULL:
            if c in full_any:
                rep.error(where, f'output class {c} is listed in README.md as annotated fully by no dataset, but {", ".join(sorted(full_any[c]))} annotate it fully')
            continue
        if c not in full_any:
            some = [ds for ds, (f, p) in table.items() if c in p]
            rep.error(where, f'output class {c} is annotated fully by no dataset' + (f' (only partly by {", ".join(some)})' if some else ''))
    return table


def known_not_full(readme):
    """(vertical, label) pairs of the README table of output labels no dataset annotates fully."""
    out = set()
    if not os.path.exists(readme):
        return out
    text = open(readme, encoding='utf-8').read()
    part = text.split('### Output labels that no shipped dataset annotates fully', 1)
    if len(part) < 2:
        return out
    for line in part[1].split('\n###', 1)[0].split('\n## ', 1)[0].splitlines():
        m = re.match(r'^\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|', line)
        if m:
            out.add((m.group(1), m.group(2)))
    return out


KNOWN_NOT_FULL = set()


def main():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--sheets', default=os.path.join(here, 'sheets'))
    ap.add_argument('--real', default='/work/shared/real')
    ap.add_argument('--verbose', action='store_true', help='list every coarse and partial source per vertical')
    ap.add_argument('--json', action='store_true', help="print the coverage it computes (vertical -> dataset -> label -> status) as JSON on stdout, the report on stderr; tests/sheets/content-check.test.ts holds it against merge's coverage.csv")
    args = ap.parse_args()
    if args.json:
        sys.stdout = sys.stderr  # the report; the JSON goes to the real stdout at the end
    rep = Report()
    KNOWN_NOT_FULL.update(known_not_full(os.path.join(os.path.dirname(os.path.abspath(args.sheets)), 'README.md')))

    tax_path = latest(os.path.join(args.sheets, 'taxonomy'), 'unified')
    if not tax_path:
        print('no sheets/taxonomy/unified@*.csv', file=sys.stderr)
        return 1
    tax, parent = check_taxonomy(tax_path, rep)
    kids = children_map(parent)
    natives = native_classes(args.sheets, args.real, rep)
    mappings = check_mappings(args.sheets, tax, natives, rep)

    # taxonomy classes no dataset reaches (not even through a coarser ancestor mapping)
    reached = set()
    for m in mappings.values():
        for r in m['rows'].values():
            if r['target'] != IGNORE:
                reached.add(r['target'])
    unreached = [n for n in tax if n not in reached and not any(d in reached for d in subtree(n, kids))]
    for n in unreached:
        rep.warn(os.path.relpath(tax_path), f'{n} is reached by no dataset class')

    tops = [n for n in tax if n not in parent]
    print(f'taxonomy {os.path.relpath(tax_path)}: {len(tax)} classes, {len(tops)} top-level '
          f'({", ".join(tops)}), {sum(1 for n in tax if n not in kids)} leaves')
    for ds, m in mappings.items():
        rows = m['rows'].values()
        ign = sum(1 for r in rows if r['target'] == IGNORE)
        print(f'mapping {m["path"]}: {len(rows)} sources, {ign} ignore, {sum(1 for r in rows if r["note"])} with a note')

    computed = {}
    vfolder = os.path.join(args.sheets, 'verticals')
    names = sorted({re.sub(r'@.*', '', f) for f in os.listdir(vfolder) if f.endswith('.csv')}) if os.path.isdir(vfolder) else []
    for v in names:
        vert = check_vertical(latest(vfolder, v), tax, parent, kids, rep)
        print(f'vertical {vert["path"]}: {len(vert["order"])} output classes')
        table = coverage(vert, mappings, kids, rep, args.verbose)
        computed[v] = {ds: {c: ('full' if c in full else 'partial' if c in partial else 'none') for c in vert['order']} for ds, (full, partial) in table.items()}
        for ds, (full, partial) in table.items():
            print(f'  {ds:24} full {len(full):3}  partial {len(partial):3}  none {len(vert["order"]) - len(full) - len(partial):3}')

    for w in rep.warnings:
        print(f'warning  {w}')
    for e in rep.errors:
        print(f'error    {e}')
    print(f'{len(rep.errors)} errors, {len(rep.warnings)} warnings')
    if args.json:
        sys.__stdout__.write(json.dumps({'coverage': computed}, indent=1, sort_keys=True) + '\n')
    return 1 if rep.errors else 0


if __name__ == '__main__':
    sys.exit(main())
