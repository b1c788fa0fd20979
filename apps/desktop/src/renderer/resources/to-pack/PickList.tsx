import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import RadioButtonUncheckedIcon from '@mui/icons-material/RadioButtonUnchecked';
import { Table, TableBody, TableCell, TableHead, TableRow, TextField } from '@mui/material';
import { useTranslate } from 'react-admin';
import { plannedOf, type PackingState } from '../warehouse/packing.ts';

/**
 * The lines left to ship. "In this parcel" starts at everything left; lowering it (or 0 for a line
 * that is not in stock yet) makes a partial shipment and the rest stays in the queue.
 */
export function PickList({
  state,
  onPlan,
  disabled = false,
}: {
  state: PackingState;
  onPlan?: ((orderLineId: string, quantity: number) => void) | undefined;
  disabled?: boolean;
}) {
  const translate = useTranslate();
  return (
    <Table size="small" data-testid="pick-list">
      <TableHead>
        <TableRow>
          <TableCell padding="checkbox" />
          <TableCell>{translate('mcart.packing.sku')}</TableCell>
          <TableCell>{translate('mcart.packing.item')}</TableCell>
          <TableCell align="right">{translate('mcart.packing.quantity')}</TableCell>
          <TableCell align="right">{translate('mcart.packing.in_parcel')}</TableCell>
          <TableCell align="right">{translate('mcart.packing.scanned')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {state.lines.map((line) => {
          const packed = state.packed[line.orderLineId] ?? 0;
          const planned = plannedOf(state, line.orderLineId);
          const done = packed >= planned;
          return (
            <TableRow key={line.orderLineId} selected={done && planned > 0} data-done={done}>
              <TableCell padding="checkbox">
                {done && planned > 0 ? (
                  <CheckCircleIcon color="success" />
                ) : (
                  <RadioButtonUncheckedIcon color="disabled" />
                )}
              </TableCell>
              <TableCell sx={{ fontFamily: 'monospace' }}>{line.sku}</TableCell>
              <TableCell>{line.title}</TableCell>
              <TableCell align="right">{line.remaining}</TableCell>
              <TableCell align="right">
                {onPlan ? (
                  <TextField
                    type="number"
                    size="small"
                    variant="standard"
                    value={planned}
                    disabled={disabled}
                    onChange={(event) => onPlan(line.orderLineId, Number(event.target.value))}
                    slotProps={{
                      htmlInput: {
                        min: 0,
                        max: line.remaining,
                        'aria-label': translate('mcart.packing.in_parcel_of', { sku: line.sku }),
                        style: { textAlign: 'right', width: '4em' },
                      },
                    }}
                  />
                ) : (
                  planned
                )}
              </TableCell>
              <TableCell align="right">{packed}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
