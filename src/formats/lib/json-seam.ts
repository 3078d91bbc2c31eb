// Where to split the scan of a long top-level array (COCO `annotations`) between two threads: a
// byte offset where an element most likely begins. Only a guess from a window of bytes: the first
// part's scanner confirms it when it gets there (JsonScanner.atSeam), and a wrong guess only costs
// the second thread's work. Elements of one array are written alike, so the guess looks for the
// boundary between two of them with the key the array's first element begins with:
//
//   ..., 289.13]], "area": 702.1, "image_id": 289343, "category_id": 18, "id": 1768}, {"segmentation": [[...
//                                                                                     ^ the seam
//
// (nested objects of another shape, such as panoptic `segments_info` items, begin with other keys).

const isBlank = (c: number | undefined): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * The key the object whose '{' is at bytes[i] begins with, as its raw bytes between the quotes
 * (undefined: not an object, an empty one, an escaped key or one that does not end in the bytes).
 */
export function firstKeyAt(bytes: Uint8Array, i: number): Uint8Array | undefined {
  if (bytes[i] !== 0x7b) return undefined;
  let j = i + 1;
  while (isBlank(bytes[j])) j++;
  if (bytes[j] !== 0x22) return undefined;
  const from = j + 1;
  for (j = from; j < bytes.length; j++) {
    const c = bytes[j]!;
    if (c === 0x22) return j > from ? bytes.slice(from, j) : undefined;
    if (c === 0x5c || c < 0x20) return undefined;
  }
  return undefined;
}

/**
 * In `window` (the file's bytes from `offset`), the offset of the first '{' that follows a '}' and
 * a ',' (blanks around them) and opens an object whose first key is `key`; -1 when there is none.
 */
export function findElementSeam(window: Uint8Array, offset: number, key: Uint8Array): number {
  const n = window.length;
  for (let i = window.indexOf(0x7d); i >= 0 && i < n; i = window.indexOf(0x7d, i + 1)) {
    let j = i + 1;
    while (isBlank(window[j])) j++;
    if (window[j] !== 0x2c) continue;
    j++;
    while (isBlank(window[j])) j++;
    if (window[j] !== 0x7b) continue;
    const brace = j;
    j++;
    while (isBlank(window[j])) j++;
    if (window[j] !== 0x22 || j + key.length + 1 >= n || window[j + key.length + 1] !== 0x22) continue;
    let same = true;
    for (let q = 0; q < key.length && same; q++) same = window[j + 1 + q] === key[q];
    if (same) return offset + brace;
  }
  return -1;
}
