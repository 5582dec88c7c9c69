import { dataSourceOptions } from './data-source';

describe('dataSourceOptions', () => {
  it('ends sessions that sit idle inside a transaction, and names the application', () => {
    const extra = (
      dataSourceOptions('postgres://x@localhost/db', {
        applicationName: 'klantmonitor-api',
      }) as { extra: Record<string, unknown> }
    ).extra;
    // A transaction left open while the process waits on an upload or a peer holds a pool
    // connection and its locks (security review, #11): PostgreSQL ends it after a minute.
    expect(extra['idle_in_transaction_session_timeout']).toBe(60_000);
    expect(extra['application_name']).toBe('klantmonitor-api');
  });
});
