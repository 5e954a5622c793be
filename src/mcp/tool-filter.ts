// includeTools / excludeTools: globs on the tool name as the server names it; exclude wins.
import picomatch from 'picomatch';

export function toolFilter(include: readonly string[], exclude: readonly string[]): (name: string) => boolean {
  const inc = include.length > 0 ? picomatch([...include]) : () => true;
  const exc = exclude.length > 0 ? picomatch([...exclude]) : () => false;
  return (name) => inc(name) && !exc(name);
}
