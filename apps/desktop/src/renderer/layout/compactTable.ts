/**
 * Tables in a 1024x768 window: the 240px menu leaves the page about 780px. Below `xl` (1536px) cells keep
 * 8px apart instead of 16px on each side, and a cell given `nowrap` (an order number "MC-001006", which the
 * browser would break after its hyphen) stays on one line. Pass to a Datagrid's or Table's `sx`.
 */
export const compactTableSx = {
  '& .MuiTableCell-root': { px: { xs: 1, xl: 2 } },
  '& .nowrap': { whiteSpace: 'nowrap' },
} as const;
