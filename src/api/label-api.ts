// The Annotation Label API: questions that training, evaluation and prediction code ask of a
// compiled label set (a Bundle). Pure: no file access; openBundle in ./index.ts is the I/O edge.
import { LabelmapError, type Finding } from '../findings.js';
import { parseAttributeTable, type AttributeTable } from './attributes.js';
import type { AttributeVocabulary, Bundle, BundleInput, CoverageStatus, DatasetOutput, LabelSetDef, LutEntry, LutReason, OutputLabel } from '../taxonomy/types.js';
import { validateBundle } from './bundle.js';
import { encodingTable, lutTable } from './lut.js';
import { listSome } from '../text/index.js';

export { MAX_LUT_ID } from './lut.js';

/** What one native class of a dataset becomes in the label set: its lookup-table entry, and where. */
export interface Lookup extends LutEntry {
  dataset: string;
  /** True when the class is switched off (train id = the ignore id, label null). */
  ignored: boolean;
  /** For kind `set`: the output labels the class may be (train-id order); otherwise null. */
  members: string[] | null;
}

/** What one output label is made of. */
export interface Reverse {
  train_id: number;
  label: string;
  color: string;
  is_thing: boolean | null;
  /** Taxonomy classes, sorted by taxonomy id. */
  covers: string[];
  /** Per dataset (every dataset of the bundle, by name): the native class names that become this label. */
  sources: Record<string, string[]>;
  /** Per dataset: whether it annotates this label fully, partially or not at all. */
  coverage: Record<string, CoverageStatus>;
}

export interface KeptClass {
  id: number;
  name: string;
  train_id: number;
  label: string;
}

export interface SwitchedOffClass {
  id: number;
  name: string;
  target: string | null;
  reason: Exclude<LutReason, 'mapped' | 'absorbed' | 'other'>;
}

/** A class that compiles to a label set: a prediction of it is one of `members`, not which. */
export interface SetClass {
  id: number;
  name: string;
  /** The label set's id. */
  train_id: number;
  set: string;
  members: string[];
  reason: LutReason;
}

/** For a model that predicts in a dataset's label space: which predictions to keep, and as what. */
export interface PredictionFilter {
  dataset: string;
  /** Predictions to keep, by native id, with the output label each becomes. */
  keep: KeptClass[];
  /** Predictions that are one of several output labels (a coarse or background class), by native id. */
  sets: SetClass[];
  /** Predictions to drop in this label set, by native id, with the reason. */
  off: SwitchedOffClass[];
}

interface DatasetIndex {
  output: DatasetOutput;
  byId: Map<number, LutEntry>;
  byName: Map<string, LutEntry>;
}

/**
 * A compiled label set (a vertical's, or the unified taxonomy's) and its per-dataset lookup
 * tables. Construct it from a Bundle (`openBundle(file)` reads one); a bundle that has not been
 * through validateBundle is checked first, with the errors readBundle gives.
 */
export class LabelSpace {
  readonly bundle: Bundle;
  /**
   * The warnings of compiling it (openSheets: the rules' and merge's warnings, the same as
   * `labelmap merge --all-warnings` prints); empty for a bundle read from a file.
   */
  readonly warnings: readonly Finding[];
  readonly #labelsByName = new Map<string, OutputLabel>();
  readonly #labelsById = new Map<number, OutputLabel>();
  readonly #setsByName = new Map<string, LabelSetDef>();
  readonly #setsById = new Map<number, LabelSetDef>();
  readonly #datasets = new Map<string, DatasetIndex | DatasetOutput>();

  constructor(bundle: Bundle, source = 'bundle', warnings: readonly Finding[] = []) {
    this.bundle = validateBundle(bundle, source);
    this.warnings = warnings;
    for (const label of this.bundle.labels) {
      this.#labelsByName.set(label.name, label);
      this.#labelsById.set(label.train_id, label);
    }
    for (const set of this.bundle.label_sets) {
      this.#setsByName.set(set.name, set);
      this.#setsById.set(set.id, set);
    }
    for (const d of this.bundle.datasets) this.#datasets.set(d.name, d);
  }

