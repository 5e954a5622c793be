// Finding and reading config files: the user file, then the project file found by cosmiconfig
// searching up from the working directory (or the one --config names). Parsing only; no validation here.
import type { Loader } from 'cosmiconfig';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppError, errorMessage } from '../errors.js';
import type { JsonPath } from './interpolate.js';
import { parseJsonc } from './jsonc.js';
import { localModules } from './trust-modules.js';
import { hashConfigText } from './trust.js';
import type { ConfigSource, LoadOptions, SearchInfo, TrustGate, UntrustedFiles } from './types.js';

/** mcpsh's own file names, first found wins within one directory. */
export const OWN_PLACES = [
  'mcp.config.json',
  '.mcprc',
  '.mcprc.json',
  'mcp.config.js',
  'mcp.config.mjs',
  'mcp.config.cjs',
  'mcp.config.ts',
  'package.json',
];

/**
 * Other hosts' project files, read as they are (same trust rules): Claude Code's .mcp.json, then VS Code's
 * .vscode/mcp.json (`servers`), then Cursor's .cursor/mcp.json. mcpsh's own files win over them in the same
 * directory; a nearer directory wins over a farther one, whichever kind each holds.
 */
export const OTHER_HOST_PLACES = ['.mcp.json', '.vscode/mcp.json', '.cursor/mcp.json'];

export const SEARCH_PLACES = [...OWN_PLACES, ...OTHER_HOST_PLACES];

export const USER_FILE_NAME = 'config.json';

/** One config file as read from disk. */
export interface RawSource extends ConfigSource {
  data: unknown;
  /** The file's text, for JSON files: lets problems carry a line number. */
  text?: string | undefined;
  /** Where the config sits inside the file (`mcp` in a package.json). */
  root: JsonPath;
}

interface Found {
  source?: RawSource;
  searched: SearchInfo;
  warnings: string[];
  /** Project files the trust gate refused (see LoadedConfig.untrusted). */
  untrusted?: UntrustedFiles;
}

/** Every file cosmiconfig loaded, in order, with its text, and the code files the trust gate kept from running. */
interface LoadTrace {
  order: string[];
  contents: Map<string, string>;
  notRun: Set<string>;
}

async function explorer(texts: Map<string, string>, trace: LoadTrace, gate: TrustGate | undefined) {
  // cosmiconfig (and its loaders) are loaded only to search, or to load a code or package.json config.
  const { cosmiconfig, defaultLoaders } = await import('cosmiconfig');
  const json: Loader = (file, content) => {
    texts.set(file, content);
    trace.order.push(file);
    trace.contents.set(file, content);
    return parseJsonc(file, content);
  };
  // Project trust (issue 6): a code config and the local modules it imports are checked against the gate
  // BEFORE it is imported, so an untrusted one never runs; it loads as an empty config and is reported untrusted.
  const code =
    (loader: Loader): Loader =>
    (file, content) => {
      trace.order.push(file);
      trace.contents.set(file, content);
      if (!gate) return loader(file, content) as unknown;
      // Trust covers every local module the config imports (read from its text, never by running it).
      const modules = localModules(file, content);
      for (const m of modules) {
        trace.order.push(m.file);
        trace.contents.set(m.file, m.content);
      }
      if (!gate(file, content) || modules.some((m) => !gate(m.file, m.content))) {
        trace.notRun.add(file);
        return {};
      }
      return loader(file, content) as unknown;
    };
  return cosmiconfig('mcp', {
    searchPlaces: SEARCH_PLACES,
    packageProp: 'mcp',
    searchStrategy: 'none',
    cache: false,
    ignoreEmptySearchPlaces: false,
    // JSON files are JSONC: the files people copy from other clients often carry comments.
    // `default` covers any other extension --config may name (.jsonc, .conf, ...).
    loaders: {
      '.js': code(defaultLoaders['.js']),
      '.mjs': code(defaultLoaders['.mjs']),
      '.cjs': code(defaultLoaders['.cjs']),
      '.ts': code(defaultLoaders['.ts']),
      '.json': json,
      noExt: json,
      default: json,
    },
  });
}

const CODE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts']);

/** A --config file read as JSON(C) by mcpsh itself: neither code nor a package.json (whose `mcp` key cosmiconfig finds). */
function isPlainJsonFile(file: string): boolean {
  return !CODE_EXTENSIONS.has(path.extname(file)) && path.basename(file) !== 'package.json';
}

/** What cosmiconfig's load() gives for a JSON file (an empty file is `isEmpty`), without loading cosmiconfig. */
async function readJsonConfig(file: string, texts: Map<string, string>, trace: LoadTrace): Promise<{ config: unknown; isEmpty?: boolean }> {
  const content = await readFile(file, 'utf8');
  texts.set(file, content);
  trace.order.push(file);
  trace.contents.set(file, content);
  if (content.trim() === '') return { config: undefined, isEmpty: true };
  return { config: parseJsonc(file, content) };
}

