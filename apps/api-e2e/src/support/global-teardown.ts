module.exports = async function () {
  const stack = (globalThis as Record<string, unknown>)['__KM_STACK__'] as { stop(): Promise<void>; api: { logs(): string } } | undefined;
  if (process.env['KM_E2E_SHOW_LOGS']) console.log(stack?.api.logs());
  await stack?.stop();
};
