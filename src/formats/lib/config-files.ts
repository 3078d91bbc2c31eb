// YAML and TOML configs (YOLO data.yaml, Scalabel/BDD100K *.toml) read through their libraries,
// with every failure a located `config-syntax` error. Nothing in a file runs: YAML tags other than
// the core schema's (`!!python/object:...`, `!custom`) are refused rather than read as text, and
// aliases are bounded (a "billion laughs" file stops at 100 alias expansions).
import { parse as parseTomlText, TomlError } from 'smol-toml';
import { parseDocument, type Document } from 'yaml';
import { LabelmapError } from '../../findings.js';
import { lineColumnOf } from '../../json.js';

/** Aliases a YAML config may expand; a data.yaml has none. */
export const YAML_MAX_ALIASES = 100;

export interface YamlConfig {
  value: unknown;
  /** The parsed document, to locate a key's node (`placeOfKey`). */
  document: Document.Parsed;
  text: string;
}

export function parseYamlConfig(text: string, file: string): YamlConfig {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const document = parseDocument(body, { schema: 'core', uniqueKeys: true, prettyErrors: false, strict: true });
  const problem = document.errors[0] ?? document.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (problem) {
    const at = lineColumnOf(body, problem.pos[0]);
    const reason = problem.code === 'TAG_RESOLVE_FAILED'
      ? `${problem.message.split(' at line')[0]!.replace('Unresolved tag: ', 'the tag ')} is not plain YAML (labelmap runs no tags)`
      : problem.message.split(' at line')[0]!;
    throw new LabelmapError('config-syntax', { file, ...at }, { language: 'YAML', reason });
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: YAML_MAX_ALIASES });
  } catch (error) {
    throw new LabelmapError('config-syntax', { file, line: 1 }, {
      language: 'YAML',
      reason: `${(error as Error).message} (more than ${YAML_MAX_ALIASES} alias expansions)`,
      fix: 'write the values out instead of through nested &anchors and *aliases',
    });
  }
  return { value, document, text: body };
}

/** file:line:column of the value at `keys` in a parsed YAML document (line 1 when it is not there). */
export function placeOfKey(config: YamlConfig, keys: readonly (string | number)[], file: string): { file: string; line: number; column: number; path: string } {
  const node = config.document.getIn(keys, true) as { range?: [number, number, number] } | undefined;
  const at = node?.range ? lineColumnOf(config.text, node.range[0]) : { line: 1, column: 1 };
  return { file, ...at, path: keys.join('.') };
}

/** Nesting a TOML config may have; a Scalabel config nests three deep. */
export const TOML_MAX_DEPTH = 100;

export function parseTomlConfig(text: string, file: string): Record<string, unknown> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return parseTomlText(body, { maxDepth: TOML_MAX_DEPTH }) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) {
      throw new LabelmapError('config-syntax', { file, line: error.line, column: error.column }, {
        language: 'TOML',
        reason: error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, ''),
      });
    }
    throw error;
  }
}
