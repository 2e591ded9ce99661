import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseSqliteReadAhead } from '../../src/config/env.js';
import { loadPolicy } from '../../src/config/policy.js';
import { parseTokens } from '../../src/config/tokens.js';
import { DEFAULT_POLICY } from '../../src/domain/policy.js';
import { TEST_TOKEN_CONFIG } from '../support/server.js';

const tok = 'a-long-enough-token-123456';
const errorOf = (f: () => unknown): ConfigError => {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('applies the defaults of SPEC §6 and generates one admin token bound to loopback', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      store: 'sqlite:./data/events.db',
      port: 8080,
      host: '127.0.0.1',
      zone: 'Asia/Shanghai',
      demo: true,
      generatedToken: true,
    });
    expect(c.tokens).toHaveLength(1);
    expect(c.tokens[0]?.role).toBe('admin');
    expect(c.tokens[0]?.token.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({}).tokens[0]?.token).not.toBe(c.tokens[0]?.token);
  });

  it('refuses a non-loopback HOST when no tokens are configured, naming HOST', () => {
    const e = errorOf(() => loadConfig({ HOST: '0.0.0.0' }));
    expect(e.variable).toBe('HOST');
    expect(e.message).toMatch(/SUPERVISION_TOKENS/);
    expect(
      loadConfig({ HOST: '0.0.0.0', SUPERVISION_TOKENS: JSON.stringify([{ token: tok, role: 'monitor' }]) }).host,
    ).toBe('0.0.0.0');
  });

  it.each([
    [{ PORT: '99999' }, 'PORT'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ ZONE: 'Mars/Olympus' }, 'ZONE'],
    [{ STORE: 'postgres://x' }, 'STORE'],
    [{ STORE: 'sqlite:' }, 'STORE'],
    [{ DEMO: 'maybe' }, 'DEMO'],
    [{ RATE_LIMIT_PER_SECOND: '-1' }, 'RATE_LIMIT_PER_SECOND'],
    [{ HOST: 'not a host' }, 'HOST'],
    [{ ALERT_STREAMS_MAX: '0' }, 'ALERT_STREAMS_MAX'],
    [{ ALERT_STREAMS_PER_TOKEN: 'ten' }, 'ALERT_STREAMS_PER_TOKEN'],
    [{ ALERT_STREAMS_MAX: '5', ALERT_STREAMS_PER_TOKEN: '6' }, 'ALERT_STREAMS_PER_TOKEN'],
    [{ SUPERVISION_TOKENS: '[{' }, 'SUPERVISION_TOKENS'],
    [{ SQLITE_READ_AHEAD: 'sometimes' }, 'SQLITE_READ_AHEAD'],
    [{ STORE: 'memory', SQLITE_READ_AHEAD: 'off' }, 'SQLITE_READ_AHEAD'],
  ])('fails fast on %j naming %s', (env, variable) => {
    expect(errorOf(() => loadConfig(env)).variable).toBe(variable);
  });

  // Operations review: a variable set but holding no token was read as unset, and an admin token generated.
  it.each([['[]'], [''], ['   '], ['\n']])(
    'refuses SUPERVISION_TOKENS=%j (set, no token) rather than generating an admin token',
    (text) => {
      for (const host of ['127.0.0.1', '0.0.0.0']) {
        const e = errorOf(() => loadConfig({ SUPERVISION_TOKENS: text, HOST: host }));
        expect(e.variable).toBe('SUPERVISION_TOKENS');
        expect(e.message).toMatch(/^SUPERVISION_TOKENS: is set but (blank|lists no tokens); .*unset the variable/);
      }
    },
  );

  it('generates an admin token only when SUPERVISION_TOKENS is unset, and that token passes the token rules', () => {
    const c = loadConfig({ SUPERVISION_TOKENS: undefined });
    expect(c.generatedToken).toBe(true);
    for (let i = 0; i < 200; i++) {
      const token = loadConfig({}).tokens[0]?.token ?? '';
      expect(parseTokens(JSON.stringify([{ token, role: 'admin' }]))).toEqual([{ token, role: 'admin' }]);
    }
  });

  it('reads DEMO=off and the other variables', () => {
    const c = loadConfig({
      DEMO: 'off',
      STORE: 'memory',
      PORT: '0',
      ZONE: 'UTC',
      SUPERVISION_TOKENS: JSON.stringify([{ token: tok, role: 'admin' }]),
    });
    expect(c).toMatchObject({ demo: false, store: 'memory', port: 0, zone: 'UTC', generatedToken: false });
    expect(loadConfig({}).rateLimitPerSecond).toBe(500);
    expect(loadConfig({ RATE_LIMIT_PER_SECOND: '0' }).rateLimitPerSecond).toBe(0);
    expect(loadConfig({})).toMatchObject({ alertStreamsMax: 100, alertStreamsPerToken: 10 });
    expect(loadConfig({ ALERT_STREAMS_MAX: '400', ALERT_STREAMS_PER_TOKEN: '40' })).toMatchObject({
      alertStreamsMax: 400,
      alertStreamsPerToken: 40,
    });
  });

  it('takes the default of ALERT_STREAMS_PER_TOKEN down to a smaller ALERT_STREAMS_MAX, refusing only values given', () => {
    expect(loadConfig({ ALERT_STREAMS_MAX: '5' })).toMatchObject({ alertStreamsMax: 5, alertStreamsPerToken: 5 });
    expect(loadConfig({ ALERT_STREAMS_MAX: '1' })).toMatchObject({ alertStreamsMax: 1, alertStreamsPerToken: 1 });
    expect(loadConfig({ ALERT_STREAMS_MAX: '5', ALERT_STREAMS_PER_TOKEN: '5' }).alertStreamsPerToken).toBe(5);
    expect(errorOf(() => loadConfig({ ALERT_STREAMS_MAX: '5', ALERT_STREAMS_PER_TOKEN: '6' })).message).toBe(
      'ALERT_STREAMS_PER_TOKEN: must not exceed ALERT_STREAMS_MAX (5); got 6',
    );
    expect(errorOf(() => loadConfig({ ALERT_STREAMS_PER_TOKEN: '101' })).message).toBe(
      'ALERT_STREAMS_PER_TOKEN: must not exceed ALERT_STREAMS_MAX (100, its default); got 101',
    );
  });
});

