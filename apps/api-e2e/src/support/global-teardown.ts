module.exports = async function () {
  const g = globalThis as Record<string, unknown>;
  const stack = g['__KM_STACK__'] as
    | { stop(): Promise<void>; api: { logs(): string }; worker: { logs(): string } | null }
    | undefined;
  if (process.env['KM_E2E_SHOW_LOGS']) console.log(stack?.api.logs(), stack?.worker?.logs());
  await stack?.stop();
  await (g['__KM_MAIL__'] as { close(): Promise<void> } | undefined)?.close();
  // Should something a test started still hold the runner open, say what (the timer itself holds
  // nothing: it only fires if the process is still alive anyway). tools/test/run-tests.mjs ends
  // such a run after a minute.
  setTimeout(() => {
    console.error(
      `api-e2e: still running 10 s after the last test; open resources: ${process.getActiveResourcesInfo().join(', ')}`,
    );
  }, 10_000).unref();
};
