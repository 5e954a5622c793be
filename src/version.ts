// The package version, read once from package.json (dist/ and src/ both sit one level below it).
import { createRequire } from 'node:module';

export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
