import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CASE_ID_RE } from './lists.js';
import { CASE_STREAM_PREFIX, caseIdOfStream, caseStreamId } from './streams.js';

const caseId = fc.stringMatching(CASE_ID_RE);

describe('case streams', () => {
  it('caseIdOfStream inverts caseStreamId for every valid case id', () => {
    fc.assert(fc.property(caseId, (id) => caseIdOfStream(caseStreamId(id)) === id));
  });
  it('other streams and malformed case ids are not cases', () => {
    expect(caseIdOfStream('calendar-CN')).toBeUndefined();
    expect(caseIdOfStream(`${CASE_STREAM_PREFIX}bad id`)).toBeUndefined();
    expect(caseIdOfStream(CASE_STREAM_PREFIX)).toBeUndefined();
    expect(caseIdOfStream(`${CASE_STREAM_PREFIX}${'x'.repeat(65)}`)).toBeUndefined();
  });
});
