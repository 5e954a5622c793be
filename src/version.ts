// The package version (read once from package.json by package-root.ts).
export { VERSION } from './package-root.js';