describe('SQLITE_READ_AHEAD', () => {
  it('is auto by default for a sqlite STORE, absent for the others, and reads the three modes', () => {
    expect(loadConfig({}).sqliteReadAhead).toBe('auto');
    expect(loadConfig({ STORE: 'sqlite:/tmp/x.db?synchronous=full', SQLITE_READ_AHEAD: ' ' }).sqliteReadAhead).toBe(
      'auto',
    );
    for (const mode of ['auto', 'always', 'off'])
      expect(loadConfig({ SQLITE_READ_AHEAD: mode }).sqliteReadAhead).toBe(mode);
    expect(loadConfig({ SQLITE_READ_AHEAD: ' OFF ' }).sqliteReadAhead).toBe('off');
    expect(loadConfig({ STORE: 'memory' })).not.toHaveProperty('sqliteReadAhead');
    expect(loadConfig({ STORE: 'esdb://127.0.0.1:2113?tls=false' })).not.toHaveProperty('sqliteReadAhead');
  });

  it('refuses another value naming the variable and the allowed values, and refuses it with a store not sqlite', () => {
    expect(errorOf(() => loadConfig({ SQLITE_READ_AHEAD: 'no' })).message).toBe(
      'SQLITE_READ_AHEAD: must be "auto", "always" or "off"; got "no"',
    );
    expect(errorOf(() => loadConfig({ STORE: 'esdb://h:2113', SQLITE_READ_AHEAD: 'off' })).message).toBe(
      'SQLITE_READ_AHEAD: applies only to a sqlite: STORE; got STORE "esdb://h:2113"',
    );
  });

  it('accepts exactly the three modes in any case, and fails closed on every other text', () => {
    const modes = ['auto', 'always', 'off'];
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom(...modes, 'Always', 'OFF', 'on', 'false')), (text) => {
        const mode = text.trim().toLowerCase();
        const env = { SQLITE_READ_AHEAD: text };
        if (mode === '') expect(parseSqliteReadAhead(env, 'sqlite:a.db')).toBe('auto');
        else if (modes.includes(mode)) expect(parseSqliteReadAhead(env, 'sqlite:a.db')).toBe(mode);
        else expect(errorOf(() => parseSqliteReadAhead(env, 'sqlite:a.db')).variable).toBe('SQLITE_READ_AHEAD');
        if (mode === '') expect(parseSqliteReadAhead(env, 'memory')).toBeUndefined();
        else expect(errorOf(() => parseSqliteReadAhead(env, 'memory')).variable).toBe('SQLITE_READ_AHEAD');
      }),
    );
  });
});

