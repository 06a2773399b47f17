// Server-side Table output (Accept: application/json;as=Table;v=v1;g=meta.k8s.io), what `kubectl get` prints.
import type { KubeObject } from '../../types.ts';
import { describeColumn } from './columns.ts';
import { defaultColumns, tableColumns } from './kinds.ts';
import { encodedJson } from '../../store/encoded.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  now: number;
  includeObject: IncludeObject;
  /** Column definitions are sent once: in a list, and in the first event of a watch. */
  withColumns?: boolean;
  resourceVersion?: string;
  continueToken?: string;
  /** The object a row embeds, in the request's version: cells read the stored object, as the apiserver prints. */
  view?: (object: KubeObject) => KubeObject;
}

const columnsFor = (kind: string) => tableColumns[kind] ?? defaultColumns;

function rowObject(object: KubeObject, options: TableOptions): unknown {
  const { includeObject } = options;
  if (includeObject === 'None') return undefined;
  if (includeObject === 'Object') return options.view ? options.view(object) : object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

const partialMetadata = new WeakMap<KubeObject, Buffer>();

/** A stored object's PartialObjectMetadata bytes, encoded once per stored version as its JSON bytes are. */
function partialMetadataJson(object: KubeObject): Buffer {
  let bytes = partialMetadata.get(object);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(rowObject(object, { now: 0, includeObject: 'Metadata' })));
    partialMetadata.set(object, bytes);
  }
  return bytes;
}

/** The row's object as bytes: cached unless a version conversion makes a new object. */
function rowObjectJson(object: KubeObject, options: TableOptions): Buffer | undefined {
  if (options.includeObject === 'None') return undefined;
  if (options.includeObject === 'Metadata') return partialMetadataJson(object);
  const view = options.view ? options.view(object) : object;
  return view === object ? encodedJson(object) : Buffer.from(JSON.stringify(view));
}

const objectField = Buffer.from(',"object":');
const rowEnd = Buffer.from('}');
const rowSeparator = Buffer.from(',');
const tableEnd = Buffer.from(']}');

/**
 * The bytes of JSON.stringify(toTable(…)), built from each row's cached object bytes: `kubectl get` asks for a
 * Table with every object's metadata, and re-encoding 5,000 of them on every list was most of its cost.
 */
export function encodedTable(kind: string, objects: readonly KubeObject[], options: TableOptions): Buffer {
  const columns = columnsFor(kind);
  const head = JSON.stringify(toTable(kind, [], options));
  // The empty table ends with `"rows":[]}`: the rows go between its brackets.
  const parts: Buffer[] = [Buffer.from(head.slice(0, -2))];
  objects.forEach((object, index) => {
    if (index > 0) parts.push(rowSeparator);
    const cells = columns.map((column) => column.cell(object, options.now));
    parts.push(Buffer.from(`{"cells":${JSON.stringify(cells)}`));
    const body = rowObjectJson(object, options);
    if (body) parts.push(objectField, body);
    parts.push(rowEnd);
  });
  parts.push(tableEnd);
  return Buffer.concat(parts);
}

export function toTable(kind: string, objects: KubeObject[], options: TableOptions): KubeObject {
  const columns = columnsFor(kind);
  const metadata: Record<string, string> = {};
  if (options.resourceVersion) metadata.resourceVersion = options.resourceVersion;
  if (options.continueToken) metadata.continue = options.continueToken;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: options.withColumns === false ? [] : columns.map(describeColumn),
    rows: objects.map((object) => ({
      cells: columns.map((column) => column.cell(object, options.now)),
      object: rowObject(object, options),
    })),
  };
}

/** Reads `as=Table` and `includeObject` from an Accept header; undefined when the client wants plain JSON. */
export function tableRequest(
  accept: string | undefined,
  includeParam: string | undefined,
): IncludeObject | undefined {
  if (!accept) return undefined;
  const first = accept.split(',').find((part) => /as=Table/.test(part) && /g=meta\.k8s\.io/.test(part));
  if (!first) return undefined;
  return includeParam === 'None' || includeParam === 'Object' ? includeParam : 'Metadata';
}
