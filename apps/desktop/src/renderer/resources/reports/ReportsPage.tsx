import { useMemo, useState, type ReactNode } from 'react';
import {
  Alert,
  Box,
  Card,
  CardContent,
  CardHeader,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableFooter,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Title, useLocaleState, useTranslate } from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import { compactTableSx } from '../../layout/compactTable.ts';
import { DownloadCsvButton } from './DownloadCsvButton.tsx';
import {
  deskTimeZone,
  formatAmount,
  GROUP_BY,
  isComplete,
  monthToDate,
  PRODUCT_REPORT_PATH,
  PRODUCT_SORTS,
  reportQuery,
  SALES_AMOUNTS,
  SALES_REPORT_PATH,
  type GroupBy,
  type ProductReport,
  type ProductSort,
  type SalesReport,
  type SalesRow,
} from './reportTypes.ts';

/** The bucket's first day as people read it: "Mar 3, 2025", "Week of Mar 3, 2025", "March 2025". */
function usePeriodLabel(groupBy: GroupBy) {
  const translate = useTranslate();
  const [locale = 'en'] = useLocaleState();
  return (period: string) => {
    // Calendar days, not instants: formatted at UTC midnight so no zone moves them.
    const date = new Date(`${period}T00:00:00Z`);
    if (groupBy === 'month')
      return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
        date,
      );
    const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
    return groupBy === 'week' ? translate('mcart.reports.week_of', { day }) : day;
  };
}

function ReportCard({
  id,
  title,
  action,
  children,
}: {
  id: string;
  title: string;
  action: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card component="section" aria-labelledby={id}>
      {/* The id on the title alone: the header's buttons are not part of the section's name. */}
      <CardHeader title={<span id={id}>{title}</span>} action={action} />
      <CardContent sx={{ pt: 0 }}>{children}</CardContent>
    </Card>
  );
}

/** Nine columns in a 1024x768 window, in French too ("Remboursements"): cells 6px apart on each side below `xl`. */
const salesTableSx = { ...compactTableSx, '& .MuiTableCell-root': { px: { xs: 0.75, xl: 2 } } } as const;

/**
 * What sold, when, for how much (`reports:read`): the sales of a range of local days per day, week or month
 * with their totals, and the variants sold, each downloadable as CSV. The server defines every column
 * (ADR 0050); the page shows them as they come.
 */
