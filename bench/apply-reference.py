#!/usr/bin/env python3
"""The Python reference for bench/apply.mjs: what users write today (cityscapesScripts'
createTrainIdLabelImgs.py style): one process, PIL open -> numpy LUT index -> PIL save.

  apply-reference.py remap LUT_JSON IN_DIR OUT_DIR   # LUT_JSON: {"lut": [256 ints], "palette": [768 ints]}
  apply-reference.py compare DIR_A DIR_B            # every PNG under A equals B's, pixel by pixel (PIL decodes)
Run with Debian's /usr/bin/python3 (python3-pil, python3-numpy)."""
import json, os, sys
import numpy as np
from PIL import Image


def pngs(root):
    for d, _, names in sorted(os.walk(root)):
        for n in sorted(names):
            if n.endswith('.png'):
                yield os.path.relpath(os.path.join(d, n), root)


if sys.argv[1] == 'remap':
    spec = json.load(open(sys.argv[2]))
    lut = np.array(spec['lut'], dtype=np.uint8)
    for rel in pngs(sys.argv[3]):
        out = os.path.join(sys.argv[4], rel)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        img = Image.fromarray(lut[np.array(Image.open(os.path.join(sys.argv[3], rel)))], 'P')
        img.putpalette(spec['palette'])
        img.save(out)
elif sys.argv[1] == 'compare':
    n = 0
    for rel in pngs(sys.argv[2]):
        a, b = Image.open(os.path.join(sys.argv[2], rel)), Image.open(os.path.join(sys.argv[3], rel))
        if a.mode != b.mode or not np.array_equal(np.array(a), np.array(b)) or a.getpalette() != b.getpalette():
            print('differs: %s (%s vs %s)' % (rel, a.mode, b.mode)); sys.exit(1)
        n += 1
    print('equal: %d files' % n)
