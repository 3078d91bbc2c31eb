// The export format ids and annotation shapes, alone in a module without imports: the command
// table reads them at every start-up (for `--format` and `--shape` choices), while the formats
// themselves load only when `labelmap export` runs. ./index.ts maps each id to its format, and
// the compiler refuses an id without a format or a format without an id.

/** Training and prediction code first, then annotation tools. */
export const EXPORT_IDS = ['json', 'python', 'hf', 'yolo', 'coco', 'mmseg', 'mmdet', 'detectron2', 'cvat', 'label-studio', 'labelbox', 'labelme', 'labelimg', 'via'] as const;
export type ExportId = (typeof EXPORT_IDS)[number];

/** The annotation shape an annotation tool's labels are restricted to (`--shape`). */
export const SHAPES = ['any', 'rectangle', 'polygon', 'mask'] as const;
export type Shape = (typeof SHAPES)[number];
