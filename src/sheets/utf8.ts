// Strict UTF-8 decoding with a located finding for the first bad byte. A leaf module (findings
// only): the readers of src/io/ and json-scan use it without loading the sheet parser and its row
// schemas (zod), which `list` does not need. sheets/csv.ts re-exports decodeUtf8.
import { finding, type Finding } from '../findings.js';

/**
 * Decodes bytes as strict UTF-8. A file in another encoding is a `csv-encoding` finding at the
 * first offending byte, naming the likely culprit: Windows-1252 (Excel's "CSV" on Windows) or
 * UTF-16 (Excel's "Unicode Text": it starts with FF FE and has a NUL byte beside every letter).
 */
export function decodeUtf8(bytes: Uint8Array, file: string): { text: string; findings: Finding[] } {
  const utf16 = (offset: number) => ({
    text: '',
    findings: [encodingFinding(bytes, offset, file, { guess: 'UTF-16, as Excel saves "Unicode Text"', from: 'UTF-16' })],
  });
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return utf16(0);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const byte = bytes[offset] ?? 0;
    const char = byte >= 0x80 ? new TextDecoder('windows-1252').decode(bytes.subarray(offset, offset + 1)) : '';
    const guess = char ? `Windows-1252, where it is ${JSON.stringify(char)}, as Excel saves "CSV" on Windows` : undefined;
    return { text: '', findings: [encodingFinding(bytes, offset, file, { guess, from: 'WINDOWS-1252' })] };
  }
  const nul = text.indexOf('\0');
  if (nul >= 0) return utf16(Buffer.byteLength(text.slice(0, nul)));
  return { text, findings: [] };
}

/** The offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : (b & 0xe0) === 0xc0 ? 1 : (b & 0xf0) === 0xe0 ? 2 : (b & 0xf8) === 0xf0 ? 3 : -1;
    let ok = need >= 0 && i + need < bytes.length;
    for (let k = 1; ok && k <= need; k++) ok = ((bytes[i + k] ?? 0) & 0xc0) === 0x80;
    if (!ok) return i;
    i += need + 1;
  }
  // Well-formed byte patterns that are still not UTF-8 (overlong forms, surrogates): point at the start.
  return 0;
}

function encodingFinding(bytes: Uint8Array, offset: number, file: string, args: { guess?: string; from: string }): Finding {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // The CSV column (as a spreadsheet counts): commas outside quotes before the byte, on its line.
  let column = 1;
  let inQuotes = false;
  for (let i = lineStart; i < offset; i++) {
    if (bytes[i] === 0x22) inQuotes = !inQuotes;
    else if (bytes[i] === 0x2c && !inQuotes) column++;
  }
  return finding('csv-encoding', 'error', { file, line, column }, {
    byte: (bytes[offset] ?? 0).toString(16).padStart(2, '0'),
    offset,
    ...args,
  });
}
