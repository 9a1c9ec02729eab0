// The upgrade from the last release must succeed, in the deploys docs/upgrading.md gives (with
// -c legacyBySurveyIndex=true first, then the default): CloudFormation updates a table's global secondary indexes
// through DynamoDB's UpdateTable, which creates or deletes only one index per call, and an index's key schema cannot
// change in place. test/fixtures/released-indexes.json holds the indexes of the last release; when a
// release ships, it becomes that release's set.
import { describe, expect, it } from 'vitest';
import { deployedIndexes, topology, type TableDeclaration, type TableName } from '../../infra/topology.js';
import released from '../fixtures/released-indexes.json' with { type: 'json' };

type Index = NonNullable<TableDeclaration['indexes']>[number];
const declared = Object.entries(topology.tables as Record<TableName, TableDeclaration>) as [TableName, TableDeclaration][];
const names = (indexes: Index[]) => new Set(indexes.map((index) => index.name));
const changes = (before: Set<string>, after: Set<string>) => ({
  added: [...after].filter((name) => !before.has(name)),
  removed: [...before].filter((name) => !after.has(name)),
});
const releasedOf = (table: string): Index[] | undefined => (released as Record<string, Index[]>)[table];

describe('an upgrade from the last release', () => {
  it.each(declared.filter(([table]) => releasedOf(table)))('adds or removes at most one index of %s, with -c legacyBySurveyIndex=true (the upgrade\'s first deploy)', (table) => {
    // Act: the indexes `cdk deploy -c legacyBySurveyIndex=true` gives the table (legacy ones kept)
    const { added, removed } = changes(names(releasedOf(table)!), names(deployedIndexes(table, true)));

    // Assess
    expect(added.length + removed.length, `added ${added.join(', ')}; removed ${removed.join(', ')}`).toBeLessThanOrEqual(1);
  });

  it.each(declared)('then removes at most one index of %s with the default context (the upgrade\'s second deploy)', (table) => {
    // Act
    const { added, removed } = changes(names(deployedIndexes(table, true)), names(deployedIndexes(table, false)));

    // Assess: only removals, one at most, and only of indexes marked legacy
    expect(added).toEqual([]);
    expect(removed.length).toBeLessThanOrEqual(1);
    for (const name of removed) expect(deployedIndexes(table, true).find((index) => index.name === name)?.legacy).toBe(true);
  });

  it.each(declared.filter(([table]) => releasedOf(table)))('keeps the key schema of every index %s keeps', (table, declaration) => {
    for (const { legacy: _, ...index } of declaration.indexes ?? []) {
      const before = releasedOf(table)!.find((r) => r.name === index.name);
      if (before) expect(index, `${table}.${index.name}`).toEqual(before);
    }
  });
});
