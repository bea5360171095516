/**
 * Upcaster registry: turns an event stored with an older schema version into the current
 * shape, one version step at a time. Stored bytes are never rewritten.
 */
export type Upcaster = (payload: Record<string, unknown>) => Record<string, unknown>;

export class UpcasterRegistry {
  private readonly steps = new Map<string, Upcaster>();
  private readonly current = new Map<string, number>();

  constructor(currentVersions: Record<string, number>) {
    for (const [type, version] of Object.entries(currentVersions)) this.current.set(type, version);
  }

  /** Registers the step that turns `type` at `fromVersion` into `fromVersion + 1`. */
  register(type: string, fromVersion: number, step: Upcaster): this {
    this.steps.set(`${type}@${fromVersion}`, step);
    return this;
  }

  currentVersion(type: string): number {
    return this.current.get(type) ?? 1;
  }

  upcast(type: string, schemaVersion: number, payload: Record<string, unknown>): Record<string, unknown> {
    const target = this.currentVersion(type);
    let value = payload;
    for (let version = schemaVersion; version < target; version++) {
      const step = this.steps.get(`${type}@${version}`);
      if (!step) throw new Error(`No upcaster for ${type} from schema version ${version} to ${version + 1}`);
      value = step(value);
    }
    if (schemaVersion > target) {
      throw new Error(`${type} has schema version ${schemaVersion}, newer than this build knows (${target})`);
    }
    return value;
  }
}