  /** The label sets (coarse and background) by id: ids follow the label ids, below the ignore id. */
  labelSets(): readonly LabelSetDef[] {
    return this.bundle.label_sets;
  }

  /** One label set by name (`road|lane_marking`) or id. */
  labelSet(nameOrId: string | number): LabelSetDef {
    const set = typeof nameOrId === 'number' ? this.#setsById.get(nameOrId) : this.#setsByName.get(nameOrId);
    if (!set) {
      const what = typeof nameOrId === 'number' ? `label set with id ${nameOrId}` : `label set ${JSON.stringify(nameOrId)}`;
      throw new LabelmapError('unknown-output-label', {}, { what, set: this.#setName(), known: listSome(this.bundle.label_sets.map((l) => l.name), 6) || 'no label sets' });
    }
    return set;
  }

  /** The vertical's name, or null for the unified taxonomy. */
  get vertical(): string | null {
    return this.bundle.vertical;
  }

  get idBits(): 8 | 16 {
    return this.bundle.id_bits;
  }

  /** The train id of everything switched off (255 for 8-bit ids, 65535 for 16-bit). */
  get ignoreId(): number {
    return this.bundle.ignore_id;
  }

  /** Highest train id + 1: the number of output channels of a model trained on this set. */
  get numClasses(): number {
    return (this.bundle.labels.at(-1)?.train_id ?? -1) + 1;
  }

  /** The input sheets with their versions and SHA-256 checksums. */
  get inputs(): readonly BundleInput[] {
    return this.bundle.inputs;
  }

  /**
   * The image-attribute vocabulary merged into the bundle (keys with their values, in sheet order),
   * or null for a bundle without one (merged from sheets without attributes/, or before it existed).
   */
  attributes(): AttributeVocabulary | null {
    return this.bundle.attributes ?? null;
  }

  /**
   * Reads the text of a `labelmap attributes` table (CSV or JSONL) for per-image questions
   * (`table.attributesOf('a.jpg')`), its columns and cells checked against this bundle's vocabulary.
   * `openAttributeTable(file, space)` reads it from a file.
   */
  attributeTable(text: string, file = 'attributes table'): AttributeTable {
    return parseAttributeTable(text, file, this.attributes());
  }

  /** The output labels in train-id order. Train ids may have gaps (a vertical that fixes them). */
  labels(): readonly OutputLabel[] {
    return this.bundle.labels;
  }

  /** One output label by name or train id. */
  label(nameOrTrainId: string | number): OutputLabel {
    const label = typeof nameOrTrainId === 'number' ? this.#labelsById.get(nameOrTrainId) : this.#labelsByName.get(nameOrTrainId);
    if (!label) {
      const what = typeof nameOrTrainId === 'number' ? `with train id ${nameOrTrainId}` : JSON.stringify(nameOrTrainId);
      throw new LabelmapError('unknown-output-label', {}, { what, set: this.#setName(), known: listSome(this.bundle.labels.map((l) => l.name), 12) });
    }
    return label;
  }

  /** The dataset names, sorted. */
  datasets(): string[] {
    return this.bundle.datasets.map((d) => d.name);
  }

  /** What a dataset's native class (by native id, or by exact native name) becomes. */
  lookup(dataset: string, idOrName: number | string): Lookup {
    const index = this.#index(dataset);
    const entry = typeof idOrName === 'number' ? index.byId.get(idOrName) : index.byName.get(idOrName);
    if (!entry) {
      const what = typeof idOrName === 'number' ? `with id ${idOrName}` : JSON.stringify(idOrName);
      const hint = typeof idOrName === 'string' ? similarName(idOrName, index.byName.keys()) : undefined;
      throw new LabelmapError('unknown-class', {}, { dataset, what, hint });
    }
    return { dataset, ...entry, ignored: entry.kind === 'ignore', members: entry.set === null ? null : [...this.labelSet(entry.set).members] };
  }

  /** The reverse: an output label's taxonomy classes, and the native classes of each dataset that become it. */
  reverse(nameOrTrainId: string | number): Reverse {
    const label = this.label(nameOrTrainId);
    const sources: Record<string, string[]> = {};
    const coverage: Record<string, CoverageStatus> = {};
    const position = this.bundle.labels.indexOf(label);
    for (const d of this.bundle.datasets) {
      sources[d.name] = d.lut.filter((e) => e.label === label.name).map((e) => e.name);
      coverage[d.name] = d.coverage[position]!.status;
    }
    return { train_id: label.train_id, label: label.name, color: label.color, is_thing: label.is_thing, covers: [...label.covers], sources, coverage };
  }

  /**
   * Per output label (train-id order): does the dataset annotate it fully, partially (only through
   * a coarser class) or not at all. In multi-dataset training, a label with `none` (or `partial`)
   * must not be learned as background from that dataset's images.
   */
  coverage(dataset: string): { label: string; train_id: number; status: CoverageStatus }[] {
    return this.#index(dataset).output.coverage.map((c) => ({ ...c }));
  }

  /**
   * For a model trained on a dataset's own label space (e.g. a COCO detector): which of its
   * predictions to keep and which output label each becomes, and which to switch off here.
   */
  predictionFilter(dataset: string): PredictionFilter {
    const keep: KeptClass[] = [];
    const sets: SetClass[] = [];
    const off: SwitchedOffClass[] = [];
    for (const e of this.#index(dataset).output.lut) {
      if (e.kind === 'label') keep.push({ id: e.id, name: e.name, train_id: e.train_id, label: e.label! });
      else if (e.kind === 'set') sets.push({ id: e.id, name: e.name, train_id: e.train_id, set: e.set!, members: [...this.labelSet(e.set!).members], reason: e.reason });
      else off.push({ id: e.id, name: e.name, target: e.target, reason: e.reason as SwitchedOffClass['reason'] });
    }
    return { dataset, keep, sets, off };
  }

  /**
   * The lookup table of a dataset as a typed array indexed by native id (`table[nativeId]` is the
   * train id: a label id, a label set id, or the ignore id): Uint8Array for 8-bit ids, Uint16Array
   * for 16-bit. Full length (256 entries for native ids that fit 8 bits, 65536 for 16 bits), so
   * any mask value indexes it; ids the dataset does not have hold the ignore id. Negative native ids (Cityscapes `license plate` = -1) cannot be array
   * indices and are not in it: use lutMap for them. A fresh array on every call.
   */
  lut(dataset: string, options: { encoding?: string } = {}): Uint8Array | Uint16Array {
    const output = this.#index(dataset).output;
    // Masks in another encoding of the dataset (`encodings` in the bundle, e.g. Cityscapes train_id).
    if (options.encoding !== undefined) return encodingTable(this.bundle, output, options.encoding);
    return lutTable(this.bundle, output);
  }

  /** The names of the dataset's other mask encodings (for `lut(dataset, {encoding})`). */
  encodings(dataset: string): string[] {
    return (this.#index(dataset).output.encodings ?? []).map((e) => e.name);
  }

  /** Native id -> train id for every class of the dataset, negative ids included. */
  lutMap(dataset: string): Map<number, number> {
    return new Map(this.#index(dataset).output.lut.map((e) => [e.id, e.train_id]));
  }

  #index(dataset: string): DatasetIndex {
    const found = this.#datasets.get(dataset);
    if (!found) throw new LabelmapError('unknown-dataset', {}, { dataset, known: this.datasets().join(', ') });
    if ('byId' in found) return found;
    const index: DatasetIndex = {
      output: found,
      byId: new Map(found.lut.map((e) => [e.id, e])),
      byName: new Map(found.lut.map((e) => [e.name, e])),
    };
    this.#datasets.set(dataset, index);
    return index;
  }

  #setName(): string {
    return this.bundle.vertical === null ? 'the unified taxonomy' : `vertical ${JSON.stringify(this.bundle.vertical)}`;
  }
}

/** A name that differs only in case, spaces, `-` or `_`. */
function similarName(name: string, names: Iterable<string>): string | undefined {
  const key = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');
  const k = key(name);
  for (const n of names) if (key(n) === k) return n;
  return undefined;
}

