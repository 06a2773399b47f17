// Server-side Table output (Accept: application/json;as=Table;v=v1;g=meta.k8s.io), what `kubectl get` prints.
import type { KubeObject } from '../../types.ts';
import { describeColumn } from './columns.ts';
import { defaultColumns, tableColumns } from './kinds.ts';

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
