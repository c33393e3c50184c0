// Starts a fresh `gongzhi demo` server on a free loopback port with its own data directory,
// and stops it again. Every test file gets its own server, so no test sees another's ballots.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..', '..');

export function gongzhiBin() {
  const bin = resolve(repo, process.env.GONGZHI_BIN || 'target/debug/gongzhi');
  if (!existsSync(bin)) throw new Error(`gongzhi binary not found at ${bin} (set GONGZHI_BIN or run scripts/e2e)`);
  return bin;
}

/** Starts `gongzhi demo --data TMP --bind 127.0.0.1:0 [ARGS…]`; resolves to { url, dataDir, stop(), log() }. */
export async function startServer({ timeoutMs = 60_000, args = [] } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gongzhi-e2e-'));
  const child = spawn(gongzhiBin(), ['demo', '--data', dataDir, '--bind', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn' },
  });
  let out = '';
  const url = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no "serving on" line within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = (d) => {
      out += d.toString();
      const m = out.match(/serving on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) { clearTimeout(timer); res(m[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, sig) => { clearTimeout(timer); rej(new Error(`gongzhi demo exited (${code ?? sig}) before serving:\n${out}`)); });
    child.on('error', (e) => { clearTimeout(timer); rej(e); });
  });
  child.removeAllListeners('exit');
  // never leave a server behind, even when the test process dies
  const reap = () => { try { child.kill('SIGKILL'); } catch {} };
  process.once('exit', reap);
  // keep draining the pipes so the server never blocks on a full pipe
  child.stdout.on('data', (d) => { out += d.toString(); });
  child.stderr.on('data', (d) => { out += d.toString(); });
  const exited = new Promise((r) => child.on('exit', r));
  return {
    url,
    dataDir,
    log: () => out,
    /** Lets a matter's voting window run out, as the days passing would (the owners were promised
     * the whole window, so a test that closes a vote first lets it end). Python's sqlite3 writes
     * to the server's database beside it, as a second process may. */
    endWindow(matterId) {
      this.sql('UPDATE matters SET window_end = ? WHERE id = ?', Date.now() - 1, matterId);
    },
    /** As the days passing would: the project entered `stage` `days` ago. */
    enteredStageDaysAgo(projectId, stage, days) {
      this.sql('UPDATE project_stages SET at = ? WHERE project_id = ? AND stage = ?', Date.now() - days * 86_400_000, projectId, stage);
    },
    /** One statement on the server's database, with its parameters (numbers and strings). */
    sql(statement, ...params) {
      const py = 'import json, sqlite3, sys\n' +
        'c = sqlite3.connect(sys.argv[1], timeout=10)\n' +
        'c.execute(sys.argv[2], json.loads(sys.argv[3]))\n' +
        'c.commit()\n';
      execFileSync('python3', ['-c', py, join(dataDir, 'gongzhi.db'), statement, JSON.stringify(params)]);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      process.removeListener('exit', reap);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
