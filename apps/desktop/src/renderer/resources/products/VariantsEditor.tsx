import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Alert, IconButton, Stack, TextField, Tooltip, Typography, Button } from '@mui/material';
import SaveIcon from '@mui/icons-material/Save';
import DeleteIcon from '@mui/icons-material/Delete';
import AddIcon from '@mui/icons-material/Add';
import { useNotify, useRecordContext, useTranslate, type HttpError } from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import { useLive } from '../../live/LiveProvider.tsx';
import { parseMajor } from './money.ts';
import { parseOptions } from './productTypes.ts';
import {
  draftOf,
  reconcileRow,
  touchesProduct,
  type Draft,
  type RowState,
  type VariantRecord,
} from './variantSync.ts';

type FieldErrors = Partial<Record<keyof Draft | 'root', string>>;

/** Server field paths of the variant routes (`body/price/amount`) → this row's inputs. */
function serverErrors(err: unknown): FieldErrors {
  const body = (err as HttpError).body as { errors?: Record<string, unknown> } | undefined;
  const errors: FieldErrors = {};
  for (const [path, message] of Object.entries(body?.errors ?? {})) {
    if (typeof message !== 'string') continue;
    if (path === 'sku') errors.sku = message;
    else if (path === 'title') errors.title = message;
    else if (path.startsWith('price')) errors.price = message;
    else if (path.startsWith('compareAtPrice')) errors.compareAt = message;
    else if (path.startsWith('options')) errors.options = message;
  }
  if (Object.keys(errors).length === 0) errors.root = (err as Error).message;
  return errors;
}

/**
 * Build the variant PATCH/POST body from the row, sending (for a PATCH) only changed fields.
 * Returns field errors instead when the row cannot be sent.
 */
export function variantBody(
  draft: Draft,
  currency: string,
  previous?: VariantRecord,
): { body: Record<string, unknown> } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const price = parseMajor(draft.price);
  const compare = draft.compareAt.trim() === '' ? null : parseMajor(draft.compareAt);
  const options = parseOptions(draft.options);
  if (!draft.sku.trim()) errors.sku = 'ra.validation.required';
  if (!price.ok)
    errors.price =
      price.reason === 'empty' ? 'ra.validation.required' : `mcart.catalog.money_${price.reason}`;
  if (compare && !compare.ok) errors.compareAt = `mcart.catalog.money_${compare.reason}`;
  if (!options) errors.options = 'mcart.catalog.options_invalid';
  if (Object.keys(errors).length > 0 || !price.ok || (compare && !compare.ok) || !options) return { errors };
  const next: Record<string, unknown> = {
    sku: draft.sku.trim(),
    title: draft.title,
    price: { amount: price.minor, currency },
    compareAtPrice: compare ? { amount: compare.minor, currency } : null,
    options,
  };
  if (!previous) {
    if (next.compareAtPrice === null) delete next.compareAtPrice;
    return { body: next };
  }
  const before: Record<string, unknown> = {
    sku: previous.sku,
    title: previous.title,
    price: previous.price,
    compareAtPrice: previous.compareAtPrice,
    options: previous.options,
  };
  const body: Record<string, unknown> = { version: previous.version };
  for (const [key, value] of Object.entries(next)) {
    if (JSON.stringify(value) !== JSON.stringify(before[key])) body[key] = value;
  }
  return { body };
}

