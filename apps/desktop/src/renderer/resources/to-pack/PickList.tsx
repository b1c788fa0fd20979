import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import RadioButtonUncheckedIcon from '@mui/icons-material/RadioButtonUnchecked';
import { Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { PackingState } from '../warehouse/packing.ts';

export function PickList({ state }: { state: PackingState }) {
  const translate = useTranslate();
  return (
    <Table size="small" data-testid="pick-list">
      <TableHead>
        <TableRow>
          <TableCell padding="checkbox" />
          <TableCell>{translate('mcart.packing.sku')}</TableCell>
          <TableCell>{translate('mcart.packing.item')}</TableCell>
          <TableCell align="right">{translate('mcart.packing.quantity')}</TableCell>
          <TableCell align="right">{translate('mcart.packing.scanned')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {state.lines.map((line) => {
          const packed = state.packed[line.orderLineId] ?? 0;
          const done = packed >= line.remaining;
          return (
            <TableRow key={line.orderLineId} selected={done} data-done={done}>
              <TableCell padding="checkbox">
                {done ? <CheckCircleIcon color="success" /> : <RadioButtonUncheckedIcon color="disabled" />}
              </TableCell>
              <TableCell sx={{ fontFamily: 'monospace' }}>{line.sku}</TableCell>
              <TableCell>{line.title}</TableCell>
              <TableCell align="right">{line.remaining}</TableCell>
              <TableCell align="right">{packed}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
