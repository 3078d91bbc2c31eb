import { LabelmapError } from '../../findings.js';
import { kindOfWord } from '../../sheets/discover.js';
import { SHEET_KINDS } from '../../sheets/schema.js';
import { allRowJsonSchemas, rowJsonSchema } from '../../validate/json-schema.js';
import type { Context } from '../context.js';

export async function run(args: (string | string[] | undefined)[], _opts: unknown, ctx: Context): Promise<number> {
  const word = typeof args[0] === 'string' ? args[0] : undefined;
  if (word === undefined) {
    ctx.print(JSON.stringify(allRowJsonSchemas(), null, 2));
    return 0;
  }
  const kind = kindOfWord(word);
  if (!kind) throw new LabelmapError('sheet-kind-unknown', {}, { kind: word, known: SHEET_KINDS });
  ctx.print(JSON.stringify(rowJsonSchema(kind), null, 2));
  return 0;
}
