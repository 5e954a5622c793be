// Preload for the bench (node --import ./bench/cpu-probe.mjs ...): when the process exits, writes its OWN
// CPU time (user + system, children not included) and peak RSS to the file named by BENCH_PROBE_FILE.
// Both sides of every comparison (mcpsh and the floor) get it the same way, on the command line, so
// processes they spawn (MCP servers) are neither measured nor touched: the variable is removed at once.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_PROBE_FILE;
delete process.env.BENCH_PROBE_FILE;

if (file) {
  process.on('exit', (code) => {
    const cpu = process.cpuUsage();
    // resourceUsage().maxRSS is in kilobytes.
    const maxRssKB = process.resourceUsage().maxRSS;
    writeFileSync(file, JSON.stringify({ userUs: cpu.user, systemUs: cpu.system, maxRssKB, code }));
  });
}
