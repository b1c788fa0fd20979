import { useEffect } from 'react';
import {
  Box,
  Card,
  CardContent,
  CardHeader,
  List,
  ListItem,
  ListItemText,
  Stack,
  Typography,
} from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocaleState, usePermissions, useTranslate } from 'react-admin';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useConnection } from '../connection/ConnectionContext.tsx';
import { useLive } from '../live/LiveProvider.tsx';
import { hasPermission } from '../auth/permissions.ts';

interface Money {
  amount: number;
  currency: string;
}
export interface DashboardSummary {
  currency: string;
  sales: {
    today: { revenue: Money; orders: number };
    last30Days: { revenue: Money; orders: number };
    daily: { date: string; revenue: number; orders: number }[];
  } | null;
  /** Paid orders not yet shipped (every role sees it; `sales` is only for roles that read the reports). */
  toPack: number | null;
  lowStock: {
    count: number;
    items: {
      variantId: string;
      sku: string | null;
      title: string | null;
      available: number;
      threshold: number;
    }[];
  } | null;
  customers: { today: number; last30Days: number } | null;
}

/** The dashboard's query key: live changes of orders, stock and customers invalidate it (live/invalidation.ts). */
export const DASHBOARD_QUERY_KEY = ['dashboard'] as const;

const formatMoney = (locale: string, minor: number, currency: string) =>
  new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 100);

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Box>
      <Typography variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography variant="h5" data-testid={testId}>
        {value}
      </Typography>
    </Box>
  );
}

export function SalesCards() {
  const translate = useTranslate();
  const [locale = 'en'] = useLocaleState();
  const { http } = useConnection();
  const live = useLive();
  const queryClient = useQueryClient();
  const { permissions } = usePermissions<string[]>();
  // The server leaves the takings out for roles that may not read the sales reports (ADR 0050).
  const readsSales = hasPermission(permissions ?? [], 'reports', 'list');
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const { data } = useQuery({
    queryKey: DASHBOARD_QUERY_KEY,
    queryFn: async ({ signal }) =>
      (
        await http.request<DashboardSummary>('/api/admin/dashboard', {
          query: new URLSearchParams({ tz: timeZone }),
          signal,
        })
      ).body,
  });
  // Also refresh on a stock change of a product screen that has no dashboard query mounted yet.
  useEffect(
    () =>
      live?.onChange((change) => {
        if (
          change.resource === 'orders' ||
          change.resource === 'inventory' ||
          change.resource === 'customers'
        )
          void queryClient.invalidateQueries({ queryKey: DASHBOARD_QUERY_KEY });
      }),
    [live, queryClient],
  );

  if (!data) return null;
  const money = (value: Money) => formatMoney(locale, value.amount, value.currency);
  const na = translate('mcart.sales.not_installed');

  return (
    <>
      <Card component="section" aria-labelledby="dashboard-sales" sx={{ gridColumn: { md: '1 / -1' } }}>
        <CardHeader id="dashboard-sales" title={translate('mcart.sales.title')} />
        <CardContent>
          <Stack spacing={2}>
            <Stack direction="row" spacing={4} useFlexGap sx={{ flexWrap: 'wrap' }}>
              {data.sales && (
                <>
                  <Figure
                    label={`${translate('mcart.sales.revenue')} · ${translate('mcart.sales.today')}`}
                    value={money(data.sales.today.revenue)}
                    testId="revenue-today"
                  />
                  <Figure
                    label={`${translate('mcart.sales.orders')} · ${translate('mcart.sales.today')}`}
                    value={String(data.sales.today.orders)}
                    testId="orders-today"
                  />
                  <Figure
                    label={`${translate('mcart.sales.revenue')} · ${translate('mcart.sales.last_30_days')}`}
                    value={money(data.sales.last30Days.revenue)}
                    testId="revenue-30d"
                  />
                  <Figure
                    label={`${translate('mcart.sales.orders')} · ${translate('mcart.sales.last_30_days')}`}
                    value={String(data.sales.last30Days.orders)}
                    testId="orders-30d"
                  />
                </>
              )}
              <Figure
                label={translate('mcart.sales.to_pack')}
                value={data.toPack === null ? na : String(data.toPack)}
                testId="orders-to-pack"
              />
            </Stack>
            {data.sales ? (
              <Box sx={{ height: 220 }} aria-label={translate('mcart.sales.last_30_days')}>
                <ResponsiveContainer width="100%" height="100%">
                  <BarChart data={data.sales.daily.map((d) => ({ ...d, revenue: d.revenue / 100 }))}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="date" tickFormatter={(value: string) => value.slice(5)} />
                    <YAxis />
                    <Tooltip
                      formatter={(value) =>
                        formatMoney(locale, Math.round(Number(value) * 100), data.currency)
                      }
                    />
                    <Bar dataKey="revenue" name={translate('mcart.sales.revenue')} fill="#1976d2" />
                  </BarChart>
                </ResponsiveContainer>
              </Box>
            ) : (
              readsSales && <Typography color="text.secondary">{na}</Typography>
            )}
          </Stack>
        </CardContent>
      </Card>
      <Card component="section" aria-labelledby="dashboard-low-stock">
        <CardHeader
          id="dashboard-low-stock"
          title={translate('mcart.sales.low_stock')}
          subheader={data.lowStock ? String(data.lowStock.count) : na}
          slotProps={{ subheader: { 'data-testid': 'low-stock-count' } as object }}
        />
        <CardContent>
          {data.lowStock && data.lowStock.items.length === 0 && (
            <Typography color="text.secondary">{translate('mcart.sales.nothing_low')}</Typography>
          )}
          <List dense>
            {data.lowStock?.items.map((item) => (
              <ListItem key={item.variantId} disableGutters>
                <ListItemText
                  primary={item.title ?? item.sku ?? item.variantId}
                  secondary={`${item.sku ? `${item.sku} · ` : ''}${translate('mcart.sales.left', item)}`}
                />
              </ListItem>
            ))}
          </List>
        </CardContent>
      </Card>
      <Card component="section" aria-labelledby="dashboard-customers">
        <CardHeader id="dashboard-customers" title={translate('mcart.sales.new_customers')} />
        <CardContent>
          <Typography data-testid="new-customers">
            {data.customers
              ? translate('mcart.sales.new_customers_detail', {
                  today: data.customers.today,
                  month: data.customers.last30Days,
                })
              : na}
          </Typography>
        </CardContent>
      </Card>
    </>
  );
}
