// schema/system.schema.json is what the schema says: regenerate it with
// `npm run schema` when this fails.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { systemJsonSchemaText } from '../../clusters/defined/index.ts';

describe('schema/system.schema.json', () => {
  it('is up to date with clusters/defined/schema.ts (npm run schema)', () => {
    const file = readFileSync(new URL('../../schema/system.schema.json', import.meta.url), 'utf8');
    expect(file === systemJsonSchemaText(), 'schema/system.schema.json is stale: run `npm run schema`').toBe(true);
  });

  it('names itself and describes the fields', () => {
    const schema = JSON.parse(systemJsonSchemaText());
    expect(schema.$id).toBe('urn:faultline:system-definition');
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'image', 'node', 'client', 'workloads']));
    expect(schema.properties.node.properties.command.description).toMatch(/the command that starts one node/i);
  });
});
