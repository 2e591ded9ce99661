/** The engine process: generated token on loopback, fail-fast config, graceful shutdown. */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../reliability/support/engine-process.js';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const run = (env: Record<string, string>) =>
  spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env['PATH'] ?? '', AUDIT_LOG: join(tmpdir(), `supervision-audit-${process.pid}.log`), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

describe('src/main.ts', () => {
  it('generates and prints an admin token when none is configured, serves, and stops on SIGTERM', async () => {
    const port = await freePort();
    const child = run({ STORE: 'memory', PORT: String(port), DEMO: 'off' });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const deadline = Date.now() + 30_000;
    // The token line and the listening log are separate writes that may arrive in separate chunks: wait for both.
    const tokenIn = (text: string) => /generated an admin token[^\n]*\n\n\s+(\S+)\n/.exec(text)?.[1];
    while (!(/engine listening/.test(out) && tokenIn(out)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const token = tokenIn(out);
    expect(token, out).toBeDefined();
    const alerts = await fetch(`http://127.0.0.1:${port}/alerts`, { headers: { authorization: `Bearer ${token}` } });
    expect(alerts.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/alerts`)).status).toBe(401);
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(out).toContain('"message":"stopped"');
  }, 45_000);

  it('refuses a non-loopback HOST without tokens, naming HOST', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN], {
      env: { PATH: process.env['PATH'] ?? '', STORE: 'memory', HOST: '0.0.0.0', DEMO: 'off' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/HOST: no SUPERVISION_TOKENS configured/);
  }, 45_000);

  it('fails fast naming a bad variable', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN], {
      env: { PATH: process.env['PATH'] ?? '', STORE: 'memory', SUPERVISION_TOKENS: '[{"role":"admin"}]' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/SUPERVISION_TOKENS: entry \[0\] is invalid: token/);
  }, 45_000);

  // Day-one review: a sqlite path under a folder that cannot be made (here under /proc) spun for ever in Node's
  // recursive mkdir, the process silent at 100% CPU, instead of refusing the start.
  it('refuses a sqlite STORE whose folder cannot be made, at once, in one line naming the store', () => {
    const started = Date.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN], {
      env: { PATH: process.env['PATH'] ?? '', STORE: 'sqlite:/proc/no-such-folder/events.db', DEMO: 'off', PORT: '0' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.signal, `still running after ${Date.now() - started} ms`).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^e-supervision: .*sqlite:\/proc\/no-such-folder\/events\.db.*ENOENT/),
    ]);
  }, 45_000);

  // Day-one review: JSON.parse's message quotes the text around the error, line breaks included, so a broken
  // POLICY_FILE printed its refusal over several lines (the README promises one line naming it).
  it('refuses a POLICY_FILE that is not JSON in one line naming POLICY_FILE', () => {
    const file = join(tmpdir(), `supervision-policy-${process.pid}.json`);
    // YAML by mistake: the parser's message quotes its first line break.
    writeFileSync(file, 'policy:\n  overlongPauseDays: 30\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN], {
      env: { PATH: process.env['PATH'] ?? '', STORE: 'memory', DEMO: 'off', PORT: '0', POLICY_FILE: file },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^e-supervision: configuration error: POLICY_FILE: .* is not valid JSON/),
    ]);
  }, 45_000);

  // Session 26: the exit code says what stopped the start (docs/api.md "Exit codes"): 2 a refusal worded
  // `configuration error: <VARIABLE>` (a value, or a file a variable names other than the store, as AUDIT_LOG's),
  // 1 the event store and the files kept beside it (the database, its side files, the snapshot), whatever the
  // refusal, a file's mode included.
  it.each([
    [
      'the access trail',
      2,
      'audit.log',
      /^e-supervision: configuration error: AUDIT_LOG: the access trail \S+audit\.log is mode 644 and cannot be made 600 \(EPERM/,
    ],
    [
      'the database file',
      1,
      'events.db',
      /^e-supervision: event store sqlite:\S+events\.db unavailable: cannot open the database \(\S+events\.db is mode 644 and cannot be made 600 \(EPERM/,
    ],
    [
      'the rollback journal a crash left',
      1,
      'events.db-journal',
      /^e-supervision: event store sqlite:\S+events\.db unavailable: cannot open the database \(\S+events\.db-journal is mode 644 and cannot be made 600 \(EPERM/,
    ],
    [
      'the snapshot',
      1,
      'events.db.snapshot.ndjson',
      /^e-supervision: projections: the snapshot \S+events\.db\.snapshot\.ndjson is mode 644 and cannot be made 600 \(EPERM/,
    ],
  ])(
    '%s found 644, that the engine may not make 600, exits %i in one line naming it',
    (_what, code, file, line) => {
      const dir = mkdtempSync(join(tmpdir(), 'supervision-exit-'));
      try {
        const mine = (name: string) => join(dir, name);
        writeFileSync(mine(file), '');
        chmodSync(mine(file), 0o644); // as an operator's copy or an older version left it
        const r = spawnSync(
          process.execPath,
          ['--import', 'tsx', '--import', fileURLToPath(new URL('../support/refuseChmod.mjs', import.meta.url)), MAIN],
          {
            env: {
              PATH: process.env['PATH'] ?? '',
              STORE: `sqlite:${mine('events.db')}`,
              AUDIT_LOG: mine('audit.log'),
              DEMO: 'off',
              PORT: '0',
            },
            encoding: 'utf8',
            timeout: 30_000,
          },
        );
        expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(line)]);
        expect(r.status).toBe(code);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    45_000,
  );

  it('takes the alert stream caps from ALERT_STREAMS_MAX and ALERT_STREAMS_PER_TOKEN', async () => {
    const port = await freePort();
    const token = 'monitor-token-for-stream-caps-0123456789';
    const child = run({
      STORE: 'memory',
      PORT: String(port),
      DEMO: 'off',
      SUPERVISION_TOKENS: JSON.stringify([{ token, role: 'monitor' }]),
      ALERT_STREAMS_MAX: '5',
      ALERT_STREAMS_PER_TOKEN: '1',
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const deadline = Date.now() + 30_000;
    while (!/engine listening/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const first = new AbortController();
    try {
      const open = await fetch(`http://127.0.0.1:${port}/alerts/stream`, {
        headers: { authorization: `Bearer ${token}` },
        signal: first.signal,
      });
      expect(open.status).toBe(200);
      const second = await fetch(`http://127.0.0.1:${port}/alerts/stream`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(second.status).toBe(429);
      expect(await second.text()).toMatch(/at most 1 alert streams/);
    } finally {
      first.abort();
      const exit = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exit;
    }
  }, 45_000);

  // Issue 12 defect 6: "centres" for "centers" used to start the engine with an unrestricted recorder.
  it('refuses to start on a token entry with an unknown key, naming entry and key, never the token', () => {
    const secret = 'recorder-secret-token-0123456789';
    const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN], {
      env: {
        PATH: process.env['PATH'] ?? '',
        STORE: 'memory',
        DEMO: 'off',
        PORT: '0',
        SUPERVISION_TOKENS: JSON.stringify([
          { token: 'admin-secret-token-0123456789', role: 'admin' },
          { token: secret, role: 'recorder', centres: ['center-A'] },
        ]),
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /SUPERVISION_TOKENS: entry \[1\] has unknown key "centres" \(known: token, role, centers\)/,
    );
    expect(r.stdout).not.toMatch(/engine listening/);
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stdout + r.stderr).not.toContain('admin-secret-token');
  }, 45_000);
});
