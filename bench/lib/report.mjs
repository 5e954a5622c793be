// The ratios table: from the medians of each variant to rows of path, mcpsh, floor, ratio, goal, verdict.
import { median } from './measure.mjs';

const ms = (v) => `${v.toFixed(1)} ms`;
const mb = (v) => `${v.toFixed(1)} MB`;

function ratioRow(path, mine, floor, goal, unit = ms) {
  const ratio = mine / floor;
  return {
    path,
    mcpsh: unit(mine),
    floor: unit(floor),
    ratio: `${ratio.toFixed(2)}×`,
    goal: `≤ ${goal.toFixed(2)}×`,
    over: !(ratio <= goal),
  };
}

/** `samples[group][variant]` is the list of measured runs ({cpuMs, rssMB, wallMs}); `chat` the chat's runs. */
export function rows(samples, chat) {
  const m = (group, variant, key = 'cpuMs') => median(samples[group][variant].map((s) => s[key]));
  const out = [];
  const ask1 = [m('ask', 'mcpsh1'), m('ask', 'floor1')];
  const ask10 = [m('ask', 'mcpsh10'), m('ask', 'floor10')];
  out.push(ratioRow('ask, 1 tool call (CPU)', ...ask1, 1.1));
  out.push(ratioRow('ask, 10 tool calls (CPU)', ...ask10, 1.1));
  // Per extra turn from the 50-call runs: a difference of medians over 9 turns moved by ±2 ms between runs on
  // this machine, over 49 turns by a fifth of that. Smoke runs skip the 50-call variants.
  const fifty = samples.ask.mcpsh50?.length > 0;
  const per = fifty ? [m('ask', 'mcpsh50'), m('ask', 'floor50')] : ask10;
  const turns = fifty ? 49 : 9;
  out.push(ratioRow(`each extra turn, (t${turns + 1}-t1)/${turns} (CPU)`, (per[0] - ask1[0]) / turns, (per[1] - ask1[1]) / turns, 1.1));
  out.push(ratioRow('tools --json, 1 server (CPU)', m('tools', 'mcpsh'), m('tools', 'floor'), 1.1));
  out.push(ratioRow('call, 1 server (CPU)', m('call', 'mcpsh'), m('call', 'floor'), 1.1));
  out.push(ratioRow("--version vs node -e '' (CPU)", m('version', 'mcpsh'), m('version', 'floor'), 1.2));
  const rss = [m('ask', 'mcpsh1', 'rssMB'), m('ask', 'floor1', 'rssMB')];
  out.push({
    path: 'peak RSS, ask 1 call',
    mcpsh: mb(rss[0]),
    floor: mb(rss[1]),
    ratio: `+${(rss[0] - rss[1]).toFixed(1)} MB`,
    goal: '≤ +15 MB',
    over: !(rss[0] - rss[1] <= 15),
  });
  // Here the "floor" column is mcpsh itself with one server: this row is about connecting in parallel.
  out.push(
    ratioRow('tools --json, 20 waiting servers vs 1 (wall)', m('servers20', 'mcpsh20', 'wallMs'), m('servers20', 'mcpsh1', 'wallMs'), 1.2),
  );
  const chatRow = (path, key) => {
    const v = median(chat.map((c) => c[key]));
    return { path, mcpsh: ms(v), floor: '-', ratio: '-', goal: '≤ 300 ms', over: !(v <= 300) };
  };
  out.push(chatRow('chat prompt drawn (wall, pty)', 'drawnMs'));
  out.push(chatRow('chat prompt takes input (wall, pty)', 'inputMs'));
  return out;
}

/** Reference numbers, not judged: wall times, and what the floor itself does with 20 servers. */
export function infoRows(samples) {
  const m = (group, variant, key) => median(samples[group][variant].map((s) => s[key]));
  const pair = (path, group, a, b, key, unit = ms) => {
    const [x, y] = [m(group, a, key), m(group, b, key)];
    return { path, mcpsh: unit(x), floor: unit(y), ratio: `${(x / y).toFixed(2)}×` };
  };
  const floor20 = samples.servers20.floor20.length > 0;
  return [
    pair('ask, 1 tool call (wall)', 'ask', 'mcpsh1', 'floor1', 'wallMs'),
    pair('ask, 10 tool calls (wall)', 'ask', 'mcpsh10', 'floor10', 'wallMs'),
    pair('tools --json (wall)', 'tools', 'mcpsh', 'floor', 'wallMs'),
    pair('call (wall)', 'call', 'mcpsh', 'floor', 'wallMs'),
    ...(floor20
      ? [
          pair('tools, 20 servers (wall)', 'servers20', 'mcpsh20', 'floor20', 'wallMs'),
          pair('tools, 20 servers (CPU)', 'servers20', 'mcpsh20', 'floor20', 'cpuMs'),
        ]
      : []),
    ...(floor20
      ? [
          {
            path: 'floor tools, 20 servers vs 1 (wall)',
            mcpsh: '-',
            floor: `${ms(m('servers20', 'floor20', 'wallMs'))} / ${ms(m('servers20', 'floor1', 'wallMs'))}`,
            ratio: `${(m('servers20', 'floor20', 'wallMs') / m('servers20', 'floor1', 'wallMs')).toFixed(2)}×`,
          },
        ]
      : []),
  ];
}

export function table(headers, list, keys) {
  const cells = [headers, ...list.map((r) => keys.map((k) => String(r[k] ?? '')))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row) => `| ${row.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}
