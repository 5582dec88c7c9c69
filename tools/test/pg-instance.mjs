/**
 * A PostgreSQL of its own for fault tests, driven over stdin: prints one JSON line with its URLs,
 * then takes the commands `stop`, `start` and `quit` (one per line) and answers each with a line
 * (`stopped`, `started`). Usage: node tools/test/pg-instance.mjs <dataDir> <appPassword>
 */
import { rmSync } from 'node:fs';
import { freePort, startPostgres } from '../services/services.mjs';

const [dataDir, appPassword] = process.argv.slice(2);
rmSync(dataDir, { recursive: true, force: true });
const port = await freePort();
const start = () => startPostgres({ dataDir, port, appPassword, forTests: true });
let server = await start();
const urls = await server.createDatabase('faults');
console.log(JSON.stringify({ port, ...urls }));

let queue = Promise.resolve();
process.stdin.on('data', (d) => {
  for (const cmd of String(d)
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)) {
    queue = queue.then(async () => {
      if (cmd === 'stop') {
        await server.stop();
        console.log('stopped');
      } else if (cmd === 'start') {
        server = await start();
        console.log('started');
      } else if (cmd === 'quit') {
        await server.stop().catch(() => undefined);
        rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      }
    });
  }
});
