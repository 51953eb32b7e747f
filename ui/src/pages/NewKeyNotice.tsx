import { useEffect, useRef, useState } from 'react';
import type { NewApiKey } from '../types';

/** The one time a key is shown: selectable text, a copy button, and a warning that it will not come back. */
export function NewKeyNotice({ apiKey, rotatedFrom, onDone }: { apiKey: NewApiKey; rotatedFrom?: string; onDone: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState('');
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [apiKey.key]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(apiKey.key);
      setCopied('Copied to the clipboard.');
    } catch {
      // No clipboard access (an http page, a denied permission): the text is selected for Ctrl+C.
      input.current?.select();
      setCopied('Press Ctrl+C (⌘C on a Mac) to copy the selected key.');
    }
  };

  return (
    <section className="notice notice-ok new-key" aria-labelledby="new-key-title">
      <h2 id="new-key-title">{rotatedFrom ? `New key for ${apiKey.name}` : `${apiKey.name} is created`}</h2>
      <p>
        <strong>Copy the key now: it is not shown again.</strong> Only its hash is stored.
        {rotatedFrom && ' Put it where the old key was used; the old key stops as you chose.'}
      </p>
      <div className="key-copy">
        <label htmlFor="new-key-value" className="sr-only">
          New API key
        </label>
        <input id="new-key-value" ref={input} readOnly value={apiKey.key} spellCheck={false} onFocus={(e) => e.target.select()} />
        <button type="button" className="primary" onClick={copy}>
          Copy
        </button>
        <button type="button" onClick={onDone}>
          I have stored it
        </button>
      </div>
      <p className="small" role="status">
        {copied}
      </p>
    </section>
  );
}
