// Where mcpsh keeps its files: XDG base directories on Linux, the platform's equivalents elsewhere.
// Each can be moved with MCPSH_CONFIG_DIR / MCPSH_STATE_DIR / MCPSH_DATA_DIR / MCPSH_CACHE_DIR (tests rely on it).
import envPaths from 'env-paths';

const base = envPaths('mcpsh', { suffix: '' });

export interface AppPaths {
  config: string;
  state: string;
  data: string;
  cache: string;
}

export function appPaths(env: NodeJS.ProcessEnv = process.env): AppPaths {
  const xdg = (name: string, sub: string, fallback: string): string => {
    const v = env[name];
    return v ? `${v}/${sub}` : fallback;
  };
  return {
    config: env.MCPSH_CONFIG_DIR ?? xdg('XDG_CONFIG_HOME', 'mcpsh', base.config),
    state: env.MCPSH_STATE_DIR ?? xdg('XDG_STATE_HOME', 'mcpsh', base.log),
    data: env.MCPSH_DATA_DIR ?? xdg('XDG_DATA_HOME', 'mcpsh', base.data),
    cache: env.MCPSH_CACHE_DIR ?? xdg('XDG_CACHE_HOME', 'mcpsh', base.cache),
  };
}
