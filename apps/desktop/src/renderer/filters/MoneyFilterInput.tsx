import { useEffect, useState } from 'react';
import { TextField } from '@mui/material';
import { FieldTitle, useInput, useTranslate, type InputProps } from 'react-admin';
import { formatMinor, parseMajor } from '../resources/products/money.ts';

/**
 * A money filter typed in major units ("40", "12.50") and sent in minor units, as the server compares
 * integers (`minTotal=4000`). The text is kept as typed: the filter changes only when it reads as an
 * amount, and text that does not says why under the field instead of reaching the server.
 */
export function MoneyFilterInput({
  source,
  label,
  resource,
}: Pick<InputProps, 'source' | 'label' | 'resource'>) {
  const translate = useTranslate();
  const { field, id } = useInput({ source, resource });
  const minor = typeof field.value === 'number' ? field.value : undefined;
  const [text, setText] = useState(() => (minor === undefined ? '' : formatMinor(minor)));
  const [error, setError] = useState<string | null>(null);

  // Cleared or changed from outside (the "clear filters" button, a URL): show the new value.
  useEffect(() => {
    setText((current) => {
      const typed = parseMajor(current);
      if (minor === undefined) return typed.ok ? '' : current;
      return typed.ok && typed.minor === minor ? current : formatMinor(minor);
    });
  }, [minor]);

  return (
    <TextField
      id={id}
      label={<FieldTitle label={label} source={source} resource={resource} />}
      value={text}
      error={error !== null}
      helperText={error ?? false}
      onChange={(event) => {
        const next = event.target.value;
        setText(next);
        const parsed = parseMajor(next);
        if (parsed.ok) {
          setError(null);
          field.onChange(parsed.minor);
        } else if (parsed.reason === 'empty') {
          setError(null);
          field.onChange(null);
        } else {
          setError(translate(`mcart.catalog.money_${parsed.reason}`));
        }
      }}
      slotProps={{ htmlInput: { inputMode: 'decimal' } }}
      // The filter bar hides helper texts (react-admin's FilterForm): this one says why nothing changed.
      sx={{ '&& .MuiFormHelperText-root': { display: 'block' } }}
    />
  );
}
