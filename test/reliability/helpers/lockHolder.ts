// Child process standing for "another program" holding a lock on a database file until it is
// killed: `transaction` holds an open BEGIN EXCLUSIVE (the write lock; WAL readers carry on),
// `exclusive` switches to locking_mode=EXCLUSIVE first, so nobody else may even read the file.
// Usage: node --import tsx lockHolder.ts FILE transaction|exclusive
import Database from 'better-sqlite3';

const [file, mode] = process.argv.slice(2);
if (!file || (mode !== 'transaction' && mode !== 'exclusive')) throw new Error('usage: lockHolder.ts FILE transaction|exclusive');
const db = new Database(file, { fileMustExist: true });
if (mode === 'exclusive') {
  db.pragma('locking_mode = EXCLUSIVE');
  db.exec('BEGIN EXCLUSIVE');
  db.exec('COMMIT'); // in exclusive locking mode the lock outlives the transaction
} else {
  db.exec('BEGIN EXCLUSIVE');
}
process.stdout.write(`${JSON.stringify({ locked: true })}\n`);
setInterval(() => undefined, 60_000);
