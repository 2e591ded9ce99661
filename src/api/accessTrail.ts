/**
 * The auditors' access trail: who (role + token fingerprint, never the token)
 * read which case, when. Kept apart from the operational log, which never
 * carries case ids; in production it is an append-only JSON-lines file.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface AccessRecord {
  readonly at: string;
  readonly role: string;
  /** First 8 hex digits of the token's SHA-256. */
  readonly token: string;
  readonly caseId: string;
  readonly what: 'case' | 'history';
  readonly asOf?: string;
  readonly asKnownAt?: string;
}

export interface AccessTrail {
  record(entry: AccessRecord): void;
}

export function fileAccessTrail(path: string): AccessTrail {
  mkdirSync(dirname(path), { recursive: true });
  return {
    record(entry) {
      appendFileSync(path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    },
  };
}

export function memoryAccessTrail(): AccessTrail & { readonly entries: AccessRecord[] } {
  const entries: AccessRecord[] = [];
  return { entries, record: (e) => void entries.push(e) };
}
