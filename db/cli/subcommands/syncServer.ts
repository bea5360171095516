import { readFileSync } from 'node:fs';
import { WaybillError } from '../../contract/waybillError.ts';
import type { DeviceListing } from '../../sync/server/admin.ts';
import { integerArgument, requiredString } from '../jsonArgument.ts';
import type { Output } from '../output.ts';
import type { OptionValues, Subcommand } from '../subcommand.ts';

const DEFAULT_PORT = 7480;
/** The options each action takes besides --data, --json and --database-url. */
const actionOptions = {
  start: ['port', 'host', 'tls-cert', 'tls-key', 'insecure'],
  enroll: ['device', 'expires-in'],
  revoke: [],
  devices: [],
  status: [],
} as const;
type Action = keyof typeof actionOptions;
const isAction = (name: string | undefined): name is Action => name !== undefined && Object.hasOwn(actionOptions, name);

function checkOptions(action: Action, values: OptionValues): void {
  const allowed: readonly string[] = actionOptions[action];
  for (const option of Object.values(actionOptions).flat()) {
    if (values[option] !== undefined && !allowed.includes(option)) {
      throw new WaybillError('VALIDATION', `--${option} does not go with sync-server ${action}${allowed.length ? ` (it takes ${allowed.map((o) => `--${o}`).join(', ')})` : ''}.`, { field: option });
    }
  }
}

function tlsOf(values: OptionValues): { cert: string; key: string } | undefined {
  const cert = values['tls-cert'];
  const key = values['tls-key'];
  if (cert === undefined && key === undefined) return undefined;
  if (typeof cert !== 'string' || typeof key !== 'string') throw new WaybillError('VALIDATION', 'HTTPS needs both --tls-cert FILE and --tls-key FILE (PEM).', { field: cert === undefined ? 'tls-cert' : 'tls-key' });
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

const untilStopped = () =>
  new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop).off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop).on('SIGTERM', stop);
  });

function deviceTable(devices: readonly DeviceListing[]): string {
  if (devices.length === 0) return 'No devices enrolled yet: make a code with waybill sync-server enroll --device NAME.';
  const rows = devices.map((d) => [
    d.name,
    d.deviceId,
    String(d.acked),
    String(d.pending),
    d.lastSeenAt ?? 'never',
    d.skewMs === null ? '' : `${d.skewMs} ms${d.skewFlagged ? ' (!)' : ''}`,
    d.revokedAt ? 'revoked' : d.forked ? 'forked' : 'enrolled',
  ]);
  const table = [['NAME', 'DEVICE', 'ACKED', 'PENDING', 'LAST SEEN', 'CLOCK SKEW', 'STATE'], ...rows];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return table.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

async function run(action: Action, values: OptionValues, positionals: string[], out: Output): Promise<number> {
  const admin = await import('../../sync/server/index.ts');
  const { openServerDatabase } = await import('../../sync/server/serverFolder.ts');
  const port = action === 'start' ? (integerArgument(values.port, 'port') ?? DEFAULT_PORT) : 0;
  if (port < 0 || port > 65535) throw new WaybillError('VALIDATION', '--port must be from 0 to 65535.', { field: 'port' });
  const tls = action === 'start' ? tlsOf(values) : undefined;
  const expiresInMinutes = integerArgument(values['expires-in'], 'expires-in');
  const device = action === 'enroll' ? requiredString(values.device, 'device') : action === 'revoke' ? positionals[1] : undefined;
  if (action === 'revoke' && device === undefined) throw new WaybillError('VALIDATION', 'Name the device to revoke: waybill sync-server revoke DEVICE (its id or name).', { field: 'device' });
  const log = out.json ? () => undefined : (line: string) => console.error(line);
  const database = await openServerDatabase(typeof values.data === 'string' ? values.data : undefined, values['database-url'] as string | undefined);
  try {
    switch (action) {
      case 'start': {
        const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
        const server = await admin.startSyncServer({ databaseUrl: database.databaseUrl, host, port, ...(tls ? { tls } : {}), insecure: values.insecure === true, log });
        out.answer({ ok: true, url: server.url }, `waybill sync server on ${server.url}, keeping everything in ${database.description}. Ctrl+C stops it.`);
        await untilStopped();
        await server.close();
        return 0;
      }
      case 'enroll': {
        const code = await admin.enrolDevice(database.databaseUrl, device!, expiresInMinutes === undefined ? {} : { expiresInMinutes });
        out.answer({ ok: true, device, ...code }, `Enrolment code for ${device}: ${code.code}\nIt works once, until ${code.expiresAt}. Enter it on the laptop that joins this server.`);
        return 0;
      }
      case 'revoke': {
        const revoked = await admin.revokeDevice(database.databaseUrl, device!);
        out.answer({ ok: true, ...revoked }, `Revoked ${revoked.name} (${revoked.deviceId}) at ${revoked.revokedAt}: it can no longer sync or enrol again.`);
        return 0;
      }
      case 'devices': {
        const devices = await admin.listDevices(database.databaseUrl);
        out.answer({ ok: true, devices }, deviceTable(devices));
        return 0;
      }
      case 'status': {
        const status = await admin.serverStatus(database.databaseUrl);
        out.answer({ ok: true, ...status }, `server ${status.serverId}\nhead ${status.head}\ndevices ${status.devices}, forked ${status.forks}, quarantined copies ${status.quarantined}`);
        return 0;
      }
    }
  } finally {
    await database.close();
  }
}

/** The sync server and its administration, in a folder of its own (not the laptop's data folder). */
export const syncServer: Subcommand = {
  name: 'sync-server',
  usage: 'sync-server <start|enroll|revoke|devices|status> --data DIR',
  summary: 'the sync server: serve laptops from PostgreSQL; enrol, revoke and list devices',
  options: {
    'database-url': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    insecure: { type: 'boolean' },
    device: { type: 'string' },
    'expires-in': { type: 'string' },
  },
  readsOnly: false,
  async run({ values, positionals, out }) {
    const action = positionals[0];
    if (!isAction(action)) {
      throw new WaybillError('VALIDATION', `sync-server needs an action: ${Object.keys(actionOptions).join(', ')}${action === undefined ? '' : ` (not ${action})`}.`, { field: 'action' });
    }
    if (positionals.length > (action === 'revoke' ? 2 : 1)) throw new WaybillError('VALIDATION', `sync-server ${action} does not take ${positionals.slice(action === 'revoke' ? 2 : 1).join(' ')}.`);
    checkOptions(action, values);
    return run(action, values, positionals, out);
  },
};
