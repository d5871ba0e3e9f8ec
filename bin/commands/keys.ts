import type { Command } from '../cli.js';
import { stringOption } from '../cli.js';
import { RmaError } from '../../pipeline/errors.js';
import { openStore } from '../../pipeline/store.js';
import { createApiKey, listApiKeys, revokeApiKey, roles } from '../../api/keys.js';

export const command: Command = {
  name: 'keys',
  summary: 'API keys: create (the secret is printed once, stored hashed), revoke, list',
  usage: `rma-intel keys create --role ${roles.join('|')} [--name N] · keys revoke NAME · keys list`,
  options: {
    role: { type: 'string' },
    name: { type: 'string' },
  },
  async run(ctx) {
    const [action, ...rest] = ctx.positionals;
    if (action !== 'create' && action !== 'revoke' && action !== 'list') throw new RmaError('RMA_ERR_USAGE', `keys: expected create, revoke or list\nusage: ${this.usage}`);
    const store = await openStore(ctx.db);
    try {
      if (action === 'create') {
        const created = await createApiKey(store, { role: stringOption(ctx, 'role', true), name: stringOption(ctx, 'name') });
        ctx.print(created, () => `${created.key}\n(name ${created.name}, role ${created.role}; this is the only time the key is shown)`);
      } else if (action === 'revoke') {
        const name = rest[0] ?? stringOption(ctx, 'name');
        if (!name) throw new RmaError('RMA_ERR_USAGE', `keys revoke needs the key's NAME\nusage: ${this.usage}`);
        const info = await revokeApiKey(store, name);
        ctx.print(info, () => `revoked ${info.name} (${info.role}) at ${info.revoked_at}`);
      } else {
        const list = await listApiKeys(store);
        ctx.print(list, () => list.map((k) => `${k.name.padEnd(24)} ${k.role.padEnd(8)} ${k.revoked_at ? `revoked ${k.revoked_at}` : `created ${k.created_at}`}`).join('\n') || '(no keys)');
      }
    } finally {
      await store.close();
    }
    return 0;
  },
};
