#!/usr/bin/env python3
"""The alternative for bench/voc.mjs: count VOC objects per class with Python's ElementTree.
usage: voc-count.py ANNOTATIONS_DIR  -> prints {"name": [instances, images, difficult, truncated], ...}"""
import json, os, sys
import xml.etree.ElementTree as ET

d = sys.argv[1]
counts = {}
for f in sorted(os.listdir(d)):
    if not f.lower().endswith('.xml'):
        continue
    root = ET.parse(os.path.join(d, f)).getroot()
    seen = set()
    for obj in root.findall('object'):
        name = obj.findtext('name', '').strip()
        c = counts.setdefault(name, [0, 0, 0, 0])
        c[0] += 1
        if name not in seen:
            seen.add(name)
            c[1] += 1
        if obj.findtext('difficult', '0').strip() in ('1', 'true'):
            c[2] += 1
        if obj.findtext('truncated', '0').strip() in ('1', 'true'):
            c[3] += 1
print(json.dumps(counts, sort_keys=True))
