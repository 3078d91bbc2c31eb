// The registry of dataset formats: one entry per file in this folder. Order matters only for
// listings (help, `extract auto` reasons); detection asks every format.
import { ade20k } from './ade20k.js';
import { apolloscape } from './apolloscape.js';
import { bdd100k } from './bdd100k.js';
import { camvid } from './camvid.js';
import { cityscapes } from './cityscapes.js';
import { coco } from './coco.js';
import { cvat } from './cvat.js';
import { datumaro } from './datumaro.js';
import { gtsrb } from './gtsrb.js';
import { hf } from './hf.js';
import { labelStudio } from './label-studio.js';
import { labelbox } from './labelbox.js';
import { labelme } from './labelme.js';
import { mapillary } from './mapillary.js';
import { mtsd } from './mtsd.js';
import { names } from './names.js';
import { openImages } from './openimages.js';
import type { Extractor } from './types.js';
import { via } from './via.js';
import { voc } from './voc.js';
import { vott } from './vott.js';
import { yolo } from './yolo.js';

export const FORMATS: readonly Extractor[] = [coco, voc, cityscapes, mapillary, apolloscape, hf, ade20k, names, yolo, bdd100k, camvid, cvat, labelStudio, labelme, via, datumaro, openImages, gtsrb, mtsd, labelbox, vott];

export function formatById(id: string): Extractor | undefined {
  return FORMATS.find((f) => f.id === id);
}
