// A Labelbox ontology, as the Python SDK's OntologyBuilder.asdict() writes it and
// OntologyBuilder.from_dict() / client.create_ontology(name, normalized) read it: one tool per
// output label (its colour; the tool kind from --shape: polygon (default), rectangle, or
// raster-segmentation for mask), and the bundle's image attributes as global radio
// classifications, one option per value. Ids are Labelbox's to assign (schemaNodeId and
// featureSchemaId null, as for a new ontology).
//   {"tools": [{"tool": "polygon", "name": "road", "required": false, "color": "#804080",
//               "classifications": [], "schemaNodeId": null, "featureSchemaId": null, "attributes": null}],
//    "classifications": [{"type": "radio", "instructions": "weather", "name": "weather", "required": false,
//                         "options": [{"schemaNodeId": null, "featureSchemaId": null, "label": "clear",
//                                      "value": "clear", "options": [], "position": 0}],
//                         "schemaNodeId": null, "featureSchemaId": null, "attributes": null, "scope": "global"}]}
import type { Bundle } from '../taxonomy/types.js';
import { attributeKeysFor } from './attributes.js';
import type { ExportFormat, ExportOptions, Shape } from './types.js';

/** Labelbox's Tool.Type values for the shapes labelmap offers. */
const TOOLS: Partial<Record<Shape, string>> = { polygon: 'polygon', rectangle: 'rectangle', mask: 'raster-segmentation' };

function render(bundle: Bundle, options: ExportOptions): string {
  const tool = TOOLS[options.shape ?? 'polygon']!;
  // Classification names are one namespace, tool names another: attribute keys cannot meet a tool.
  const keys = attributeKeysFor(bundle, 'labelbox', [], 'a classification name');
  const ontology = {
    tools: bundle.labels.map((l) => ({
      tool,
      name: l.name,
      required: false,
      color: l.color.toLowerCase(),
      classifications: [],
      schemaNodeId: null,
      featureSchemaId: null,
      attributes: null,
    })),
    classifications: keys.map((k) => ({
      type: 'radio',
      instructions: k.key,
      name: k.key,
      required: false,
      options: k.values.map((v, position) => ({ schemaNodeId: null, featureSchemaId: null, label: v.value, value: v.value, options: [], position })),
      schemaNodeId: null,
      featureSchemaId: null,
      attributes: null,
      scope: 'global',
    })),
  };
  return `${JSON.stringify(ontology, null, 2)}\n`;
}

export const labelbox: ExportFormat<'labelbox'> = {
  id: 'labelbox',
  title: 'Labelbox ontology (the SDK\'s OntologyBuilder JSON: one tool per class with its colour; image attributes as radio classifications)',
  audience: 'annotation',
  file: 'labelbox_ontology.json',
  extension: 'json',
  shapes: ['polygon', 'rectangle', 'mask'],
  render,
};
