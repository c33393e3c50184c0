// A real SMTP server for the browser tests: Python's aiosmtpd (scripts/smtp-sink.py, from the
// venv scripts/test-venv makes), writing each message it accepts to a folder as JSON.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..', '..');

export async function startSmtpSink() {
  const python = process.env.GONGZHI_TEST_PYTHON ||
    execFileSync('bash', [join(repo, 'scripts/test-venv')], { encoding: 'utf8' }).trim();
  const dir = mkdtempSync(join(tmpdir(), 'gongzhi-e2e-mail-'));
  const child = spawn(python, [join(repo, 'scripts/smtp-sink.py'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((res, rej) => {
    child.stdout.once('data', (d) => res(parseInt(d.toString().trim(), 10)));
    child.on('exit', (c) => rej(new Error(`the SMTP sink exited (${c})`)));
  });
  child.removeAllListeners('exit');
  process.once('exit', () => { try { child.kill('SIGKILL'); } catch {} });
  return {
    addr: `127.0.0.1:${port}`,
    /** Every message received so far. */
    messages() {
      return readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
        .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
    },
    /** Waits until a message to `to` has arrived; resolves to it. */
    async waitFor(to, timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const m = this.messages().find((x) => x.rcpt_tos.includes(to));
        if (m) return m;
        if (Date.now() > end) throw new Error(`no email to ${to} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop() { child.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); },
  };
}
