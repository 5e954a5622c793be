// import() of a module named at run time: a package loaded by name (better-sqlite3), a user's code config.
// Loaded as ES modules (tests, tsc's dist/) this is the language's own import(). In the bundle it is replaced
// (scripts/bundle.mjs) by the loader's: the bundle's code is compiled by node:vm from V8's code cache, and
// there an import() has no module loader to go to (src/bundle-loader.ts).
export function importModule(specifier: string): Promise<unknown> {
  return import(specifier);
}