describe('parseTokens', () => {
  it('accepts recorders with centers and the four roles', () => {
    const tokens = parseTokens(
      JSON.stringify([
        { token: `${tok}1`, role: 'recorder', centers: ['c1'] },
        { token: `${tok}2`, role: 'monitor' },
        { token: `${tok}3`, role: 'auditor' },
        { token: `${tok}4`, role: 'admin' },
      ]),
    );
    expect(tokens.map((t) => t.role)).toEqual(['recorder', 'monitor', 'auditor', 'admin']);
    expect(tokens[0]?.centers).toEqual(['c1']);
  });

  it.each([
    ['{}', /JSON array/],
    [JSON.stringify([{ token: tok, role: 'boss' }]), /entry \[0\].*role/],
    [JSON.stringify([{ token: 'short', role: 'admin' }]), /entry \[0\].*token: must be a string of 16/],
    [JSON.stringify([{ token: tok, role: 'monitor', centers: ['c'] }]), /recorder only/],
    [JSON.stringify([{ token: tok, role: 'recorder', centers: [] }]), /at least one center/],
    [
      JSON.stringify([
        { token: tok, role: 'admin' },
        { token: tok, role: 'monitor' },
      ]),
      /entry \[1\] repeats/,
    ],
  ])('rejects %s with a message naming the problem', (text, pattern) => {
    const e = errorOf(() => parseTokens(text));
    expect(e.variable).toBe('SUPERVISION_TOKENS');
    expect(e.message).toMatch(pattern);
  });

  // Issue 12 defect 6: a typo must fail closed, never start an unrestricted recorder.
  it.each([
    [
      [{ token: tok, role: 'recorder', centres: ['c1'] }],
      /entry \[0\] has unknown key "centres" \(known: token, role, centers\)/,
    ],
    [
      [
        { token: tok, role: 'admin' },
        { token: `${tok}2`, role: 'recorder', center: 'c1', note: 'x' },
      ],
      /entry \[1\] has unknown keys "center", "note"/,
    ],
    [[{ token: tok, role: 'recorder', centers: [] }], /entry \[0\]: "centers" must list at least one center/],
    [
      [
        { token: tok, role: 'admin' },
        { token: `${tok}2`, role: 'monitor' },
        { token: tok, role: 'auditor' },
      ],
      /entry \[2\] repeats the token of entry \[0\]/,
    ],
    [
      [{ token: tok, role: 'supervisor' }],
      /entry \[0\] is invalid: role: must be one of recorder, monitor, auditor, admin; got "supervisor"/,
    ],
    [['a-token-given-as-a-bare-string'], /entry \[0\] must be an object/],
  ])('refuses %j, naming the entry and what is wrong', (entries, pattern) => {
    const e = errorOf(() => parseTokens(JSON.stringify(entries)));
    expect(e.variable).toBe('SUPERVISION_TOKENS');
    expect(e.message).toMatch(pattern);
    expect(e.message).not.toContain(tok);
  });

  it('never prints a token, wherever in an entry it was put by mistake', () => {
    const secret = 'Sx9-very-secret-token-0123456789';
    const mistakes = [
      [secret],
      [{ token: secret, role: secret }],
      [{ token: 'admin', role: secret }],
      [{ [secret]: 'admin' }],
      [{ token: secret, role: 'recorder', centers: [secret, 42] }],
      [{ token: secret, role: 'recorder', centres: [secret] }],
      [
        { token: secret, role: 'admin' },
        { token: secret, role: 'admin' },
      ],
    ];
    for (const entries of mistakes) {
      const e = errorOf(() => parseTokens(JSON.stringify(entries)));
      expect(e.message, JSON.stringify(entries)).not.toContain(secret);
      expect(e.message).not.toContain('very-secret');
    }
  });

  it('says where JSON is broken but never quotes the text around it', () => {
    const secret = 's3cr3t-PROD-admin-XYZ789';
    const typos = [
      `[{"role":"admin","token":"${secret}"},]`,
      `[{"role":"admin","token":"${secret}"}`,
      `[{"role":"admin","token":${secret}}]`,
      `[{"role":"admin","token":"${secret}"}] ${secret}`,
      `[{role:"admin",token:"${secret}"}]`,
    ];
    for (const text of typos) {
      const e = errorOf(() => parseTokens(text));
      expect(e.message, text).toMatch(/^SUPERVISION_TOKENS: is not valid JSON( \(at position \d+\))?$/);
    }
    expect(errorOf(() => parseTokens(`[{"token":"${secret}"`)).message).toBe(
      'SUPERVISION_TOKENS: is not valid JSON (at position 36)',
    );
  });

  // Operations review: a control character can never be sent in a header, and 16 zeros is no secret.
  it.each([
    [
      'abcdefghijklmnop\u0001',
      /entry \[1\] is invalid: token: must hold only visible ASCII characters \(0x21–0x7E\).*character 17 is U\+0001$/,
    ],
    ['abcdefgh\tijklmnop', /entry \[1\] is invalid: token: .*visible ASCII.*character 9 is U\+0009$/],
    ['abcdefgh ijklmnop', /entry \[1\] is invalid: token: .*visible ASCII.*character 9 is U\+0020$/],
    ['abcdefghijklmnop\u00e9', /entry \[1\] is invalid: token: .*visible ASCII.*character 17 is U\+00E9$/],
    ['abcdefghijklmnop\u{1F511}', /entry \[1\] is invalid: token: .*visible ASCII.*character 17 is U\+1F511$/u],
    ['abcdefghijklmnop\u007f', /entry \[1\] is invalid: token: .*visible ASCII.*character 17 is U\+007F$/],
    ['0000000000000000', /entry \[1\] is invalid: token: is too weak: only 1 distinct character, at least 8 needed/],
    ['abababababababababababab', /entry \[1\] is invalid: token: is too weak: only 2 distinct characters/],
    ['abcdefgabcdefgabcdefg', /entry \[1\] is invalid: token: is too weak: only 7 distinct characters/],
  ])('refuses the token %j, naming its entry and never showing it', (token, pattern) => {
    const e = errorOf(() =>
      parseTokens(
        JSON.stringify([
          { token: tok, role: 'monitor' },
          { token, role: 'admin' },
        ]),
      ),
    );
    expect(e.variable).toBe('SUPERVISION_TOKENS');
    expect(e.message).toMatch(pattern);
    expect(e.message).not.toContain(token.slice(0, 8));
  });

  it('accepts any 16–512 visible ASCII characters with at least 8 distinct, the shared test tokens among them', () => {
    expect(parseTokens(JSON.stringify(TEST_TOKEN_CONFIG))).toEqual(TEST_TOKEN_CONFIG);
    for (const token of [
      'abcdefgh00000000',
      '!"#$%&\'()*+,-./0',
      `${'~'.repeat(504)}abcdefgh`,
      'a-long-enough-token-123456',
    ])
      expect(parseTokens(JSON.stringify([{ token, role: 'admin' }]))[0]?.token).toBe(token);
  });

  it('never echoes a token in its error messages', () => {
    const secret = 'sneaky secret with spaces';
    expect(errorOf(() => parseTokens(JSON.stringify([{ token: secret, role: 'admin' }]))).message).not.toContain(
      'sneaky',
    );
  });
});

describe('loadPolicy', () => {
  it('uses the default policy without POLICY_FILE and names POLICY_FILE on bad input', () => {
    expect(loadPolicy(undefined)).toBe(DEFAULT_POLICY);
    expect(errorOf(() => loadPolicy('/nonexistent/policy.json')).variable).toBe('POLICY_FILE');
    expect(errorOf(() => loadPolicy('p.json', () => '{nope')).message).toMatch(/not valid JSON/);
  });
});
