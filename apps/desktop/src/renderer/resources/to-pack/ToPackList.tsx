import {
  Alert,
  Card,
  CardContent,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { Link } from 'react-router-dom';
import { Button, Title, TopToolbar, useTranslate } from 'react-admin';
import { ChoosePrinterButton } from '../warehouse/PrintLabelsButton.tsx';
import { useToPack } from './useToPack.ts';

/** Paid orders still to ship, oldest paid first: the packer takes them from the top. */
export function ToPackList() {
  const translate = useTranslate();
  const { data, isPending, error, refetch } = useToPack();
  return (
    <>
      <Title title={translate('resources.to-pack.name', { smart_count: 2 })} />
      <TopToolbar>
        <ChoosePrinterButton />
        <Button label="ra.action.refresh" onClick={() => void refetch()} />
      </TopToolbar>
      <Card>
        {isPending && <LinearProgress />}
        {error && <Alert severity="error">{error.message}</Alert>}
        {data && data.data.length === 0 && (
          <CardContent>
            <Typography>{translate('mcart.packing.queue_empty')}</Typography>
          </CardContent>
        )}
        {data && data.data.length > 0 && (
          <Table size="small" data-testid="to-pack-table">
            <TableHead>
              <TableRow>
                <TableCell>{translate('resources.to-pack.fields.number')}</TableCell>
                <TableCell>{translate('resources.to-pack.fields.paidAt')}</TableCell>
                <TableCell>{translate('resources.to-pack.fields.shipTo')}</TableCell>
                <TableCell align="right">{translate('resources.to-pack.fields.units')}</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {data.data.map((order) => (
                <TableRow key={order.orderId}>
                  <TableCell>{order.number}</TableCell>
                  <TableCell>{new Date(order.paidAt).toLocaleString()}</TableCell>
                  <TableCell>
                    {order.shipTo.name}, {order.shipTo.city} ({order.shipTo.country})
                  </TableCell>
                  <TableCell align="right">
                    {order.lines.reduce((sum, line) => sum + line.remaining, 0)}
                  </TableCell>
                  <TableCell align="right">
                    <Button
                      component={Link}
                      to={`/to-pack/${encodeURIComponent(order.orderId)}`}
                      label="mcart.packing.pack"
                    />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
    </>
  );
}
