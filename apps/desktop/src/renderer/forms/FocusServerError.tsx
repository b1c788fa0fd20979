import { useEffect, useRef } from 'react';
import { useFormContext, useFormState, type FieldErrors } from 'react-hook-form';

/** The dotted name of the first field the server refused (`variants.0.sku`), or null. */
export function firstServerErrorField(errors: FieldErrors, prefix = ''): string | null {
  for (const [name, error] of Object.entries(errors)) {
    if (name === 'root' || !error || typeof error !== 'object') continue;
    const path = prefix ? `${prefix}.${name}` : name;
    if ('type' in error && error.type === 'server') return path;
    const nested = firstServerErrorField(error as FieldErrors, path);
    if (nested) return nested;
  }
  return null;
}

/**
 * In a form: after a save the server refused with field errors (a code that already exists), focuses the
 * first such field, which brings it and its message into view. The form is longer than a 768 px window and
 * its Save button sits at the bottom: without this, staff saw only the notification, not which field.
 */
export function FocusServerError() {
  const { setFocus } = useFormContext();
  const { errors, submitCount } = useFormState();
  const focusedFor = useRef(0);
  useEffect(() => {
    if (submitCount === focusedFor.current) return;
    const field = firstServerErrorField(errors);
    if (!field) return;
    focusedFor.current = submitCount;
    setFocus(field);
  }, [errors, submitCount, setFocus]);
  return null;
}
