import { ALL_QUEUES, DEFAULT_JOB_OPTIONS, QUEUES, SCHEDULERS } from './queues';

describe('queue registry', () => {
  it('lists every queue once', () => {
    expect(new Set(ALL_QUEUES).size).toBe(Object.keys(QUEUES).length);
  });

  it('removes finished jobs by age and count and retries with backoff', () => {
    expect(DEFAULT_JOB_OPTIONS.removeOnComplete).toEqual(
      expect.objectContaining({ age: expect.any(Number), count: expect.any(Number) }),
    );
    expect(DEFAULT_JOB_OPTIONS.removeOnFail).toEqual(
      expect.objectContaining({ age: expect.any(Number), count: expect.any(Number) }),
    );
    expect(DEFAULT_JOB_OPTIONS.attempts).toBeGreaterThan(1);
  });

  it('gives scheduler ids that name their queue', () => {
    for (const id of Object.values(SCHEDULERS)) expect(ALL_QUEUES).toContain(id.split(':')[0]);
  });
});
