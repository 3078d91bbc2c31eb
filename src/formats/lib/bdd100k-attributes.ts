// The per-image attributes of a BDD100K label file (for filtering or splitting by conditions,
// issue 20). One frame, as the label JSON holds it:
//   {"name": "b1c66a42-6f7d68ca.jpg",
//    "attributes": {"weather": "overcast", "scene": "city street", "timeofday": "daytime"}, ...}
// Pure: a parsed frame in, the three attributes or a located error out. Stream the frames with
// scanJson(file, { root: { whole: true, onElement } }) and pass each `value` here.
import { LabelmapError, type Place } from '../../findings.js';

export const BDD100K_ATTRIBUTE_VALUES = {
  weather: ['rainy', 'snowy', 'clear', 'overcast', 'partly cloudy', 'foggy', 'undefined'],
  scene: ['tunnel', 'residential', 'parking lot', 'city street', 'gas stations', 'highway', 'undefined'],
  timeofday: ['daytime', 'night', 'dawn/dusk', 'undefined'],
} as const;

export type Bdd100kAttribute = keyof typeof BDD100K_ATTRIBUTE_VALUES;

export interface Bdd100kFrameAttributes {
  /** The image file name (`name`). */
  image: string;
  weather: (typeof BDD100K_ATTRIBUTE_VALUES.weather)[number];
  scene: (typeof BDD100K_ATTRIBUTE_VALUES.scene)[number];
  timeofday: (typeof BDD100K_ATTRIBUTE_VALUES.timeofday)[number];
}

const ATTRIBUTES = Object.keys(BDD100K_ATTRIBUTE_VALUES) as Bdd100kAttribute[];

/** A frame's weather, scene and time of day; a missing attribute reads as "undefined", as BDD100K writes it. */
export function readFrameAttributes(frame: unknown, place: Place): Bdd100kFrameAttributes {
  const shape = (path: string, expected: string, found: string): LabelmapError =>
    new LabelmapError('label-json-shape', { ...place, path: `${place.path ?? ''}${path}` }, { expected, found });
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) throw shape('', 'a frame {"name", "attributes", "labels"}', Array.isArray(frame) ? 'an array' : String(frame));
  const f = frame as Record<string, unknown>;
  if (typeof f.name !== 'string') throw shape('.name', 'the image file name', f.name === undefined ? 'no "name"' : JSON.stringify(f.name));
  const attrs = f.attributes ?? {};
  if (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)) throw shape('.attributes', 'an object {weather, scene, timeofday}', JSON.stringify(attrs));
  return checkedAttributes(f.name, ATTRIBUTES.map((key) => (attrs as Record<string, unknown>)[key]), shape);
}

/** The keys, in the order `readPickedFrameAttributes` takes their values (`attributes.weather`, ...). */
export const BDD100K_ATTRIBUTE_KEYS: readonly Bdd100kAttribute[] = ATTRIBUTES;

/**
 * The same check for a frame read by the scanner's field picker (no frame built): its `name`, the
 * kind of its `attributes` value (undefined when absent) and the picked values of
 * BDD100K_ATTRIBUTE_KEYS in that order (undefined when absent; objects and arrays as the picker
 * marks them).
 */
export function readPickedFrameAttributes(name: unknown, attributesKind: string | undefined, values: readonly unknown[], place: Place): Bdd100kFrameAttributes {
  const shape = (path: string, expected: string, found: string): LabelmapError =>
    new LabelmapError('label-json-shape', { ...place, path: `${place.path ?? ''}${path}` }, { expected, found });
  if (typeof name !== 'string') throw shape('.name', 'the image file name', name === undefined ? 'no "name"' : typeof name === 'object' && name !== null ? 'a JSON compound' : JSON.stringify(name));
  if (attributesKind !== undefined && attributesKind !== 'object' && attributesKind !== 'null') throw shape('.attributes', 'an object {weather, scene, timeofday}', `a JSON ${attributesKind}`);
  return checkedAttributes(name, values, shape);
}

function checkedAttributes(image: string, values: readonly unknown[], shape: (path: string, expected: string, found: string) => LabelmapError): Bdd100kFrameAttributes {
  const out: Record<string, string> = { image };
  ATTRIBUTES.forEach((key, k) => {
    const v = values[k] ?? 'undefined';
    const allowed: readonly string[] = BDD100K_ATTRIBUTE_VALUES[key];
    if (typeof v !== 'string' || !allowed.includes(v)) throw shape(`.attributes.${key}`, `one of ${allowed.join(', ')}`, typeof v === 'object' ? 'a JSON compound' : JSON.stringify(v));
    out[key] = v;
  });
  return out as unknown as Bdd100kFrameAttributes;
}
