// Child process for the rebuild-crash scenario: opens a data folder with worker-thread projectors,
// optionally asks for a rebuild of the named read models, and queries parcels.list and depots.board
// in a loop while rebuild progress is printed, until it is killed.
// Usage: node --import tsx rebuildChild.ts DATA_DIR request|resume [READ_MODEL...]
import type { ReadModelName } from '../../../db/contract/index.ts';
import { openTestCore } from '../../helpers/testCore.ts';

const [dataDir, mode, ...names] = process.argv.slice(2);
if (!dataDir || (mode !== 'request' && mode !== 'resume')) throw new Error('usage: rebuildChild.ts DATA_DIR request|resume [READ_MODEL...]');
const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

const waybill = await openTestCore({ dataDir, projectors: 'workers' });
waybill.subscribe('rebuild', (p) => print({ rebuild: p.name, phase: p.phase, position: p.position }));
print({ opened: true, head: waybill.head() });
if (mode === 'request') {
  void Promise.all(names.map((name) => waybill.rebuild(name as ReadModelName))).then((results) => print({ rebuilt: results.every((r) => r.ok) }));
}

for (;;) {
  const list = await waybill.query('parcels.list', { limit: 20 });
  const board = await waybill.query('depots.board', {});
  print({
    parcels: list.ok ? list.data.total : -1,
    rows: list.ok ? list.data.rows.length : -1,
    onBoards: board.ok ? board.data.reduce((n, depot) => n + depot.total, 0) : -1,
  });
  await new Promise((resolve) => setTimeout(resolve, 2));
}
