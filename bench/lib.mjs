// Small helpers shared by the benchmark scripts: timing child processes and peak memory.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall time (ms) of a command run to completion, stdout discarded. */
export function timeOnce(cmd, args, options = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/**
 * Runs a command, sampling its peak resident memory (VmHWM from /proc) until it exits.
 * Returns { ms, peakMb, stdout, code }.
 */
export function measure(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    const out = [];
    const err = [];
    let peakKb = 0;
    const sample = () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const m = /VmHWM:\s+(\d+) kB/.exec(status);
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        /* exited */
      }
    };
    const timer = setInterval(sample, 20);
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      resolve({ ms, peakMb: peakKb / 1024, code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    // Sample right after start too (short processes).
    setImmediate(sample);
  });
}

export function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} cores (${cpu.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

// --- side by side: one run, the cases alternating ---------------------------------------------------

/** The load average (1, 5, 15 minutes) as /proc/loadavg says it. */
export function loadavg() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return os.loadavg().map((l) => l.toFixed(2)).join(' ');
  }
}

const GNU_TIME = '/usr/bin/time';

/**
 * Runs a command to completion: wall ms, CPU ms (user + system, children included) and peak RSS
 * (MB) from GNU time when present (else wall time and a polled VmHWM), plus stdout and status.
 */
export function timed(cmd, args, options = {}) {
  const spawnOptions = { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options };
  if (existsSync(GNU_TIME) && !process.env.BENCH_NO_GNU_TIME) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(GNU_TIME, ['-f', '@@ %e %U %S %M', cmd, ...args], spawnOptions);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const stderr = r.stderr ?? '';
    const line = stderr.split('\n').reverse().find((l) => l.startsWith('@@ '));
    if (!line) throw new Error(`${cmd} ${args.join(' ')}: no timing\n${stderr}`);
    const [, user, sys, kb] = line.slice(3).split(' ').map(Number);
    return { ok: r.status === 0, code: r.status, ms, cpuMs: (user + sys) * 1000, peakMb: kb / 1024, stdout: r.stdout, stderr: stderr.replace(line, '').trim() };
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, spawnOptions);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ok: r.status === 0, code: r.status, ms, cpuMs: NaN, peakMb: NaN, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs every case `runs` times, alternating (A B C A B C ...) so that a change of load hits all
 * alike, after one warm-up round (file cache). A case is { name, cmd, args, options?, check? };
 * check(result) returns an error text or null (wrong output is a failed goal, not a time).
 * Returns { loadBefore, loadAfter, results: Map(name -> { runs: [...], minMs, medianMs, minCpuMs,
 * medianCpuMs, peakMb, errors: [...] }) }.
 */
export function sideBySide(cases, runs, { warmup = true } = {}) {
  const loadBefore = loadavg();
  const results = new Map(cases.map((c) => [c.name, { runs: [], errors: [] }]));
  const once = (c, keep) => {
    const r = timed(c.cmd, c.args, c.options);
    const entry = results.get(c.name);
    const problem = !r.ok ? `${c.name} exited ${r.code}: ${String(r.stderr).slice(0, 500)}` : c.check ? c.check(r) : null;
    if (problem && !entry.errors.includes(problem)) entry.errors.push(problem);
    if (keep) entry.runs.push(r);
  };
  if (warmup) for (const c of cases) once(c, false);
  for (let k = 0; k < runs; k++) for (const c of cases) once(c, true);
  for (const entry of results.values()) {
    const ms = entry.runs.map((r) => r.ms);
    const cpu = entry.runs.map((r) => r.cpuMs);
    Object.assign(entry, {
      minMs: Math.min(...ms),
      medianMs: median(ms),
      minCpuMs: Math.min(...cpu),
      medianCpuMs: median(cpu),
      peakMb: Math.max(...entry.runs.map((r) => r.peakMb)),
    });
  }
  return { loadBefore, loadAfter: loadavg(), results };
}

/** Seconds or milliseconds, two significant places past the point. */
export const secs = (ms) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : 'n/a');
export const msText = (ms) => (Number.isFinite(ms) ? `${ms.toFixed(0)}` : 'n/a');

/** The usual table of a sideBySide run: min and median wall and CPU, peak RSS. */
export function sideBySideTable(results, { unit = 's' } = {}) {
  const f = unit === 's' ? secs : msText;
  return table(
    ['case', `wall min ${unit}`, `wall median ${unit}`, `CPU min ${unit}`, `CPU median ${unit}`, 'peak RSS MB', 'runs'],
    [...results].map(([name, r]) => [name, f(r.minMs), f(r.medianMs), f(r.minCpuMs), f(r.medianCpuMs), Number.isFinite(r.peakMb) ? r.peakMb.toFixed(0) : 'n/a', String(r.runs.length)]),
  );
}

/** Prints the goals and sets the exit status: 1 when one is missed (or a case failed). */
export function verdict(goals, results) {
  const errors = [...results.values()].flatMap((r) => r.errors);
  const lines = goals.map((g) => `- ${g.met ? 'met' : '**MISSED**'}: ${g.text}`);
  for (const e of errors) lines.push(`- **FAILED**: ${e}`);
  console.log(`\nGoals:\n${lines.join('\n')}\n`);
  if (errors.length > 0 || goals.some((g) => !g.met)) process.exitCode = 1;
}
