import { Box, Tab, Tabs } from '@mui/material';
import { useState } from 'react';
import {
  DateField,
  Labeled,
  Show,
  SimpleShowLayout,
  TextField,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import type { MailboxMessage } from '../warehouse/types.ts';

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
        <Labeled label={translate('mcart.mailbox.body')} fullWidth>
          <MessageBody />
        </Labeled>
      </SimpleShowLayout>
    </Show>
  );
}
