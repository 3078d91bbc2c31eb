// The labelmap.json bundle itself (the Bundle contract in taxonomy/types.ts), as `labelmap merge`
// writes it (formatBundleJson: one record per line, the contract's key order, a final newline).
import { formatBundleJson } from '../taxonomy/outputs.js';
import type { ExportFormat } from './types.js';

export const json: ExportFormat<'json'> = {
  id: 'json',
  title: 'the labelmap.json bundle (labels, per-dataset lookup tables, coverage, input versions)',
  audience: 'training',
  file: 'labelmap.json',
  extension: 'json',
  render: (bundle) => formatBundleJson(bundle),
};
