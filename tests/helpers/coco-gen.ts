// A generated COCO instances-shaped file for the split-scan tests (tests/formats/coco-split.test.ts,
// tests/e2e/extract-coco-jobs.test.ts): small, deterministic, with every kind of byte a seam can fall on.

/** A small deterministic PRNG (mulberry32): the same file and seams on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedCoco {
  text: string;
  /** Byte offset of each annotation's '{'. */
  starts: number[];
  /** Byte offset of the ',' before each annotation but the first. */
  commas: number[];
}

/**
 * A COCO instances-shaped file with what a seam may fall into: polygons (nested number arrays),
 * exponents and negative numbers, RLE objects, strings with escaped quotes that look like element
 * boundaries (`}, {\"segmentation\"`), nested objects with `image_id` and `category_id` keys,
 * string image ids, an unknown category, line breaks between some elements, non-ASCII bytes.
 */
export function generateCoco(seed: number, annotations = 120, options: { errorAt?: number; error?: string; truncate?: boolean } = {}): GeneratedCoco {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const num = (): string => {
    const r = rnd();
    if (r < 0.05) return `-${int(100)}.${int(10) + 1}`;
    if (r < 0.1) return `${int(9) + 1}e${int(3)}`;
    if (r < 0.12) return `${int(9) + 1}.5E+${int(3)}`;
    if (r < 0.2) return '0';
    return `${int(600) + 1}.${int(100)}`;
  };
  const parts: string[] = [];
  let bytes = 0;
  const put = (s: string): void => {
    parts.push(s);
    bytes += Buffer.byteLength(s);
  };
  const starts: number[] = [];
  const commas: number[] = [];
  put('{"info": {"description": "split test: a \\"quoted\\" }, {\\"segmentation\\": [[1]]} é", "year": 2017},\n');
  put(' "images": [');
  for (let i = 1; i <= 40; i++) put(`${i > 1 ? ', ' : ''}{"id": ${i}, "file_name": "${String(i).padStart(12, '0')}.jpg", "height": 480}`);
  put('],\n "annotations": [');
  for (let k = 0; k < annotations; k++) {
    if (k > 0) {
      commas.push(bytes);
      put(rnd() < 0.2 ? ',\n  ' : ', ');
    }
    starts.push(bytes);
    const image = rnd() < 0.1 ? `"img-${int(5)}"` : String(int(40) + 1);
    const category = rnd() < 0.05 ? 50 : int(5) + 1;
    const shape = rnd();
    let segmentation: string;
    if (shape < 0.6) {
      const polygons = Array.from({ length: int(3) + 1 }, () => `[${Array.from({ length: 2 * (int(8) + 3) }, num).join(', ')}]`);
      segmentation = `[${polygons.join(', ')}]`;
    } else if (shape < 0.8) {
      segmentation = `{"counts": [${Array.from({ length: int(10) + 2 }, () => int(300)).join(', ')}], "size": [480, 640]}`;
    } else {
      segmentation = `{"counts": "a}\\"b, {\\"segmentation\\": ${int(9)}\\u00e9", "size": [480, 640]}`;
    }
    const extra = rnd() < 0.15 ? `, "parts": [{"image_id": 900, "category_id": 4}, {"image_id": 901, "category_id": 4}]` : '';
    const note = rnd() < 0.15 ? `, "note": "café }, {\\"segmentation\\": [[${int(9)}]], \\"image_id\\": 3}"` : '';
    const area = k === options.errorAt ? (options.error ?? '') : num();
    const element = `{"segmentation": ${segmentation}, "area": ${area}, "iscrowd": ${shape < 0.6 ? 0 : 1}, "image_id": ${image}, "bbox": [${num()}, ${num()}, ${num()}, ${num()}]${extra}${note}, "category_id": ${category}, "id": ${k + 1}}`;
    put(element);
  }
  if (options.truncate) return { text: parts.join(''), starts, commas };
  put('],\n "categories": [');
  const names = ['person', 'car "small"', 'café table', '東京 tower', 'dog'];
  put(names.map((name, i) => `{"supercategory": "s${i}", "id": ${i + 1}, "name": ${JSON.stringify(name)}}`).join(', '));
  put(']}\n');
  return { text: parts.join(''), starts, commas };
}
