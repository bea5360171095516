// Searches ask FTS5 for exact words instead of prefixes where they can (ftsMatcher): a prefix term
// made FTS5 read every document of every word it covers (40 ms for a word in 325,000 parcels).
// These specs hold the rewrite to the same matches as the prefix query it replaces.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../test/helpers/tempDataDir.ts';
import { openReadModelReader, vocabularyTable } from '../readmodel/openReadModel.ts';
import { openSampleHistory, type SampleHistory } from '../projections/testing/sampleHistory.ts';
import { ftsMatcher, ftsQuery, MAX_PREFIX_WORDS } from './defineQuery.ts';

let history: SampleHistory;
beforeAll(() => {
  history = openSampleHistory();
});
afterAll(() => history.close());

const indexes = [
  { readModel: 'parcel_summary', table: 'parcel_search' },
  { readModel: 'event_history', table: 'history_search' },
] as const;

describe('full-text search through the vocabulary', () => {
  it('finds exactly what the prefix query finds, for every prefix of every indexed word, alone and in pairs', () => {
    for (const { readModel, table } of indexes) {
      const db = history.readers[readModel];
      const matcher = ftsMatcher(db, table);
      const matches = db.prepare(`SELECT rowid FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid DESC`).pluck();
      const words = db.prepare(`SELECT term FROM temp.${vocabularyTable(table)}`).pluck().all() as string[];
      expect(words.length).toBeGreaterThan(20);
      const prefixes = [...new Set(words.flatMap((word) => Array.from({ length: word.length }, (_, i) => word.slice(0, i + 1))))];
      const searches = [...prefixes, ...prefixes.map((p) => p.toUpperCase()), ...prefixes.slice(0, 40).map((p, i) => `${p} ${prefixes[(i * 7) % prefixes.length]}`)];
      let rewritten = 0;
      for (const search of searches) {
        const asked = matcher(search)!;
        if (!asked.includes('*')) rewritten++;
        expect(matches.all(asked), `${table}: ${search} asked as ${asked}`).toEqual(matches.all(ftsQuery(search)));
      }
      expect(rewritten).toBeGreaterThan(searches.length / 2);
    }
  });

  it('asks for the words a prefix stands for, and keeps a prefix for many words, non-ASCII text or no vocabulary', () => {
    const path = join(tempDataDir('fts-vocabulary').path, 'words.db');
    const writer = new Database(path);
    writer.exec("CREATE VIRTUAL TABLE words USING fts5(body, content='', detail=none, tokenize='unicode61 remove_diacritics 2')");
    const insert = writer.prepare('INSERT INTO words (rowid, body) VALUES (?, ?)');
    for (let i = 1; i <= MAX_PREFIX_WORDS + 4; i++) insert.run(i, `word${String(i).padStart(2, '0')} Leeds`);
    writer.close();
    const reader = openReadModelReader(path);
    try {
      const matcher = ftsMatcher(reader, 'words');
      expect(matcher('lee')).toBe('"leeds"');
      expect(matcher('WORD1 leeds')).toBe(`(${Array.from({ length: 10 }, (_, i) => `"word1${i}"`).join(' OR ')}) AND "leeds"`);
      expect(matcher('word')).toBe('"word"*'); // 20 words: FTS5's own prefix query
      expect(matcher('zzz')).toBe('"zzz"*');
      expect(matcher('Léé')).toBe('"Léé"*');
      expect(matcher(' " OR * ')).toBe('"OR"*');
      expect(matcher('   ')).toBeNull();
      expect(ftsMatcher(reader, 'missing')('lee')).toBe('"lee"*');
    } finally {
      reader.close();
    }
  });
});
