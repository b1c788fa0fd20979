import { List, ListItem, ListItemText, Typography } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import type { Shipment } from '../warehouse/types.ts';

/** Tracking events oldest first, as the server orders them. */
export function TrackingTimeline() {
  const record = useRecordContext<Shipment & { id: string }>();
  const translate = useTranslate();
  // A list-cached summary has no events yet: show nothing rather than "no tracking event".
  if (!record?.events) return null;
  if (record.events.length === 0) return <Typography>{translate('mcart.shipments.no_events')}</Typography>;
  return (
    <List dense data-testid="tracking-timeline">
      {record.events.map((event, index) => (
        <ListItem key={`${event.occurredAt}-${index}`} divider>
          <ListItemText
            primary={`${new Date(event.occurredAt).toLocaleString()} — ${translate(`mcart.shipments.status.${event.status}`)}`}
            secondary={[
              event.location,
              event.description,
              translate('mcart.shipments.source', { source: event.source }),
            ]
              .filter(Boolean)
              .join(' · ')}
          />
        </ListItem>
      ))}
    </List>
  );
}