function loadFailure(file: string, err: unknown): AppError {
  if (err instanceof AppError) return err;
  const ts = file.endsWith('.ts');
  return new AppError('CONFIG', `cannot load ${file}: ${errorMessage(err).split('\n').slice(-1)[0] ?? ''}`.trimEnd(), {
    cause: err,
    hint: ts
      ? 'mcp.config.ts needs the typescript package installed next to mcpsh; or use mcp.config.json / mcp.config.mjs'
      : 'the file must export the config object as its default export (or module.exports)',
  });
}

function toSource(file: string, data: unknown, texts: Map<string, string>, isEmpty: boolean | undefined, warnings: string[]): RawSource {
  if (isEmpty) warnings.push(`${file} holds no config; using no settings from it`);
  const isPackage = path.basename(file) === 'package.json';
  return { path: file, scope: 'project', data: isEmpty ? {} : data, text: texts.get(file), root: isPackage ? ['mcp'] : [] };
}

function directories(from: string, stopDir: string): string[] {
  const dirs: string[] = [];
  let dir = from;
  for (;;) {
    dirs.push(dir);
    const parent = path.dirname(dir);
    if (dir === stopDir || parent === dir) return dirs;
    dir = parent;
  }
}

/** The project config: --config's file when given, else the first file found searching up from cwd. */
export async function findProjectConfig(opts: LoadOptions, userFile: string): Promise<Found> {
  const texts = new Map<string, string>();
  const trace: LoadTrace = { order: [], contents: new Map(), notRun: new Set() };
  const warnings: string[] = [];
  if (opts.configPath !== undefined) {
    const file = path.resolve(opts.cwd, opts.configPath);
    const info = await stat(file).catch(() => undefined);
    if (!info)
      throw new AppError('CONFIG', `config file not found: ${file}`, {
        hint: 'check the path given to --config (a relative path is taken from the current directory)',
      });
    if (info.isDirectory())
      throw new AppError('CONFIG', `--config must name a file, but ${file} is a directory`, {
        hint: `try --config ${path.join(opts.configPath, 'mcp.config.json')}`,
      });
    const result = await (
      isPlainJsonFile(file) ? readJsonConfig(file, texts, trace) : (await explorer(texts, trace, opts.trustGate)).load(file)
    ).catch((err: unknown) => {
      throw loadFailure(file, err);
    });
    const source = toSource(file, result?.config, texts, result?.isEmpty ?? result === null, warnings);
    return { source, warnings, searched: { places: SEARCH_PLACES, userFile }, ...untrustedOf(file, trace, opts.trustGate) };
  }
  const ex = await explorer(texts, trace, opts.trustGate);
  const stopDir = path.resolve(opts.stopDir ?? opts.env.HOME ?? os.homedir());
  const dirs = directories(path.resolve(opts.cwd), stopDir);
  const searched: SearchInfo = { from: dirs[0], to: dirs[dirs.length - 1], places: SEARCH_PLACES, userFile };
  for (const dir of dirs) {
    let result;
    try {
      result = await ex.search(dir);
    } catch (err) {
      throw loadFailure((err as { filepath?: string }).filepath ?? dir, err);
    }
    if (!result) continue;
    // Two of mcpsh's own files in one folder is a mistake worth a warning; another host's file beside
    // them is expected (a project set up for several hosts) and shadowed silently, as documented.
    const others = OWN_PLACES.filter((p) => p !== 'package.json' && path.join(dir, p) !== result.filepath && existsSync(path.join(dir, p)));
    if (others.length > 0) {
      warnings.push(`${dir} has more than one config file; using ${path.basename(result.filepath)} and ignoring ${others.join(', ')}`);
    }
    const source = toSource(result.filepath, result.config, texts, result.isEmpty, warnings);
    return { source, warnings, searched, ...untrustedOf(result.filepath, trace, opts.trustGate) };
  }
  return { warnings, searched };
}

/** The files of the chosen config (itself, then what it $imports) that the gate does not trust. */
function untrustedOf(file: string, trace: LoadTrace, gate: TrustGate | undefined): { untrusted?: UntrustedFiles } {
  if (!gate) return {};
  // Files loaded before the chosen one were other candidates (a package.json without "mcp"), not part of it.
  const mine = [...new Set(trace.order.slice(Math.max(0, trace.order.lastIndexOf(file))))];
  const files = mine.filter((f) => trace.notRun.has(f) || !gate(f, trace.contents.get(f) ?? ''));
  if (files.length === 0) return {};
  const sha256 = Object.fromEntries(files.map((f) => [f, hashConfigText(trace.contents.get(f) ?? '')]));
  return { untrusted: { files, codeNotRun: files.some((f) => trace.notRun.has(f)), sha256 } };
}

/** The user-level file, or undefined when there is none. */
export async function readUserConfig(file: string, warnings: string[]): Promise<RawSource | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError('CONFIG', `cannot read the user config ${file}: ${errorMessage(err)}`, { cause: err });
  }
  if (text.trim() === '') {
    warnings.push(`${file} is empty; using no settings from it`);
    return { path: file, scope: 'user', data: {}, text, root: [] };
  }
  return { path: file, scope: 'user', data: parseJsonc(file, text), text, root: [] };
}