export function ReportsPage() {
  const translate = useTranslate();
  const [locale = 'en'] = useLocaleState();
  const { http } = useConnection();
  const [range, setRange] = useState(monthToDate);
  const [groupBy, setGroupBy] = useState<GroupBy>('day');
  const [sort, setSort] = useState<ProductSort>('revenue');
  const timeZone = useMemo(deskTimeZone, []);
  const filter = useMemo(() => ({ ...range, timeZone }), [range, timeZone]);
  const periodLabel = usePeriodLabel(groupBy);

  const sales = useQuery({
    queryKey: ['reports', 'sales', filter, groupBy],
    enabled: isComplete(range),
    queryFn: async ({ signal }) =>
      (
        await http.request<SalesReport>(SALES_REPORT_PATH, {
          query: reportQuery(filter, { groupBy }),
          signal,
        })
      ).body,
  });
  const products = useQuery({
    queryKey: ['reports', 'products', filter, sort],
    enabled: isComplete(range),
    queryFn: async ({ signal }) =>
      (
        await http.request<ProductReport>(PRODUCT_REPORT_PATH, {
          query: reportQuery(filter, { sort }),
          signal,
        })
      ).body,
  });

  const error = sales.error ?? products.error;
  const money = (minor: number, currency: string) => formatAmount(locale, minor, currency);
  const t = (key: string, options?: Record<string, unknown>) => translate(`mcart.reports.${key}`, options);
  const salesCells = (row: SalesRow, currency: string) => [
    <TableCell key="orders" align="right">
      {row.orders}
    </TableCell>,
    <TableCell key="units" align="right">
      {row.units}
    </TableCell>,
    ...SALES_AMOUNTS.map((column) => (
      <TableCell key={column} align="right">
        {money(row[column], currency)}
      </TableCell>
    )),
  ];

  return (
    <Box sx={{ display: 'grid', gap: 2, mt: 2 }}>
      <Title title={t('title')} />
      <Card>
        <CardContent>
          <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
            <TextField
              type="date"
              label={t('from')}
              value={range.from}
              onChange={(event) => setRange((current) => ({ ...current, from: event.target.value }))}
              fullWidth={false}
              slotProps={{ inputLabel: { shrink: true } }}
            />
            <TextField
              type="date"
              label={t('to')}
              value={range.to}
              onChange={(event) => setRange((current) => ({ ...current, to: event.target.value }))}
              fullWidth={false}
              slotProps={{ inputLabel: { shrink: true } }}
            />
            <TextField
              select
              label={t('group_by')}
              value={groupBy}
              onChange={(event) => setGroupBy(event.target.value as GroupBy)}
              fullWidth={false}
              sx={{ minWidth: 160 }}
            >
              {GROUP_BY.map((value) => (
                <MenuItem key={value} value={value}>
                  {t(`group.${value}`)}
                </MenuItem>
              ))}
            </TextField>
            <Typography variant="body2" color="text.secondary">
              {t('time_zone', { zone: timeZone })}
            </Typography>
          </Stack>
          <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
            {t('explanation')}
          </Typography>
        </CardContent>
      </Card>

      {error && <Alert severity="error">{error.message}</Alert>}

      <ReportCard
        id="reports-sales"
        title={t('sales')}
        action={
          <DownloadCsvButton
            path={SALES_REPORT_PATH}
            query={reportQuery(filter, { groupBy, format: 'csv' })}
            fallbackName={`sales-${range.from}-${range.to}.csv`}
            label={t('download_sales_csv')}
            disabled={!sales.data}
          />
        }
      >
        {sales.data && (
          <TableContainer>
            <Table size="small" aria-labelledby="reports-sales" sx={salesTableSx}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('period')}</TableCell>
                  {['orders', 'units', ...SALES_AMOUNTS].map((column) => (
                    <TableCell key={column} align="right">
                      {t(column)}
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {sales.data.rows.map((row) => (
                  <TableRow key={row.period} hover>
                    <TableCell>{periodLabel(row.period)}</TableCell>
                    {salesCells(row, sales.data.currency)}
                  </TableRow>
                ))}
              </TableBody>
              <TableFooter
                sx={{
                  '& .MuiTableCell-root': { fontWeight: 'bold', color: 'text.primary', fontSize: 'inherit' },
                }}
              >
                <TableRow>
                  <TableCell>{t('total')}</TableCell>
                  {salesCells(sales.data.totals, sales.data.currency)}
                </TableRow>
              </TableFooter>
            </Table>
          </TableContainer>
        )}
      </ReportCard>

      <ReportCard
        id="reports-products"
        title={t('products')}
        action={
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            <TextField
              select
              size="small"
              label={t('sort')}
              value={sort}
              onChange={(event) => setSort(event.target.value as ProductSort)}
              fullWidth={false}
              sx={{ minWidth: 140 }}
            >
              {PRODUCT_SORTS.map((value) => (
                <MenuItem key={value} value={value}>
                  {t(value)}
                </MenuItem>
              ))}
            </TextField>
            <DownloadCsvButton
              path={PRODUCT_REPORT_PATH}
              query={reportQuery(filter, { sort, format: 'csv' })}
              fallbackName={`product-sales-${range.from}-${range.to}.csv`}
              label={t('download_products_csv')}
              disabled={!products.data}
            />
          </Stack>
        }
      >
        {products.data &&
          (products.data.rows.length === 0 ? (
            <Typography color="text.secondary">{t('nothing_sold')}</Typography>
          ) : (
            <TableContainer>
              <Table size="small" aria-labelledby="reports-products" sx={compactTableSx}>
                <TableHead>
                  <TableRow>
                    <TableCell>{t('sku')}</TableCell>
                    <TableCell>{t('product')}</TableCell>
                    <TableCell align="right">{t('units')}</TableCell>
                    <TableCell align="right">{t('revenue')}</TableCell>
                    <TableCell align="right">{t('refunded_units')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {products.data.rows.map((row) => (
                    <TableRow key={row.variantId} hover>
                      <TableCell>{row.sku}</TableCell>
                      <TableCell>{row.title}</TableCell>
                      <TableCell align="right">{row.units}</TableCell>
                      <TableCell align="right">{money(row.revenue, products.data.currency)}</TableCell>
                      <TableCell align="right">{row.refundedUnits}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </TableContainer>
          ))}
      </ReportCard>
    </Box>
  );
}
