// Small XML documents (a Label Studio labeling config, the <meta> of a CVAT for images 1.1 export)
// read whole into a tree of elements, each with its line and column, through saxes. Nothing in a
// file runs or is fetched: a DOCTYPE (and with it every DTD, internal or external) is refused, so
// no entity but the five predefined ones and character references can appear, and a "billion
// laughs" file stops at its DOCTYPE. Every problem is one located `config-syntax` error.
import { SaxesParser } from 'saxes';
import { LabelmapError } from '../../findings.js';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The character data directly inside the element (CDATA included), untrimmed. */
  text: string;
  /** Where its "<" is, 1-based. */
  line: number;
  column: number;
}

/** Elements nest at most this deep; a labeling config or a CVAT export nests under ten. */
export const XML_MAX_DEPTH = 64;

class Stop extends Error {
  constructor(readonly error: LabelmapError) {
    super(error.message);
  }
}

/** The root element of an XML text. `file` names the place in errors. */
export function parseXmlTree(text: string, file: string): XmlElement {
  const parser = new SaxesParser({ position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let tagLine = 1;
  let tagColumn = 1;
  const fail = (reason: string, line = parser.line, column = parser.column): never => {
    throw new Stop(new LabelmapError('config-syntax', { file, line, column }, { language: 'XML', reason }));
  };

  parser.on('doctype', () => fail('a <!DOCTYPE> (labelmap reads no DTD and expands no entities)'));
  parser.on('opentagstart', (tag) => {
    tagLine = parser.line;
    tagColumn = Math.max(1, parser.column - tag.name.length - 1);
  });
  parser.on('opentag', (tag) => {
    if (stack.length >= XML_MAX_DEPTH) fail(`elements nested more than ${XML_MAX_DEPTH} deep`, tagLine, tagColumn);
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attributes[k] = typeof v === 'string' ? v : v.value;
    const element: XmlElement = { name: tag.name, attributes, children: [], text: '', line: tagLine, column: tagColumn };
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  const onText = (t: string): void => {
    const top = stack.at(-1);
    if (top) top.text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => void stack.pop());
  parser.on('error', (err) => fail(err.message.replace(/^.*?\d+:\d+: /, '').replace(/\.$/, '')));

  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    parser.write(body).close();
  } catch (error) {
    if (error instanceof Stop) throw error.error;
    throw error;
  }
  if (!root) throw new LabelmapError('config-syntax', { file, line: 1 }, { language: 'XML', reason: 'no root element' });
  return root;
}

/** The child elements of `element` named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** The trimmed text of the first child named `name`, or undefined. */
export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find((c) => c.name === name)?.text.trim();
}

/** Every element in document order (the element itself first). */
export function* walkXml(element: XmlElement): Generator<XmlElement> {
  yield element;
  for (const c of element.children) yield* walkXml(c);
}
