import { useRef, useState, type DragEvent } from 'react';
import {
  Alert,
  Box,
  Button,
  Card,
  CardActions,
  CardMedia,
  Chip,
  IconButton,
  LinearProgress,
  Stack,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import UploadIcon from '@mui/icons-material/Upload';
import DeleteIcon from '@mui/icons-material/Delete';
import StarIcon from '@mui/icons-material/Star';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import ArrowForwardIcon from '@mui/icons-material/ArrowForward';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Confirm, useNotify, useRecordContext, useTranslate } from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import { problemToHttpError } from '../../api/problem.ts';

export interface ProductImage {
  id: string;
  key: string;
  url: string;
  alt: string;
  width: number;
  height: number;
  position: number;
  primary: boolean;
}

const ACCEPT = 'image/jpeg,image/png,image/webp,image/avif';

/** The images' order with one of them moved by `step` places (clamped at both ends). */
export function moved(ids: string[], id: string, step: number): string[] {
  const from = ids.indexOf(id);
  const to = Math.max(0, Math.min(ids.length - 1, from + step));
  if (from < 0 || from === to) return ids;
  const next = ids.filter((other) => other !== id);
  next.splice(to, 0, id);
  return next;
}

/**
 * The product's images: upload (file button or drag and drop), thumbnails from the server's /media route,
 * alt text, order (the first is the primary image shown in store lists), delete. Every action is saved at
 * once through the image routes; the list refreshes from the answer and from live product events.
 */
