import type { QueryResults } from '../contract/index.ts';
import type { ReadModelReaders } from '../readmodel/readModelReaders.ts';
import type { ParsedParams, QueryDefinition } from './defineQuery.ts';
import { queries, type ReadModelQueryName } from './index.ts';

/**
 * Runs named queries over one set of read-model connections, each prepared once, and again after
 * a rebuild swapped a file in (the readers' generation moved): wherever queries run — on the
 * core's thread (CLI, tests) or in its query threads (the apps).
 */
export class PreparedQueries {
  private readonly runners = new Map<ReadModelQueryName, { generation: number; run: (params: never) => unknown }>();

  constructor(private readonly readers: ReadModelReaders) {}

  run<Q extends ReadModelQueryName>(name: Q, params: ParsedParams<Q>): QueryResults[Q] {
    const definition = queries[name] as unknown as QueryDefinition<Q>;
    let runner = this.runners.get(name);
    if (!runner || runner.generation !== this.readers.generation) {
      runner = { generation: this.readers.generation, run: definition.prepare(this.readers.all()) as (params: never) => unknown };
      this.runners.set(name, runner);
    }
    return runner.run(params as never) as QueryResults[Q];
  }
}
