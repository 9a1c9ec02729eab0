// The deploy of this version over the last released one must succeed: CloudFormation updates a table's global
// secondary indexes through DynamoDB's UpdateTable, which creates or deletes only one index per call, and an index's key
// schema cannot change in place. test/fixtures/released-indexes.json holds the indexes of the last release; when a
// release ships, it becomes that release's set.
import { describe, expect, it } from 'vitest';
import { topology, type TableDeclaration } from '../../infra/topology.js';
import released from '../fixtures/released-indexes.json' with { type: 'json' };

type Index = NonNullable<TableDeclaration['indexes']>[number];
const declared = Object.entries(topology.tables as Record<string, TableDeclaration>);
const releasedOf = (table: string): Index[] | undefined => (released as Record<string, Index[]>)[table];

describe('an upgrade from the last release', () => {
  it.each(declared.filter(([table]) => releasedOf(table)))('adds or removes at most one index of %s', (table, declaration) => {
    // Prepare
    const before = new Set(releasedOf(table)!.map((index) => index.name));
    const after = new Set((declaration.indexes ?? []).map((index) => index.name));

    // Act
    const added = [...after].filter((name) => !before.has(name));
    const removed = [...before].filter((name) => !after.has(name));

    // Assess
    expect(added.length + removed.length, `added ${added.join(', ')}; removed ${removed.join(', ')}`).toBeLessThanOrEqual(1);
  });

  it.each(declared.filter(([table]) => releasedOf(table)))('keeps the key schema of every index %s keeps', (table, declaration) => {
    for (const index of declaration.indexes ?? []) {
      const before = releasedOf(table)!.find((r) => r.name === index.name);
      if (before) expect({ ...index }, `${table}.${index.name}`).toEqual(before);
    }
  });
});
