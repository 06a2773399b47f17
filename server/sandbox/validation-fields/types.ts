// The type errors of Go's JSON decoder for a create or update body: a string where an int32 belongs, an object
// where a list belongs … The apiserver refuses such a body with a 400 whatever the fieldValidation directive, as
// it cannot decode it into the typed object at all.
import { fieldsOf, messageForKind, type FieldShape } from './fields.ts';
import type { JsonNode } from './json-tree.ts';

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const quantityError = `quantities must match the regular expression '${QUANTITY.source}'`;
const INT_RANGE: Record<string, [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** The Go name of a schema type, as `%v` of a reflect.Type prints it. */
function goType(type: string): string {
  if (type === 'bytes') return '[]uint8';
  if (type === 'Quantity') return 'resource.Quantity';
  if (type === 'IntOrString') return 'intstr.IntOrString';
  if (type === 'Time' || type === 'FieldsV1') return `v1.${type}`;
  const parts = type.split('.');
  return parts.length === 3 ? `${parts[1]}.${parts[2]}` : type;
}

function goFieldType(shape: FieldShape): string {
  // Every map of quantities in the built-in kinds is a core/v1 ResourceList.
  if (shape.map) return shape.type === 'Quantity' ? 'v1.ResourceList' : `map[string]${goType(shape.type)}`;
  return shape.repeated ? `[]${goType(shape.type)}` : goType(shape.type);
}

/** How Go's decoder names a JSON value in "cannot unmarshal <value> into …". */
function describe(node: JsonNode): string {
  if (node.type !== 'scalar') return node.type;
  return node.kind;
}

const isNull = (node: JsonNode) => node.type === 'scalar' && node.kind === 'null';

/** Why an integer field cannot hold `node`, in the decoder's words for the value, or undefined when it can. */
function intProblem(node: JsonNode, type: string): string | undefined {
  if (node.type !== 'scalar' || node.kind !== 'number') return describe(node);
  const text = node.text ?? '';
  const [low, high] = INT_RANGE[type] as [bigint, bigint];
  if (!/^-?\d+$/.test(text) || BigInt(text) < low || BigInt(text) > high) return `number ${text}`;
  return undefined;
}

interface Context {
  /** The Go struct holding the field being decoded, e.g. DeploymentSpec. */
  struct: string;
  /** The JSON names from the top down, without list indices or map keys, as Go's decoder reports them. */
  path: string;
  /** Whether a null list item is let through, as Go lets it (an empty item). */
  nullItems: boolean;
}

const fieldError = (value: string, context: Context, type: string) =>
  `json: cannot unmarshal ${value} into Go struct field ${context.struct}.${context.path} of type ${type}`;

/** The first type error in a message's fields, in document order. */
function checkMessage(
  node: Extract<JsonNode, { type: 'object' }>,
  message: string,
  topLevel: boolean,
  context: Omit<Context, 'struct'>,
  statusIgnored = false,
): string | undefined {
  const fields = fieldsOf(message, topLevel);
  const struct = message.split('.').pop() as string;
  for (const [key, value] of node.entries) {
    const shape = fields.get(key);
    // Unknown fields are the strict decoder's business (index.ts), not a type error.
    if (!shape) continue;
    const path = context.path ? `${context.path}.${key}` : key;
    const nullItems = context.nullItems || (statusIgnored && key === 'status');
    const problem = checkField(value, shape, { struct, path, nullItems });
    if (problem) return problem;
  }
  return undefined;
}

function checkField(node: JsonNode, shape: FieldShape, context: Context): string | undefined {
  // A null leaves the field at its zero value, whatever its type.
  if (isNull(node)) return undefined;
  if (shape.map) {
    if (node.type !== 'object') return fieldError(describe(node), context, goFieldType(shape));
    for (const [, value] of node.entries) {
      const problem = isNull(value) ? undefined : checkValue(value, shape, context);
      if (problem) return problem;
    }
    return undefined;
  }
  if (shape.repeated) {
    if (node.type !== 'array') return fieldError(describe(node), context, goFieldType(shape));
    for (const [index, item] of node.items.entries()) {
      // Go would decode a null item as an empty one; nothing in the sandbox expects a hole in a list, and no
      // manifest means one, so it is refused with the place to fix.
      if (isNull(item)) {
        if (context.nullItems) continue;
        return `${context.path}[${index}]: a list item is null: give the item or leave it out of the list`;
      }
      const problem = checkValue(item, shape, context);
      if (problem) return problem;
    }
    return undefined;
  }
  return checkValue(node, shape, context);
}

/** One value of the field's element type (the field itself, a list item or a map value). */
function checkValue(node: JsonNode, shape: FieldShape, context: Context): string | undefined {
  const { type } = shape;
  if (shape.message) {
    if (node.type !== 'object') return fieldError(describe(node), context, goType(type));
    return checkMessage(node, shape.message, false, context);
  }
  switch (type) {
    case 'string':
    case 'bytes':
      return node.type === 'scalar' && node.kind === 'string'
        ? undefined
        : fieldError(describe(node), context, goType(type));
    case 'bool':
      return node.type === 'scalar' && node.kind === 'bool'
        ? undefined
        : fieldError(describe(node), context, type);
    case 'int32':
    case 'int64': {
      const problem = intProblem(node, type);
      return problem && fieldError(problem, context, type);
    }
    case 'Quantity': {
      // Quantity decodes itself: a string or a bare number, in the quantity syntax ("500m", "1Gi", 2).
      if (node.type === 'scalar' && node.kind === 'number') return undefined;
      if (node.type === 'scalar' && node.kind === 'string' && QUANTITY.test((node.text ?? '').trim()))
        return undefined;
      return quantityError;
    }
    case 'IntOrString': {
      // IntOrString decodes a string as is, anything else as an int32 with no struct around it.
      if (node.type === 'scalar' && node.kind === 'string') return undefined;
      const problem = intProblem(node, 'int32');
      return problem && `json: cannot unmarshal ${problem} into Go value of type int32`;
    }
    case 'Time':
      return node.type === 'scalar' && node.kind === 'string'
        ? undefined
        : `json: cannot unmarshal ${describe(node)} into Go value of type string`;
    default:
      // FieldsV1 and other free-form values hold any JSON.
      return undefined;
  }
}

/**
 * The first value of a body (decoded as `apiVersion`/`kind`) that Go's decoder cannot put in its field, worded as
 * the decoder words it; undefined when every value fits, or for a kind without a schema here. With
 * `statusIgnored` (a write the strategy drops the status of), null items under `status` pass, as Go passes them.
 */
export function typeMismatch(
  tree: JsonNode,
  apiVersion: string,
  kind: string,
  options: { statusIgnored: boolean },
): string | undefined {
  const message = messageForKind(apiVersion, kind);
  if (!message || tree.type !== 'object') return undefined;
  return checkMessage(tree, message, true, { path: '', nullItems: false }, options.statusIgnored);
}
