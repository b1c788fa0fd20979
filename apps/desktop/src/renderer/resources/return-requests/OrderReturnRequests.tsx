import { Box, Typography } from '@mui/material';
import { useGetList, useTranslate } from 'react-admin';
import { Link } from 'react-router-dom';
import { refundIsPending, unitsOf, type ReturnRequestRecord } from './returnRequestTypes.ts';

/**
 * The order's return requests on its page, oldest first, each leading to its own page. A react-admin list
 * query (`return-requests`, filtered by order): live changes of return requests refresh it by themselves.
 */
export function OrderReturnRequests({ orderId }: { orderId: string }) {
  const translate = useTranslate();
  const { data, isPending } = useGetList<ReturnRequestRecord>('return-requests', {
    filter: { orderId },
    sort: { field: 'createdAt', order: 'ASC' },
    pagination: { page: 1, perPage: 50 },
  });
  if (isPending || !data) return null;
  return (
    <Box data-testid="order-return-requests" sx={{ mt: 2 }}>
      <Typography variant="subtitle2">
        {translate('mcart.returns.section', { smart_count: data.length })}
      </Typography>
      {data.length === 0 && <Typography variant="body2">{translate('mcart.returns.none')}</Typography>}
      {data.map((request) => (
        <Typography key={request.id} variant="body2">
          <Link to={`/return-requests/${encodeURIComponent(request.id)}/show`}>{request.number}</Link> ·{' '}
          {translate(`mcart.returns.status.${request.status}`)} ·{' '}
          {translate('mcart.returns.units_count', { smart_count: unitsOf(request) })} ·{' '}
          {translate(`mcart.returns.reason.${request.reason}`)}
          {refundIsPending(request) ? ` · ${translate('mcart.returns.refund_pending_short')}` : ''}
        </Typography>
      ))}
    </Box>
  );
}
