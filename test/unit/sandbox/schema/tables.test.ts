import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { messages } from '../../../../server/sandbox/api/protobuf/schema.ts';
import { descriptions } from '../../../../server/sandbox/schema/descriptions.ts';
import { fieldRules } from '../../../../server/sandbox/schema/field-rules.ts';
import { fieldsOf } from '../../../../server/sandbox/validation-fields/fields.ts';

describe('the description and field-rule tables', () => {
  for (const [name, table] of Object.entries({ descriptions, fieldRules })) {
    test(`${name} name only types and fields of the schema table`, () => {
      for (const [message, fields] of Object.entries(table)) {
        assert.ok(message in messages, `${name}: no message ${message}`);
        const known = fieldsOf(message, false);
        for (const field of Object.keys(fields)) {
          if (field === '') continue;
          assert.ok(known.has(field), `${name}: ${message} has no field ${field}`);
        }
      }
    });
  }

  test('descriptions are short sentences', () => {
    for (const [message, fields] of Object.entries(descriptions)) {
      for (const [field, text] of Object.entries(fields)) {
        assert.ok(text.length > 0 && text.length <= 160, `${message}.${field}: ${text.length} characters`);
        assert.match(text, /[.)…]$/, `${message}.${field} ends its sentence`);
        // kubectl 1.20 prints a description as a format string.
        assert.doesNotMatch(text, /%/, `${message}.${field} has no percent sign`);
      }
    }
  });

  test('merge keys are fields of the listed items, and only lists have list rules', () => {
    for (const [message, rules] of Object.entries(fieldRules)) {
      const fields = fieldsOf(message, false);
      for (const [field, rule] of Object.entries(rules)) {
        const shape = fields.get(field);
        assert.ok(shape);
        if (rule.mergeKey || rule.listType || rule.set)
          assert.ok(shape.repeated, `${message}.${field} is a list`);
        for (const key of [rule.mergeKey, ...(rule.mapKeys ?? [])].filter(Boolean) as string[]) {
          assert.ok(
            shape.message && fieldsOf(shape.message, false).has(key),
            `${message}.${field}: key ${key}`,
          );
        }
      }
    }
  });
});
