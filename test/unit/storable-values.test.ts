// unit: what the API accepts is what the database can store (shared/storable-value.ts), and how the document client
// hands attribute values to the marshaller so that no key can pass an object off as a class instance.
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { storableInput } from '../../shared/dynamo-client.js';
import { unstorableParts } from '../../shared/storable-value.js';

describe('unstorableParts', () => {
  it('names each key, text and number the database cannot hold by its dotted path', () => {
    // Prepare
    const body = JSON.parse('{"a":{"__proto__":"x","ok":"fine"},"list":[1e-131,1e-130,0,-0,9007199254740991,9007199254740992],"t":"\\ud800","\\udfff":"k","emoji":"😀"}');

    // Act
    const details = unstorableParts(body);

    // Assess
    expect(details.map((d) => d.path).sort()).toEqual(['\udfff', 'a.__proto__', 'list.0', 'list.5', 't'].sort());
  });

  it('walks a body nested a hundred thousand deep without running out of stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}1e-200${']'.repeat(100_000)}`);
    expect(unstorableParts(deep)).toHaveLength(1);
  });
});

describe('storableInput', () => {
  it('hands plain objects inside attribute values over as Maps, so a "constructor" key is just a key', () => {
    // Prepare
    const input = { TableName: 't', Item: { id: 'r1', metadata: { constructor: 'y', M: 'm' }, list: [{ then: 'z' }] }, ExpressionAttributeNames: { '#c': 'constructor' } };

    // Act
    const prepared = storableInput(input);

    // Assess: the marshaller takes every value; names and other fields are left as they were
    expect(prepared.ExpressionAttributeNames).toEqual({ '#c': 'constructor' });
    expect(prepared.Item.metadata).toBeInstanceOf(Map);
    expect(marshall(prepared.Item)).toEqual({
      id: { S: 'r1' },
      metadata: { M: { constructor: { S: 'y' }, M: { S: 'm' } } },
      list: { L: [{ M: { then: { S: 'z' } } }] },
    });
    expect(() => marshall(input.Item)).toThrow(/Unsupported type/);
  });

  it('leaves sets, numbers and class instances as they are, so a Date is still refused rather than stored as {}', () => {
    // Prepare
    const when = new Date();
    const prepared = storableInput({ Key: { id: 'k' }, ExpressionAttributeValues: { ':s': new Set(['a']), ':n': 3, ':d': when } });

    // Assess
    expect(prepared.ExpressionAttributeValues[':s']).toEqual(new Set(['a']));
    expect(prepared.ExpressionAttributeValues[':d']).toBe(when);
    expect(() => marshall({ d: prepared.ExpressionAttributeValues[':d'] })).toThrow(/Unsupported type/);
  });
});
