import { useEffect, useMemo } from 'react';
import { Button as MuiButton, Dialog, DialogActions, DialogContent, DialogTitle } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import { useTranslate } from 'react-admin';

/** In a browser there is no silent printing: show the PDF (the browser's viewer prints it) and offer a download. */
export function LabelPreviewDialog({
  pdf,
  fileName,
  onClose,
}: {
  pdf: Blob;
  fileName: string;
  onClose: () => void;
}) {
  const translate = useTranslate();
  const url = useMemo(() => URL.createObjectURL(pdf), [pdf]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>{translate('mcart.labels.preview')}</DialogTitle>
      <DialogContent>
        <iframe
          src={url}
          title={translate('mcart.labels.preview')}
          data-testid="label-preview"
          style={{ width: '100%', height: '70vh', border: 0 }}
        />
      </DialogContent>
      <DialogActions>
        <MuiButton component="a" href={url} download={fileName} startIcon={<DownloadIcon />}>
          {translate('mcart.labels.download')}
        </MuiButton>
        <MuiButton onClick={onClose}>{translate('ra.action.close')}</MuiButton>
      </DialogActions>
    </Dialog>
  );
}
