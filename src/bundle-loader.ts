// Runs mcpsh from its bundle (dist/mcpsh.cjs, made by scripts/bundle.mjs) with V8's code cache: the bytecode
// V8 compiled in an earlier run is kept in the cache folder and handed back to V8, which then skips parsing and
// compiling (about 40 % of a short command's own CPU; docs/performance.md). Node 22 offers the same for modules
// (module.enableCompileCache); Node 20 does not, so the bundle is compiled here with node:vm, as a CommonJS
// module would be, on every Node.
//
// One cache file per command (`tools`, `ask`, `chat`, ...), written after the first run of that command that
// succeeded: each holds the code its command ran, so `tools` does not deserialize the chat's React. It is only
// a cache: a missing, foreign, stale or damaged file (V8 checks its own version, flags and the source's
// length; the folder's name carries the build's hash) is ignored and written anew, the three newest builds'
// folders are kept, and a folder that cannot be written (read-only, full disk) costs nothing but the speed.
// MCPSH_NO_COMPILE_CACHE=1 turns it off.
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import nodeModule, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { appPaths } from './paths.js';

interface Bundle {
  run(argv: string[]): Promise<number>;
  ranCommand(): string | undefined;
}

const BUNDLE = fileURLToPath(new URL('./mcpsh.cjs', import.meta.url));

/** Runs mcpsh on `argv` from the bundle; resolves to the exit code. */
export async function runBundle(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // The bundle is ASCII (scripts/bundle.mjs): read as latin1, it needs no UTF-8 decoding (~30 ms of CPU for 9 MB).
  const source = readFileSync(BUNDLE, 'latin1');
  const cacheDir = env.MCPSH_NO_COMPILE_CACHE ? undefined : appPaths(env).cache;
  const command = commandWord(argv);
  const file = cacheDir === undefined || command === undefined ? undefined : cacheFile(cacheDir, source, command);
  // Node 22.1+ keeps compiled code of the modules its own loader loads (what stays outside the bundle, such
  // as OpenTelemetry) in the cache folder too; absent on Node 20.
  if (cacheDir !== undefined) enableNodeCompileCache(join(cacheDir, 'node-compile-cache'));
  const stored = file === undefined ? undefined : readCache(file);
  // The bundle is a function expression; its parameters are a CommonJS module's, plus the bundle's URL and
  // this module's import(): code compiled by node:vm has none of its own that works with a code cache.
  const script = new vm.Script(source, {
    filename: BUNDLE,
    ...(stored ? { cachedData: stored } : {}),
  });
  const module = { exports: {} as Bundle };
  (script.runInThisContext() as (...args: unknown[]) => void)(
    module.exports,
    createRequire(BUNDLE),
    module,
    BUNDLE,
    dirname(BUNDLE),
    pathToFileURL(BUNDLE).href,
    (specifier: string) => import(specifier),
  );
  const code = await module.exports.run(argv);
  // Written once per build and command, after a run of it that succeeded (a failed run may have stopped early).
  const usable = stored !== undefined && script.cachedDataRejected !== true;
  if (file !== undefined && !usable && code === 0 && module.exports.ranCommand()?.split(' ')[0] === command) writeCache(file, script);
  return code;
}

function enableNodeCompileCache(dir: string): void {
  const enable = (nodeModule as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  try {
    enable?.(dir);
  } catch {
    // Only a cache.
  }
}

/**
 * The command `argv` names, as the cache's key: the first word that is not an option (nor --config's value),
 * or "chat" when there is none. The bundle's own parse decides what runs; a wrong guess is never written.
 */
function commandWord(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '-c' || word === '--config') i++;
    else if (word === '--') return undefined;
    else if (!word.startsWith('-')) return /^[a-z][a-z-]{0,31}$/.test(word) ? word : undefined;
  }
  return 'chat';
}

/** The cache's file for this build of the bundle on this Node; undefined when the bundle names no build. */
function cacheFile(cacheDir: string, source: string, command: string): string | undefined {
  const build = /^\/\/ mcpsh bundle ([0-9a-f]+)\n/.exec(source)?.[1];
  if (build === undefined) return undefined;
  return join(cacheDir, 'v8', `${build}-${process.version}-${process.arch}`, `${command}.bin`);
}

/** The stored cache, or undefined when there is none or it is not this user's own file. */
function readCache(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    // Bytecode is code: only a file this user wrote is run.
    if (!stat.isFile() || (process.getuid !== undefined && stat.uid !== process.getuid())) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Builds whose caches are kept, this one included. */
const KEPT_BUILDS = 3;

/** Writes the cache (whole or not at all: a temporary file renamed over it) and removes old builds' caches. */
function writeCache(file: string, script: vm.Script): void {
  const dir = dirname(file);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
    renameSync(temporary, file);
    // The newest few builds stay (two versions of mcpsh used in turn, a global one and a project's, must not
    // keep replacing each other's caches); older ones go.
    const all = dirname(dir);
    const builds = readdirSync(all)
      .map((name) => ({ path: join(all, name), at: join(all, name) === dir ? Infinity : statSync(join(all, name)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const old of builds.slice(KEPT_BUILDS)) rmSync(old.path, { recursive: true, force: true });
  } catch {
    // Only a cache: the next run compiles again. A temporary file left by a full disk is removed.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing more to do.
    }
  }
}
