// Temp-dir fixtures for the config tests: each test gets its own tree, an empty user config dir,
// and a search that stops at the tree's root so files elsewhere on the machine never leak in.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load.js';
import type { LoadedConfig, LoadOptions } from '../../../src/config/types.js';
import { AppError } from '../../../src/errors.js';

export interface Tree {
  root: string;
  userDir: string;
  /** Writes a file (creating folders) and returns its absolute path. */
  write(rel: string, content: string | object): string;
  load(rel?: string, extra?: Partial<LoadOptions>): Promise<LoadedConfig>;
  /** Loads and returns the CONFIG error it must throw. */
  loadError(rel?: string, extra?: Partial<LoadOptions>): Promise<AppError>;
  cleanup(): void;
}

export function makeTree(): Tree {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mcpsh-config-'));
  const userDir = path.join(root, 'user-config');
  mkdirSync(userDir);
  const write = (rel: string, content: string | object): string => {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file;
  };
  const options = (rel = '.', extra: Partial<LoadOptions> = {}): LoadOptions => {
    const cwd = path.join(root, rel);
    mkdirSync(cwd, { recursive: true });
    return { cwd, env: {}, userConfigDir: userDir, stopDir: root, ...extra };
  };
  return {
    root,
    userDir,
    write,
    load: (rel, extra) => loadConfig(options(rel, extra)),
    loadError: async (rel, extra) => {
      try {
        await loadConfig(options(rel, extra));
      } catch (err) {
        if (err instanceof AppError) return err;
        throw err;
      }
      throw new Error('expected loadConfig to fail');
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
