module.exports = async function () {
  const g = globalThis as Record<string, unknown>;
  const stack = g['__KM_STACK__'] as { stop(): Promise<void>; api: { logs(): string }; worker: { logs(): string } | null } | undefined;
  if (process.env['KM_E2E_SHOW_LOGS']) console.log(stack?.api.logs(), stack?.worker?.logs());
  await stack?.stop();
  await (g['__KM_MAIL__'] as { close(): Promise<void> } | undefined)?.close();
};
