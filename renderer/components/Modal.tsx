import type { ReactNode } from 'react';

/**
 * A modal dialog over a dimmed backdrop: a click outside or Escape (or another of `closeKeys`)
 * closes it. The console's dialogs each hold one control, so Tab stays on it until they close.
 */
export function Modal(props: { className: string; label?: string; labelledBy?: string; closeKeys?: readonly string[]; onClose: () => void; children: ReactNode }) {
  const closeKeys = props.closeKeys ?? ['Escape'];
  return (
    <div className="palette-backdrop" onMouseDown={props.onClose}>
      <div
        className={props.className}
        role="dialog"
        aria-modal="true"
        aria-label={props.label}
        aria-labelledby={props.labelledBy}
        onMouseDown={(event) => event.stopPropagation()}
        onKeyDown={(event) => {
          if (closeKeys.includes(event.key)) props.onClose();
          else if (event.key !== 'Tab') return;
          event.preventDefault();
        }}
      >
        {props.children}
      </div>
    </div>
  );
}
