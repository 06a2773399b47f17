// The OpenAPI v2 document in gnostic's protobuf form (openapi.v2.Document in gnostic's OpenAPIv2.proto), which kubectl
// asks for with Accept application/com.github.proto-openapi.spec.v2@v1.0+protobuf. Field numbers are gnostic's.
import type { OpenApiV2Document, Operation, Parameter, PathItem, Response, Schema } from './document.ts';
import { memoized } from './memo.ts';
import {
  boolField,
  encode,
  type Fields,
  message,
  messageField,
  repeatedStringField,
  stringField,
} from './protobuf-writer.ts';

/**
 * A vendor extension (gnostic NamedAny) whose value is YAML text (Any.yaml). JSON is YAML, and quoting every string
 * keeps `group: ""` a string for kubectl's YAML decoder (a bare empty value would read as null).
 */
function extension(field: number, name: string, value: unknown): Fields {
  return messageField(field, stringField(1, name), messageField(2, stringField(2, JSON.stringify(value))));
}

const EXTENSIONS = [
  'x-kubernetes-group-version-kind',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-patch-merge-key',
  'x-kubernetes-patch-strategy',
] as const;

/** An enum value: gnostic's Any holding YAML text. */
const anyValue = (value: string) => stringField(2, JSON.stringify(value));

function additionalProperties(value: Schema | boolean): Fields {
  // AdditionalPropertiesItem: oneof schema = 1, boolean = 2.
  return typeof value === 'boolean'
    ? messageField(21, boolField(2, value))
    : messageField(21, messageField(1, schema(value)));
}

function schema(s: Schema): Fields {
  return message(
    stringField(1, s.$ref),
    stringField(2, s.format),
    stringField(4, s.description),
    repeatedStringField(19, s.required),
    ...(s.enum ?? []).map((value) => messageField(20, anyValue(value))),
    s.additionalProperties === undefined ? message() : additionalProperties(s.additionalProperties),
    s.type ? messageField(22, repeatedStringField(1, [s.type])) : message(),
    // ItemsItem { repeated Schema schema = 1 }.
    s.items ? messageField(23, messageField(1, schema(s.items))) : message(),
    // Properties { repeated NamedSchema additional_properties = 1 }.
    s.properties
      ? messageField(
          25,
          ...Object.entries(s.properties).map(([name, property]) =>
            messageField(1, stringField(1, name), messageField(2, schema(property))),
          ),
        )
      : message(),
    ...EXTENSIONS.map((name) => (s[name] === undefined ? message() : extension(31, name, s[name]))),
  );
}

/** ParametersItem { Parameter parameter = 1 } → Parameter { BodyParameter = 1 | NonBodyParameter = 2 }. */
const parameter = memoized((p: Parameter): Fields => {
  if (p.in === 'body') {
    const bodyParameter = message(
      stringField(1, p.description),
      stringField(2, p.name),
      stringField(3, p.in),
      boolField(4, p.required),
      p.schema ? messageField(5, schema(p.schema)) : message(),
    );
    return messageField(1, messageField(1, bodyParameter));
  }
  // Query (NonBodyParameter field 3) and path (field 4) sub-schemas share fields 1-4; type and uniqueItems differ.
  const isQuery = p.in === 'query';
  const subSchema = message(
    boolField(1, p.required),
    stringField(2, p.in),
    stringField(3, p.description),
    stringField(4, p.name),
    stringField(isQuery ? 6 : 5, p.type),
    boolField(isQuery ? 20 : 19, p.uniqueItems),
  );
  return messageField(1, messageField(2, messageField(isQuery ? 3 : 4, subSchema)));
});

/** Responses { repeated NamedResponseValue response_code = 1 } → ResponseValue { Response response = 1 }. */
function responses(all: Record<string, Response>): Fields {
  return message(
    ...Object.entries(all).map(([code, r]) => {
      const response = message(
        stringField(1, r.description),
        r.schema ? messageField(2, messageField(1, schema(r.schema))) : message(),
      );
      return messageField(1, stringField(1, code), messageField(2, messageField(1, response)));
    }),
  );
}

function operation(op: Operation): Fields {
  return message(
    repeatedStringField(1, op.tags),
    stringField(3, op.description),
    stringField(5, op.operationId),
    repeatedStringField(6, op.produces),
    ...op.parameters.map((p) => messageField(8, parameter(p))),
    messageField(9, responses(op.responses)),
    repeatedStringField(10, op.schemes),
    extension(13, 'x-kubernetes-action', op['x-kubernetes-action']),
    extension(13, 'x-kubernetes-group-version-kind', op['x-kubernetes-group-version-kind']),
  );
}

const operationFields = { get: 2, put: 3, post: 4, delete: 5, patch: 8 } as const;

function pathItem(item: PathItem): Fields {
  return message(
    ...Object.entries(operationFields).map(([method, field]) => {
      const op = item[method as keyof typeof operationFields];
      return op ? messageField(field, operation(op)) : message();
    }),
    ...item.parameters.map((p) => messageField(9, parameter(p))),
  );
}

export function encodeOpenApiV2(doc: OpenApiV2Document): Buffer {
  return encode(
    message(
      stringField(1, doc.swagger),
      messageField(2, stringField(1, doc.info.title), stringField(2, doc.info.version)),
      // Paths { repeated NamedPathItem path = 2 }, in document order: kubectl takes the first PATCH per kind.
      messageField(
        8,
        ...Object.entries(doc.paths).map(([name, item]) =>
          messageField(2, stringField(1, name), messageField(2, pathItem(item))),
        ),
      ),
      // Definitions { repeated NamedSchema additional_properties = 1 }.
      messageField(
        9,
        ...Object.entries(doc.definitions).map(([name, s]) =>
          messageField(1, stringField(1, name), messageField(2, schema(s))),
        ),
      ),
    ),
  );
}
