// e2e: project trust with the built CLI. An untrusted project config starts nothing (and a code config
// is not even run); `mcpsh trust` shows what it would run and records it; an edit asks again; --trust,
// MCPSH_TRUST=1 and --config FILE trust for one run. These runs opt out of the helper's MCPSH_TRUST=1.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isolatedEnv, projectWithConfig, runCli, type CliResult } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { KEYS, spawnCliInPty, type PtySession } from '../helpers/pty.js';

const node = process.execPath;
const UNTRUSTED = { MCPSH_TRUST: undefined };
const dirs: string[] = [];
const ptys: PtySession[] = [];

afterEach(async () => {
  await Promise.all(ptys.splice(0).map((p) => p.kill()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A project whose one server, when started, leaves a file behind: proof that something ran. */
function project(): { dir: string; file: string; marker: string } {
  const dir = projectWithConfig({});
  dirs.push(dir);
  const marker = join(dir, 'server-started');
  const config = {
    mcpServers: {
      basic: {
        command: node,
        args: [
          '-e',
          `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); import(${JSON.stringify(pathToFileURL(fixturePath('basic.mjs')).href)})`,
        ],
      },
    },
  };
  const file = join(dir, 'mcp.config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return { dir, file, marker };
}

function untrustedStderr(file: string, how = 'is a project config you have not trusted yet'): string {
  return (
    `mcpsh: ${file} ${how}; its servers were not started\n` +
    '  hint: review it, then run `mcpsh trust` to trust it (it shows what the config would run), or pass --trust (MCPSH_TRUST=1 in CI) to trust it for this run only\n'
  );
}

const run = (args: string[], cwd: string, env: Record<string, string | undefined> = UNTRUSTED, input?: string): Promise<CliResult> =>
  runCli(args, { cwd, env, ...(input !== undefined ? { input } : {}) });

describe('an untrusted project config', () => {
  it('makes every server-using command fail with exit 3, naming the file, and starts nothing', async () => {
    const p = project();
    const modelEnv = { ...UNTRUSTED, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'sk-x', MCPSH_MODEL: 'm' };
    for (const args of [['tools'], ['call', 'basic', 'echo', '{"message":"hi"}'], ['servers'], ['doctor'], ['ask', 'hi']]) {
      const r = await run(args, p.dir, modelEnv);
      expect({ args, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
        args,
        code: 3,
        stdout: '',
        stderr: untrustedStderr(p.file),
      });
    }
    expect(existsSync(p.marker)).toBe(false);
  });

  it('is still shown by `mcpsh config`, which says it is not trusted', async () => {
    const p = project();
    const r = await run(['config'], p.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`  project  ${p.file}`);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(
      `Not trusted: ${p.file} is shown above, but mcpsh starts none of its servers. Review it, then run \`mcpsh trust\` (or pass --trust for one run).`,
    );
  });

  it('a code config is not even run until trusted, and runs once trusted', async () => {
    const dir = projectWithConfig({});
    dirs.push(dir);
    rmSync(join(dir, 'mcp.config.json'));
    const ran = join(dir, 'config-ran');
    const file = join(dir, 'mcp.config.mjs');
    writeFileSync(
      file,
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(ran)}, 'x');\nexport default { mcpServers: { basic: { command: ${JSON.stringify(node)}, args: [${JSON.stringify(fixturePath('basic.mjs'))}] } } };\n`,
    );
    const tools = await run(['tools'], dir);
    expect(tools.code).toBe(3);
    expect(tools.stderr.split('\n')[0]).toBe(
      `mcpsh: ${file} is a project config you have not trusted yet; its servers were not started and its code was not run`,
    );
    const shown = await run(['trust'], dir);
    expect(shown.stdout).toBe(
      `${file} is code: loading it runs it, so mcpsh cannot show what it would start without running it.\nRead the file before you trust it.\n`,
    );
    expect(existsSync(ran)).toBe(false);

    expect((await run(['trust', '--yes'], dir)).code).toBe(0);
    const trusted = await run(['tools', '--json'], dir);
    expect(trusted.code).toBe(0);
    expect(existsSync(ran)).toBe(true);
  });
});

describe('mcpsh trust', () => {
  it('shows what the config would run, needs --yes without a terminal, then records the trust', async () => {
    const p = project();
    const refused = await run(['trust'], p.dir);
    expect(refused.code).toBe(2);
    const script = `require('fs').writeFileSync(${JSON.stringify(p.marker)}, 'x'); import(${JSON.stringify(pathToFileURL(fixturePath('basic.mjs')).href)})`;
    expect(refused.stdout).toBe(
      `${p.file} would start or connect to:\n  server basic: runs a program (stdio)\n    command: ${node}\n    args: -e ${JSON.stringify(script)}\n    cwd: ${p.dir} (the directory you run mcpsh in)\n`,
    );
    expect(refused.stderr).toBe(
      `mcpsh: not trusting ${p.file}: confirmation needs a terminal\n  hint: read what it runs above, then run \`mcpsh trust --yes\` (or pass --trust to trust it for one run only)\n`,
    );
    expect((await run(['tools'], p.dir)).code).toBe(3);

    const yes = await run(['trust', '--yes'], p.dir);
    expect(yes.code).toBe(0);
    expect(yes.stdout.split('\n').at(-2)).toMatch(
      new RegExp(
        `^trusted ${p.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(sha256 [0-9a-f]{12}…\\); after any edit to it mcpsh will ask again$`,
      ),
    );
    const tools = await run(['tools'], p.dir);
    expect(tools.code).toBe(0);
    expect(tools.stdout).toContain('basic__echo');
    expect(existsSync(p.marker)).toBe(true);

    const store = join(isolatedEnv(p.dir).MCPSH_DATA_DIR ?? '', 'trust.json');
    expect(Object.keys((JSON.parse(readFileSync(store, 'utf8')) as { files: object }).files)).toEqual([p.file]);
  });

  it('an edit to a trusted config asks again; --list shows it changed; --revoke forgets it', async () => {
    const p = project();
    await run(['trust', '--yes'], p.dir);
    writeFileSync(p.file, `${readFileSync(p.file, 'utf8')}\n`);
    const r = await run(['servers'], p.dir);
    expect(r).toMatchObject({ code: 3, stdout: '', stderr: untrustedStderr(p.file, 'changed since you trusted it') });

    const list = await run(['trust', '--list', '--json'], p.dir);
    expect((JSON.parse(list.stdout) as { trusted: { path: string; state: string }[] }).trusted.map((e) => [e.path, e.state])).toEqual([
      [p.file, 'changed'],
    ]);

    await run(['trust', '--yes'], p.dir);
    expect(await run(['tools'], p.dir)).toMatchObject({ code: 0 });
    const revoked = await run(['trust', '--revoke'], p.dir);
    expect(revoked).toMatchObject({ code: 0, stdout: `revoked trust of ${p.file}\n` });
    expect(await run(['tools'], p.dir)).toMatchObject({ code: 3, stderr: untrustedStderr(p.file) });
  });

  it('asks at a terminal and records only after a yes', async () => {
    const p = project();
    const env = { ...process.env, ...isolatedEnv(p.dir), ...UNTRUSTED, NO_COLOR: '1' };
    const no = spawnCliInPty(['trust'], { cwd: p.dir, env });
    ptys.push(no);
    await no.waitForText('and let mcpsh run it? [y/N]');
    await no.type('n', KEYS.enter);
    await no.waitForText('not trusted; nothing was recorded');
    expect((await no.exited).exitCode).toBe(0);
    expect((await run(['tools'], p.dir)).code).toBe(3);

    const yes = spawnCliInPty(['trust'], { cwd: p.dir, env });
    ptys.push(yes);
    await yes.waitForText('[y/N]');
    await yes.type('y', KEYS.enter);
    await yes.waitForText(`trusted ${p.file}`);
    expect((await yes.exited).exitCode).toBe(0);
    expect((await run(['tools'], p.dir)).code).toBe(0);
  });
});

describe('trust for one run', () => {
  it('--trust, MCPSH_TRUST=1 and --config FILE run the config without recording anything', async () => {
    const p = project();
    expect((await run(['--trust', 'tools'], p.dir)).code).toBe(0);
    expect((await run(['tools', '--trust'], p.dir)).code).toBe(0);
    expect((await run(['tools'], p.dir, { MCPSH_TRUST: '1' })).code).toBe(0);
    expect((await run(['--config', 'mcp.config.json', 'tools'], p.dir)).code).toBe(0);
    const list = await run(['trust', '--list'], p.dir);
    expect(list.stdout).toMatch(/^no trusted project configs \(records: .*trust\.json\)\n$/);
    expect((await run(['tools'], p.dir)).code).toBe(3);
  });

  it("the repo's own `npm start` passes --trust", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toMatch(/node bin\/mcpsh\.js --trust$/);
  });
});