export function ImagesEditor() {
  const record = useRecordContext<{ id: string }>();
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { connection, http, tokens } = useConnection();
  const input = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState(0);
  const [dragging, setDragging] = useState(false);
  const [deleting, setDeleting] = useState<ProductImage | null>(null);
  const productId = record?.id;
  const base = `/api/admin/products/${productId ?? ''}/images`;
  // A list-style key under 'products': live product events refresh it like the other product screens.
  const queryKey = ['products', 'getManyReference', { target: 'images', id: productId }];

  const images = useQuery({
    queryKey,
    enabled: Boolean(productId),
    queryFn: async () => (await http.request<ProductImage[]>(base)).body,
  });

  const show = (list: ProductImage[]) => queryClient.setQueryData(queryKey, list);
  const refresh = () => queryClient.invalidateQueries({ queryKey });
  const failed = (err: unknown) => notify((err as Error).message || 'mcart.error.network', { type: 'error' });

  const sendFile = async (file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    const post = () => {
      const token = tokens?.get()?.accessToken;
      return fetch(`${connection.baseUrl()}${base}`, {
        method: 'POST',
        body: form,
        headers: {
          Accept: 'application/json, application/problem+json',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        credentials: 'omit',
      });
    };
    let response = await post();
    if (response.status === 401 && (await http.refreshSession())) response = await post();
    if (!response.ok) {
      const body: unknown = await response.json().catch(() => undefined);
      throw problemToHttpError(response.status, response.statusText, body);
    }
  };

  const upload = async (files: FileList | File[] | null) => {
    const list = Array.from(files ?? []);
    if (!list.length || !productId) return;
    setUploading((n) => n + list.length);
    for (const file of list) {
      try {
        await sendFile(file);
      } catch (err) {
        notify(`${file.name}: ${(err as Error).message}`, { type: 'error' });
      } finally {
        setUploading((n) => n - 1);
      }
    }
    await refresh();
  };

  const reorder = async (ids: string[]) => {
    try {
      show((await http.request<ProductImage[]>(`${base}/order`, { method: 'PUT', body: { ids } })).body);
    } catch (err) {
      failed(err);
      await refresh();
    }
  };

  const makePrimary = async (image: ProductImage) => {
    try {
      show((await http.request<ProductImage[]>(`${base}/${image.id}/primary`, { method: 'POST' })).body);
    } catch (err) {
      failed(err);
    }
  };

  const saveAlt = async (image: ProductImage, alt: string) => {
    if (alt.trim() === image.alt) return;
    try {
      await http.request(`${base}/${image.id}`, { method: 'PATCH', body: { alt: alt.trim() } });
      notify('ra.notification.updated', { type: 'success', messageArgs: { smart_count: 1 } });
      await refresh();
    } catch (err) {
      failed(err);
    }
  };

  const remove = async (image: ProductImage) => {
    setDeleting(null);
    try {
      await http.request(`${base}/${image.id}`, { method: 'DELETE' });
      notify('ra.notification.deleted', { type: 'info', messageArgs: { smart_count: 1 } });
    } catch (err) {
      failed(err);
    }
    await refresh();
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void upload(event.dataTransfer.files);
  };

  const list = images.data ?? [];
  const ids = list.map((image) => image.id);
  return (
    <Stack spacing={2} sx={{ width: '100%' }}>
      <Box
        data-testid="image-drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        sx={{
          border: 2,
          borderStyle: 'dashed',
          borderColor: dragging ? 'primary.main' : 'divider',
          borderRadius: 1,
          p: 3,
          textAlign: 'center',
          bgcolor: dragging ? 'action.hover' : undefined,
        }}
      >
        <Typography variant="body2" color="text.secondary" gutterBottom>
          {translate('mcart.catalog.images_drop')}
        </Typography>
        <Button variant="outlined" startIcon={<UploadIcon />} onClick={() => input.current?.click()}>
          {translate('mcart.catalog.images_upload')}
        </Button>
        <input
          ref={input}
          type="file"
          accept={ACCEPT}
          multiple
          hidden
          data-testid="image-file-input"
          onChange={(event) => {
            void upload(event.target.files);
            event.target.value = '';
          }}
        />
        {uploading > 0 && (
          <LinearProgress sx={{ mt: 2 }} aria-label={translate('mcart.catalog.images_uploading')} />
        )}
      </Box>
      {images.isPending && productId ? <LinearProgress /> : null}
      {images.isError ? <Alert severity="error">{(images.error as Error).message}</Alert> : null}
      {images.isSuccess && list.length === 0 ? (
        <Typography color="text.secondary">{translate('mcart.catalog.images_none')}</Typography>
      ) : null}
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))', gap: 2 }}>
        {list.map((image, index) => (
          <Card key={image.id} variant="outlined" data-testid="product-image">
            <CardMedia
              component="img"
              src={`${connection.baseUrl()}${image.url}?w=320`}
              alt={image.alt}
              sx={{ height: 160, objectFit: 'contain', bgcolor: 'action.hover' }}
            />
            <Box sx={{ px: 1, pt: 1 }}>
              {image.primary ? (
                <Chip size="small" color="primary" label={translate('mcart.catalog.images_primary')} />
              ) : null}
              <Typography variant="caption" color="text.secondary" sx={{ ml: 1 }}>
                {image.width}×{image.height}
              </Typography>
              <TextField
                key={`${image.id}-${image.alt}`}
                defaultValue={image.alt}
                label={translate('mcart.catalog.images_alt')}
                size="small"
                fullWidth
                margin="dense"
                slotProps={{ htmlInput: { maxLength: 300 } }}
                onBlur={(event) => void saveAlt(image, event.target.value)}
              />
            </Box>
            <CardActions>
              <Tooltip title={translate('mcart.catalog.images_earlier')}>
                <span>
                  <IconButton
                    size="small"
                    disabled={index === 0}
                    onClick={() => void reorder(moved(ids, image.id, -1))}
                  >
                    <ArrowBackIcon fontSize="small" />
                  </IconButton>
                </span>
              </Tooltip>
              <Tooltip title={translate('mcart.catalog.images_later')}>
                <span>
                  <IconButton
                    size="small"
                    disabled={index === list.length - 1}
                    onClick={() => void reorder(moved(ids, image.id, 1))}
                  >
                    <ArrowForwardIcon fontSize="small" />
                  </IconButton>
                </span>
              </Tooltip>
              <Tooltip title={translate('mcart.catalog.images_make_primary')}>
                <span>
                  <IconButton size="small" disabled={image.primary} onClick={() => void makePrimary(image)}>
                    <StarIcon fontSize="small" />
                  </IconButton>
                </span>
              </Tooltip>
              <Box sx={{ flex: 1 }} />
              <Tooltip title={translate('ra.action.delete')}>
                <IconButton size="small" color="error" onClick={() => setDeleting(image)}>
                  <DeleteIcon fontSize="small" />
                </IconButton>
              </Tooltip>
            </CardActions>
          </Card>
        ))}
      </Box>
      <Confirm
        isOpen={deleting !== null}
        title="mcart.catalog.images_delete_title"
        content="mcart.catalog.images_delete_confirm"
        onConfirm={() => deleting && void remove(deleting)}
        onClose={() => setDeleting(null)}
      />
    </Stack>
  );
}
