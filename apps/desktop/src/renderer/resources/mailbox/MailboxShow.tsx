import { Box, Button, Stack, Tab, Tabs } from '@mui/material';
import AttachFileIcon from '@mui/icons-material/AttachFile';
import { useState } from 'react';
import {
  DateField,
  Labeled,
  Show,
  SimpleShowLayout,
  TextField,
  useNotify,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { saveBlob } from '../../files/download.ts';
import { downloadBlob } from '../warehouse/transfer.ts';
import type { MailboxMessage } from '../warehouse/types.ts';
import { useRawTransport } from '../warehouse/useTransport.ts';

/**
 * The HTML part is rendered in an iframe with an empty sandbox: no scripts, no forms, no
 * same-origin access to the admin (and its token), whatever the template or customer data put in it.
 */
function MessageBody() {
  const record = useRecordContext<MailboxMessage>();
  const translate = useTranslate();
  const [tab, setTab] = useState<'html' | 'text'>('html');
  // A record taken from the list cache has no body yet: the detail fetch brings it.
  if (!record || record.text === undefined) return null;
  return (
    <Box sx={{ width: '100%' }}>
      <Tabs value={tab} onChange={(_event, value: 'html' | 'text') => setTab(value)}>
        <Tab value="html" label={translate('mcart.mailbox.html')} disabled={!record.html} />
        <Tab value="text" label={translate('mcart.mailbox.text')} />
      </Tabs>
      {tab === 'html' && record.html ? (
        <iframe
          sandbox=""
          srcDoc={record.html}
          title={record.subject}
          data-testid="mail-html"
          style={{ width: '100%', height: '60vh', border: '1px solid #ccc', background: '#fff' }}
        />
      ) : (
        <Box component="pre" sx={{ whiteSpace: 'pre-wrap', fontFamily: 'monospace' }}>
          {record.text}
        </Box>
      )}
    </Box>
  );
}

const kilobytes = (size: number) => `${Math.max(1, Math.round(size / 1024))} KB`;

/** What came with the e-mail (an invoice PDF, say), each saved under its own name as it was sent. */
function Attachments() {
  const record = useRecordContext<MailboxMessage>();
  const translate = useTranslate();
  const notify = useNotify();
  const transport = useRawTransport();
  const [busy, setBusy] = useState<number | null>(null);
  if (!record?.attachments?.length) return null;
  const save = async (index: number, filename: string) => {
    setBusy(index);
    try {
      saveBlob(
        await downloadBlob(transport, `/api/admin/mailbox/${record.id}/attachments/${index}`),
        filename,
      );
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: 'error' });
    } finally {
      setBusy(null);
    }
  };
  return (
    <Labeled label={translate('mcart.mailbox.attachments')} fullWidth>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
        {record.attachments.map((file, index) => (
          <Button
            key={`${index}-${file.filename}`}
            size="small"
            variant="outlined"
            startIcon={<AttachFileIcon />}
            disabled={busy === index}
            onClick={() => void save(index, file.filename)}
          >
            {`${file.filename} (${kilobytes(file.size)})`}
          </Button>
        ))}
      </Stack>
    </Labeled>
  );
}

export function MailboxShow() {
  const translate = useTranslate();
  return (
    // The list caches each row without its body; always fetch the message on open (staleTime 0 too:
    // the query is enabled only after the access check, when "on mount" is past).
    <Show queryOptions={{ refetchOnMount: 'always', staleTime: 0 }}>
      <SimpleShowLayout>
        <DateField source="date" showTime />
        <TextField source="from" />
        <TextField source="to" />
        <TextField source="subject" />
        <TextField source="template" />
        <Attachments />
        <Labeled label={translate('mcart.mailbox.body')} fullWidth>
          <MessageBody />
        </Labeled>
      </SimpleShowLayout>
    </Show>
  );
}
