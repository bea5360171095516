import type { SyncStatus } from '../../contract/index.ts';
import { WaybillError } from '../../contract/waybillError.ts';
import type { Subcommand } from '../subcommand.ts';

const actions = ['join', 'status', 'now', 'leave'] as const;
type Action = (typeof actions)[number];
const isAction = (name: string | undefined): name is Action => (actions as readonly (string | undefined)[]).includes(name);

/** The status for a person: where it syncs, whether it is online, what waits to go up, how far behind it is. */
export function describeSync(s: SyncStatus): string {
  if (!s.joined) return `not syncing (device ${s.deviceId}): run \`waybill sync join URL CODE\` with a code from whoever runs the sync server${s.problem ? `\n  problem: ${s.problem.message}` : ''}`;
  return [
    `syncing with ${s.server} as ${s.deviceName} (device ${s.deviceId})`,
    `  ${s.online ? 'online' : 'offline'}; last contact ${s.lastContactAt ?? 'never'}, last push ${s.lastPushAt ?? 'never'}, last pull ${s.lastPullAt ?? 'never'}`,
    `  waiting to go up: ${s.waiting} of ${s.deviceHead} events recorded here${s.allOnServer ? ' (everything recorded here is on the server)' : ''}`,
    `  behind the server: ${s.behind} (pulled to #${s.cursor} of #${s.serverHead})${s.caughtUpAt ? `; had everything the server had at ${s.caughtUpAt}` : ''}`,
    `  conflicts waiting for a person: ${s.conflicts}${s.conflicts > 0 ? ' (see the Sync screen, or waybill query conflicts.list)' : ''}`,
    ...(s.problem ? [`  problem: ${s.problem.code}: ${s.problem.message}`] : []),
  ].join('\n');
}

export const sync: Subcommand = {
  name: 'sync',
  usage: 'sync join URL CODE | status | now | leave',
  summary: 'enrol this data folder with a sync server, sync it now, see how it stands, or leave',
  options: {},
  readsOnly: false,
  async run({ positionals, out, withCore }) {
    const [action, ...rest] = positionals;
    if (!isAction(action)) throw new WaybillError('VALIDATION', `Name what to do: one of ${actions.join(', ')}.`, { field: 'action' });
    return withCore(async (core) => {
      switch (action) {
        case 'join': {
          const [server, code] = rest;
          if (server === undefined || code === undefined) throw new WaybillError('VALIDATION', 'Give the sync server\'s URL and the enrolment code: `waybill sync join URL CODE`.', { field: server === undefined ? 'server' : 'code' });
          const answer = await core.call('sync.join', { server, code });
          return out.print(answer, answer.ok ? describeSync(answer.status) : undefined);
        }
        case 'status': {
          const answer = await core.call('sync.status', {});
          return out.print(answer, answer.ok ? describeSync(answer.status) : undefined);
        }
        case 'now': {
          const answer = await core.call('sync.now', {});
          return out.print(answer, answer.ok ? `pushed ${answer.pushed}, pulled ${answer.pulled}\n${describeSync(answer.status)}` : undefined);
        }
        case 'leave': {
          const answer = await core.call('sync.leave', {});
          return out.print(answer, answer.ok ? describeSync(answer.status) : undefined);
        }
      }
    });
  },
};
