import { useId, type ReactNode } from 'react';

/** A labelled select with its help and error beside it. */
export function Select<T extends string>({
  label,
  value,
  options,
  onChange,
  help,
  error,
}: {
  label: string;
  value: T;
  options: { value: T; label: string }[];
  onChange: (v: T) => void;
  help?: ReactNode;
  error?: string;
}) {
  const id = useId();
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T)} aria-invalid={error ? true : undefined} aria-describedby={`${id}-e ${id}-h`}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error && (
        <p className="error" id={`${id}-e`}>
          {error}
        </p>
      )}
      {help && (
        <p className="help" id={`${id}-h`}>
          {help}
        </p>
      )}
    </div>
  );
}

export function Checkbox({ label, checked, onChange, help }: { label: string; checked: boolean; onChange: (v: boolean) => void; help?: string }) {
  const id = useId();
  return (
    <div className="check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={help ? `${id}-h` : undefined} />
      <label htmlFor={id}>{label}</label>
      {help && (
        <p className="help" id={`${id}-h`}>
          {help}
        </p>
      )}
    </div>
  );
}
