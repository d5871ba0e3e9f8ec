// Opens the store for writing, says so, and holds it until killed (lock tests).
import { openStore } from '../../../dist/pipeline/store.js';
const store = await openStore(process.argv[2], { taxonomy: false });
process.stdout.write(`holding ${process.pid}\n`);
setInterval(() => store, 1000);