function VariantRow({
  productId,
  currency,
  variant,
  canDelete,
  onSaved,
  onDeleted,
}: {
  productId: string;
  currency: string;
  /** The newest copy known of this variant; absent for the "new variant" row. */
  variant?: VariantRecord;
  canDelete: boolean;
  onSaved: (saved: VariantRecord) => void;
  onDeleted?: () => void;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const { http } = useConnection();
  const [row, setRow] = useState<RowState | null>(() =>
    variant ? { base: variant, draft: draftOf(variant), stale: false } : null,
  );
  const [newDraft, setNewDraft] = useState<Draft>(() => draftOf());
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const draft = row?.draft ?? newDraft;
  const base = row?.base;

  // A newer copy (someone else's save, or ours coming back): show it unless it would lose edits.
  useEffect(() => {
    if (variant) setRow((current) => (current ? reconcileRow(current, variant) : current));
  }, [variant]);

  const setDraft = (next: Draft) => {
    if (row) setRow({ ...row, draft: next });
    else setNewDraft(next);
  };
  const set = (key: keyof Draft) => (event: { target: { value: string } }) => {
    setDraft({ ...draft, [key]: event.target.value });
    // The message was about the old value ("already exists"): it goes once the field is edited.
    if (errors[key]) setErrors(({ [key]: _fixed, ...rest }) => rest);
  };

  const reload = () => {
    if (!variant) return;
    setRow({ base: variant, draft: draftOf(variant), stale: false });
    setErrors({});
  };

  const save = async () => {
    const built = variantBody(draft, currency, base);
    if ('errors' in built) {
      setErrors(built.errors);
      return;
    }
    if (base && Object.keys(built.body).length === 1) return; // only the version: nothing changed
    setBusy(true);
    setErrors({});
    try {
      const path = `/api/admin/products/${encodeURIComponent(productId)}/variants`;
      const { body } = base
        ? await http.request<VariantRecord>(`${path}/${encodeURIComponent(base.id)}`, {
            method: 'PATCH',
            body: built.body,
          })
        : await http.request<VariantRecord>(path, { method: 'POST', body: built.body });
      if (base) setRow({ base: body, draft: draftOf(body), stale: false });
      else setNewDraft(draftOf());
      onSaved(body);
      notify('ra.notification.updated', { type: 'success', messageArgs: { smart_count: 1 } });
    } catch (err) {
      setErrors(serverErrors(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!base) return;
    if (!window.confirm(translate('mcart.catalog.delete_variant_confirm', { sku: base.sku }))) return;
    setBusy(true);
    try {
      await http.request(
        `/api/admin/products/${encodeURIComponent(productId)}/variants/${encodeURIComponent(base.id)}`,
        {
          method: 'DELETE',
        },
      );
      onDeleted?.();
    } catch (err) {
      setErrors({ root: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };

  // Enter saves this row; without this it would submit the product form around it instead.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (!busy) void save();
  };

  // Each field at least its width, growing into the room its line leaves: in a 1024px window the row takes two
  // lines, and the SKU widens to show a long code whole instead of cutting it off.
  const field = (key: keyof Draft, label: string, width: number, grow: number) => (
    <TextField
      size="small"
      label={translate(label)}
      value={draft[key]}
      onChange={set(key)}
      onKeyDown={onKeyDown}
      error={Boolean(errors[key])}
      helperText={errors[key] ? translate(errors[key], { _: errors[key] }) : ' '}
      sx={{ flex: `${grow} 1 ${width}px`, minWidth: width }}
      slotProps={{ htmlInput: { 'data-field': key } }}
    />
  );

  return (
    <Stack spacing={0.5} data-testid={base ? `variant-row-${base.sku}` : 'variant-row-new'}>
      {row?.stale && (
        <Alert
          severity="warning"
          role="alert"
          data-testid="variant-stale"
          action={
            <Button color="inherit" size="small" onClick={reload}>
              {translate('mcart.live.reload')}
            </Button>
          }
        >
          {translate('mcart.live.changed_elsewhere')}
        </Alert>
      )}
      <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'flex-start', flexWrap: 'wrap' }}>
        {field('sku', 'mcart.catalog.sku', 160, 2)}
        {field('title', 'mcart.catalog.variant_title', 180, 2)}
        {field('price', 'mcart.catalog.price', 110, 1)}
        {field('compareAt', 'mcart.catalog.compare_at', 110, 1)}
        {field('options', 'mcart.catalog.options', 220, 3)}
        <Typography sx={{ pt: 1 }}>{currency}</Typography>
        {base ? (
          <>
            <Tooltip title={translate('ra.action.save')}>
              <span>
                <IconButton
                  onClick={() => void save()}
                  disabled={busy}
                  aria-label={translate('ra.action.save')}
                >
                  <SaveIcon />
                </IconButton>
              </span>
            </Tooltip>
            <Tooltip title={translate(canDelete ? 'ra.action.delete' : 'mcart.catalog.last_variant')}>
              <span>
                <IconButton
                  onClick={() => void remove()}
                  disabled={busy || !canDelete}
                  aria-label={translate('ra.action.delete')}
                >
                  <DeleteIcon />
                </IconButton>
              </span>
            </Tooltip>
          </>
        ) : (
          <Button startIcon={<AddIcon />} onClick={() => void save()} disabled={busy}>
            {translate('mcart.catalog.add_variant')}
          </Button>
        )}
      </Stack>
      {errors.root && <Alert severity="error">{translate(errors.root, { _: errors.root })}</Alert>}
    </Stack>
  );
}

/**
 * Variants are saved one by one through their own routes (each with its own version), not with the
 * product form: the product PATCH does not take variants. The rows stay live: a change to this
 * product's variants elsewhere refetches them (rows with unsaved edits keep them, see reconcileRow).
 */
export function VariantsEditor() {
  const record = useRecordContext<{ id: string; variants: VariantRecord[] }>();
  const translate = useTranslate();
  const live = useLive();
  const { http } = useConnection();
  const [variants, setVariants] = useState<VariantRecord[]>(() => record?.variants ?? []);
  const variantIds = useRef<string[]>([]);
  variantIds.current = variants.map((variant) => variant.id);
  const productId = record?.id;

  useEffect(() => {
    if (!live || !productId) return;
    // One fetch at a time: a variant save emits variants, prices and products changes together.
    let fetching = false;
    let again = false;
    let stopped = false;
    const refetch = async () => {
      if (fetching) {
        again = true;
        return;
      }
      fetching = true;
      try {
        do {
          again = false;
          const { body } = await http.request<{ variants: VariantRecord[] }>(
            `/api/admin/products/${encodeURIComponent(productId)}`,
          );
          if (!stopped) setVariants(body.variants);
        } while (again && !stopped);
      } catch {
        // The product was deleted or the session ended: the form's own banner and auth handle it.
      } finally {
        fetching = false;
      }
    };
    const stop = live.onChange((change) => {
      if (touchesProduct(change, productId, variantIds.current)) void refetch();
    });
    return () => {
      stopped = true;
      stop();
    };
  }, [live, http, productId]);

  if (!record) return null;
  const currency = variants[0]?.price.currency ?? record.variants[0]?.price.currency ?? '';
  return (
    <Stack spacing={1} sx={{ width: '100%' }}>
      <Typography variant="caption">{translate('mcart.catalog.variants_help')}</Typography>
      {variants.map((variant) => (
        <VariantRow
          key={variant.id}
          productId={record.id}
          currency={currency}
          variant={variant}
          canDelete={variants.length > 1}
          onSaved={(saved) => setVariants((all) => all.map((v) => (v.id === saved.id ? saved : v)))}
          onDeleted={() => setVariants((all) => all.filter((v) => v.id !== variant.id))}
        />
      ))}
      <Typography variant="subtitle2">{translate('mcart.catalog.new_variant')}</Typography>
      <VariantRow
        productId={record.id}
        currency={currency}
        canDelete={false}
        onSaved={(saved) =>
          setVariants((all) => (all.some((v) => v.id === saved.id) ? all : [...all, saved]))
        }
      />
    </Stack>
  );
}
