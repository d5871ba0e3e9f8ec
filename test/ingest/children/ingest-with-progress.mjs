// Ingests a file, printing each progress phase on stdout, so a test can kill it mid-transaction.
import { openStore } from '../../../dist/pipeline/store.js';
import { ingest } from '../../../dist/ingest/index.js';
const store = await openStore(process.argv[2], { taxonomy: false });
let phase = '';
await ingest(store, [process.argv[3]], {
  onProgress: (p) => {
    if (p.phase !== phase) process.stdout.write(`phase ${p.phase}\n`);
    phase = p.phase;
  },
});
process.stdout.write('finished\n');
await store.close();
