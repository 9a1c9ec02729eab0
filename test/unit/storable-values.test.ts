// unit: what the API accepts is what the database can store (shared/storable-value.ts), and how the document client
// marshals attribute values so that no key can pass an object off as a class instance.
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { marshallItem } from '../../shared/aws/dynamodb.js';
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

describe('marshallItem', () => {
  it('hands plain objects inside attribute values over as Maps, so a "constructor" key is just a key', () => {
    // Prepare
    const item = { id: 'r1', metadata: { constructor: 'y', M: 'm' }, list: [{ then: 'z' }], constructor: 'top', gone: undefined };

    // Act
    const wire = marshallItem(item);

    // Assess: the SDK's marshaller alone refuses the item; undefined attributes are left out
    expect(wire).toEqual({
      id: { S: 'r1' },
      metadata: { M: { constructor: { S: 'y' }, M: { S: 'm' } } },
      list: { L: [{ M: { then: { S: 'z' } } }] },
      constructor: { S: 'top' },
    });
    expect(() => marshall({ metadata: item.metadata })).toThrow(/Unsupported type/);
  });

  it('leaves sets and numbers as they are and still refuses a class instance such as a Date rather than storing {}', () => {
    expect(marshallItem({ s: new Set(['a']), n: 3 })).toEqual({ s: { SS: ['a'] }, n: { N: '3' } });
    expect(() => marshallItem({ d: new Date() })).toThrow(/Unsupported type/);
  });

  it('refuses a binary value, which the JSON body would carry as an object of its bytes', () => {
    expect(() => marshallItem({ id: 'k', nested: { blob: new Uint8Array([1, 2]) } })).toThrow(/binary attribute values are not supported/);
  });
});
