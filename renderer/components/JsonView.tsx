type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function Scalar({ value }: { value: null | boolean | number | string }) {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === 'string') return <span className="json-string">"{value}"</span>;
  if (typeof value === 'number') return <span className="json-number">{value}</span>;
  return <span className="json-boolean">{String(value)}</span>;
}

function Node({ name, value, depth }: { name: string | null; value: Json; depth: number }) {
  const label = name === null ? null : <span className="json-key">{name}: </span>;
  if (value === null || typeof value !== 'object') {
    return (
      <div className="json-line">
        {label}
        <Scalar value={value} />
      </div>
    );
  }
  const entries: [string, Json][] = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    return (
      <div className="json-line">
        {label}
        <span className="json-punct">{open + close}</span>
      </div>
    );
  }
  return (
    <details className="json-node" open={depth < 3}>
      <summary>
        {label}
        <span className="json-punct">{open}</span>
        <span className="json-count">{entries.length}</span>
      </summary>
      <div className="json-children">
        {entries.map(([key, child]) => (
          <Node key={key} name={key} value={child} depth={depth + 1} />
        ))}
      </div>
      <span className="json-punct">{close}</span>
    </details>
  );
}

/** A collapsible, read-only view of a JSON value (event payloads and metadata). */
export function JsonView({ value, label }: { value: unknown; label: string }) {
  return (
    <div className="json-view" aria-label={label}>
      <Node name={null} value={JSON.parse(JSON.stringify(value ?? null)) as Json} depth={0} />
    </div>
  );
}
