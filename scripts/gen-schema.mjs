// Writes schema/mcp.config.schema.json from the built zod schema (run by `npm run build` after tsc).
// test/unit/config/json-schema.test.ts regenerates it from src and fails if the file has drifted.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { jsonSchemaText } from '../dist/config/json-schema.js';

const target = fileURLToPath(new URL('../schema/mcp.config.schema.json', import.meta.url));
await writeFile(target, jsonSchemaText());
