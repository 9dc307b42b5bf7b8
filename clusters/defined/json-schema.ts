// The definition schema as JSON Schema, for editors ("$schema" in a
// definition file) and `faultline system schema`. schema/system.schema.json
// holds this very text (npm run schema writes it; a unit test fails when it
// is stale).
import { z } from 'zod';
import { systemDefinitionSchema } from './schema.ts';

export const SYSTEM_SCHEMA_ID = 'urn:faultline:system-definition';

/** The JSON Schema of a definition as written (defaults optional). */
export function systemJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(systemDefinitionSchema, { io: 'input' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: SYSTEM_SCHEMA_ID, title: 'faultline system definition', ...rest };
}

/** The file's text: two-space JSON and a final newline. */
export function systemJsonSchemaText(): string {
  return `${JSON.stringify(systemJsonSchema(), null, 2)}\n`;
}
