// The dataset formats by id, each module loaded only when asked for: `extract voc` loads the VOC
// reader and not the other five (with their JSON scanner, Python parser, ...), which cost start-up
// time in every run. `extract auto` loads them all (it asks each one). Keep the ids in the order of
// FORMATS in index.ts: tests/formats/registry.test.ts holds the two equal.
import type { Extractor } from './types.js';

const LOADERS: Readonly<Record<string, () => Promise<Extractor>>> = {
  coco: async () => (await import('./coco.js')).coco,
  voc: async () => (await import('./voc.js')).voc,
  cityscapes: async () => (await import('./cityscapes.js')).cityscapes,
  mapillary: async () => (await import('./mapillary.js')).mapillary,
  apolloscape: async () => (await import('./apolloscape.js')).apolloscape,
  hf: async () => (await import('./hf.js')).hf,
  ade20k: async () => (await import('./ade20k.js')).ade20k,
  names: async () => (await import('./names.js')).names,
  yolo: async () => (await import('./yolo.js')).yolo,
  bdd100k: async () => (await import('./bdd100k.js')).bdd100k,
  camvid: async () => (await import('./camvid.js')).camvid,
  cvat: async () => (await import('./cvat.js')).cvat,
  'label-studio': async () => (await import('./label-studio.js')).labelStudio,
  labelme: async () => (await import('./labelme.js')).labelme,
  via: async () => (await import('./via.js')).via,
  datumaro: async () => (await import('./datumaro.js')).datumaro,
  openimages: async () => (await import('./openimages.js')).openImages,
  gtsrb: async () => (await import('./gtsrb.js')).gtsrb,
  mtsd: async () => (await import('./mtsd.js')).mtsd,
  labelbox: async () => (await import('./labelbox.js')).labelbox,
  vott: async () => (await import('./vott.js')).vott,
};

export const FORMAT_IDS: readonly string[] = Object.keys(LOADERS);

/** The extractor of a format id, or undefined for an unknown id. */
export async function loadFormat(id: string): Promise<Extractor | undefined> {
  return Object.hasOwn(LOADERS, id) ? LOADERS[id]!() : undefined;
}

/** Every extractor, in FORMAT_IDS order. */
export async function loadFormats(): Promise<Extractor[]> {
  return Promise.all(FORMAT_IDS.map((id) => LOADERS[id]!()));
}
